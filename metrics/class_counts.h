// What the classification metrics share: which kind of classification a sample is, the class a
// prediction counts as, and the row layout of the F1 family (per-class TP/FP/FN counts).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/sample.h"

namespace imaxbench {

// The F1 metrics keep TP/FP/FN per class in fixed-width rows (Metric has no set-up step that
// could size them), so they count at most this many classes; more is an error at scoring time.
inline constexpr std::size_t kMaxClasses = 64;

enum class ClassKind { kNone, kMulticlass, kMultilabel };

// Multilabel when the sample has a multi-hot reference, multiclass when it has a class index.
ClassKind class_kind(const Sample& sample);

// The class the prediction names, or -1 when it names none that can be counted (unparsed,
// missing, or an index outside the sample's classes): such an answer is never correct.
int predicted_class(const Sample& sample, const Prediction& prediction);

// The predicted multi-hot row; all zero (no label predicted) when the prediction is unparsed,
// missing or of the wrong length. `usable` tells which case it was.
std::vector<std::uint8_t> predicted_labels(const Sample& sample, const Prediction& prediction,
                                           bool* usable = nullptr);

// Row layout of the F1 family: summed over samples, these are sufficient statistics for macro,
// micro and sample-averaged F1 in multiclass and multilabel form.
namespace class_row {
inline constexpr std::size_t kSamples = 0;        // samples counted
inline constexpr std::size_t kMultilabel = 1;     // of which multilabel
inline constexpr std::size_t kSampleF1 = 2;       // sum of per-sample F1 (for f1_samples)
inline constexpr std::size_t kClasses = 3;        // sum of class counts K (all equal: checked)
inline constexpr std::size_t kClassesSq = 4;      // sum of K^2 (n * sum K^2 == (sum K)^2 iff equal)
inline constexpr std::size_t kOverCap = 5;        // samples with K > kMaxClasses (not counted)
inline constexpr std::size_t kMalformed = 6;      // reference index/row not matching K (not counted)
inline constexpr std::size_t kVocabMismatch = 7;  // class names differing from the first sample's
inline constexpr std::size_t kCounts = 8;         // TP, FP, FN of class c at kCounts + 3c + 0/1/2
inline constexpr std::size_t kWidth = kCounts + 3 * kMaxClasses;
}  // namespace class_row

// Remembers the class names of the first sample it sees (thread-safe) so that details() can name
// labels and a split whose records disagree on their class lists is caught, not silently mixed.
class ClassVocabulary {
 public:
  // True when `classes` equals the first list seen (which it records on the first call).
  bool check(const std::vector<std::string>& classes) const;
  // The recorded names when there are exactly k of them, else "#0".."#k-1".
  std::vector<std::string> names(std::size_t k) const;

 private:
  mutable std::once_flag once_;
  mutable std::vector<std::string> first_;    // written once, inside call_once
  mutable std::atomic<bool> recorded_{false};  // lets names() read first_ without call_once
};

// Writes one sample's statistics in the class_row layout (zero row when the sample is neither
// multiclass nor multilabel).
void class_count_row(const Sample& sample, const Prediction& prediction,
                     const ClassVocabulary& vocabulary, std::span<double> row);

}  // namespace imaxbench
