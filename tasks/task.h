// A Task knows one of the seven IMAX tasks: how to validate its records, what to ask the model and
// how to read the answer. Pure code: no I/O, no inference, safe to call from many threads.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tasks/box_frame.h"
#include "core/record_fields.h"
#include "core/sample.h"

namespace imaxbench {

// A metric as a suite names it: registry name, parameters, and the key it has in results.
struct MetricSpec {
  std::string name;
  nlohmann::json params = nlohmann::json::object();
  std::string id;  // defaults to name
};

// Per-task settings a suite may give (docs/formats.md §2), completed by the model's declared
// conventions where the suite is silent (tasks/model_conventions.h).
struct TaskOptions {
  std::string prompt_template;    // empty: the task's default; placeholders in {braces}
  // rec/reg: auto, grid100, grid1000, fraction, pixel, or a family's (tasks/box_parser.h)
  std::string box_format = "auto";
  // Where prompt_template and box_format came from: "suite", "model" or "default". A suite that
  // writes "box_format": "auto" chose it; one that writes nothing leaves it to the model.
  std::string prompt_from = "default", box_format_from = "default";
  std::optional<ModelInput> model_input;  // how the backend makes its input image, when it says
};

struct BaselineQuery;   // tasks/baseline_rule.h
struct BaselineAnswer;

class Task {
 public:
  virtual ~Task() = default;
  virtual std::string_view name() const = 0;
  virtual int version() const = 0;
  virtual std::string_view description() const = 0;
  // What the answer is read into; the metrics a suite may name for the task follow from it.
  virtual AnswerKind answer_kind() const = 0;

  // Reads the task-specific fields and the reference of one record into `sample`; the common
  // fields (id, task, image, image_id, image_size, prompt) are already set. Throws DataError
  // through `fields`.
  virtual void parse_record(const RecordFields& fields, Sample& sample) const = 0;

  // The prompt sent to the model: the record's own prompt, else the suite's template, else the
  // task's default template, with {placeholders} filled from the sample.
  virtual std::string make_prompt(const Sample& sample, const TaskOptions& options) const = 0;
  virtual std::string default_prompt_template() const = 0;
  // The {placeholders} make_prompt fills for this task, e.g. {"question"}; a template naming any
  // other is refused when a suite or a package is loaded (tasks/prompt_template.h).
  virtual std::vector<std::string_view> prompt_placeholders() const = 0;

  // Never throws: an answer it cannot read is parsed=false with a note saying why.
  virtual Prediction parse_output(const Sample& sample, std::string_view raw,
                                  const TaskOptions& options) const = 0;

  // Primary first.
  virtual std::vector<MetricSpec> default_metrics() const = 0;
  // The nearest-neighbour baseline's rule (tasks/baseline_rule.h): which gallery record answers
  // the query and how its reference is written as an answer. Default: an error naming the task.
  virtual BaselineAnswer baseline_answer(const BaselineQuery& query) const;
};

// The registry: one line per task in tasks/registry.cc.
std::span<const Task* const> all_tasks();
const Task* find_task(std::string_view name);  // nullptr when unknown
std::string task_names_joined();               // "calculation, report_generation, ..." for messages
// The tasks whose answer kind is among `kinds`, comma-separated ("report_generation, reg, vqa").
std::string task_names_of_kinds(const AnswerKinds& kinds);

// Replaces each {key} in `tmpl` by its value; unknown keys are left as written, {{key}} writes
// {key} (tasks/prompt_template.h has the rules).
std::string fill_template(std::string_view tmpl,
                          std::span<const std::pair<std::string_view, std::string>> values);

}  // namespace imaxbench
