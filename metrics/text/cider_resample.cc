// Compiled with -ffp-contract=off (CMakeLists.txt): a fused multiply-add would round differently
// from score_subset()'s separate multiply and add. The kernel is compiled for AVX-512, AVX2 and
// the baseline (target_clones); each lane's operations are the same IEEE ones on all three.
#include "metrics/text/cider_resample.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <tbb/enumerable_thread_specific.h>

#include "metrics/text/cider_corpus.h"

namespace imaxbench {

namespace {

constexpr std::size_t kLanes = kResampleBatch;
constexpr std::uint32_t kPrefetch = 32;  // cold slots ahead

// One value per resample of the batch. GCC/Clang vector types: element-wise IEEE operations,
// lowered to whatever vector width the target has. Aligned to 64 bytes on every target, as the
// AVX-512 clone's loads need (the baseline would align them to 16 bytes only); in containers
// through a struct, as a template argument drops the type's attributes.
#define IMAXBENCH_LANES(T) __attribute__((vector_size(kLanes * sizeof(T)), aligned(std::min<std::size_t>(64, kLanes * sizeof(T)))))
using Vd = double IMAXBENCH_LANES(double);
using V16 = std::uint16_t IMAXBENCH_LANES(std::uint16_t);
using V32 = std::uint32_t IMAXBENCH_LANES(std::uint32_t);
struct alignas(std::max<std::size_t>(64, alignof(Vd))) LanesD {
  Vd v;
};
// Draw counts and cold rows' document frequencies: 16 bits (half the memory to sweep) wherever
// they fit: always below 2^16 samples; above, when every member's draw count does and no cold row
// can add up past it (its posting list's length x the largest draw count); else 32.
template <class Count> struct LanesOf;
template <> struct alignas(std::max<std::size_t>(32, alignof(V16))) LanesOf<std::uint16_t> { V16 v; };
template <> struct alignas(std::max<std::size_t>(64, alignof(V32))) LanesOf<std::uint32_t> { V32 v; };

#define IMAXBENCH_INLINE [[gnu::always_inline]] inline
// Sanitizer builds check the baseline code alone (GCC says so with __SANITIZE_ADDRESS__, clang
// through __has_feature).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IMAXBENCH_SANITIZED 1
#endif
#endif
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define IMAXBENCH_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define IMAXBENCH_CLONES
#endif

IMAXBENCH_INLINE Vd splat(double x) {
  Vd v;
  for (std::size_t l = 0; l < kLanes; ++l) v[l] = x;
  return v;
}

// Selects lane by lane, written as loops: GCC lowers `?:` on a vector wider than the machine's
// registers (32 doubles) to one scalar operation per lane, and vectorizes these loops instead.
// a < b ? a : b, which is also what MINPD computes.
IMAXBENCH_INLINE Vd min_lanes(const Vd& a, const Vd& b) {
  Vd r;
  for (std::size_t l = 0; l < kLanes; ++l) r[l] = a[l] < b[l] ? a[l] : b[l];
  return r;
}

// Per lane: a[l] != 0 && b[l] != 0 ? yes[l] : no[l] (both computed for every lane, as `?:` on
// vectors does).
IMAXBENCH_INLINE Vd select_nonzero(const Vd& a, const Vd& b, const Vd& yes, const Vd& no) {
  Vd r;
  for (std::size_t l = 0; l < kLanes; ++l) r[l] = (a[l] != 0) & (b[l] != 0) ? yes[l] : no[l];
  return r;
}

IMAXBENCH_INLINE Vd sqrt_lanes(Vd v) {
  for (std::size_t l = 0; l < kLanes; ++l) v[l] = std::sqrt(v[l]);
  return v;
}

template <class V>
IMAXBENCH_INLINE Vd log_of(const double* table, const V& k) {
  Vd v;
  for (std::size_t l = 0; l < kLanes; ++l) v[l] = table[k[l]];
  return v;
}

struct Scratch {
  std::vector<LanesOf<std::uint16_t>> times16, df16;  // per member / per cold row
  std::vector<LanesOf<std::uint32_t>> times32, df32;
  std::vector<LanesD> hot_log;  // per hot row: log(max(1, df))
  std::vector<LanesD> idf;      // per slot of the sample being scored
  std::vector<double> log_table{0.0, 0.0};  // log_table[k] = log(k) (k >= 2), 0 for 0 and 1
  std::uint32_t narrow_run = 1;  // postings whose draw counts add up in Count's width (doc_freq)
  template <class Count> std::vector<LanesOf<Count>>& times() {
    if constexpr (sizeof(Count) == 2) return times16; else return times32;
  }
  template <class Count> std::vector<LanesOf<Count>>& df() {
    if constexpr (sizeof(Count) == 2) return df16; else return df32;
  }
};

// Document frequencies per lane: sums of draw counts along the posting lists, in Sum (at least
// Count's width: a hot row's sum may pass 2^16 where a member's count and a cold row's sum cannot);
// as logs for the hot rows, as counts (a quarter or eighth of the size) for the others, read at
// random later.
template <class Count, class Sum>
IMAXBENCH_INLINE void doc_freq(const CiderCorpus& c, Scratch& s) {
  using SumV = decltype(LanesOf<Sum>::v);
  using CountV = decltype(LanesOf<Count>::v);
  const auto& times = s.times<Count>();
  auto& df = s.df<Count>();
  df.resize(c.num_rows());
  s.hot_log.resize(c.num_hot_rows());
  for (std::size_t row = 0; row < c.num_rows(); ++row) {
    SumV sum{};
    if constexpr (sizeof(Sum) == sizeof(Count)) {
      for (std::uint32_t p = c.row_begin[row]; p < c.row_begin[row + 1]; ++p) sum += times[c.row_members[p]].v;
    } else {
      // Wider sums are added in Count's width for as many postings as cannot carry past it, and
      // widened once per run of them: integer sums, so the same values, with one narrow add per
      // posting (widening each, GCC kept the wide sum in memory: a store and a load per posting).
      for (std::uint32_t p = c.row_begin[row], end = c.row_begin[row + 1]; p < end;) {
        const std::uint32_t stop = end - p > s.narrow_run ? p + s.narrow_run : end;
        CountV part{};
        for (; p < stop; ++p) part += times[c.row_members[p]].v;
        sum += __builtin_convertvector(part, SumV);
      }
    }
    if (row < s.hot_log.size()) s.hot_log[row].v = log_of(s.log_table.data(), sum);
    else if constexpr (sizeof(Sum) == sizeof(Count)) df[row].v = sum;
    else df[row].v = __builtin_convertvector(sum, CountV);  // fits: see score_lanes
  }
}

// Each order's sum of squared tf-idf weights over one caption's grams: its squared vector norms.
// The four orders' sums are independent, so they advance side by side (each still adds its own
// terms in gram order); one after the other, every add would wait for the one before.
// Gram g's squared tf-idf weight per lane. Not a lambda: every function that takes or returns a
// vector must be inlined into the clone that calls it, since each clone passes vectors in other
// registers; a lambda is not always_inline and clang at -O1 (the sanitizer build) called it out of
// line, reading garbage through a mismatched return (SEGV under ASan).
IMAXBENCH_INLINE Vd term(const CocoSample& e, const LanesD* idf, std::uint32_t g) {
  const Vd w = splat(static_cast<double>(e.count(g))) * idf[e.grams()[g].slot].v;
  return w * w;
}

IMAXBENCH_INLINE void norms(const CocoSample& e, const LanesD* idf,
                            const std::array<std::uint32_t, 5>& order, Vd (&out)[kCocoOrders]) {
  std::uint32_t common = order[1] - order[0];
  for (int k = 1; k < kCocoOrders; ++k) common = std::min(common, order[k + 1] - order[k]);
  Vd acc[kCocoOrders] = {};
  for (std::uint32_t j = 0; j < common; ++j)
    for (int k = 0; k < kCocoOrders; ++k) acc[k] += term(e, idf, order[k] + j);
  for (int k = 0; k < kCocoOrders; ++k) {
    for (std::uint32_t g = order[k] + common; g < order[k + 1]; ++g) acc[k] += term(e, idf, g);
    out[k] = sqrt_lanes(acc[k]);
  }
}

// Member m's CIDEr-D per lane: sample_cider() in coco_cider.cc, lane by lane.
template <class Count>
IMAXBENCH_INLINE Vd sample_cider(const CiderCorpus& c, std::size_t m, const Vd& ref_len,
                                 const decltype(LanesOf<Count>::v)& times, Scratch& s) {
  const CiderCorpus::Member& member = c.members[m];
  const CiderCorpus::Member& next = c.members[m + 1];
  const CocoSample& e = *member.sample;
  // idf = log(N) - log(max(1, df)) per slot, from the kinds of slot (cider_corpus.h).
  LanesD* idf = s.idf.data();
  for (std::uint32_t j = member.hot_begin; j < next.hot_begin; ++j)
    idf[CiderCorpus::hot_slot(c.hot[j])].v = ref_len - s.hot_log[CiderCorpus::hot_row(c.hot[j])].v;
  // Cold rows are read at random from a table larger than the cache: ask for them ahead, into
  // the next sample's (the list runs on).
  const auto& df = s.df<Count>();
  const std::uint32_t cold_end = next.cold_begin;
  const std::uint32_t prefetch_end = static_cast<std::uint32_t>(c.cold.size());
  for (std::uint32_t j = member.cold_begin; j < cold_end; ++j) {
    if (j + kPrefetch < prefetch_end) __builtin_prefetch(&df[c.cold[j + kPrefetch].row]);
    idf[c.cold[j].slot].v = ref_len - log_of(s.log_table.data(), df[c.cold[j].row].v);
  }
  const Vd own = ref_len - log_of(s.log_table.data(), times);
  for (std::uint32_t j = member.own_begin; j < next.own_begin; ++j) idf[c.own[j]].v = own;
  for (std::uint32_t j = member.absent_begin; j < next.absent_begin; ++j) idf[c.absent[j]].v = ref_len;

  const CocoSample::Gram* grams = e.grams().data();
  const CiderCorpus::Caption* caption = c.captions.data() + member.caption_begin;
  Vd hyp_norm[kCocoOrders], ref_norm[kCocoOrders];
  norms(e, idf, caption[0].order, hyp_norm);
  Vd score[kCocoOrders] = {};
  for (std::size_t r = 0; r < e.num_refs(); ++r) {
    const CiderCorpus::Caption& ref = caption[1 + r];
    const Vd penalty = splat(ref.penalty);
    norms(e, idf, ref.order, ref_norm);
    for (int k = 0; k < kCocoOrders; ++k) {
      // Only grams the hypothesis shares add to the product: min(0, w) * w is +0 elsewhere.
      Vd val{};
      for (std::uint32_t j = ref.match[k]; j < ref.match[k + 1]; ++j) {
        const CiderCorpus::Match& mt = c.matches[j];
        const Vd w_idf = idf[grams[mt.gram].slot].v;
        const Vd hyp_w = splat(static_cast<double>(mt.hyp_count)) * w_idf;
        const Vd w_ref = splat(static_cast<double>(e.count(mt.gram))) * w_idf;
        val += min_lanes(w_ref, hyp_w) * w_ref;  // std::min(hyp_w, w_ref)
      }
      val = select_nonzero(hyp_norm[k], ref_norm[k], val / (hyp_norm[k] * ref_norm[k]), val);
      val *= penalty;
      score[k] += val;
    }
  }
  Vd mean = (((score[0] + score[1]) + score[2]) + score[3]) / splat(kCocoOrders);
  mean /= splat(static_cast<double>(e.num_refs()));
  return mean * splat(10.0);
}

// Per lane: the sum over drawn members, in member order, of draw count x CIDEr-D.
template <class Count, class Sum>
IMAXBENCH_INLINE void corpus_total(const CiderCorpus& c, const Vd& ref_len, Scratch& s, Vd& out) {
  doc_freq<Count, Sum>(c, s);
  const auto& times = s.times<Count>();
  Vd total{};
  for (std::size_t m = 0; m < c.num_members(); ++m) {
    const auto t = times[m].v;
    bool drawn = false;
    for (std::size_t l = 0; l < kLanes; ++l) drawn = drawn || t[l] != 0;
    if (!drawn) continue;
    const Vd value = sample_cider<Count>(c, m, ref_len, t, s);
    const Vd weight = __builtin_convertvector(t, Vd);
    total = select_nonzero(weight, weight, total + weight * value, total);  // drawn samples only
  }
  out = total;
}
// The clones take and give vectors through memory: each would pass them in other registers.
IMAXBENCH_CLONES void corpus_total16(const CiderCorpus& c, const Vd& ref_len, Scratch& s, Vd& out) {
  corpus_total<std::uint16_t, std::uint16_t>(c, ref_len, s, out);
}
IMAXBENCH_CLONES void corpus_total16_wide(const CiderCorpus& c, const Vd& ref_len, Scratch& s, Vd& out) {
  corpus_total<std::uint16_t, std::uint32_t>(c, ref_len, s, out);
}
IMAXBENCH_CLONES void corpus_total32(const CiderCorpus& c, const Vd& ref_len, Scratch& s, Vd& out) {
  corpus_total<std::uint32_t, std::uint32_t>(c, ref_len, s, out);
}

class CiderResampleScorer final : public ResampleScorer {
 public:
  CiderResampleScorer(const MetricRows& stats, CiderCorpus corpus)
      : stats_(stats), c_(std::move(corpus)) {
    for (std::size_t row = c_.num_hot_rows(); row < c_.num_rows(); ++row)
      longest_cold_ = std::max<std::uint64_t>(longest_cold_, c_.row_begin[row + 1] - c_.row_begin[row]);
  }

