// What kind of answer a task asks for. Metrics declare the kinds they apply to and select samples
// by kind, never by task name; a suite that names a metric for a task whose kind it does not
// apply to is refused when it is loaded (data/suite.cc).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace imaxbench {

enum class AnswerKind : std::uint8_t {
  kNone,         // not set (a Sample built by hand without a task)
  kNumber,       // calculation
  kClass,        // multiclass classification: one class of a list
  kLabelSet,     // multilabel classification: a subset of a vocabulary
  kBox,          // rec: a box in pixels
  kText,         // free text: report generation, reg
  kShortAnswer,  // the short answer to a closed or open question: vqa
};

// A set of kinds, for Metric::applies_to().
class AnswerKinds {
 public:
  constexpr AnswerKinds(std::initializer_list<AnswerKind> kinds) {
    for (AnswerKind k : kinds) bits_ |= bit(k);
  }
  constexpr bool contains(AnswerKind k) const { return k != AnswerKind::kNone && (bits_ & bit(k)); }

 private:
  static constexpr std::uint32_t bit(AnswerKind k) { return 1u << static_cast<unsigned>(k); }
  std::uint32_t bits_ = 0;
};

// For messages and `imaxbench list`.
constexpr std::string_view answer_kind_name(AnswerKind k) {
  switch (k) {
    case AnswerKind::kNumber: return "number";
    case AnswerKind::kClass: return "class";
    case AnswerKind::kLabelSet: return "label set";
    case AnswerKind::kBox: return "box";
    case AnswerKind::kText: return "text";
    case AnswerKind::kShortAnswer: return "short answer";
    case AnswerKind::kNone: break;
  }
  return "none";
}

// Every kind with text answers (the text metrics apply to all of them).
inline constexpr AnswerKinds kTextKinds{AnswerKind::kText, AnswerKind::kShortAnswer};

}  // namespace imaxbench
