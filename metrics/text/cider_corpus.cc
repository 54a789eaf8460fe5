#include "metrics/text/cider_corpus.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "metrics/text/ngram_ids.h"

namespace imaxbench {

namespace {

constexpr double kSigma = 6.0;
constexpr double kE = 2.718281828459045;  // np.e

// Order boundaries of grams [begin, end): false unless sorted by order.
bool order_bounds(std::span<const CocoSample::Gram> grams, std::uint32_t begin, std::uint32_t end,
                  std::array<std::uint32_t, 5>& out) {
  std::uint32_t g = begin;
  for (std::uint32_t k = 0; k < kCocoOrders; ++k) {
    out[k] = g;
    while (g < end && grams[g].n == k + 1) ++g;
  }
  out[kCocoOrders] = g;
  return g == end;
}

// The captions of member m: hypothesis, then each reference with its shared grams and penalty.
bool add_captions(const CocoSample& e, CiderCorpus& c, std::vector<int>& hyp_count) {
  const auto grams = e.grams();
  if (grams.size() > CiderCorpus::kMaxGrams) return false;
  const auto hyp_begin = static_cast<std::uint32_t>(e.hyp_grams().data() - grams.data());
  CiderCorpus::Caption hyp;
  if (!order_bounds(grams, hyp_begin, static_cast<std::uint32_t>(grams.size()), hyp.order)) return false;
  c.captions.push_back(hyp);
  hyp_count.assign(e.slot_ids().size(), 0);
  for (const CocoSample::Gram& h : e.hyp_grams()) hyp_count[h.slot] = e.count(h);
  std::uint32_t begin = 0;
  for (std::size_t r = 0; r < e.num_refs(); ++r) {
    CiderCorpus::Caption ref;
    const std::uint32_t end = e.refs()[r].end;
    if (!order_bounds(grams, begin, end, ref.order)) return false;
    for (std::uint32_t k = 0; k < kCocoOrders; ++k) {
      ref.match[k] = static_cast<std::uint32_t>(c.matches.size());
      for (std::uint32_t g = ref.order[k]; g < ref.order[k + 1]; ++g)
        if (const int count = hyp_count[grams[g].slot]; count > 0) {
          const auto small = std::min(static_cast<std::uint32_t>(count), CiderCorpus::Match::kBigHypCount);
          if (small == CiderCorpus::Match::kBigHypCount)
            c.big_hyp_counts.push_back({static_cast<std::uint32_t>(c.matches.size()), count});
          c.matches.push_back({g << CiderCorpus::Match::kCountBits | small});
        }
    }
    ref.match[kCocoOrders] = static_cast<std::uint32_t>(c.matches.size());
    // The expression of sample_cider() in coco_cider.cc, so the bits are the same.
    const double delta = static_cast<double>(e.hyp_length - e.refs()[r].length);
    ref.penalty = std::pow(kE, -std::pow(delta, 2) / (2 * std::pow(kSigma, 2)));
    c.captions.push_back(ref);
    begin = end;
  }
  return true;
}

}  // namespace

bool build_cider_corpus(const MetricRows& stats, CiderCorpus& c) {
  c = CiderCorpus{};
  c.member_of.assign(stats.extras.size(), CiderCorpus::kNone);
  for (std::uint32_t i = 0; i < stats.extras.size(); ++i)
    if (const auto* e = dynamic_cast<const CocoSample*>(stats.extras[i].get())) {
      c.member_of[i] = static_cast<std::uint32_t>(c.members.size());
      c.members.push_back({e, 0, 0, 0, 0, 0});
    }

  // Every reference n-gram, numbered in order of first appearance: how many samples' references
  // hold it (postings) and how many samples refer to it at all (users).
  HugeVector<std::uint32_t> gram_of(NgramIds::global().id_bound(), CiderCorpus::kNone);
  HugeVector<std::uint32_t> postings, users;
  for (const CiderCorpus::Member& m : c.members)
    for (std::uint32_t id : m.sample->slot_ids().first(m.sample->doc_size)) {
      if (gram_of[id] == CiderCorpus::kNone) {
        gram_of[id] = static_cast<std::uint32_t>(postings.size());
        postings.push_back(0);
        users.push_back(0);
      }
      ++postings[gram_of[id]];  // a sample's slots are distinct n-grams: one posting per sample
    }
  for (const CiderCorpus::Member& m : c.members)
    for (std::uint32_t id : m.sample->slot_ids())
      if (gram_of[id] != CiderCorpus::kNone) ++users[gram_of[id]];

  // Rows for the n-grams several samples use, most used first (ties: first appearance).
  HugeVector<std::uint32_t> by_users;
  std::size_t own = 0;  // slots of each kind, counted from the n-grams' users
  for (std::uint32_t g = 0; g < users.size(); ++g)
    if (users[g] > 1) by_users.push_back(g);
    else ++own;
  std::stable_sort(by_users.begin(), by_users.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return users[a] > users[b]; });
  HugeVector<std::uint32_t> row_of(users.size(), CiderCorpus::kNone);
  c.row_begin.assign(by_users.size() + 1, 0);
  std::size_t hot = 0, cold = 0;
  for (std::uint32_t r = 0; r < by_users.size(); ++r) {
    row_of[by_users[r]] = r;
    c.row_begin[r + 1] = c.row_begin[r] + (r < CiderCorpus::kHotRows ? 0 : postings[by_users[r]]);
    (r < CiderCorpus::kHotRows ? hot : cold) += users[by_users[r]];
  }
  c.row_members.resize(c.row_begin.back());
  HugeVector<std::uint32_t> cursor(c.row_begin.begin(), c.row_begin.end() - 1);

