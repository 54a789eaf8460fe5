#include <set>

#include <gtest/gtest.h>

#include "tasks/label_parser.h"
#include "tasks/task.h"
#include "task_test_support.h"

namespace imaxbench {
namespace {

using testing::record_error;
using testing::sample_from;

const Task& task() { return *find_task("multilabel_classification"); }

struct LabelCase {
  const char* answer;
  bool parsed;
  std::set<std::string> expected;
};

const LabelCase kLabelCases[] = {
    {"Cardiomegaly", true, {"Cardiomegaly"}},
    {"Cardiomegaly, Pleural Effusion", true, {"Cardiomegaly", "Pleural Effusion"}},
    {"cardiomegaly; edema; pleural effusion", true, {"Cardiomegaly", "Edema", "Pleural Effusion"}},
    {"Atelectasis and pleural effusion", true, {"Atelectasis", "Pleural Effusion"}},
    {"- Lung Opacity\n- Pneumonia\n- Support Devices", true, {"Lung Opacity", "Pneumonia", "Support Devices"}},
    {"\xE2\x80\xA2 Pneumothorax\n\xE2\x80\xA2 Fracture", true, {"Pneumothorax", "Fracture"}},
    {"No Finding", true, {"No Finding"}},
    {"no acute cardiopulmonary process", true, {"No Finding"}},
    {"Normal chest X-ray.", true, {"No Finding"}},
    {"Bilateral pleural effusions and bibasilar opacities.", true, {"Pleural Effusion", "Lung Opacity"}},
    {"Enlarged heart with small effusion", true, {"Cardiomegaly", "Pleural Effusion"}},
    {"Pacemaker in place. No pneumothorax.", true, {"Support Devices"}},
    {"Right-sided pneumothoraces", true, {"Pneumothorax"}},
    {"No pleural effusion or pneumothorax.", true, {"No Finding"}},
    {"Without pneumothorax.", true, {"No Finding"}},
    {"Negative for pneumonia.", true, {"No Finding"}},
    {"Pneumothorax is absent. Cardiomegaly is present.", true, {"Cardiomegaly"}},
    {"No pneumothorax, pleural effusion, or focal consolidation. Mild cardiomegaly.", true, {"Cardiomegaly"}},
    {"Heart size is normal. Small left pleural effusion.", true, {"Pleural Effusion"}},
    {"Endotracheal tube and right PICC line; left lower lobe atelectasis.", true,
     {"Support Devices", "Atelectasis"}},
    {"Possible pneumonia in the right lower lobe.", true, {"Pneumonia"}},
    {"Pneumonia cannot be excluded.", true, {"Pneumonia"}},
    {"none", true, {"No Finding"}},
    {"Widened mediastinum, rib fractures", true, {"Enlarged Cardiomediastinum", "Fracture"}},
    {"Pulmonary nodule in the left upper lobe", true, {"Lung Lesion"}},
    {"Pleural thickening", true, {"Pleural Other"}},
    {"Lung opacity, consolidation, pneumonia", true, {"Lung Opacity", "Consolidation", "Pneumonia"}},
    {"Cardiomegaly and pulmonary edema without effusion", true, {"Cardiomegaly", "Edema"}},
    {"No change in cardiomegaly.", true, {"Cardiomegaly"}},
    // A report's stock phrase for "unchanged", and "not seen" as a value (both read as negations).
    {"No significant interval change in cardiomegaly.", true, {"Cardiomegaly"}},
    // A cue before an earlier mention reaches a later one only as a list does: a new statement
    // ("and mild ...") ends it (cardiomegaly was negated by the "no" of pneumothorax).
    {"No pneumothorax and mild cardiomegaly.", true, {"Cardiomegaly"}},
    {"No pleural effusion or pneumothorax, and a small left lower lobe atelectasis.", true, {"Atelectasis"}},
    {"No new focal consolidation.", true, {"No Finding"}},
    {"No evidence of pneumothorax or pleural effusion and no consolidation.", true, {"No Finding"}},
    {"No appreciable change in the right pleural effusion.", true, {"Pleural Effusion"}},
    {"Pneumothorax: Not seen\nPleural effusion: Not identified\nCardiomegaly: Present", true, {"Cardiomegaly"}},
    {"Edema, but no consolidation", true, {"Edema"}},
    {"Effusion is not seen, cardiomegaly present", true, {"Cardiomegaly"}},
    {"Normal. Sternotomy wires.", true, {"No Finding", "Support Devices"}},
    {"CARDIOMEGALY, EDEMA", true, {"Cardiomegaly", "Edema"}},
    {"Findings: cardiomegaly\nImpression: CHF", true, {"Cardiomegaly", "Edema"}},
    {"Lung Opacity, Edema, Consolidation, Pneumonia, Atelectasis, Pleural Effusion", true,
     {"Lung Opacity", "Edema", "Consolidation", "Pneumonia", "Atelectasis", "Pleural Effusion"}},
    {"Moderate pulmonary oedema with Kerley B lines", true, {"Edema"}},
    {"Cardiomegaly: yes\nEdema: no\nPleural Effusion: yes", true, {"Cardiomegaly", "Pleural Effusion"}},
    {"Pneumothorax - absent; Atelectasis - present", true, {"Atelectasis"}},
    {"- Edema\n- No pneumothorax", true, {"Edema"}},
    {"Edema = 0, Consolidation = 1", true, {"Consolidation"}},
    {"Cardiomegaly: no\nEdema: no", true, {"No Finding"}},
    {"Findings: The lungs are clear without focal consolidation, pleural effusion or pneumothorax. "
     "The cardiomediastinal silhouette is normal.", true, {"No Finding"}},
    {"Stable mediastinal contours, no effusion, no pneumothorax, mild atelectasis", true, {"Atelectasis"}},
    {"The chest X-ray shows cardiomegaly and bilateral pleural effusions, consistent with congestive "
     "heart failure. There is no pneumothorax.", true, {"Cardiomegaly", "Edema", "Pleural Effusion"}},
    {"Mild interstitial opacities could represent edema or atypical infection.", true,
     {"Lung Opacity", "Edema", "Pneumonia"}},
    {"There is a right-sided chest tube. Small residual pneumothorax.", true, {"Support Devices", "Pneumothorax"}},
    {"I don't know.", false, {}},
    {"The heart is not enlarged.", false, {}},
    {"", false, {}},
    {"The image quality is poor.", false, {}},
    {"Please provide a chest X-ray.", false, {}},
};

std::set<std::string> names(const Sample& s, const std::vector<std::uint8_t>& hot) {
  std::set<std::string> out;
  for (std::size_t i = 0; i < hot.size(); ++i)
    if (hot[i]) out.insert(s.classes[i]);
  return out;
}

TEST(MultilabelTask, ParsesRealisticAnswers) {
  const Sample s = sample_from(task(), {{"reference", nlohmann::json::array()}});
  for (const auto& c : kLabelCases) {
    SCOPED_TRACE(c.answer);
    const Prediction p = task().parse_output(s, c.answer, {});
    EXPECT_EQ(p.parsed, c.parsed) << p.note;
    ASSERT_EQ(p.labels.size(), 14u);
    EXPECT_EQ(names(s, p.labels), c.expected) << p.note;
  }
}

TEST(MultilabelTask, VocabularyWithoutNoFinding) {
  const Sample s = sample_from(task(), {{"labels", {"Cardiomegaly", "Effusion"}}, {"reference", {"effusion"}}});
  EXPECT_EQ(s.ref_labels, (std::vector<std::uint8_t>{0, 1}));
  auto p = task().parse_output(s, "none", {});
  EXPECT_TRUE(p.parsed);
  EXPECT_EQ(p.labels, (std::vector<std::uint8_t>{0, 0}));
  p = task().parse_output(s, "Large left effusion", {});
  EXPECT_EQ(p.labels, (std::vector<std::uint8_t>{0, 1}));
  p = task().parse_output(s, "Pneumothorax", {});
  EXPECT_FALSE(p.parsed);
  EXPECT_NE(p.note.find("labels are: Cardiomegaly, Effusion"), std::string::npos);
}

TEST(MultilabelTask, ReadsReferences) {
  const Sample s = sample_from(task(), {{"reference", {"cardiomegaly", "Support Devices"}}});
  EXPECT_EQ(s.classes.size(), 14u);
  EXPECT_EQ(s.ref_labels, (std::vector<std::uint8_t>{0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  const Sample none = sample_from(task(), {{"reference", nlohmann::json::array()}});
  EXPECT_EQ(none.ref_labels, std::vector<std::uint8_t>(14, 0));
}

TEST(MultilabelTask, RejectsBadRecordsWithActionableMessages) {
  auto err = record_error(task(), {{"reference", "Cardiomegaly"}});
  EXPECT_NE(err.find("field 'reference' must be a list of labels ([] when none), got string"),
            std::string::npos) << err;
  err = record_error(task(), {{"reference", {"Cardiomegaly", "Heart Failure"}}});
  EXPECT_NE(err.find("field 'reference' names 'Heart Failure', which is not in the label vocabulary: "
                     "No Finding, Enlarged Cardiomediastinum"), std::string::npos) << err;
  err = record_error(task(), {{"reference", {1}}});
  EXPECT_NE(err.find("field 'reference' item 1 must be a label name, got number"), std::string::npos) << err;
  err = record_error(task(), nlohmann::json::object());
  EXPECT_NE(err.find("missing field 'reference'"), std::string::npos) << err;
  err = record_error(task(), {{"labels", nlohmann::json::array()}, {"reference", nlohmann::json::array()}});
  EXPECT_NE(err.find("field 'labels' is an empty list"), std::string::npos) << err;
  err = record_error(task(), {{"labels", {"Edema", "edema"}}, {"reference", nlohmann::json::array()}});
  EXPECT_NE(err.find("field 'labels' lists 'edema' twice"), std::string::npos) << err;
}

TEST(MultilabelTask, PromptListsLabels) {
  const Sample s = sample_from(task(), {{"labels", {"A", "B"}}, {"reference", {"A"}}});
  TaskOptions o;
  o.prompt_template = "Findings among {labels}?";
  EXPECT_EQ(task().make_prompt(s, o), "Findings among A, B?");
}

}  // namespace
}  // namespace imaxbench
