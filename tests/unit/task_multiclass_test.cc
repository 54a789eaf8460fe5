#include <gtest/gtest.h>

#include "tasks/class_parser.h"
#include "tasks/task.h"
#include "task_test_support.h"

namespace imaxbench {
namespace {

using testing::record_error;
using testing::sample_from;

const Task& task() { return *find_task("multiclass_classification"); }

struct ClassCase {
  const char* answer;
  int expected;  // -1: unparsed
};

// Default edema scale: 0 none, 1 vascular congestion, 2 interstitial edema, 3 alveolar edema.
const ClassCase kEdemaCases[] = {
    {"none", 0},
    {"None", 0},
    {"Vascular congestion", 1},
    {"INTERSTITIAL EDEMA", 2},
    {"alveolar edema", 3},
    {"No edema.", 0},
    {"Normal", 0},
    {"Pulmonary vascular congestion", 1},
    {"Cephalization of the pulmonary vessels", 1},
    {"interstitial", 2},
    {"Alveolar", 3},
    {"Pulmonary edema, alveolar", 3},
    {"Grade 2", 2},
    {"2", 2},
    {"grade: 3 (alveolar edema)", 3},
    {"The image shows interstitial edema with Kerley B lines.", 2},
    {"Interstitial edema. The findings suggest fluid overload.", 2},
    {"There is no alveolar edema; interstitial edema is present.", 2},
    {"No edema, but there is mild vascular congestion.", 1},
    {"Vascular congestion progressing to interstitial edema", 1},
    {"There is no evidence of pulmonary edema.", 0},
    {"No.", 0},
    {"grade 0", 0},
    {"alveolar oedema", 3},
    {"Interstitial edemas", 2},
    {"Answer: vascular congestion.", 1},
    {"There is no interstitial or alveolar edema.", 0},
    {"Kerley B lines and peribronchial cuffing", 2},
    {"Airspace edema in both lungs", 3},
    {"3 - alveolar edema", 3},
    {"Grade II", 2},
    {"The edema grade is 1.", 1},
    {"Severity: 0", 0},
    {"Class 2", 2},
    {"Mild pulmonary vascular congestion without frank edema.", 1},
    {"Based on the chest X-ray, the edema severity is moderate, consistent with interstitial edema.", 2},
    // Grades that are negated or a pronoun (each was read as the grade once).
    {"No alveolar edema (grade 3). Interstitial edema (grade 2).", 2},
    {"Not grade 3; this is grade 2 interstitial edema.", 2},
    {"Based on the severity, I would classify this as alveolar edema.", 3},
    {"Severity: I believe this represents alveolar edema.", 3},
    {"Grade I: vascular congestion", 1},
    {"No significant interval change in the interstitial edema.", 2},
    {"The lungs are clear.", -1},
    {"I am unable to assess the edema grade.", -1},
    {"", -1},
    {"pulmonary edema", -1},
    {"Moderate", -1},
    {"grade 7", -1},
};

TEST(MulticlassTask, ParsesRealisticEdemaAnswers) {
  const Sample s = sample_from(task(), {{"reference", "none"}});
  for (const auto& c : kEdemaCases) {
    SCOPED_TRACE(c.answer);
    const Prediction p = task().parse_output(s, c.answer, {});
    EXPECT_EQ(p.parsed, c.expected >= 0) << p.note;
    EXPECT_EQ(p.class_index, c.expected) << p.note;
    if (c.expected < 0) {
      EXPECT_FALSE(p.note.empty());
    }
  }
}

// An answer in another script is unparsed, but not "empty": the note says what the parsers read.
// The same for the multilabel task, whose parser reads words the same way.
TEST(MulticlassTask, AnswerWithNoEnglishWordIsNotCalledEmpty) {
  const Task& labels = *find_task("multilabel_classification");
  const Sample sc = sample_from(task(), {{"reference", "none"}});
  const Sample sl = sample_from(labels, {{"reference", nlohmann::json::array()}});
  for (const Prediction& p : {task().parse_output(sc, "\xE8\xBF\x99\xE6\x98\xAF", {}),
                              labels.parse_output(sl, "\xE8\xBF\x99\xE6\x98\xAF", {})}) {
    EXPECT_FALSE(p.parsed);
    EXPECT_NE(p.note.find("English words"), std::string::npos) << p.note;
  }
  EXPECT_EQ(task().parse_output(sc, " \n", {}).note, "empty answer");
  EXPECT_EQ(labels.parse_output(sl, "", {}).note, "empty answer");
}

TEST(MulticlassTask, NotesTieBreaks) {
  const Sample s = sample_from(task(), {{"reference", 0}});
  EXPECT_NE(task().parse_output(s, "vascular congestion or interstitial edema", {}).note.find("first"),
            std::string::npos);
  EXPECT_NE(task().parse_output(s, "I can't tell", {}).note.find("classes are: none, vascular congestion"),
            std::string::npos);
}

TEST(MulticlassTask, CustomClassesMatchByNameOnly) {
  const Sample s = sample_from(task(), {{"classes", {"PA", "AP", "Lateral"}}, {"reference", "lateral"}});
  EXPECT_EQ(s.ref_class, 2);
  EXPECT_EQ(task().parse_output(s, "AP", {}).class_index, 1);
  EXPECT_EQ(task().parse_output(s, "This is a lateral view.", {}).class_index, 2);
  EXPECT_FALSE(task().parse_output(s, "2", {}).parsed);  // not an ordinal scale
  EXPECT_FALSE(task().parse_output(s, "No.", {}).parsed);  // no "nothing found" class
}

TEST(MulticlassTask, ReadsReferencesByNameOrIndex) {
  EXPECT_EQ(sample_from(task(), {{"reference", "Alveolar Edema"}}).ref_class, 3);
  EXPECT_EQ(sample_from(task(), {{"reference", 1}}).ref_class, 1);
  const Sample s = sample_from(task(), {{"reference", " interstitial edema "}});
  EXPECT_EQ(s.ref_class, 2);
  EXPECT_EQ(s.classes.size(), 4u);
}

TEST(MulticlassTask, RejectsBadRecordsWithActionableMessages) {
  auto err = record_error(task(), {{"reference", "severe"}});
  EXPECT_NE(err.find("field 'reference' is 'severe', not one of the classes: none, vascular congestion, "
                     "interstitial edema, alveolar edema"), std::string::npos) << err;
  err = record_error(task(), {{"reference", 4}});
  EXPECT_NE(err.find("whole number from 0 to 3"), std::string::npos) << err;
  err = record_error(task(), {{"reference", 1.5}});
  EXPECT_NE(err.find("field 'reference' is 1.5"), std::string::npos) << err;
  err = record_error(task(), {{"reference", true}});
  EXPECT_NE(err.find("class name or a 0-based index, got boolean"), std::string::npos) << err;
  err = record_error(task(), nlohmann::json::object());
  EXPECT_NE(err.find("missing field 'reference'"), std::string::npos) << err;
  err = record_error(task(), {{"classes", {"a", "A"}}, {"reference", "a"}});
  EXPECT_NE(err.find("field 'classes' lists 'A' twice"), std::string::npos) << err;
  err = record_error(task(), {{"classes", {"a", " "}}, {"reference", "a"}});
  EXPECT_NE(err.find("field 'classes' item 2 is empty"), std::string::npos) << err;
  err = record_error(task(), {{"classes", "a, b"}, {"reference", "a"}});
  EXPECT_NE(err.find("field 'classes' must be a list of strings"), std::string::npos) << err;
}

TEST(MulticlassTask, PromptListsClasses) {
  const Sample s = sample_from(task(), {{"reference", 0}});
  EXPECT_NE(task().make_prompt(s, {}).find("none, vascular congestion, interstitial edema, alveolar edema"),
            std::string::npos);
}

}  // namespace
}  // namespace imaxbench