  void score(std::span<const std::span<const std::uint32_t>> resamples,
             std::span<double> out) const override {
    for (std::size_t first = 0; first < resamples.size(); first += kLanes) {
      const std::size_t count = std::min(kLanes, resamples.size() - first);
      score_lanes(resamples.subspan(first, count), out.subspan(first, count));
    }
  }

 private:
  // Draw counts per member and lane; the lanes' sizes (n) and eligibility. Returns the largest
  // count, or kWrapped when one passed Count's width (16 bits: one sample drawn 2^16 times).
  static constexpr std::uint64_t kWrapped = std::numeric_limits<std::uint64_t>::max();
  template <class Count>
  std::uint64_t count_draws(std::span<const std::span<const std::uint32_t>> resamples, Scratch& s,
                            std::uint64_t (&n)[kLanes], bool (&eligible)[kLanes]) const {
    auto& times = s.times<Count>();
    times.assign(c_.num_members(), LanesOf<Count>{});
    Count most = 0;
    bool wrapped = false;
    for (std::size_t l = 0; l < resamples.size(); ++l)
      for (std::uint32_t i : resamples[l]) {
        // score_if_eligible(): some drawn sample the metric applies to.
        eligible[l] = eligible[l] || stats_.applies.empty() || (i < stats_.applies.size() && stats_.applies[i]);
        const std::uint32_t m = i < c_.member_of.size() ? c_.member_of[i] : CiderCorpus::kNone;
        if (m == CiderCorpus::kNone) continue;
        const Count count = ++times[m].v[l];
        wrapped = wrapped || count == 0;
        most = std::max(most, count);
        ++n[l];
      }
    return wrapped ? kWrapped : most;
  }
  void score_lanes(std::span<const std::span<const std::uint32_t>> resamples, std::span<double> out) const;

