#include <gtest/gtest.h>

#include "tasks/task.h"
#include "task_test_support.h"

namespace imaxbench {
namespace {

using testing::record_error;
using testing::sample_from;

const Task& task() { return *find_task("vqa"); }

struct AnswerCase {
  const char* answer;
  const char* expected;  // nullptr: unparsed
};

const AnswerCase kClosedCases[] = {
    {"Yes.", "yes"},
    {"yes", "yes"},
    {"YES", "yes"},
    {"yes, there is a small effusion", "yes"},
    {"No, the heart size is normal", "no"},
    {"No.", "no"},
    {"Yes, there is evidence of cardiomegaly.", "yes"},
    {"Answer: yes", "yes"},
    {"The answer is no.", "no"},
    {"Based on the image, yes.", "yes"},
    {"Based on the image, no.", "no"},
    {"Yeah, it looks enlarged", "yes"},
    {"Nope.", "no"},
    {"\nYes\nThe lungs are clear.", "yes"},
    {"Correct, the trachea is midline.", "yes"},
    {"False.", "no"},
    {"A: Yes", "yes"},
    {"The answer is: Yes, the mass is in the right lung.", "yes"},
    {"Yes!", "yes"},
    {"no.", "no"},
    {"The heart, yes, is enlarged.", "yes"},
    {"No evidence of pneumothorax.", "no"},
    {"Yes, no effusion. No, wait.", "yes"},
    {"There is no pleural effusion.", "There is no pleural effusion"},
    {"Left.", "Left"},
    {"PA view", "PA view"},
    {"Right lower lobe.", "Right lower lobe"},
    {"It is hard to say, yes or no.", "It is hard to say, yes or no"},
    {"The opacity measures 2.5 cm.", "The opacity measures 2.5 cm"},
    {"Maybe yes, maybe no.", "Maybe yes, maybe no"},
    {"Hmm, yes, no.", "Hmm, yes, no"},
    {"", nullptr},
    {"   \n  ", nullptr},
    {"Answer:", nullptr},
    // "Answer:" on a line of its own, and Markdown around it: the answer is on the next line, or
    // after the marks (these were unparsed or kept whole).
    {"Answer:\nYes", "yes"},
    {"Answer: \n\nNo.", "no"},
    {"**Answer:** Yes", "yes"},
    {"**Answer: No**", "no"},
    {"### Answer\nYes, there is a small effusion.", "yes"},
    {"Final Answer: **No**", "no"},
};

const AnswerCase kOpenCases[] = {
    {"Right lower lobe", "Right lower lobe"},
    {"  Pleural effusion.  ", "Pleural effusion."},
    {"Answer: cardiomegaly", "cardiomegaly"},
    {"The answer is pneumothorax", "pneumothorax"},
    {"Left lung\nThe left lung shows an opacity.", "Left lung"},
    {"\n\nChest X-ray", "Chest X-ray"},
    {"The heart is enlarged. This suggests heart failure.", "The heart is enlarged. This suggests heart failure."},
    {"PA", "PA"},
    {"2 cm", "2 cm"},
    {"yes", "yes"},
    {"", nullptr},
    {"\n \n", nullptr},
    {"Answer:\nright lower lobe", "right lower lobe"},
    {"**Answer:** cardiomegaly", "cardiomegaly"},
};

TEST(VqaTask, ParsesClosedAnswers) {
  const Sample s = sample_from(task(), {{"question", "Is there a pleural effusion?"},
                                        {"answer_type", "closed"},
                                        {"reference", "yes"}});
  for (const auto& c : kClosedCases) {
    SCOPED_TRACE(c.answer);
    const Prediction p = task().parse_output(s, c.answer, {});
    EXPECT_EQ(p.parsed, c.expected != nullptr) << p.note;
    EXPECT_EQ(p.text, c.expected ? c.expected : "");
  }
}

TEST(VqaTask, ParsesOpenAnswers) {
  const Sample s = sample_from(task(), {{"question", "Where is the lesion?"},
                                        {"answer_type", "open"},
                                        {"reference", {"right lower lobe", "RLL"}}});
  for (const auto& c : kOpenCases) {
    SCOPED_TRACE(c.answer);
    const Prediction p = task().parse_output(s, c.answer, {});
    EXPECT_EQ(p.parsed, c.expected != nullptr) << p.note;
    EXPECT_EQ(p.text, c.expected ? c.expected : "");
  }
}

TEST(VqaTask, Records) {
  const Sample s = sample_from(task(), {{"question", " Is the heart enlarged? "},
                                        {"answer_type", "Closed"},
                                        {"reference", "no"}});
  EXPECT_EQ(s.question, "Is the heart enlarged?");
  EXPECT_EQ(s.answer_type, "closed");
  EXPECT_EQ(s.ref_texts, std::vector<std::string>{"no"});
  auto err = record_error(task(), {{"answer_type", "open"}, {"reference", "x"}});
  EXPECT_NE(err.find("missing field 'question'"), std::string::npos) << err;
  err = record_error(task(), {{"question", "q?"}, {"answer_type", "yesno"}, {"reference", "x"}});
  EXPECT_NE(err.find("field 'answer_type' is 'yesno'; write 'closed'"), std::string::npos) << err;
  err = record_error(task(), {{"question", "q?"}, {"reference", "x"}});
  EXPECT_NE(err.find("missing field 'answer_type'"), std::string::npos) << err;
  err = record_error(task(), {{"question", "q?"}, {"answer_type", "open"}, {"reference", ""}});
  EXPECT_NE(err.find("field 'reference' is empty"), std::string::npos) << err;
}

TEST(VqaTask, Prompt) {
  Sample s = sample_from(task(), {{"question", "Is there a pneumothorax?"}, {"answer_type", "closed"},
                                  {"reference", "no"}});
  EXPECT_EQ(task().make_prompt(s, {}), "Is there a pneumothorax?");
  TaskOptions o;
  o.prompt_template = "[vqa] {question} Answer yes or no.";
  EXPECT_EQ(task().make_prompt(s, o), "[vqa] Is there a pneumothorax? Answer yes or no.");
}

}  // namespace
}  // namespace imaxbench
