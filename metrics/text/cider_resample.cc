// Compiled with -ffp-contract=off (CMakeLists.txt): a fused multiply-add would round differently
// from score_subset()'s separate multiply and add. The kernel is compiled for AVX-512, AVX2 and
// the baseline (corpus_total_for_cpu); each lane's operations are the same IEEE ones on all three.
#include "metrics/text/cider_resample.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cmath>
#include <limits>

#include <tbb/enumerable_thread_specific.h>

#include "metrics/text/cider_corpus.h"
#include "metrics/text/huge_pages.h"

namespace imaxbench {

namespace {

constexpr std::size_t kLanes = kResampleBatch;
constexpr std::uint32_t kPrefetch = 32;  // cold slots ahead

// One value per resample of the batch. GCC/Clang vector types: element-wise IEEE operations,
// lowered to whatever vector width the target has. Aligned to 64 bytes on every target, as the
// AVX-512 copy's loads need (the baseline would align them to 16 bytes only); in containers
// through a struct, as a template argument drops the type's attributes.
#define IMAXBENCH_LANES(T) __attribute__((vector_size(kLanes * sizeof(T)), aligned(std::min<std::size_t>(64, kLanes * sizeof(T)))))
using Vd = double IMAXBENCH_LANES(double);
using V16 = std::uint16_t IMAXBENCH_LANES(std::uint16_t);
using V32 = std::uint32_t IMAXBENCH_LANES(std::uint32_t);
struct alignas(std::max<std::size_t>(64, alignof(Vd))) LanesD {
  Vd v;
};
// A register's worth of lanes: W doubles, as wide as the registers of the instruction set the
// kernel's copy is compiled for (8 for AVX-512, 4 for AVX2, 2 for SSE2 and other targets). Sums
// over many grams are kept in these: a 32-lane vector has no machine mode, so GCC keeps it in
// memory, and every add of an accumulator was a load and a store. (A dependent vector_size in an
// alias template makes GCC 12 a one-lane vector: hence the specializations.)
template <std::size_t W> struct PartOf;
template <> struct PartOf<2> { using type = double __attribute__((vector_size(2 * sizeof(double)))); };
template <> struct PartOf<4> { using type = double __attribute__((vector_size(4 * sizeof(double)))); };
template <> struct PartOf<8> { using type = double __attribute__((vector_size(8 * sizeof(double)))); };
template <std::size_t W> using Vp = typename PartOf<W>::type;
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
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(IMAXBENCH_SANITIZED)
#define IMAXBENCH_X86_COPIES 1
#endif

// Part q of v's lanes, and the lanes of parts.
template <std::size_t W>
IMAXBENCH_INLINE Vp<W> part(const Vd& v, std::size_t q) {
  Vp<W> p;
  __builtin_memcpy(&p, reinterpret_cast<const char*>(&v) + q * sizeof(Vp<W>), sizeof(Vp<W>));
  return p;
}
template <std::size_t W>
IMAXBENCH_INLINE Vd join(const Vp<W> (&parts)[kLanes / W]) {
  Vd v;
  for (std::size_t q = 0; q < kLanes / W; ++q)
    __builtin_memcpy(reinterpret_cast<char*>(&v) + q * sizeof(Vp<W>), &parts[q], sizeof(Vp<W>));
  return v;
}

IMAXBENCH_INLINE Vd splat(double x) {
  Vd v;
  for (std::size_t l = 0; l < kLanes; ++l) v[l] = x;
  return v;
}

// Per lane: a[l] != 0 && b[l] != 0 ? yes[l] : no[l] (both computed for every lane, as `?:` on
// vectors does). Written as a loop: GCC lowers `?:` on a vector wider than the machine's registers
// (32 doubles) to one scalar operation per lane, and vectorizes this loop instead.
IMAXBENCH_INLINE Vd select_nonzero(const Vd& a, const Vd& b, const Vd& yes, const Vd& no) {
  Vd r;
  for (std::size_t l = 0; l < kLanes; ++l) r[l] = ((a[l] != 0) & (b[l] != 0)) ? yes[l] : no[l];
  return r;
}

IMAXBENCH_INLINE Vd sqrt_lanes(Vd v) {
  for (std::size_t l = 0; l < kLanes; ++l) v[l] = std::sqrt(v[l]);
  return v;
}

// out = table[k] per lane, written lane by lane into place: a vector value built in registers and
// then stored went through the stack in pieces, and reading it back whole waited on each piece's
// store (a failed store-to-load forward).
template <class V>
IMAXBENCH_INLINE void log_of(const double* table, const V& k, LanesD& out) {
  double* lanes = reinterpret_cast<double*>(&out.v);
  for (std::size_t l = 0; l < kLanes; ++l) lanes[l] = table[k[l]];
}

// The scratch tables are read at random (a posting's member, a cold slot's row, a hot slot's row):
// on huge pages, where the kernel offers them, so those reads seldom miss the TLB.
struct Scratch {
  HugeVector<LanesOf<std::uint16_t>> times16, df16;  // per member / per cold row
  HugeVector<LanesOf<std::uint32_t>> times32, df32;
  HugeVector<LanesOf<std::uint16_t>> hot_sum16;  // per hot row: df (doc_freq)
  HugeVector<LanesOf<std::uint32_t>> hot_sum32;
  HugeVector<LanesD> hot_log;  // per hot row: log(max(1, df))
  // Per slot of the sample being scored: where its log(max(1, df)) lanes are. Hot slots point
  // into hot_log, read in place (copied out, each sample's 270-odd hot rows, 256 bytes each, were
  // stored and loaded again); the others into the few lanes below.
  std::vector<const LanesD*> slot_log;
  std::vector<LanesD> cold_log;  // per cold slot of the sample
  // The lanes all slots of a kind share: own slots' (the log of the sample's own draw count) and
  // absent slots' (df 0: log(max(1, 0)) = 0). On the heap: LanesD's alignment (256 bytes under
  // clang) is more than the thread-local storage that holds a Scratch guarantees.
  static constexpr std::size_t kOwnLog = 0, kZeroLog = 1;
  std::vector<LanesD> shared_log = std::vector<LanesD>(2, LanesD{});
  std::vector<double> log_table{0.0, 0.0};  // log_table[k] = log(k) (k >= 2), 0 for 0 and 1
  template <class Count> HugeVector<LanesOf<Count>>& times() {
    if constexpr (sizeof(Count) == 2) return times16; else return times32;
  }
  template <class Count> HugeVector<LanesOf<Count>>& df() {
    if constexpr (sizeof(Count) == 2) return df16; else return df32;
  }
  template <class Sum> HugeVector<LanesOf<Sum>>& hot_sum() {
    if constexpr (sizeof(Sum) == 2) return hot_sum16; else return hot_sum32;
  }
};

static_assert(alignof(Scratch) <= alignof(std::max_align_t), "a Scratch lives in TBB's thread-local storage");

// Document frequencies per lane: sums of draw counts, in Sum (at least Count's width: a hot row's
// sum may pass 2^16 where a member's count and a cold row's sum cannot); as logs for the hot rows,
// as counts (a quarter or eighth of the size) for the others, read at random later.
template <class Count, class Sum>
IMAXBENCH_INLINE void doc_freq(const CiderCorpus& c, Scratch& s) {
  using SumV = decltype(LanesOf<Sum>::v);
  using CountV = decltype(LanesOf<Count>::v);
  const auto& times = s.times<Count>();
  // Hot rows: each member's draw counts added into the rows of its references' hot slots, which
  // open its list of hot slots (a sample's slots of its references come first). The lists are
  // read in order and the rows' sums (half a megabyte or one) stay in cache; gathered along
  // posting lists instead, every add read a member's counts at random, and the lists took 4
  // bytes a posting (88 MB at 100,000 reports).
  auto& hot_sum = s.hot_sum<Sum>();
  hot_sum.assign(c.num_hot_rows(), LanesOf<Sum>{});
  for (std::size_t m = 0; m < c.num_members(); ++m) {
    SumV t;
    if constexpr (sizeof(Sum) == sizeof(Count)) t = times[m].v;
    else t = __builtin_convertvector(times[m].v, SumV);
    const std::uint32_t doc_size = c.members[m].sample->doc_size;
    for (std::uint32_t j = c.members[m].hot_begin; j < c.members[m + 1].hot_begin; ++j) {
      if (CiderCorpus::hot_slot(c.hot[j]) >= doc_size) break;
      hot_sum[CiderCorpus::hot_row(c.hot[j])].v += t;
    }
  }
  s.hot_log.resize(c.num_hot_rows());
  for (std::size_t row = 0; row < c.num_hot_rows(); ++row) log_of(s.log_table.data(), hot_sum[row].v, s.hot_log[row]);
  // Cold rows: along their posting lists, which are short. Summed in Count's width: a cold row's
  // sum fits it even where hot rows' need Sum's (see score_lanes).
  auto& df = s.df<Count>();
  df.resize(c.num_rows());
  for (std::size_t row = c.num_hot_rows(); row < c.num_rows(); ++row) {
    CountV sum{};
    for (std::uint32_t p = c.row_begin[row]; p < c.row_begin[row + 1]; ++p) sum += times[c.row_members[p]].v;
    df[row].v = sum;
  }
}

// Part q of a slot's idf, ref_len - log(max(1, df)), from its logs: the one expression for it, as
// score_subset() computes it, in the norms and the products alike.
template <std::size_t W>
IMAXBENCH_INLINE Vp<W> idf_part(const Vp<W> (&len)[kLanes / W], const Vd& log, std::size_t q) {
  return len[q] - part<W>(log, q);
}

// acc += gram g's squared tf-idf weight, (count x (ref_len - log(max(1, df))))^2, per lane: the
// operations of sample_cider() in coco_cider.cc. Not a lambda: every function that takes or
// returns a vector must be inlined into the kernel's copy that calls it, since each copy passes
// vectors in other registers; a lambda is not always_inline and clang at -O1 (the sanitizer
// build) called one out of line, reading garbage through a mismatched return (SEGV under ASan).
template <std::size_t W>
IMAXBENCH_INLINE void add_term(const CocoSample& e, const Vp<W> (&len)[kLanes / W], const LanesD* const* slot_log,
                               std::uint32_t g, Vp<W> (&acc)[kLanes / W]) {
  const int count = e.count(g);
  const Vd& log = slot_log[e.grams()[g].slot]->v;
  if (count == 1) {  // 9 grams in 10: 1 x idf is idf exactly, and multiplies are what bound this loop
    for (std::size_t q = 0; q < kLanes / W; ++q) {
      const Vp<W> w = idf_part<W>(len, log, q);
      acc[q] += w * w;
    }
    return;
  }
  for (std::size_t q = 0; q < kLanes / W; ++q) {
    const Vp<W> w = static_cast<double>(count) * idf_part<W>(len, log, q);
    acc[q] += w * w;
  }
}

// Each order's sum of squared tf-idf weights over one caption's grams: its squared vector norms.
// The four orders' sums are independent, so they advance side by side (each still adds its own
// terms in gram order); one after the other, every add would wait for the one before.
template <std::size_t W>
IMAXBENCH_INLINE void norms(const CocoSample& e, const Vp<W> (&len)[kLanes / W], const LanesD* const* slot_log,
                            const std::array<std::uint32_t, 5>& order, Vd (&out)[kCocoOrders]) {
  std::uint32_t common = order[1] - order[0];
  for (int k = 1; k < kCocoOrders; ++k) common = std::min(common, order[k + 1] - order[k]);
  constexpr std::size_t kParts = kLanes / W;
  // Four named sums, not an array indexed by order, which GCC kept in memory.
  Vp<W> acc0[kParts] = {}, acc1[kParts] = {}, acc2[kParts] = {}, acc3[kParts] = {};
  for (std::uint32_t j = 0; j < common; ++j) {
    add_term<W>(e, len, slot_log, order[0] + j, acc0);
    add_term<W>(e, len, slot_log, order[1] + j, acc1);
    add_term<W>(e, len, slot_log, order[2] + j, acc2);
    add_term<W>(e, len, slot_log, order[3] + j, acc3);
  }
  Vp<W>(*acc[kCocoOrders])[kParts] = {&acc0, &acc1, &acc2, &acc3};
  for (int k = 0; k < kCocoOrders; ++k) {
    Vp<W> a[kParts];
    for (std::size_t q = 0; q < kParts; ++q) a[q] = (*acc[k])[q];
    for (std::uint32_t g = order[k] + common; g < order[k + 1]; ++g) add_term<W>(e, len, slot_log, g, a);
    out[k] = sqrt_lanes(join<W>(a));
  }
}

// Member m's CIDEr-D per lane: sample_cider() in coco_cider.cc, lane by lane.
template <class Count, std::size_t W>
IMAXBENCH_INLINE Vd sample_cider(const CiderCorpus& c, std::size_t m, const Vp<W> (&len)[kLanes / W],
                                 const decltype(LanesOf<Count>::v)& times, Scratch& s) {
  const CiderCorpus::Member& member = c.members[m];
  const CiderCorpus::Member& next = c.members[m + 1];
  const CocoSample& e = *member.sample;
  // log(max(1, df)) per slot, from the kinds of slot (cider_corpus.h).
  const LanesD** slot_log = s.slot_log.data();
  for (std::uint32_t j = member.hot_begin; j < next.hot_begin; ++j)
    slot_log[CiderCorpus::hot_slot(c.hot[j])] = &s.hot_log[CiderCorpus::hot_row(c.hot[j])];
  // The next member's hot rows, asked for now: they are 2 MB, more than this core's cache, and
  // the next sample reads them as soon as it starts (5% off a default score of 20,000 reports).
  if (m + 2 < c.members.size())
    for (std::uint32_t j = next.hot_begin; j < c.members[m + 2].hot_begin; ++j) {
      const char* row = reinterpret_cast<const char*>(&s.hot_log[CiderCorpus::hot_row(c.hot[j])]);
      for (std::size_t line = 0; line < sizeof(LanesD); line += 64) __builtin_prefetch(row + line, 0, 2);
    }
  // Cold rows are read at random from a table larger than the cache: ask for them ahead, into
  // the next sample's (the list runs on).
  const auto& df = s.df<Count>();
  const std::uint32_t cold_end = next.cold_begin;
  const std::uint32_t prefetch_end = static_cast<std::uint32_t>(c.cold.size());
  for (std::uint32_t j = member.cold_begin; j < cold_end; ++j) {
    if (j + kPrefetch < prefetch_end) __builtin_prefetch(&df[c.cold[j + kPrefetch].row]);
    LanesD& log = s.cold_log[j - member.cold_begin];
    log_of(s.log_table.data(), df[c.cold[j].row].v, log);
    slot_log[c.cold[j].slot] = &log;
  }
  LanesD& own_log = s.shared_log[Scratch::kOwnLog];
  log_of(s.log_table.data(), times, own_log);
  for (std::uint32_t j = member.own_begin; j < next.own_begin; ++j) slot_log[c.own[j]] = &own_log;
  const LanesD* zero_log = &s.shared_log[Scratch::kZeroLog];
  for (std::uint32_t j = member.absent_begin; j < next.absent_begin; ++j) slot_log[c.absent[j]] = zero_log;

  const CocoSample::Gram* grams = e.grams().data();
  constexpr std::size_t kParts = kLanes / W;
  const CiderCorpus::Caption* caption = c.captions.data() + member.caption_begin;
  Vd hyp_norm[kCocoOrders], ref_norm[kCocoOrders];
  norms<W>(e, len, slot_log, caption[0].order, hyp_norm);
  Vd score[kCocoOrders] = {};
  for (std::size_t r = 0; r < e.num_refs(); ++r) {
    const CiderCorpus::Caption& ref = caption[1 + r];
    const Vd penalty = splat(ref.penalty);
    norms<W>(e, len, slot_log, ref.order, ref_norm);
    for (int k = 0; k < kCocoOrders; ++k) {
      // Only grams the hypothesis shares add to the product: min(0, w) * w is +0 elsewhere.
      Vp<W> sum[kParts] = {};
      for (std::uint32_t j = ref.match[k]; j < ref.match[k + 1]; ++j) {
        const std::uint32_t gram = c.matches[j].gram();
        const Vd& log = slot_log[grams[gram].slot]->v;
        const double hyp_count = static_cast<double>(c.hyp_count(j));
        const double ref_count = static_cast<double>(e.count(gram));
        for (std::size_t q = 0; q < kParts; ++q) {
          const Vp<W> w_idf = idf_part<W>(len, log, q);
          const Vp<W> hyp_w = hyp_count * w_idf;
          const Vp<W> w_ref = ref_count * w_idf;
          sum[q] += (w_ref < hyp_w ? w_ref : hyp_w) * w_ref;  // std::min(hyp_w, w_ref); MINPD
        }
      }
      Vd val = join<W>(sum);
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
template <class Count, class Sum, std::size_t W>
IMAXBENCH_INLINE void corpus_total(const CiderCorpus& c, const Vd& ref_len, Scratch& s, Vd& out) {
  doc_freq<Count, Sum>(c, s);
  Vp<W> len[kLanes / W];  // ref_len in parts
  for (std::size_t q = 0; q < kLanes / W; ++q) len[q] = part<W>(ref_len, q);
  const auto& times = s.times<Count>();
  Vd total{};
  for (std::size_t m = 0; m < c.num_members(); ++m) {
    const auto t = times[m].v;
    bool drawn = false;
    for (std::size_t l = 0; l < kLanes; ++l) drawn = drawn || t[l] != 0;
    if (!drawn) continue;
    const Vd value = sample_cider<Count, W>(c, m, len, t, s);
    const Vd weight = __builtin_convertvector(t, Vd);
    total = select_nonzero(weight, weight, total + weight * value, total);  // drawn samples only
  }
  out = total;
}
// One copy of the kernel per instruction set, each with parts as wide as its registers (GCC's
// target_clones compiles one body for all: AVX-512's parts made the AVX2 copy's twice as slow as
// before them). The copies take and give vectors through memory: each would pass them in other
// registers.
template <class Count, class Sum>
void corpus_total_baseline(const CiderCorpus& c, const Vd& ref_len, Scratch& s, Vd& out) {
  corpus_total<Count, Sum, 2>(c, ref_len, s, out);
}
#ifdef IMAXBENCH_X86_COPIES
template <class Count, class Sum>
__attribute__((target("avx2"))) void corpus_total_avx2(const CiderCorpus& c, const Vd& ref_len, Scratch& s, Vd& out) {
  corpus_total<Count, Sum, 4>(c, ref_len, s, out);
}
template <class Count, class Sum>
__attribute__((target("avx512f"))) void corpus_total_avx512(const CiderCorpus& c, const Vd& ref_len, Scratch& s,
                                                            Vd& out) {
  corpus_total<Count, Sum, 8>(c, ref_len, s, out);
}
bool cpu_has_avx2() { return __builtin_cpu_supports("avx2"); }
bool cpu_has_avx512() { return __builtin_cpu_supports("avx512f"); }
#endif
std::atomic<CiderKernelCopy> copy_in_use{CiderKernelCopy::kWidest};  // use_cider_kernel_copy()

// The widest copy this CPU has, or the one a test asked for.
template <class Count, class Sum>
void corpus_total_for_cpu(const CiderCorpus& c, const Vd& ref_len, Scratch& s, Vd& out) {
#ifdef IMAXBENCH_X86_COPIES
  static const bool avx512 = cpu_has_avx512(), avx2 = cpu_has_avx2();
  const CiderKernelCopy copy = copy_in_use.load(std::memory_order_relaxed);
  if (copy == CiderKernelCopy::kWidest && avx512) return corpus_total_avx512<Count, Sum>(c, ref_len, s, out);
  if (copy != CiderKernelCopy::kBaseline && avx2) return corpus_total_avx2<Count, Sum>(c, ref_len, s, out);
#endif
  corpus_total_baseline<Count, Sum>(c, ref_len, s, out);
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
  s.slot_log.resize(c_.max_slots);
  s.cold_log.resize(c_.max_slots);
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
  }
  for (std::uint64_t v : n) most = std::max(most, v);
  for (std::size_t k = s.log_table.size(); k <= most; ++k) s.log_table.push_back(std::log(static_cast<double>(k)));
  Vd ref_len{};  // log(number of samples)
  for (std::size_t l = 0; l < kLanes; ++l) ref_len[l] = n[l] > 0 ? std::log(static_cast<double>(n[l])) : 0.0;
  Vd total;
  if (narrow) corpus_total_for_cpu<std::uint16_t, std::uint16_t>(c_, ref_len, s, total);
  else if (narrow_counts) corpus_total_for_cpu<std::uint16_t, std::uint32_t>(c_, ref_len, s, total);
  else corpus_total_for_cpu<std::uint32_t, std::uint32_t>(c_, ref_len, s, total);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t l = 0; l < resamples.size(); ++l)
    out[l] = eligible[l] && n[l] > 0 ? total[l] / static_cast<double>(n[l]) : nan;
}

}  // namespace

bool use_cider_kernel_copy(CiderKernelCopy copy) {
#ifdef IMAXBENCH_X86_COPIES
  if (copy == CiderKernelCopy::kAvx2 && !cpu_has_avx2()) return false;
#else
  if (copy == CiderKernelCopy::kAvx2) return false;
#endif
  copy_in_use.store(copy, std::memory_order_relaxed);
  return true;
}

std::unique_ptr<ResampleScorer> make_cider_resample_scorer(const MetricRows& stats) {
  CiderCorpus corpus;
  if (stats.extras.empty() || !build_cider_corpus(stats, corpus)) return nullptr;
  return std::make_unique<CiderResampleScorer>(stats, std::move(corpus));
}

}  // namespace imaxbench
