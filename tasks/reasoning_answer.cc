#include "tasks/reasoning_answer.h"

namespace imaxbench {

namespace {
constexpr std::string_view kOpen = "<think>", kClose = "</think>";
}

ReasonedAnswer answer_after_reasoning(std::string_view raw) {
  const std::size_t start = raw.find_first_not_of(" \t\r\n");
  const bool opened = start != std::string_view::npos && raw.substr(start).starts_with(kOpen);
  const std::size_t close = raw.find(kClose);
  if (close == std::string_view::npos) return opened ? ReasonedAnswer{{}, true} : ReasonedAnswer{raw, false};
  // A closing tag ends a block the answer opens, or one the chat template opened (then the text
  // before it holds no opening tag); elsewhere it is part of the answer.
  if (opened || raw.substr(0, close).find(kOpen) == std::string_view::npos)
    return {raw.substr(close + kClose.size()), false};
  return {raw, false};
}

Prediction read_answer(const Task& task, const Sample& sample, std::string_view raw, const TaskOptions& options) {
  const ReasonedAnswer reasoned = answer_after_reasoning(raw);
  Prediction p = task.parse_output(sample, reasoned.answer, options);
  if (reasoned.cut_off) {
    p.parsed = false;
    p.note = "only reasoning: <think> is never closed (cut off by the token limit?), so there is no answer";
  }
  return p;
}

}  // namespace imaxbench