  // Each list's exact size, so that the memory check sees what the layout takes and no list
  // doubles (a doubling holds the old and the new block together). Matches, which only the
  // captions' walk below finds, grow: they are about a tenth of the layout.
  std::size_t slots = 0, captions = 0;
  for (const CiderCorpus::Member& m : c.members) {
    slots += m.sample->slot_ids().size();
    captions += 1 + m.sample->num_refs();
  }
  c.hot.reserve(hot);
  c.cold.reserve(cold);
  c.own.reserve(own);
  c.absent.reserve(slots - hot - cold - own);
  c.captions.reserve(captions);
  std::vector<int> hyp_count;  // per slot of one sample
  for (std::uint32_t m = 0; m < c.members.size(); ++m) {
    CiderCorpus::Member& member = c.members[m];
    const CocoSample& e = *member.sample;
    const auto ids = e.slot_ids();
    if (ids.size() > CiderCorpus::kMaxSlots) return false;
    c.max_slots = std::max(c.max_slots, ids.size());
    member.hot_begin = static_cast<std::uint32_t>(c.hot.size());
    member.cold_begin = static_cast<std::uint32_t>(c.cold.size());
    member.own_begin = static_cast<std::uint32_t>(c.own.size());
    member.absent_begin = static_cast<std::uint32_t>(c.absent.size());
    for (std::uint32_t k = 0; k < ids.size(); ++k) {
      const std::uint32_t g = gram_of[ids[k]];
      if (g == CiderCorpus::kNone) {
        c.absent.push_back(k);
      } else if (row_of[g] == CiderCorpus::kNone) {
        c.own.push_back(k);  // used by this sample alone, which must then hold it
      } else {
        if (row_of[g] < CiderCorpus::kHotRows) c.hot.push_back(CiderCorpus::hot_entry(k, row_of[g]));
        else c.cold.push_back({k, row_of[g]});
        if (k < e.doc_size && row_of[g] >= CiderCorpus::kHotRows) c.row_members[cursor[row_of[g]]++] = m;
      }
    }
    member.caption_begin = static_cast<std::uint32_t>(c.captions.size());
    if (!add_captions(e, c, hyp_count)) return false;
  }
  c.members.push_back({nullptr, static_cast<std::uint32_t>(c.hot.size()), static_cast<std::uint32_t>(c.cold.size()),
                       static_cast<std::uint32_t>(c.own.size()),
                       static_cast<std::uint32_t>(c.absent.size()),
                       static_cast<std::uint32_t>(c.captions.size())});
  return true;
}

}  // namespace imaxbench
