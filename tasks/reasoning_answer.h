// The answer a reasoning model gives after its reasoning. Such models (Qwen3 and the VLMs built on
// it, DeepSeek-R1 and its distillations) write their reasoning between <think> and </think>, then
// the answer; R1's chat template opens the block itself, so its output may hold the closing tag
// alone. A task's parser reads what follows the block: the reasoning is full of words and numbers
// that are not the answer ("is it grade 1 or 2? ..."). A block never closed is reasoning cut off by
// the token limit, with no answer in it: unparsed, not read for one. Likewise a chain of thought
// that ends in "Final answer: X" (or "final answer is X", "**Final Answer:** X") is read from X:
// the steps before it hold other boxes, classes and numbers.
#pragma once

#include <string_view>

#include "core/sample.h"
#include "tasks/task.h"

namespace imaxbench {

struct ReasonedAnswer {
  std::string_view answer;  // what a task's parser reads: all of `raw` when it has no block
  bool cut_off = false;     // "<think>" opens it and no "</think>" closes it
};

ReasonedAnswer answer_after_reasoning(std::string_view raw);

// task.parse_output of the answer after any reasoning block; a cut-off block is unparsed, and the
// note says why. What every caller that scores a model's raw text uses.
Prediction read_answer(const Task& task, const Sample& sample, std::string_view raw, const TaskOptions& options);

}  // namespace imaxbench
