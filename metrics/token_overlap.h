// Token overlap between a predicted and a reference answer, both normalized and split into words
// (text_normalize.h).
#pragma once

#include <string_view>

#include "metrics/text_normalize.h"

namespace imaxbench {

enum class TokenF1Flavor {
  // SQuAD v1.1 evaluate.py: overlap = sum of min(count in prediction, count in reference);
  // P = overlap/|pred|, R = overlap/|ref|; when either side is empty, 1 if both are, else 0.
  kSquad,
  // Uni-Med / LLaVA-Med calculate_f1score: over distinct words, TP adds the prediction's count of
  // each shared word, FP its count of prediction-only words, FN the reference's count of
  // reference-only words; 0 when either side is empty or TP is 0.
  kUniMed,
};

TokenF1Flavor parse_token_f1_flavor(std::string_view name);  // "squad" | "unimed"
std::string_view token_f1_flavor_name(TokenF1Flavor flavor);

double token_f1(const NormalizedAnswer& prediction, const NormalizedAnswer& reference, TokenF1Flavor flavor);

// Fraction of reference tokens (with repeats) that occur in the prediction; when either side is
// empty, 1 if both are, else 0 (the SQuAD rule for empty answers).
double token_recall(const NormalizedAnswer& prediction, const NormalizedAnswer& reference);

}  // namespace imaxbench
