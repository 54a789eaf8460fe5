// The task registry: adding a task is one line in kTasks and its own file pair.
#include <array>

#include "tasks/task.h"

namespace imaxbench {

// Defined in each task's file.
const Task& calculation_task();
const Task& report_generation_task();
const Task& multiclass_classification_task();
const Task& multilabel_classification_task();
const Task& rec_task();
const Task& reg_task();
const Task& vqa_task();

std::span<const Task* const> all_tasks() {
  static const std::array<const Task*, 7> kTasks = {
      &calculation_task(), &report_generation_task(), &multiclass_classification_task(),
      &multilabel_classification_task(), &rec_task(), &reg_task(), &vqa_task()};
  return kTasks;
}

const Task* find_task(std::string_view name) {
  for (const Task* t : all_tasks())
    if (t->name() == name) return t;
  return nullptr;
}

std::string task_names_joined() {
  std::string out;
  for (const Task* t : all_tasks()) {
    if (!out.empty()) out += ", ";
    out += t->name();
  }
  return out;
}

std::string task_names_of_kinds(const AnswerKinds& kinds) {
  std::string out;
  for (const Task* t : all_tasks()) {
    if (!kinds.contains(t->answer_kind())) continue;
    if (!out.empty()) out += ", ";
    out += t->name();
  }
  return out;
}

}  // namespace imaxbench
