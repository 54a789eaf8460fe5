#include "metrics/text/coco_cider.h"

#include <array>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/coco_text.h"
#include "metrics/text/sacrebleu_unicode.h"
#include "tasks/error.h"

namespace imaxbench {

namespace {

constexpr int kOrders = 4;
constexpr double kSigma = 6.0;
constexpr double kE = 2.718281828459045;  // np.e

// One sample's n-grams, in precook() order.
struct CiderExtra final : SampleExtra {
  struct Ref {
    std::vector<NgramCount> grams;
    int length = 0;                // bigram count, pycocoevalcap's "length"
    std::vector<int> hyp_counts;  // count in this reference of each hypothesis n-gram
  };
  std::vector<NgramCount> hyp;
  int hyp_length = 0;
  std::vector<Ref> refs;
  std::vector<NgramKey> doc;  // distinct n-grams over the references (one document)
};

int bigrams(const std::vector<NgramCount>& grams) {
  int total = 0;
  for (const NgramCount& g : grams) total += g.n == 2 ? g.count : 0;
  return total;
}

struct KeyHash {
  std::size_t operator()(const NgramKey& k) const { return k.a ^ (k.b * 0x9E3779B97F4A7C15ull); }
};

const CiderExtra* as_cider(const std::shared_ptr<const SampleExtra>& extra) {
  return dynamic_cast<const CiderExtra*>(extra.get());
}

}  // namespace

// Every n-gram of the scored rows as a dense id, so a subset's document frequencies are an array.
struct CocoCiderD::Index {
  std::vector<std::shared_ptr<const SampleExtra>> owners;  // the rows' extras, for identity
  std::vector<std::uint32_t> ids;     // per sample: hypothesis, each reference, then document
  std::vector<std::size_t> offsets;   // per sample, into ids
  std::size_t num_ids = 0;
};

void CocoCiderD::sample_stats(const Sample& sample, const Prediction&, std::span<double> row) const {
  row[0] = coco_applies(sample) ? 1.0 : 0.0;  // the work is in sample_extra (tokenized once)
}

std::shared_ptr<const SampleExtra> CocoCiderD::sample_extra(const Sample& sample,
                                                            const Prediction& prediction) const {
  if (!coco_applies(sample)) return nullptr;
  const CocoTexts texts = coco_texts(sample, prediction);
  auto extra = std::make_shared<CiderExtra>();
  extra->hyp = count_ngrams(py_split(texts.hyp), kOrders);  // precook(): str.split()
  extra->hyp_length = bigrams(extra->hyp);
  std::size_t total = 0;
  for (const std::string& text : texts.refs) {
    CiderExtra::Ref ref;
    ref.grams = count_ngrams(py_split(text), kOrders);
    ref.length = bigrams(ref.grams);
    NgramTable counts(ref.grams.size());
    for (const NgramCount& g : ref.grams) counts.insert(g.key, g.count);
    ref.hyp_counts.reserve(extra->hyp.size());
    for (const NgramCount& g : extra->hyp) ref.hyp_counts.push_back(std::max(0, counts.find(g.key)));
    total += ref.grams.size();
    extra->refs.push_back(std::move(ref));
  }
  // The document: distinct n-grams over all references, in first-seen order.
  NgramTable position(total);
  for (const auto& ref : extra->refs)
    for (const NgramCount& g : ref.grams) {
      const int next = static_cast<int>(extra->doc.size());
      if (position.insert(g.key, next) == next) extra->doc.push_back(g.key);
    }
  return extra;
}

double CocoCiderD::score(std::span<const double>) const {
  throw Error(
      "cider_d is corpus-level: its score needs each sample's n-grams (score_subset), not summed "
      "rows");
}

std::shared_ptr<const CocoCiderD::Index> CocoCiderD::index_for(const MetricRows& stats) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (index_ && index_->owners == stats.extras) return index_;
  auto index = std::make_shared<Index>();
  index->owners = stats.extras;
  std::unordered_map<NgramKey, std::uint32_t, KeyHash> ids;
  auto id_of = [&](const NgramKey& key) {
    return ids.emplace(key, static_cast<std::uint32_t>(ids.size())).first->second;
  };
  for (const auto& owner : stats.extras) {
    index->offsets.push_back(index->ids.size());
    const CiderExtra* e = as_cider(owner);
    if (e == nullptr) continue;
    for (const NgramCount& g : e->hyp) index->ids.push_back(id_of(g.key));
    for (const auto& ref : e->refs)
      for (const NgramCount& g : ref.grams) index->ids.push_back(id_of(g.key));
    for (const NgramKey& key : e->doc) index->ids.push_back(id_of(key));
  }
  index->num_ids = ids.size();
  index_ = index;
  return index;
}

