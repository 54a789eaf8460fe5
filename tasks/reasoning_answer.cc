#include "tasks/reasoning_answer.h"

#include <algorithm>

#include "tasks/task_common.h"

namespace imaxbench {

namespace {

constexpr std::string_view kOpen = "<think>", kClose = "</think>";

// After the last "final answer" that a ':', '=' or "is" follows (Markdown marks between), when
// something follows that; else `text` as it is.
std::string_view after_final_answer(std::string_view text) {
  constexpr std::string_view kMarker = "final answer";
  const std::size_t found = ascii_lower(text).rfind(kMarker);  // ASCII folding keeps every byte's offset
  if (found == std::string_view::npos) return text;
  std::string_view rest = text.substr(found + kMarker.size());
  rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of("*_ \t")));
  if (rest.starts_with(":") || rest.starts_with("=")) rest.remove_prefix(1);
  else if (rest.size() >= 3 && (rest[0] == 'i' || rest[0] == 'I') && rest[1] == 's' && (rest[2] == ' ' || rest[2] == ':'))
    rest.remove_prefix(2);
  else return text;
  rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of("*_ \t\r\n:")));
  return rest.empty() ? text : rest;
}

}  // namespace

ReasonedAnswer answer_after_reasoning(std::string_view raw) {
  const std::size_t start = raw.find_first_not_of(" \t\r\n");
  const bool opened = start != std::string_view::npos && raw.substr(start).starts_with(kOpen);
  const std::size_t close = raw.find(kClose);
  if (close == std::string_view::npos)
    return opened ? ReasonedAnswer{{}, true} : ReasonedAnswer{after_final_answer(raw), false};
  // A closing tag ends a block the answer opens, or one the chat template opened (then the text
  // before it holds no opening tag); elsewhere it is part of the answer.
  if (opened || raw.substr(0, close).find(kOpen) == std::string_view::npos)
    return {after_final_answer(raw.substr(close + kClose.size())), false};
  return {after_final_answer(raw), false};
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
