#include "tasks/model_conventions.h"

#include "tasks/box_parser.h"
#include "core/error.h"
#include "core/excerpt.h"
#include "tasks/prompt_template.h"

namespace imaxbench {

namespace {

[[noreturn]] void fail(const ModelConventions& model, const std::string& field, const std::string& problem) {
  throw Error(model.source + ": field '" + field + "' " + problem + " (see docs/model-package.md)");
}

}  // namespace

bool task_uses_boxes(const Task& task) {
  if (task.answer_kind() == AnswerKind::kBox) return true;
  for (auto name : task.prompt_placeholders())
    if (name == "box") return true;
  return false;
}

void check_model_conventions(const ModelConventions& model) {
  if (!model.box_format.empty() && !box_format_from_name(model.box_format))
    fail(model, "answer.box_format",
         "is '" + excerpt(model.box_format) + "'; use one of " + std::string(box_format_names()));
  for (const auto& [task_name, tmpl] : model.prompts) {
    const Task* task = find_task(task_name);
    if (!task)
      fail(model, "prompts." + excerpt(task_name), "names no task; tasks are: " + task_names_joined());
    if (const std::string problem = prompt_template_problem(*task, tmpl); !problem.empty())
      fail(model, "prompts." + task_name, "has an " + problem);
  }
}

TaskOptions resolve_task_options(const Task& task, const TaskOptions& suite, const ModelConventions& model) {
  TaskOptions out = suite;
  out.model_input = model.input;
  if (task_uses_boxes(task) && suite.box_format_from != "suite" && !model.box_format.empty()) {
    out.box_format = model.box_format;
    out.box_format_from = "model";
  }
  if (suite.prompt_template.empty()) {
    for (const auto& [task_name, tmpl] : model.prompts) {
      if (task_name == task.name() && !tmpl.empty()) {
        out.prompt_template = tmpl;
        out.prompt_from = "model";
      }
    }
  }
  return out;
}

}  // namespace imaxbench
