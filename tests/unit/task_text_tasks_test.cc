// report_generation and reg: free-text answers kept as written (trimmed); reg prompts carry a box.
#include <gtest/gtest.h>

#include "tasks/task.h"
#include "task_test_support.h"

namespace imaxbench {
namespace {

using testing::record_error;
using testing::sample_from;

struct TextCase {
  const char* answer;
  const char* expected;  // nullptr: unparsed
};

const TextCase kReportCases[] = {
    {"The lungs are clear. No pleural effusion or pneumothorax.",
     "The lungs are clear. No pleural effusion or pneumothorax."},
    {"  Heart size is normal.  \n", "Heart size is normal."},
    {"\n\nFindings: mild cardiomegaly.\nImpression: no acute process.",
     "Findings: mild cardiomegaly.\nImpression: no acute process."},
    {"FINDINGS: Left basilar atelectasis.", "FINDINGS: Left basilar atelectasis."},
    {"Stable moderate cardiomegaly with pulmonary vascular congestion.",
     "Stable moderate cardiomegaly with pulmonary vascular congestion."},
    {"\tRight PICC line terminates in the SVC.\t", "Right PICC line terminates in the SVC."},
    {"No acute cardiopulmonary process.", "No acute cardiopulmonary process."},
    {"There is a small right pleural effusion.\r\n", "There is a small right pleural effusion."},
    {"Bibasilar opacities, likely atelectasis; infection not excluded.",
     "Bibasilar opacities, likely atelectasis; infection not excluded."},
    {"ET tube 4 cm above the carina.", "ET tube 4 cm above the carina."},
    {"Lungs hyperinflated, consistent with COPD.", "Lungs hyperinflated, consistent with COPD."},
    {"1. Cardiomegaly.\n2. Small bilateral effusions.", "1. Cardiomegaly.\n2. Small bilateral effusions."},
    {"- Clear lungs\n- Normal heart size", "- Clear lungs\n- Normal heart size"},
    {"Interval improvement of pulmonary edema.", "Interval improvement of pulmonary edema."},
    {"PA and lateral views of the chest were obtained.", "PA and lateral views of the chest were obtained."},
    {"Sternotomy wires are intact.", "Sternotomy wires are intact."},
    {"Limited study due to patient rotation.", "Limited study due to patient rotation."},
    {"Right upper lobe consolidation concerning for pneumonia.",
     "Right upper lobe consolidation concerning for pneumonia."},
    {"Large hiatal hernia.", "Large hiatal hernia."},
    {"The cardiomediastinal silhouette is within normal limits.",
     "The cardiomediastinal silhouette is within normal limits."},
    {"Healed left rib fractures.", "Healed left rib fractures."},
    {"Low lung volumes.", "Low lung volumes."},
    {"No pneumothorax.", "No pneumothorax."},
    {"Pleural effusion", "Pleural effusion"},
    {"Unchanged.", "Unchanged."},
    {"\xC3\x89panchement pleural droit.", "\xC3\x89panchement pleural droit."},
    {"I'm sorry, I cannot interpret this image.", "I'm sorry, I cannot interpret this image."},
    {"", nullptr},
    {"   ", nullptr},
    {"\n\t\r\n", nullptr},
};

TEST(ReportGenerationTask, KeepsTheReportAsWritten) {
  const Task& task = *find_task("report_generation");
  const Sample s = sample_from(task, {{"reference", "The lungs are clear."}});
  for (const auto& c : kReportCases) {
    SCOPED_TRACE(c.answer);
    const Prediction p = task.parse_output(s, c.answer, {});
    EXPECT_EQ(p.parsed, c.expected != nullptr);
    EXPECT_EQ(p.text, c.expected ? c.expected : "");
    if (!c.expected) {
      EXPECT_EQ(p.note, "empty answer");
    }
  }
}

TEST(ReportGenerationTask, Records) {
  const Task& task = *find_task("report_generation");
  EXPECT_EQ(sample_from(task, {{"reference", {"a", "b"}}}).ref_texts, (std::vector<std::string>{"a", "b"}));
  auto err = record_error(task, {{"reference", ""}});
  EXPECT_NE(err.find("field 'reference' is empty; give the reference text"), std::string::npos) << err;
  err = record_error(task, {{"reference", {"a", " "}}});
  EXPECT_NE(err.find("field 'reference' item 2 is empty"), std::string::npos) << err;
  err = record_error(task, {{"reference", nlohmann::json::array()}});
  EXPECT_NE(err.find("field 'reference' is an empty list"), std::string::npos) << err;
  err = record_error(task, {{"reference", 3}});
  EXPECT_NE(err.find("field 'reference' must be a string or a list of strings, got number"),
            std::string::npos) << err;
  err = record_error(task, nlohmann::json::object());
  EXPECT_NE(err.find("missing field 'reference'"), std::string::npos) << err;
}

const TextCase kRegCases[] = {
    {"left lower lobe opacity", "left lower lobe opacity"},
    {"  Right pleural effusion.\n", "Right pleural effusion."},
    {"cardiomegaly", "cardiomegaly"},
    {"The region shows a nodule.", "The region shows a nodule."},
    {"<p>pneumothorax</p>", "<p>pneumothorax</p>"},
    {"right lower lobe consolidation", "right lower lobe consolidation"},
    {"Left apical pneumothorax", "Left apical pneumothorax"},
    {"small left pleural effusion", "small left pleural effusion"},
    {"Cardiac silhouette", "Cardiac silhouette"},
    {"enlarged cardiac silhouette", "enlarged cardiac silhouette"},
    {"Right hilar mass.", "Right hilar mass."},
    {"Bibasilar atelectasis", "Bibasilar atelectasis"},
    {"left costophrenic angle", "left costophrenic angle"},
    {"Endotracheal tube tip", "Endotracheal tube tip"},
    {"PICC line", "PICC line"},
    {"right upper lobe nodule", "right upper lobe nodule"},
    {"Aortic knob", "Aortic knob"},
    {"Trachea", "Trachea"},
    {"Left hemidiaphragm", "Left hemidiaphragm"},
    {"Healed rib fracture", "Healed rib fracture"},
    {"Pulmonary vascular congestion", "Pulmonary vascular congestion"},
    {"Retrocardiac opacity", "Retrocardiac opacity"},
    {"Sternotomy wires", "Sternotomy wires"},
    {"Mediastinum", "Mediastinum"},
    {"Pleural thickening", "Pleural thickening"},
    {"It is the right lung.", "It is the right lung."},
    {"This region contains the heart.", "This region contains the heart."},
    {"\tleft lung base\n\n", "left lung base"},
    {"", nullptr},
    {" \n ", nullptr},
};

TEST(RegTask, KeepsTheDescriptionAsWritten) {
  const Task& task = *find_task("reg");
  const Sample s = sample_from(task, {{"box", {1, 2, 3, 4}}, {"reference", "opacity"}});
  for (const auto& c : kRegCases) {
    SCOPED_TRACE(c.answer);
    const Prediction p = task.parse_output(s, c.answer, {});
    EXPECT_EQ(p.parsed, c.expected != nullptr);
    EXPECT_EQ(p.text, c.expected ? c.expected : "");
  }
}

TEST(RegTask, PromptCarriesTheBoxInTheSuiteFormat) {
  const Task& task = *find_task("reg");
  const Sample s = sample_from(task, {{"box", {100, 160, 300, 320}},
                                      {"image_size", {1000, 800}},
                                      {"reference", {"left lung opacity", "opacity"}}});
  EXPECT_EQ(s.box, (Box{100, 160, 300, 320}));
  EXPECT_EQ(s.ref_texts.size(), 2u);
  TaskOptions o;
  EXPECT_EQ(task.make_prompt(s, o), "[identify] What is the finding in the region {<10><20><30><40>}?");
  o.box_format = "grid1000";
  o.prompt_template = "Describe {box}.";
  EXPECT_EQ(task.make_prompt(s, o), "Describe <box>(100,200),(300,400)</box>.");
  o.box_format = "fraction";
  EXPECT_EQ(task.make_prompt(s, o), "Describe [0.100, 0.200, 0.300, 0.400].");
  o.box_format = "pixel";
  EXPECT_EQ(task.make_prompt(s, o), "Describe [100, 160, 300, 320].");
  o.prompt_template = "Describe {box} in {unknown}.";
  EXPECT_EQ(task.make_prompt(s, o), "Describe [100, 160, 300, 320] in {unknown}.");
}

TEST(RegTask, Records) {
  const Task& task = *find_task("reg");
  auto err = record_error(task, {{"reference", "x"}});
  EXPECT_NE(err.find("missing field 'box'"), std::string::npos) << err;
  err = record_error(task, {{"box", {1, 2, 300, 4}}, {"image_size", {200, 200}}, {"reference", "x"}});
  EXPECT_NE(err.find("field 'box' lies outside the 200x200 image"), std::string::npos) << err;
  err = record_error(task, {{"box", {1, 2, 3, -4}}, {"reference", "x"}});
  EXPECT_NE(err.find("field 'box' has a negative coordinate"), std::string::npos) << err;
  err = record_error(task, {{"box", {1, 2, 3, 4}}, {"reference", {"x", ""}}});
  EXPECT_NE(err.find("field 'reference' item 2 is empty"), std::string::npos) << err;
}

}  // namespace
}  // namespace imaxbench
