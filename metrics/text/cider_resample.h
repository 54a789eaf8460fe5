// CIDEr-D over many bootstrap resamples at the cost of a few passes over the corpus's n-grams:
// the document frequencies of kResampleBatch resamples come from one walk along the posting lists
// (per-sample draw counts summed, several resamples side by side), idf from a table of logs, and
// every sample is scored for those resamples at once, one resample per vector lane. Each lane does
// exactly the floating-point operations of CocoCiderD::score_subset() on its resample, in the same
// order, so the scores are equal bit for bit, whatever the batching and the thread count.
#pragma once

#include <memory>

#include "metrics/resample_scorer.h"

namespace imaxbench {

// Null when the rows' layout cannot be used (see build_cider_corpus); score one by one then.
std::unique_ptr<ResampleScorer> make_cider_resample_scorer(const MetricRows& stats);

// The kernel is compiled once per instruction set (on x86-64: AVX-512, AVX2 and the baseline), and
// the widest the CPU has runs. Tests run each in turn, as every copy must give the same bits: true
// when this build and CPU have `copy`, which every scorer then runs until the next call.
enum class CiderKernelCopy { kWidest, kAvx2, kBaseline };
bool use_cider_kernel_copy(CiderKernelCopy copy);

}  // namespace imaxbench
