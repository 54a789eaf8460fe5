#include "metrics/token_overlap.h"

#include <algorithm>
#include <map>
#include <set>

namespace imaxbench {

namespace {

std::map<std::string_view, int> counts(std::span<const std::string> tokens) {
  std::map<std::string_view, int> out;
  for (const auto& t : tokens) ++out[t];
  return out;
}

double squad_f1(std::span<const std::string> pred, std::span<const std::string> ref) {
  if (pred.empty() || ref.empty()) return pred.empty() && ref.empty() ? 1.0 : 0.0;
  const auto cp = counts(pred);
  const auto cr = counts(ref);
  int same = 0;
  for (const auto& [word, n] : cp)
    if (auto it = cr.find(word); it != cr.end()) same += std::min(n, it->second);
  if (same == 0) return 0.0;
  const double precision = static_cast<double>(same) / static_cast<double>(pred.size());
  const double recall = static_cast<double>(same) / static_cast<double>(ref.size());
  return 2 * precision * recall / (precision + recall);
}

double unimed_f1(std::span<const std::string> pred, std::span<const std::string> ref) {
  if (pred.empty() || ref.empty()) return 0.0;
  const auto cp = counts(pred);
  const auto cr = counts(ref);
  int tp = 0, fp = 0, fn = 0;
  for (const auto& [word, n] : cp) (cr.count(word) ? tp : fp) += n;
  for (const auto& [word, n] : cr)
    if (!cp.count(word)) fn += n;
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

double token_f1(std::span<const std::string> prediction, std::span<const std::string> reference,
                TokenF1Flavor flavor) {
  return flavor == TokenF1Flavor::kUniMed ? unimed_f1(prediction, reference)
                                          : squad_f1(prediction, reference);
}

double token_recall(std::span<const std::string> prediction,
                    std::span<const std::string> reference) {
  if (prediction.empty() || reference.empty())
    return prediction.empty() && reference.empty() ? 1.0 : 0.0;
  const std::set<std::string_view> present(prediction.begin(), prediction.end());
  std::size_t hits = 0;
  for (const auto& t : reference) hits += present.count(t);
  return static_cast<double>(hits) / static_cast<double>(reference.size());
}

}  // namespace imaxbench
