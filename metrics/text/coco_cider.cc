#include "metrics/text/coco_cider.h"

#include <array>
#include <cmath>
#include <limits>

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

// One sample's n-grams. Each distinct n-gram of the sample has a slot: first the document (the
// distinct n-grams of its references, whose document frequency it raises), then hypothesis
// n-grams found in no reference. Grams are listed in precook() order.
struct Gram {
  std::uint32_t slot = 0;
  int n = 0;
  int count = 0;
};

struct CiderExtra final : SampleExtra {
  struct Ref {
    std::vector<Gram> grams;
    int length = 0;               // bigram count, pycocoevalcap's "length"
    std::vector<int> hyp_counts;  // count in this reference of each hypothesis n-gram
  };
  std::vector<NgramKey> slots;  // document n-grams, then hypothesis-only n-grams
  std::size_t doc_size = 0;
  std::vector<Gram> hyp;
  int hyp_length = 0;
  std::vector<Ref> refs;
};

int bigrams(const std::vector<Gram>& grams) {
  int total = 0;
  for (const Gram& g : grams) total += g.n == 2 ? g.count : 0;
  return total;
}

const CiderExtra* as_cider(const std::shared_ptr<const SampleExtra>& extra) {
  return dynamic_cast<const CiderExtra*>(extra.get());
}

// Open-addressing map from NgramKey to a dense id, for all n-grams of a scored set.
class KeyIds {
 public:
  std::uint32_t id(const NgramKey& key) {
    if ((size_ + 1) * 2 > keys_.size()) grow();
    for (std::size_t i = key.b & (keys_.size() - 1);; i = (i + 1) & (keys_.size() - 1)) {
      if (ids_[i] == kEmpty) {
        keys_[i] = key;
        return ids_[i] = static_cast<std::uint32_t>(size_++);
      }
      if (keys_[i] == key) return ids_[i];
    }
  }
  std::size_t size() const { return size_; }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  void grow() {
    std::vector<NgramKey> keys(std::max<std::size_t>(1024, keys_.size() * 2));
    std::vector<std::uint32_t> ids(keys.size(), kEmpty);
    for (std::size_t j = 0; j < keys_.size(); ++j) {
      if (ids_[j] == kEmpty) continue;
      std::size_t i = keys_[j].b & (keys.size() - 1);
      while (ids[i] != kEmpty) i = (i + 1) & (keys.size() - 1);
      keys[i] = keys_[j];
      ids[i] = ids_[j];
    }
    keys_.swap(keys);
    ids_.swap(ids);
  }
  std::vector<NgramKey> keys_;
  std::vector<std::uint32_t> ids_;
  std::size_t size_ = 0;
};

}  // namespace

// Every n-gram of the scored rows as a dense id, so a subset's document frequencies are an array.
struct CocoCiderD::Index {
  std::vector<std::shared_ptr<const SampleExtra>> owners;  // the rows' extras, for identity
  std::vector<std::uint32_t> ids;    // per sample: the id of each slot
  std::vector<std::size_t> offsets;  // per sample, into ids
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
  // precook(): words by str.split().
  std::vector<std::vector<std::string_view>> ref_words;
  std::size_t capacity = 0;
  for (const std::string& text : texts.refs) {
    ref_words.push_back(py_split(text));
    capacity += ref_words.back().size() * kOrders;
  }
  const std::vector<std::string_view> hyp_words = py_split(texts.hyp);
  capacity += hyp_words.size() * kOrders;

