// Prompt templates (tasks/prompt_template.h) and the model's declared conventions
// (tasks/model_conventions.h, harness/answer_conventions.h): placeholder rules, errors at load,
// and which box format and template a task runs with.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/answer_conventions.h"
#include "data/suite.h"
#include "core/error.h"
#include "tasks/model_conventions.h"
#include "tasks/prompt_template.h"
#include "tasks/task.h"
#include "task_test_support.h"
#include "test_files.h"

namespace imaxbench {
namespace {

using ::testing::HasSubstr;

std::string fill(std::string_view tmpl) {
  const std::pair<std::string_view, std::string> values[] = {{"question", "Is there an effusion?"}, {"x", "X"}};
  return fill_template(tmpl, values);
}

TEST(PromptTemplate, FillRules) {
  const std::pair<const char*, const char*> cases[] = {
      {"{question}", "Is there an effusion?"},
      {"[vqa] {question} Answer yes or no.", "[vqa] Is there an effusion? Answer yes or no."},
      {"{x}{x}", "XX"},
      {"{{question}}", "{question}"},                           // the escape
      {"{{{question}}}", "{{question}}"},                       // read left to right: "{", then {{question}}
      {"{ {question} }", "{ Is there an effusion? }"},           // braces around a value
      {"{unknown}", "{unknown}"},                               // left as written when filling
      {"{<10><20><30><40>}", "{<10><20><30><40>}"},             // a box example is text
      {"{\"bbox_2d\": [1, 2, 3, 4]}", "{\"bbox_2d\": [1, 2, 3, 4]}"},  // JSON is text
      {"{ question }", "{ question }"},                         // not a placeholder: spaces
      {"{1x}", "{1x}"},                                         // not a name
      {"{question", "{question"},
      {"question}", "question}"},
      {"{{", "{{"},
      {"}}", "}}"},
      {"", ""},
  };
  for (const auto& [tmpl, expected] : cases) EXPECT_EQ(fill(tmpl), expected) << tmpl;
}

TEST(PromptTemplate, UnknownPlaceholdersAreProblems) {
  const Task& vqa = *find_task("vqa");
  EXPECT_EQ(prompt_template_problem(vqa, "[vqa] {question} Answer yes or no."), "");
  EXPECT_EQ(prompt_template_problem(vqa, "{{qestion}} {question} {\"a\": 1} {<1><2><3><4>}"), "");
  EXPECT_THAT(prompt_template_problem(vqa, "{qestion}"),
              HasSubstr("unknown placeholder '{qestion}' for task vqa; valid: {question}"));
  EXPECT_THAT(prompt_template_problem(*find_task("report_generation"), "Findings for {question}:"),
              HasSubstr("unknown placeholder '{question}' for task report_generation; valid: none"));
  EXPECT_THAT(prompt_template_problem(*find_task("multiclass_classification"), "{class}"),
              HasSubstr("valid: {classes}, {labels}"));
}

// Each task's declared placeholders are the ones make_prompt fills (none is left as written) and
// each task's default template passes its own check.
TEST(PromptTemplate, DeclaredPlaceholdersAreFilledByEveryTask) {
  for (const Task* task : all_tasks()) {
    SCOPED_TRACE(std::string(task->name()));
    EXPECT_EQ(prompt_template_problem(*task, task->default_prompt_template()), "");
    Sample s;
    s.task = std::string(task->name());
    s.phrase = "p";
    s.question = "q";
    s.quantity = "ctr";
    s.classes = {"a", "b"};
    s.box = Box{1, 2, 3, 4};
    TaskOptions o;
    for (auto name : task->prompt_placeholders()) o.prompt_template += "{" + std::string(name) + "} ";
    if (o.prompt_template.empty()) continue;
    const std::string prompt = task->make_prompt(s, o);
    for (auto name : task->prompt_placeholders())
      EXPECT_EQ(prompt.find("{" + std::string(name) + "}"), std::string::npos) << prompt;
  }
}

TEST(PromptTemplate, FillingStaysLinear) {
  for (const char* unit : {"{", "{{", "{a", "{{a}", "}"}) {
    std::string t;
    while (t.size() < 10'000'000) t += unit;
    EXPECT_EQ(fill(t).size(), t.size()) << unit;  // nothing here is a known placeholder
    // Only "{{a}{{a}..." holds a placeholder: the {a} after each "{".
    EXPECT_EQ(prompt_template_problem(*find_task("vqa"), t).empty(), std::string_view(unit) != "{{a}") << unit;
  }
}

class SuiteConventionsTest : public ::testing::Test {
 protected:
  std::string load_error(const std::string& tasks_json) {
    try {
      (void)load(tasks_json);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  Suite load(const std::string& tasks_json) {
    return load_suite(dir_.write("suite.json", "{\"name\": \"t\", \"tasks\": " + tasks_json + "}"));
  }
  testing::TempDir dir_;
};

TEST_F(SuiteConventionsTest, PlaceholderTyposAreErrorsNamingFileTaskAndValidOnes) {
  const std::string error = load_error(
      "[{\"task\": \"rec\", \"split\": \"a.jsonl\"}, {\"task\": \"calculation\", \"split\": \"b.jsonl\"},"
      " {\"task\": \"vqa\", \"split\": \"c.jsonl\", \"prompt_template\": \"[vqa] {qestion}\"}]");
  EXPECT_THAT(error, HasSubstr("suite.json: tasks[2].prompt_template: unknown placeholder '{qestion}' for "
                               "task vqa; valid: {question}"));
  EXPECT_EQ(load_error("[{\"task\": \"vqa\", \"split\": \"c.jsonl\", \"prompt_template\": \"{{qestion}} {question}\"}]"),
            "");
}

TEST_F(SuiteConventionsTest, BoxFormatNamesAndWhetherTheSuiteChose) {
  EXPECT_THAT(load_error("[{\"task\": \"rec\", \"split\": \"a.jsonl\", \"box_format\": \"qwen25\"}]"),
              HasSubstr("suite.json: tasks[0]: box_format 'qwen25' is not one of auto, grid100, grid1000, "
                        "fraction, pixel, qwen2_vl, qwen2_5_vl, llava, minigpt_v2"));
  const Suite s = load(
      "[{\"task\": \"rec\", \"split\": \"a.jsonl\", \"box_format\": \"qwen2_vl\"},"
      " {\"task\": \"reg\", \"split\": \"b.jsonl\", \"box_format\": \"auto\"},"
      " {\"task\": \"vqa\", \"split\": \"c.jsonl\", \"prompt_template\": \"{question}?\"}]");
  EXPECT_EQ(s.tasks[0].options.box_format, "qwen2_vl");
  EXPECT_EQ(s.tasks[0].options.box_format_from, "suite");
  EXPECT_EQ(s.tasks[1].options.box_format, "auto");
  EXPECT_EQ(s.tasks[1].options.box_format_from, "suite");  // an explicit auto is a choice
  EXPECT_EQ(s.tasks[2].options.box_format, "auto");
  EXPECT_EQ(s.tasks[2].options.box_format_from, "default");
  EXPECT_EQ(s.tasks[2].options.prompt_from, "suite");
}

ModelConventions qwen_package() {
  ModelConventions m;
  m.source = "pkg/imaxbench-model.json";
  m.box_format = "qwen2_5_vl";
  m.prompts = {{"rec", "Locate {phrase}, output its bbox coordinates using JSON format."},
               {"vqa", "{question} Answer briefly."}};
  m.input = ModelInput{448, 448, 0};
  return m;
}

// The selection rule: the suite's explicit box_format (even auto) wins, else the model's native
// format, else auto; the suite's template wins, else the model's, else the task default.
TEST_F(SuiteConventionsTest, SuiteWinsThenModelThenDefault) {
  Suite s = load(
      "[{\"task\": \"rec\", \"split\": \"a.jsonl\"},"
      " {\"task\": \"reg\", \"split\": \"b.jsonl\", \"box_format\": \"auto\"},"
      " {\"task\": \"vqa\", \"split\": \"c.jsonl\", \"prompt_template\": \"[vqa] {question}\"},"
      " {\"task\": \"calculation\", \"split\": \"d.jsonl\"}]");
  apply_model_conventions(s, qwen_package());
  const TaskOptions& rec = s.tasks[0].options;
  EXPECT_EQ(rec.box_format, "qwen2_5_vl");
  EXPECT_EQ(rec.box_format_from, "model");
  EXPECT_EQ(rec.prompt_template, "Locate {phrase}, output its bbox coordinates using JSON format.");
  EXPECT_EQ(rec.prompt_from, "model");
  EXPECT_EQ(rec.model_input, (ModelInput{448, 448, 0}));
  const TaskOptions& reg = s.tasks[1].options;
  EXPECT_EQ(reg.box_format, "auto");
  EXPECT_EQ(reg.box_format_from, "suite");
  EXPECT_EQ(reg.prompt_from, "default");
  const TaskOptions& vqa = s.tasks[2].options;
  EXPECT_EQ(vqa.prompt_template, "[vqa] {question}");
  EXPECT_EQ(vqa.prompt_from, "suite");
  EXPECT_EQ(vqa.box_format_from, "default");  // box_format means nothing to vqa
  EXPECT_EQ(s.tasks[3].options.prompt_from, "default");

  const nlohmann::json j = conventions_json(s);
  EXPECT_EQ(j["rec"], (nlohmann::json{{"box_format", "qwen2_5_vl"}, {"box_format_from", "model"},
                                      {"prompt_from", "model"},
                                      {"model_input", {{"width", 448}, {"height", 448}, {"shortest_edge", 0}}}}));
  EXPECT_FALSE(j["vqa"].contains("box_format"));

  // A model that declares nothing changes nothing.
  Suite plain = load("[{\"task\": \"rec\", \"split\": \"a.jsonl\"}]");
  apply_model_conventions(plain, ModelConventions{});
  EXPECT_EQ(plain.tasks[0].options.box_format, "auto");
  EXPECT_EQ(plain.tasks[0].options.box_format_from, "default");
  EXPECT_EQ(plain.tasks[0].options.prompt_from, "default");
}

TEST_F(SuiteConventionsTest, RescoringUsesTheRecordedModelFormatUnlessTheSuiteNamesOne) {
  Suite run = load("[{\"task\": \"rec\", \"split\": \"a.jsonl\"}, {\"task\": \"reg\", \"split\": \"b.jsonl\"}]");
  apply_model_conventions(run, qwen_package());
  const nlohmann::json settings = {{"answer_conventions", conventions_json(run)}};

  Suite later = load("[{\"task\": \"rec\", \"split\": \"a.jsonl\"}, {\"task\": \"reg\", \"split\": \"b.jsonl\", "
                     "\"box_format\": \"grid100\"}]");
  apply_recorded_conventions(later, settings);
  EXPECT_EQ(later.tasks[0].options.box_format, "qwen2_5_vl");
  EXPECT_EQ(later.tasks[0].options.model_input, (ModelInput{448, 448, 0}));
  EXPECT_EQ(later.tasks[1].options.box_format, "grid100");
  apply_recorded_conventions(later, nlohmann::json::object());  // older manifests: nothing to do
  EXPECT_EQ(later.tasks[0].options.box_format, "qwen2_5_vl");
}

TEST(ModelConventions, PackageErrorsNameTheManifestAndField) {
  auto error = [](const ModelConventions& m) -> std::string {
    try {
      check_model_conventions(m);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error(qwen_package()), "");
  EXPECT_EQ(error(ModelConventions{}), "");
  ModelConventions m = qwen_package();
  m.box_format = "qwen25";
  EXPECT_THAT(error(m), HasSubstr("pkg/imaxbench-model.json: field 'answer.box_format' is 'qwen25'; use one of "
                                  "auto, grid100, grid1000, fraction, pixel, qwen2_vl, qwen2_5_vl, llava, minigpt_v2"));
  m = qwen_package();
  m.prompts.push_back({"vqa", "{qestion}"});
  EXPECT_THAT(error(m), HasSubstr("pkg/imaxbench-model.json: field 'prompts.vqa' has an unknown placeholder "
                                  "'{qestion}' for task vqa; valid: {question}"));
  m = qwen_package();
  m.prompts.push_back({"vqa_closed", "{question}"});
  EXPECT_THAT(error(m), HasSubstr("field 'prompts.vqa_closed' names no task; tasks are: calculation"));
}

}  // namespace
}  // namespace imaxbench
