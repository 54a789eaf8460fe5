#include "metrics/token_overlap.h"

#include <algorithm>
#include <span>
#include <vector>

namespace imaxbench {

namespace {

using Counted = std::span<const CountedWord>;

// Calls shared(pred count, ref count), pred_only(count) and ref_only(count) for each distinct word.
template <typename Shared, typename PredOnly, typename RefOnly>
void walk(Counted cp, Counted cr, Shared shared, PredOnly pred_only, RefOnly ref_only) {
  std::size_t i = 0, j = 0;
  while (i < cp.size() || j < cr.size()) {
    if (j == cr.size() || (i < cp.size() && cp[i] < cr[j])) {
      pred_only(cp[i++].n);
    } else if (i == cp.size() || cr[j] < cp[i]) {
      ref_only(cr[j++].n);
    } else {
      shared(cp[i++].n, cr[j++].n);
    }
  }
}

double squad_f1(const NormalizedAnswer& pred, const NormalizedAnswer& ref) {
  if (pred.words.empty() || ref.words.empty()) return pred.words.empty() && ref.words.empty() ? 1.0 : 0.0;
  int same = 0;
  walk(pred.counted, ref.counted, [&](int p, int r) { same += std::min(p, r); }, [](int) {}, [](int) {});
  if (same == 0) return 0.0;
  const double precision = static_cast<double>(same) / static_cast<double>(pred.words.size());
  const double recall = static_cast<double>(same) / static_cast<double>(ref.words.size());
  return 2 * precision * recall / (precision + recall);
}

double unimed_f1(const NormalizedAnswer& pred, const NormalizedAnswer& ref) {
  if (pred.words.empty() || ref.words.empty()) return 0.0;
  int tp = 0, fp = 0, fn = 0;
  walk(pred.counted, ref.counted, [&](int p, int) { tp += p; }, [&](int p) { fp += p; },
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
  return flavor == TokenF1Flavor::kUniMed ? unimed_f1(prediction, reference)
                                          : squad_f1(prediction, reference);
}

double token_recall(const NormalizedAnswer& prediction, const NormalizedAnswer& reference) {
  const auto& present = prediction.counted;
  if (present.empty() || reference.words.empty()) return present.empty() && reference.words.empty() ? 1.0 : 0.0;
  std::size_t hits = 0;
  for (const CountedWord& t : reference.counted)
    if (std::binary_search(present.begin(), present.end(), t)) hits += static_cast<std::size_t>(t.n);
  return static_cast<double>(hits) / static_cast<double>(reference.words.size());
}

}  // namespace imaxbench
