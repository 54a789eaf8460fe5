#include "metrics/class_counts.h"

namespace imaxbench {

ClassKind class_kind(const Sample& s) {
  if (!s.ref_labels.empty()) return ClassKind::kMultilabel;
  if (s.ref_class >= 0) return ClassKind::kMulticlass;
  return ClassKind::kNone;
}

int predicted_class(const Sample& s, const Prediction& p) {
  if (!p.present || !p.parsed) return -1;
  if (p.class_index < 0 || static_cast<std::size_t>(p.class_index) >= s.classes.size()) return -1;
  return p.class_index;
}

std::vector<std::uint8_t> predicted_labels(const Sample& s, const Prediction& p, bool* usable) {
  const bool ok = p.present && p.parsed && p.labels.size() == s.ref_labels.size();
  if (usable) *usable = ok;
  if (!ok) return std::vector<std::uint8_t>(s.ref_labels.size(), 0);
  return p.labels;
}

bool ClassVocabulary::check(const std::vector<std::string>& classes) const {
  std::call_once(once_, [&] {
    first_ = classes;
    recorded_.store(true, std::memory_order_release);
  });
  return classes == first_;
}

std::vector<std::string> ClassVocabulary::names(std::size_t k) const {
  if (recorded_.load(std::memory_order_acquire) && first_.size() == k) return first_;
  std::vector<std::string> out;
  for (std::size_t c = 0; c < k; ++c) {
    std::string name(1, '#');  // not "#" + to_string: GCC 12 warns falsely (-Wrestrict) on that
    name += std::to_string(c);
    out.push_back(std::move(name));
  }
  return out;
}

void class_count_row(const Sample& s, const Prediction& p, const ClassVocabulary& vocabulary,
                     std::span<double> row) {
  namespace r = class_row;
  const ClassKind kind = class_kind(s);
  if (kind == ClassKind::kNone) return;
  const std::size_t k = s.classes.size();
  row[r::kSamples] = 1;
  row[r::kClasses] = static_cast<double>(k);
  row[r::kClassesSq] = static_cast<double>(k * k);
  if (k > kMaxClasses) {
    row[r::kOverCap] = 1;
    return;
  }
  if (!vocabulary.check(s.classes)) row[r::kVocabMismatch] = 1;
  auto count = [&](std::size_t c, std::size_t which) { row[r::kCounts + 3 * c + which] += 1; };
  constexpr std::size_t kTp = 0, kFp = 1, kFn = 2;

  if (kind == ClassKind::kMulticlass) {
    if (static_cast<std::size_t>(s.ref_class) >= k) {
      row[r::kMalformed] = 1;
      return;
    }
    const int truth = s.ref_class;
    const int guess = predicted_class(s, p);
    // A prediction naming no class is a false negative for the true class and no class's false
    // positive (sklearn: a y_pred value outside `labels`).
    if (guess == truth) {
      count(truth, kTp);
      row[r::kSampleF1] = 1;  // one-hot rows: per-sample F1 is 1 exactly when correct
    } else {
      count(truth, kFn);
      if (guess >= 0) count(guess, kFp);
    }
    return;
  }

  row[r::kMultilabel] = 1;
  if (s.ref_labels.size() != k) {
    row[r::kMalformed] = 1;
    return;
  }
  const auto guess = predicted_labels(s, p);
  double tp = 0, fp = 0, fn = 0;
  for (std::size_t c = 0; c < k; ++c) {
    const bool t = s.ref_labels[c] != 0, g = guess[c] != 0;
    if (t && g) count(c, kTp), ++tp;
    else if (g) count(c, kFp), ++fp;
    else if (t) count(c, kFn), ++fn;
  }
  // sklearn's per-sample F1 with zero_division=0: a row with no true and no predicted label is 0.
  const double denominator = 2 * tp + fp + fn;
  row[r::kSampleF1] = denominator > 0 ? 2 * tp / denominator : 0.0;
}

}  // namespace imaxbench
