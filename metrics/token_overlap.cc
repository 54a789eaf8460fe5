#include "metrics/token_overlap.h"

#include <algorithm>
#include <span>
#include <vector>

namespace imaxbench {

namespace {

using Words = std::span<const std::string_view>;

// Distinct words with their counts, in sorted order: both sides' lists are walked together.
struct WordCount {
  std::string_view word;
  int n;
};

std::vector<WordCount> counts(Words sorted) {
  std::vector<WordCount> out;
  for (std::string_view w : sorted) {
    if (out.empty() || out.back().word != w) out.push_back({w, 0});
    ++out.back().n;
  }
  return out;
}

// Calls shared(pred count, ref count), pred_only(count) and ref_only(count) for each distinct word.
template <typename Shared, typename PredOnly, typename RefOnly>
void walk(const std::vector<WordCount>& cp, const std::vector<WordCount>& cr, Shared shared,
          PredOnly pred_only, RefOnly ref_only) {
  std::size_t i = 0, j = 0;
  while (i < cp.size() || j < cr.size()) {
    if (j == cr.size() || (i < cp.size() && cp[i].word < cr[j].word)) {
      pred_only(cp[i++].n);
    } else if (i == cp.size() || cr[j].word < cp[i].word) {
      ref_only(cr[j++].n);
    } else {
      shared(cp[i++].n, cr[j++].n);
    }
  }
}

double squad_f1(Words pred, Words ref) {
  if (pred.empty() || ref.empty()) return pred.empty() && ref.empty() ? 1.0 : 0.0;
  int same = 0;
  walk(counts(pred), counts(ref), [&](int p, int r) { same += std::min(p, r); }, [](int) {}, [](int) {});
  if (same == 0) return 0.0;
  const double precision = static_cast<double>(same) / static_cast<double>(pred.size());
  const double recall = static_cast<double>(same) / static_cast<double>(ref.size());
  return 2 * precision * recall / (precision + recall);
}

double unimed_f1(Words pred, Words ref) {
  if (pred.empty() || ref.empty()) return 0.0;
  int tp = 0, fp = 0, fn = 0;
  walk(counts(pred), counts(ref), [&](int p, int) { tp += p; }, [&](int p) { fp += p; },
       [&](int r) { fn += r; });
  if (tp == 0) return 0.0;
  const double precision = static_cast<double>(tp) / (tp + fp);
  const double recall = static_cast<double>(tp) / (tp + fn);
  return 2 * precision * recall / (precision + recall);
}

}  // namespace

TokenF1Flavor parse_token_f1_flavor(std::string_view name) {
  return name == "unimed" ? TokenF1Flavor::kUniMed : TokenF1Flavor::kSquad;
}

std::string_view token_f1_flavor_name(TokenF1Flavor flavor) {
  return flavor == TokenF1Flavor::kUniMed ? "unimed" : "squad";
}

double token_f1(const NormalizedAnswer& prediction, const NormalizedAnswer& reference, TokenF1Flavor flavor) {
  return flavor == TokenF1Flavor::kUniMed ? unimed_f1(prediction.sorted_words, reference.sorted_words)
                                          : squad_f1(prediction.sorted_words, reference.sorted_words);
}

double token_recall(const NormalizedAnswer& prediction, const NormalizedAnswer& reference) {
  const auto& present = prediction.sorted_words;
  if (present.empty() || reference.words.empty()) return present.empty() && reference.words.empty() ? 1.0 : 0.0;
  std::size_t hits = 0;
  for (std::string_view t : reference.words) hits += std::binary_search(present.begin(), present.end(), t);
  return static_cast<double>(hits) / static_cast<double>(reference.words.size());
}

}  // namespace imaxbench
