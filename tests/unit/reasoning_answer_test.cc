// A reasoning model's answer is read after its <think> block: the reasoning's words and numbers are
// not the answer, and a block never closed holds no answer at all.
#include "tasks/reasoning_answer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "task_test_support.h"

namespace imaxbench {
namespace {

using testing::sample_from;

// What a parser reads of each answer.
TEST(ReasoningAnswer, TheAnswerFollowsTheBlockOrTheFinalAnswer) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"<think>is it 0.4 or 0.6?</think>\n0.55", "\n0.55"},
      {"  \n<think>a</think>b", "b"},
      {"The heart looks large.</think>Yes", "Yes"},  // the template opened the block (DeepSeek-R1)
      {"Yes.", "Yes."},                             // no block: all of it
      {"Use <think> and </think> tags", "Use <think> and </think> tags"},  // a tag pair inside the answer
      // A chain of thought ending in "Final answer: X" is read from X: its steps hold other boxes,
      // classes and yes/no words (the first of each was taken).
      {"Step 1: ... Final answer: 0.55", "0.55"},
      {"**Final Answer:** Yes", "Yes"},
      {"So my final answer is: no.", "no."},
      {"<think>x</think>Steps... Final answer = 3", "3"},
      {"Yes. This is my final answer.", "Yes. This is my final answer."},
      {"Final answer:", "Final answer:"},
  };
  for (const auto& [raw, want] : cases) EXPECT_EQ(answer_after_reasoning(raw).answer, want) << raw;
  const ReasonedAnswer cut = answer_after_reasoning("<think>Let me measure the heart: 15 cm, the");
  EXPECT_TRUE(cut.cut_off);
  EXPECT_TRUE(cut.answer.empty());
}

TEST(ReasoningAnswer, TasksReadTheAnswerNotTheReasoning) {
  const Task& calc = *find_task("calculation");
  const Sample c = sample_from(calc, {{"quantity", "ctr"}, {"reference", 0.55}});
  const Prediction ratio = read_answer(calc, c, "<think>Grade 1 view. Is it 0.4? No...</think>The CTR is 0.55.", {});
  EXPECT_TRUE(ratio.parsed);
  EXPECT_DOUBLE_EQ(ratio.number, 0.55);

  const Task& vqa = *find_task("vqa");
  const Sample q = sample_from(vqa, {{"question", "Is there an effusion?"}, {"answer_type", "closed"}, {"reference", "no"}});
  const Prediction no = read_answer(vqa, q, "<think>\nYes, there might be... no, the angles are sharp.\n</think>\n\nNo.", {});
  EXPECT_TRUE(no.parsed);
  EXPECT_EQ(no.text, "no");

  const Prediction cut = read_answer(vqa, q, "<think>\nYes, there might be", {});
  EXPECT_FALSE(cut.parsed);
  EXPECT_NE(cut.note.find("never closed"), std::string::npos) << cut.note;
  // Without a block, parse_output's own reading.
  EXPECT_EQ(read_answer(vqa, q, "Yes.", {}).text, "yes");
}

// A chain of thought read from its final answer, in three tasks.
TEST(ReasoningAnswer, TasksReadAChainOfThoughtFromItsFinalAnswer) {
  const Task& vqa = *find_task("vqa");
  const Sample q = sample_from(vqa, {{"question", "Is there an effusion?"}, {"answer_type", "closed"}, {"reference", "no"}});
  EXPECT_EQ(read_answer(vqa, q, "Let me look.\nYes, the angle might be blunted... no, it is sharp.\nFinal answer: No", {}).text,
            "no");
  const Task& rec = *find_task("rec");
  const Sample r = sample_from(rec, {{"phrase", "the tube"}, {"image_size", {320, 256}}, {"reference", {51, 81, 89, 125}}});
  const Prediction box =
      read_answer(rec, r, "Step 1: the right lung spans [10, 20, 150, 240]. Final answer: [51, 81, 89, 125]", {});
  ASSERT_TRUE(box.parsed) << box.note;
  EXPECT_EQ(box.box, (Box{51, 81, 89, 125}));
  const Task& edema = *find_task("multiclass_classification");
  const Sample e = sample_from(edema, {{"reference", "none"}});
  EXPECT_EQ(read_answer(edema, e, "It could be alveolar edema, but the lines suggest less. Final answer: interstitial edema", {})
                .class_index,
            2);
}

}  // namespace
}  // namespace imaxbench
