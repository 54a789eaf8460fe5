#include "metrics/text/coco_cider.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/coco_sample.h"
#include "metrics/text/ngram_ids.h"
#include "tasks/error.h"

namespace imaxbench {

namespace {

constexpr double kSigma = 6.0;
constexpr double kE = 2.718281828459045;  // np.e

const CocoSample* as_coco(const std::shared_ptr<const SampleExtra>& extra) {
  return dynamic_cast<const CocoSample*>(extra.get());
}

// One sample's CIDEr-D (CiderScorer.compute_cider's loop body): tf-idf vectors per order, clipped
// cosine with each reference times the length penalty, mean over orders, / references, * 10.
double sample_cider(const CocoSample& e, const std::vector<std::uint32_t>& df,
                    const std::vector<double>& log_df, double ref_len, std::vector<double>& idf,
                    std::vector<double>& hyp_w) {
  idf.resize(e.slot_ids.size());
  for (std::size_t k = 0; k < idf.size(); ++k) idf[k] = ref_len - log_df[df[e.slot_ids[k]]];
  // counts2vec() of the hypothesis.
  const std::span<const CocoSample::Gram> hyp = e.hyp_grams();
  hyp_w.resize(hyp.size());
  std::array<double, kCocoOrders> hyp_norm{};
  for (std::size_t j = 0; j < hyp.size(); ++j) {
    hyp_w[j] = static_cast<double>(hyp[j].count) * idf[hyp[j].slot];
    hyp_norm[hyp[j].n - 1] += std::pow(hyp_w[j], 2);
  }
  for (double& v : hyp_norm) v = std::sqrt(v);
  std::array<double, kCocoOrders> score{};
  for (std::size_t r = 0; r < e.num_refs(); ++r) {
    std::array<double, kCocoOrders> ref_norm{};
    for (const CocoSample::Gram& g : e.ref_grams(r))
      ref_norm[g.n - 1] += std::pow(static_cast<double>(g.count) * idf[g.slot], 2);
    for (double& v : ref_norm) v = std::sqrt(v);
    // sim(): clipped dot product per order, cosine, Gaussian length penalty.
    const std::span<const int> in_ref = e.counts_in_ref(r);
    std::array<double, kCocoOrders> val{};
    for (std::size_t j = 0; j < hyp.size(); ++j) {
      const double w_ref = static_cast<double>(in_ref[j]) * idf[hyp[j].slot];
      val[hyp[j].n - 1] += std::min(hyp_w[j], w_ref) * w_ref;
    }
    const double delta = static_cast<double>(e.hyp_length - e.refs[r].length);
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
  std::vector<std::uint32_t> scored;
  std::size_t n = 0;
  for (std::uint32_t i = 0; i < times.size(); ++i)
    if (times[i] > 0 && as_coco(stats.extras[i]) != nullptr) {
      scored.push_back(i);
      n += times[i];
    }
  if (n == 0) return nan;

  // compute_doc_freq over the samples scored.
  std::vector<std::uint32_t> df(NgramIds::global().id_bound(), 0);
  for (std::uint32_t i : scored) {
    const CocoSample& e = *as_coco(stats.extras[i]);
    for (std::size_t k = 0; k < e.doc_size; ++k) df[e.slot_ids[k]] += times[i];
  }
  // ref_len = log(number of samples); idf = ref_len - log(max(1, df)), df <= n.
  const double ref_len = std::log(static_cast<double>(n));
  std::vector<double> log_df(n + 1, 0.0);
  for (std::size_t k = 2; k <= n; ++k) log_df[k] = std::log(static_cast<double>(k));

  // Each sample's score in parallel, summed in sample order (bit-identical for any threads).
  std::vector<double> value(scored.size(), 0.0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, scored.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::vector<double> idf, hyp_w;
                      for (std::size_t p = range.begin(); p != range.end(); ++p)
                        value[p] = sample_cider(*as_coco(stats.extras[scored[p]]), df, log_df, ref_len,
                                                idf, hyp_w);
                    });
  double total = 0.0;
  for (std::size_t p = 0; p < scored.size(); ++p) total += static_cast<double>(times[scored[p]]) * value[p];
  return total / static_cast<double>(n);
}

std::unique_ptr<Metric> make_cider_d(const MetricParams& params) {
  ParamReader("cider_d", params, {});
  return std::make_unique<CocoCiderD>();
}

}  // namespace imaxbench