double CocoCiderD::score_subset(const MetricRows& stats,
                                std::span<const std::uint32_t> indices) const {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (stats.extras.empty()) return nan;
  const std::shared_ptr<const Index> index = index_for(stats);

  // compute_doc_freq over the samples scored, then ref_len = log(number of samples).
  std::vector<std::uint32_t> df(index->num_ids, 0);
  std::size_t n = 0;
  for (std::uint32_t i : indices) {
    const CiderExtra* e = as_cider(stats.extras[i]);
    if (e == nullptr) continue;
    ++n;
    std::size_t at = index->offsets[i] + e->hyp.size();
    for (const auto& ref : e->refs) at += ref.grams.size();
    for (std::size_t k = 0; k < e->doc.size(); ++k) ++df[index->ids[at + k]];
  }
  if (n == 0) return nan;
  const double ref_len = std::log(static_cast<double>(n));
  std::vector<double> log_df(n + 1, 0.0);  // log(max(1, df)), df <= n
  for (std::size_t k = 2; k <= n; ++k) log_df[k] = std::log(static_cast<double>(k));
  auto idf = [&](std::uint32_t id) { return ref_len - log_df[df[id]]; };

  double total = 0.0;
  std::vector<double> hyp_w;
  for (std::uint32_t i : indices) {
    const CiderExtra* e = as_cider(stats.extras[i]);
    if (e == nullptr) continue;
    const std::uint32_t* id = index->ids.data() + index->offsets[i];
    // counts2vec() of the hypothesis.
    hyp_w.resize(e->hyp.size());
    std::array<double, kOrders> hyp_norm{};
    for (std::size_t j = 0; j < e->hyp.size(); ++j) {
      hyp_w[j] = static_cast<double>(e->hyp[j].count) * idf(id[j]);
      hyp_norm[e->hyp[j].n - 1] += std::pow(hyp_w[j], 2);
    }
    for (double& v : hyp_norm) v = std::sqrt(v);
    id += e->hyp.size();
    std::array<double, kOrders> score{};
    for (const auto& ref : e->refs) {
      std::array<double, kOrders> ref_norm{};
      for (std::size_t j = 0; j < ref.grams.size(); ++j)
        ref_norm[ref.grams[j].n - 1] += std::pow(static_cast<double>(ref.grams[j].count) * idf(id[j]), 2);
      for (double& v : ref_norm) v = std::sqrt(v);
      // sim(): clipped dot product per order, cosine, length penalty.
      std::array<double, kOrders> val{};
      const std::uint32_t* hyp_id = index->ids.data() + index->offsets[i];
      for (std::size_t j = 0; j < e->hyp.size(); ++j) {
        const double w_ref = static_cast<double>(ref.hyp_counts[j]) * idf(hyp_id[j]);
        val[e->hyp[j].n - 1] += std::min(hyp_w[j], w_ref) * w_ref;
      }
      const double delta = static_cast<double>(e->hyp_length - ref.length);
      for (int k = 0; k < kOrders; ++k) {
        if (hyp_norm[k] != 0 && ref_norm[k] != 0) val[k] /= hyp_norm[k] * ref_norm[k];
        val[k] *= std::pow(kE, -std::pow(delta, 2) / (2 * std::pow(kSigma, 2)));
        score[k] += val[k];
      }
      id += ref.grams.size();
    }
    double mean = (((score[0] + score[1]) + score[2]) + score[3]) / kOrders;
    mean /= static_cast<double>(e->refs.size());
    mean *= 10.0;
    total += mean;
  }
  return total / static_cast<double>(n);
}

std::unique_ptr<Metric> make_cider_d(const MetricParams& params) {
  ParamReader("cider_d", params, {});
  return std::make_unique<CocoCiderD>();
}

}  // namespace imaxbench
