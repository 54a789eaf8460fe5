#include "metrics/text/coco_cider.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/cider_resample.h"
#include "metrics/text/coco_sample.h"
#include "metrics/text/ngram_ids.h"
#include "core/error.h"

namespace imaxbench {

namespace {

constexpr double kSigma = 6.0;
constexpr double kE = 2.718281828459045;  // np.e

// A sample in the subset and how many times it was drawn.
struct Drawn {
  const CocoSample* sample;
  std::uint32_t times;
};

// One sample's CIDEr-D (CiderScorer.compute_cider's loop body): tf-idf vectors per order, clipped
// cosine with each reference times the length penalty, mean over orders, / references, * 10.
// sim() sums min(hyp, ref) * ref over the hypothesis's n-grams; only n-grams in both add anything,
// so this sums over the reference's n-grams instead, with the hypothesis's weights by slot, and
// one pass per reference gives its norm and its products. (The order of the additions differs
// from pycocoevalcap's, which moves the score by a few ulps.)
double sample_cider(const CocoSample& e, const std::vector<std::uint32_t>& df,
                    const std::vector<double>& log_df, double ref_len, std::vector<double>& idf,
                    std::vector<double>& hyp_w) {
  const std::span<const std::uint32_t> ids = e.slot_ids();
  idf.resize(ids.size());
  for (std::size_t k = 0; k < idf.size(); ++k) idf[k] = ref_len - log_df[df[ids[k]]];
  // counts2vec() of the hypothesis, by slot; reference n-grams have document slots only.
  hyp_w.assign(e.doc_size, 0.0);
  std::array<double, kCocoOrders> hyp_norm{};
  for (const CocoSample::Gram& h : e.hyp_grams()) {
    const double w = static_cast<double>(e.count(h)) * idf[h.slot];
    if (h.slot < e.doc_size) hyp_w[h.slot] = w;
    hyp_norm[h.n - 1] += std::pow(w, 2);
  }
  for (double& v : hyp_norm) v = std::sqrt(v);
  std::array<double, kCocoOrders> score{};
  for (std::size_t r = 0; r < e.num_refs(); ++r) {
    std::array<double, kCocoOrders> ref_norm{}, val{};
    for (const CocoSample::Gram& g : e.ref_grams(r)) {
      const double w_ref = static_cast<double>(e.count(g)) * idf[g.slot];
      ref_norm[g.n - 1] += std::pow(w_ref, 2);
      val[g.n - 1] += std::min(hyp_w[g.slot], w_ref) * w_ref;
    }
    for (double& v : ref_norm) v = std::sqrt(v);
    // sim(): cosine per order, Gaussian length penalty.
    const double delta = static_cast<double>(e.hyp_length - e.refs()[r].length);
    const double penalty = std::pow(kE, -std::pow(delta, 2) / (2 * std::pow(kSigma, 2)));
    for (int k = 0; k < kCocoOrders; ++k) {
      if (hyp_norm[k] != 0 && ref_norm[k] != 0) val[k] /= hyp_norm[k] * ref_norm[k];
      val[k] *= penalty;
      score[k] += val[k];
    }
  }
  // np.mean over the orders, / number of references, * 10.
  double mean = (((score[0] + score[1]) + score[2]) + score[3]) / kCocoOrders;
  mean /= static_cast<double>(e.num_refs());
  return mean * 10.0;
}

// compute_doc_freq over the samples drawn. Each thread counts into an array of its own and the
// arrays are added up: integer sums, so how the samples split changes nothing.
std::vector<std::uint32_t> doc_freq(const std::vector<Drawn>& drawn) {
  const std::size_t bound = NgramIds::global().id_bound();
  tbb::enumerable_thread_specific<std::vector<std::uint32_t>> parts(
      [bound] { return std::vector<std::uint32_t>(bound, 0); });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, drawn.size(), 1024),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::vector<std::uint32_t>& df = parts.local();
                      for (std::size_t p = range.begin(); p != range.end(); ++p) {
                        const CocoSample& e = *drawn[p].sample;
                        for (std::uint32_t id : e.slot_ids().first(e.doc_size)) df[id] += drawn[p].times;
                      }
                    });
  std::vector<std::uint32_t> df;
  for (std::vector<std::uint32_t>& part : parts) {
    if (df.empty()) df = std::move(part);
    else for (std::size_t k = 0; k < bound; ++k) df[k] += part[k];
  }
  if (df.empty()) df.assign(bound, 0);
  return df;
}

}  // namespace

void CocoCiderD::sample_stats(const Sample& sample, const Prediction&, std::span<double> row) const {
  row[0] = coco_applies(sample) ? 1.0 : 0.0;  // the work is in sample_extra
}

std::shared_ptr<const SampleExtra> CocoCiderD::sample_extra(const Sample& sample,
                                                            const Prediction& prediction) const {
  return coco_sample(sample, prediction);
}

double CocoCiderD::score(std::span<const double>) const {
  throw Error(
      "cider_d is corpus-level: its score needs each sample's n-grams (score_subset), not summed "
      "rows");
}

double CocoCiderD::score_subset(const MetricRows& stats,
                                std::span<const std::uint32_t> indices) const {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (stats.extras.empty()) return nan;

  // A sample drawn m times (a bootstrap resample) counts m times: in the document frequencies
  // and in the mean. Each distinct sample is scored once and weighted, in sample order.
  std::vector<std::uint32_t> times(stats.extras.size(), 0);
  for (std::uint32_t i : indices) ++times[i];
  std::vector<Drawn> drawn;
  std::size_t n = 0;
  for (std::uint32_t i = 0; i < times.size(); ++i)
    if (times[i] > 0)
      if (const auto* sample = dynamic_cast<const CocoSample*>(stats.extras[i].get())) {
        drawn.push_back({sample, times[i]});
        n += times[i];
      }
  if (n == 0) return nan;

  const std::vector<std::uint32_t> df = doc_freq(drawn);
  // ref_len = log(number of samples); idf = ref_len - log(max(1, df)), df <= n.
  const double ref_len = std::log(static_cast<double>(n));
  std::vector<double> log_df(n + 1, 0.0);
  for (std::size_t k = 2; k <= n; ++k) log_df[k] = std::log(static_cast<double>(k));

  // Each sample's score in parallel, summed in sample order (bit-identical for any threads).
  std::vector<double> value(drawn.size(), 0.0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, drawn.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::vector<double> idf, hyp_w;
                      for (std::size_t p = range.begin(); p != range.end(); ++p)
                        value[p] = sample_cider(*drawn[p].sample, df, log_df, ref_len, idf, hyp_w);
                    });
  double total = 0.0;
  for (std::size_t p = 0; p < drawn.size(); ++p) total += static_cast<double>(drawn[p].times) * value[p];
  return total / static_cast<double>(n);
}

std::unique_ptr<ResampleScorer> CocoCiderD::resample_scorer(const MetricRows& stats) const {
  if (auto fast = make_cider_resample_scorer(stats)) return fast;
  return Metric::resample_scorer(stats);
}

std::unique_ptr<Metric> make_cider_d(const MetricParams& params) {
  ParamReader("cider_d", params, {});
  return std::make_unique<CocoCiderD>();
}

}  // namespace imaxbench
