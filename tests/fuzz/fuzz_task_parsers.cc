// Fuzzes every task's answer parser (Task::parse_output of the seven tasks, tasks/task.h) and the
// prompt builder. The first input byte picks the task (bits 0-2, mod 7), one of two valid samples
// of it (bit 3) and the suite's box_format (bits 4-6, mod 6, the last one unknown); the rest is
// the model's answer, which is also tried as a prompt template. The samples are built from JSON
// records the way the split reader builds them (as tests/unit/task_test_support.h does).
// parse_output never throws (tasks/task.h): any exception out of it is a finding.
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "tests/line_ends.h"
#include "core/error.h"
#include "core/record_fields.h"
#include "core/sample.h"
#include "tasks/task.h"

namespace {

using nlohmann::json;

struct TaskSamples {
  const imaxbench::Task* task = nullptr;
  std::array<imaxbench::Sample, 2> samples;
};

imaxbench::Sample sample_from(const imaxbench::Task& task, const json& record) {
  imaxbench::Sample s;
  s.source_file = "split.jsonl";
  s.line = 1;
  s.id = "r1";
  s.task = std::string(task.name());
  s.image = "images/cxr_000.png";
  s.image_id = "cxr_000";
  if (record.contains("image_size"))
    s.image_size = std::array<double, 2>{record["image_size"][0].get<double>(),
                                         record["image_size"][1].get<double>()};
  imaxbench::RecordFields fields(record, s.source_file, s.line, s.id);
  task.parse_record(fields, s);
  return s;
}

// Order fixed here (not the registry's), so the committed corpus keeps its meaning.
std::vector<TaskSamples> make_samples() {
  const std::array<std::pair<const char*, std::array<json, 2>>, 7> records = {{
      {"calculation", {json{{"quantity", "ctr"}, {"reference", 0.541}},
                       json{{"quantity", "cpar"}, {"reference", 0.31}}}},
      {"report_generation",
       {json{{"reference", "Findings: The heart is mildly enlarged. No pleural effusion."}},
        json{{"reference", {"The lungs are clear.", "No acute cardiopulmonary process."}}}}},
      {"multiclass_classification",
       {json{{"reference", "none"}},
        json{{"classes", {"PA", "AP", "Lateral"}}, {"reference", "lateral"}}}},
      {"multilabel_classification",
       {json{{"reference", {"Cardiomegaly", "Support Devices"}}},
        json{{"labels", {"Cardiomegaly", "Effusion"}}, {"reference", {"effusion"}}}}},
      {"rec",
       {json{{"phrase", "the consolidation in the right middle lobe"},
             {"image_size", {320, 256}},
             {"reference", {51, 81, 89, 125}}},
        json{{"phrase", "the nasogastric tube"}, {"reference", {168, 0, 209, 199}}}}},
      {"reg",
       {json{{"box", {168, 0, 209, 199}}, {"image_size", {320, 256}}, {"reference", "nasogastric tube"}},
        json{{"box", {51, 81, 89, 125}},
             {"reference", {"consolidation in the right middle lobe", "right middle lobe pneumonia"}}}}},
      {"vqa",
       {json{{"question", "Is there a pleural effusion?"}, {"answer_type", "closed"}, {"reference", "no"}},
        json{{"question", "Where is the lesion?"},
             {"answer_type", "open"},
             {"reference", {"right lower lobe", "RLL"}}}}},
  }};
  std::vector<TaskSamples> out;
  for (const auto& [name, recs] : records) {
    TaskSamples ts;
    ts.task = imaxbench::find_task(name);
    if (!ts.task) {
      std::fprintf(stderr, "fuzz_task_parsers: task %s is not registered\n", name);
      std::abort();
    }
    for (std::size_t i = 0; i < 2; ++i) ts.samples[i] = sample_from(*ts.task, recs[i]);
    out.push_back(std::move(ts));
  }
  return out;
}

const char* const kBoxFormats[] = {"auto",    "grid100",    "grid1000", "fraction",   "pixel",
                                   "grid50",  "qwen2_vl",   "llava",    "minigpt_v2", "qwen2_5_vl"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<TaskSamples> tasks = make_samples();
  const unsigned sel = imaxbench::fuzz::take_byte(data, size);
  const TaskSamples& ts = tasks[(sel & 7u) % tasks.size()];
  const imaxbench::Sample& sample = ts.samples[(sel >> 3) & 1u];
  imaxbench::TaskOptions options;
  options.box_format = kBoxFormats[((sel >> 4) & 15u) % 10];
  const std::string_view raw = imaxbench::fuzz::as_view(data, size);

  const imaxbench::Prediction p = ts.task->parse_output(sample, raw, options);
  // An answer reads the same with CRLF or lone CR line ends as with LF (tasks/task.h).
  if (raw.find('\r') == std::string_view::npos)
    for (const std::string_view end : {std::string_view("\r\n"), std::string_view("\r")}) {
      const imaxbench::Prediction q =
          ts.task->parse_output(sample, imaxbench::line_ends::with_line_ends(raw, end), options);
      if (q.parsed != p.parsed || imaxbench::line_ends::as_lf(q.text) != p.text || !(q.number == p.number || (std::isnan(q.number) && std::isnan(p.number))) || q.class_index != p.class_index ||
          q.labels != p.labels || q.n_boxes != p.n_boxes || !(q.box == p.box)) {
        std::fprintf(stderr, "the answer parses otherwise with %s line ends\n", end.size() == 2 ? "CRLF" : "CR");
        std::abort();
      }
    }
  options.prompt_template = std::string(raw);
  try {
    const std::string prompt = ts.task->make_prompt(sample, options);
    (void)prompt;
  } catch (const imaxbench::Error&) {  // an unusable template may be refused
  }
  return 0;
}
