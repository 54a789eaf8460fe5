// Prompt templates (a suite's prompt_template, a package's prompts, a task's default) and the
// rules every template follows:
//   {name}     a placeholder: `name` is letters, digits and '_' (not starting with a digit) and
//              must be one of the task's (Task::prompt_placeholders); filled from the sample
//   {{name}}   the literal text {name}
//   any other brace is literal text: {<10><20><30><40>}, {"bbox_2d": [1, 2, 3, 4]}, { } and {1}
//              are sent as written, so box examples and JSON need no escaping
// A suite or package template naming a placeholder its task does not have ({qestion}) is an error
// when it is loaded; a record's own prompt is not checked and an unknown name in it stays as
// written. Cost: O(n) in the template's length.
#pragma once

#include <string>
#include <string_view>

#include "tasks/task.h"

namespace imaxbench {

// "" when every placeholder of `tmpl` is one of `task`'s; otherwise the problem, e.g.
// "unknown placeholder '{qestion}' for task vqa; valid: {question}".
std::string prompt_template_problem(const Task& task, std::string_view tmpl);

// "{question}" or "{classes}, {labels}"; "none" for a task without placeholders.
std::string placeholder_list(const Task& task);

}  // namespace imaxbench
