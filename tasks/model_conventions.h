// What a model declares about how to talk to it (a torchscript package's `answer.box_format`,
// `prompts` and image geometry; docs/model-package.md), and the rule that completes a task's
// suite options from it:
//   box_format: the suite's, when the suite entry names one (even "auto"); else the model's
//               native format; else auto
//   prompt:     a record's own prompt; else the suite's prompt_template; else the model's
//               template for the task; else the task's default
//   model_input: always the model's (only the family box formats use it)
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model_conventions.h"
#include "tasks/box_frame.h"
#include "tasks/task.h"

namespace imaxbench {

// Throws Error naming `source` and the field, e.g. "m/imaxbench-model.json: field
// 'answer.box_format' is 'qwen25'; use one of auto, ..." or "... field 'prompts.vqa' has an
// unknown placeholder '{qestion}' ..."; also an unknown task in `prompts`.
void check_model_conventions(const ModelConventions& model);

// rec answers a box and reg's prompt carries one ({box}); box_format means nothing to the others.
bool task_uses_boxes(const Task& task);

// The options `task` runs with (see the rule above). `suite` as suite.cc read it.
TaskOptions resolve_task_options(const Task& task, const TaskOptions& suite, const ModelConventions& model);

}  // namespace imaxbench