  // One slot per distinct n-gram of the sample; each caption's grams in first-seen order.
  NgramTable slot_of(capacity);
  std::vector<int> count;  // per slot, within the caption being counted
  auto collect = [&](const std::vector<std::string_view>& words, std::vector<Gram>& grams) {
    for_each_ngram(words, kOrders, [&](int n, const NgramKey& key) {
      const int next = static_cast<int>(extra->slots.size());
      const int s = slot_of.insert(key, next);
      if (s == next) {
        extra->slots.push_back(key);
        count.push_back(0);
      }
      if (count[s]++ == 0) grams.push_back({static_cast<std::uint32_t>(s), n, 0});
    });
    for (Gram& g : grams) {
      g.count = count[g.slot];
      count[g.slot] = 0;
    }
  };
  for (const auto& words : ref_words) {
    CiderExtra::Ref ref;
    collect(words, ref.grams);
    ref.length = bigrams(ref.grams);
    extra->refs.push_back(std::move(ref));
  }
  extra->doc_size = extra->slots.size();
  collect(hyp_words, extra->hyp);
  extra->hyp_length = bigrams(extra->hyp);
  for (auto& ref : extra->refs) {
    for (const Gram& g : ref.grams) count[g.slot] = g.count;
    ref.hyp_counts.reserve(extra->hyp.size());
    for (const Gram& h : extra->hyp) ref.hyp_counts.push_back(count[h.slot]);
    for (const Gram& g : ref.grams) count[g.slot] = 0;
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
  KeyIds ids;
  for (const auto& owner : stats.extras) {
    index->offsets.push_back(index->ids.size());
    if (const CiderExtra* e = as_cider(owner))
      for (const NgramKey& key : e->slots) index->ids.push_back(ids.id(key));
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

  // compute_doc_freq over the samples scored (a repeated index counts again).
  std::vector<std::uint32_t> df(index->num_ids, 0);
  std::size_t n = 0;
  for (std::uint32_t i : indices) {
    const CiderExtra* e = as_cider(stats.extras[i]);
    if (e == nullptr) continue;
    ++n;
    const std::uint32_t* id = index->ids.data() + index->offsets[i];
    for (std::size_t k = 0; k < e->doc_size; ++k) ++df[id[k]];
  }
  if (n == 0) return nan;
  // ref_len = log(number of samples); idf = ref_len - log(max(1, df)), df <= n.
  const double ref_len = std::log(static_cast<double>(n));
  std::vector<double> log_df(n + 1, 0.0);
  for (std::size_t k = 2; k <= n; ++k) log_df[k] = std::log(static_cast<double>(k));

  double total = 0.0;
  std::vector<double> idf, hyp_w;
  for (std::uint32_t i : indices) {
    const CiderExtra* e = as_cider(stats.extras[i]);
    if (e == nullptr) continue;
    const std::uint32_t* id = index->ids.data() + index->offsets[i];
    idf.resize(e->slots.size());
    for (std::size_t k = 0; k < idf.size(); ++k) idf[k] = ref_len - log_df[df[id[k]]];
    // counts2vec() of the hypothesis.
    hyp_w.resize(e->hyp.size());
    std::array<double, kOrders> hyp_norm{};
    for (std::size_t j = 0; j < e->hyp.size(); ++j) {
      hyp_w[j] = static_cast<double>(e->hyp[j].count) * idf[e->hyp[j].slot];
      hyp_norm[e->hyp[j].n - 1] += std::pow(hyp_w[j], 2);
    }
    for (double& v : hyp_norm) v = std::sqrt(v);
    std::array<double, kOrders> score{};
    for (const auto& ref : e->refs) {
      std::array<double, kOrders> ref_norm{};
      for (const Gram& g : ref.grams)
        ref_norm[g.n - 1] += std::pow(static_cast<double>(g.count) * idf[g.slot], 2);
      for (double& v : ref_norm) v = std::sqrt(v);
      // sim(): clipped dot product per order, cosine, Gaussian length penalty.
      std::array<double, kOrders> val{};
      for (std::size_t j = 0; j < e->hyp.size(); ++j) {
        const double w_ref = static_cast<double>(ref.hyp_counts[j]) * idf[e->hyp[j].slot];
        val[e->hyp[j].n - 1] += std::min(hyp_w[j], w_ref) * w_ref;
      }
      const double delta = static_cast<double>(e->hyp_length - ref.length);
      for (int k = 0; k < kOrders; ++k) {
        if (hyp_norm[k] != 0 && ref_norm[k] != 0) val[k] /= hyp_norm[k] * ref_norm[k];
        val[k] *= std::pow(kE, -std::pow(delta, 2) / (2 * std::pow(kSigma, 2)));
        score[k] += val[k];
      }
    }
    // np.mean over the orders, / number of references, * 10.
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