  const MetricRows& stats_;
  CiderCorpus c_;
  std::uint64_t longest_cold_ = 0;  // the longest posting list of a cold row: bounds its sums
  mutable tbb::enumerable_thread_specific<Scratch> scratch_;
};

void CiderResampleScorer::score_lanes(std::span<const std::span<const std::uint32_t>> resamples,
                                      std::span<double> out) const {
  Scratch& s = scratch_.local();
  s.idf.resize(c_.max_slots);
  std::uint64_t n[kLanes] = {}, most = 0;
  bool eligible[kLanes] = {};
  std::size_t largest = 0;  // a lane's size bounds every count and frequency in it
  for (const auto& r : resamples) largest = std::max(largest, r.size());
  constexpr std::size_t kMax16 = std::numeric_limits<std::uint16_t>::max();
  const bool narrow = largest <= kMax16;
  // Draws are counted in 16 bits. Above 2^16 samples they are counted again in 32 where a count or
  // a cold row's sum does not fit; else members' counts and cold rows' sums stay in 16 bits.
  const std::uint64_t most_drawn = count_draws<std::uint16_t>(resamples, s, n, eligible);
  const bool narrow_counts =
      narrow || (most_drawn != kWrapped && most_drawn * std::max<std::uint64_t>(longest_cold_, 1) <= kMax16);
  if (!narrow_counts) {
    std::fill(std::begin(n), std::end(n), 0);
    std::fill(std::begin(eligible), std::end(eligible), false);
    count_draws<std::uint32_t>(resamples, s, n, eligible);
  } else if (!narrow) {
    s.narrow_run = static_cast<std::uint32_t>(kMax16 / std::max<std::uint64_t>(most_drawn, 1));
  }
  for (std::uint64_t v : n) most = std::max(most, v);
  for (std::size_t k = s.log_table.size(); k <= most; ++k) s.log_table.push_back(std::log(static_cast<double>(k)));
  Vd ref_len{};  // log(number of samples)
  for (std::size_t l = 0; l < kLanes; ++l) ref_len[l] = n[l] > 0 ? std::log(static_cast<double>(n[l])) : 0.0;
  Vd total;
  if (narrow) corpus_total16(c_, ref_len, s, total);
  else if (narrow_counts) corpus_total16_wide(c_, ref_len, s, total);
  else corpus_total32(c_, ref_len, s, total);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t l = 0; l < resamples.size(); ++l)
    out[l] = eligible[l] && n[l] > 0 ? total[l] / static_cast<double>(n[l]) : nan;
}

}  // namespace

std::unique_ptr<ResampleScorer> make_cider_resample_scorer(const MetricRows& stats) {
  CiderCorpus corpus;
  if (stats.extras.empty() || !build_cider_corpus(stats, corpus)) return nullptr;
  return std::make_unique<CiderResampleScorer>(stats, std::move(corpus));
}

}  // namespace imaxbench
