#include <optional>

#include <gtest/gtest.h>

#include "tasks/box_parser.h"
#include "tasks/task.h"
#include "task_test_support.h"

namespace imaxbench {
namespace {

using testing::record_error;
using testing::sample_from;
using nlohmann::json;

const Task& task() { return *find_task("rec"); }

// Image 1000 x 800: grid100 {<10><20><30><40>} is pixels [100, 160, 300, 320].
const Box kBox{100, 160, 300, 320};

struct BoxCase {
  const char* answer;
  const char* box_format;      // option
  std::optional<Box> expected;  // pixels; nullopt: unparsed
  const char* read_as;          // Prediction::box_format ("" when not reached)
  int n_boxes;
};

const BoxCase kBoxCases[] = {
    {"{<10><20><30><40>}", "auto", kBox, "grid100", 1},
    {"<p>left lower lobe opacity</p> {<10><20><30><40>}", "auto", kBox, "grid100", 1},
    {"<box>(100,200),(300,400)</box>", "auto", kBox, "grid1000", 1},
    {"<ref>the nodule</ref><box>(100,200),(300,400)</box>", "auto", kBox, "grid1000", 1},
    {"[0.1, 0.2, 0.3, 0.4]", "auto", kBox, "fraction", 1},
    {"[100, 160, 300, 320]", "auto", kBox, "pixel", 1},
    {"The lesion is located at [100, 160, 300, 320].", "auto", kBox, "pixel", 1},
    {"{<30><40><10><20>}", "auto", kBox, "grid100", 1},
    {"{<10><20><30><40>}{<50><50><60><60>}", "auto", kBox, "grid100", 2},
    {"(100,200),(300,400)", "auto", kBox, "grid1000", 1},
    {"<|box_start|>(100,200),(300,400)<|box_end|>", "auto", kBox, "grid1000", 1},
    {"{< 10 >< 20 >< 30 >< 40 >}", "auto", kBox, "grid100", 1},
    {"<10><20><30><40>", "auto", kBox, "grid100", 1},
    {"[100 160 300 320]", "auto", kBox, "pixel", 1},
    {"(0.1, 0.2, 0.3, 0.4)", "auto", kBox, "fraction", 1},
    {"[0, 0, 1, 1]", "auto", Box{0, 0, 1000, 800}, "fraction", 1},
    {"{<10.5><20><30><40>}", "auto", Box{105, 160, 300, 320}, "grid100", 1},
    {"The box is {<10><20><30><40>} and also [0.5, 0.5, 0.6, 0.6]", "auto", kBox, "grid100", 2},
    {"<box>(0.1,0.2),(0.3,0.4)</box>", "auto", kBox, "fraction", 1},
    {"[100, 200, 300, 400]", "grid1000", kBox, "grid1000", 1},
    {"<box>(10,20),(30,40)</box>", "grid100", kBox, "grid100", 1},
    {"{<10><20><30><40>}", "pixel", Box{10, 20, 30, 40}, "pixel", 1},
    {"[0.1,0.2,0.3,0.4]", "fraction", kBox, "fraction", 1},
    {"Right upper lobe: [300, 320, 100, 160]", "pixel", kBox, "pixel", 1},
    // Written by a script: floats in full (17 digits) and JSON indented; both were unparsed.
    {"[0.1, 0.20000000000000001, 0.30000000000000004, 0.4]", "auto", kBox, "fraction", 1},
    {"[\n    [\n        100,\n        160,\n        300,\n        320\n    ]\n]", "auto", kBox, "pixel", 1},
    // Unparsed.
    {"{<10><20><30><140>}", "auto", std::nullopt, "grid100", 1},
    {"<box>(100,200),(1300,400)</box>", "auto", std::nullopt, "grid1000", 1},
    {"[100, 160, 1300, 320]", "auto", std::nullopt, "pixel", 1},
    {"[0.1, 0.2, 1.3, 0.4]", "fraction", std::nullopt, "fraction", 1},
    {"I cannot find the lesion in this image.", "auto", std::nullopt, "", 0},
    {"", "auto", std::nullopt, "", 0},
    {"{<-5><20><30><40>}", "auto", std::nullopt, "grid100", 1},
    {"Bounding box: x1=100, y1=160, x2=300, y2=320", "auto", std::nullopt, "", 0},
    {"[100, 160, 300]", "auto", std::nullopt, "", 0},
    {"The left lung (upper zone).", "auto", std::nullopt, "", 0},
    {"{<10><20><30><40>}", "grid50", std::nullopt, "", 0},
};

TEST(RecTask, ParsesRealisticAnswers) {
  const Sample s = sample_from(task(), {{"phrase", "left lower lobe opacity"},
                                        {"image_size", {1000, 800}},
                                        {"reference", {100, 160, 300, 320}}});
  for (const auto& c : kBoxCases) {
    SCOPED_TRACE(std::string(c.answer) + " as " + c.box_format);
    TaskOptions o;
    o.box_format = c.box_format;
    const Prediction p = task().parse_output(s, c.answer, o);
    ASSERT_EQ(p.parsed, c.expected.has_value()) << p.note;
    if (c.expected) {
      EXPECT_NEAR(p.box.x1, c.expected->x1, 1e-9);
      EXPECT_NEAR(p.box.y1, c.expected->y1, 1e-9);
      EXPECT_NEAR(p.box.x2, c.expected->x2, 1e-9);
      EXPECT_NEAR(p.box.y2, c.expected->y2, 1e-9);
    } else {
      EXPECT_FALSE(p.note.empty());
    }
    EXPECT_EQ(p.box_format, c.read_as) << p.note;
    EXPECT_EQ(p.n_boxes, c.n_boxes);
  }
}

TEST(RecTask, NotesAssumptions) {
  const Sample s = sample_from(task(), {{"phrase", "x"}, {"image_size", {1000, 800}}, {"reference", {0, 0, 1, 1}}});
  EXPECT_NE(task().parse_output(s, "[100, 160, 300, 320]", {}).note.find("as pixel"), std::string::npos);
  EXPECT_NE(task().parse_output(s, "{<30><40><10><20>}", {}).note.find("swapped"), std::string::npos);
  EXPECT_NE(task().parse_output(s, "{<1><2><3><4>} {<5><6><7><8>}", {}).note.find("2 boxes; used the first"),
            std::string::npos);
}

TEST(RecTask, GridsNeedTheImageSize) {
  const Sample s = sample_from(task(), {{"phrase", "x"}, {"reference", {1, 2, 3, 4}}});
  auto p = task().parse_output(s, "{<10><20><30><40>}", {});
  EXPECT_FALSE(p.parsed);
  EXPECT_NE(p.note.find("image size unknown"), std::string::npos);
  p = task().parse_output(s, "[100, 160, 300, 320]", {});
  EXPECT_TRUE(p.parsed);
  EXPECT_EQ(p.box, (Box{100, 160, 300, 320}));
}

TEST(RecTask, ReadsValidRecords) {
  const Sample s = sample_from(task(), {{"phrase", " the right pleural effusion "},
                                        {"image_size", {512, 512}},
                                        {"reference", {10, 20, 512, 300}}});
  EXPECT_EQ(s.phrase, "the right pleural effusion");
  EXPECT_EQ(s.ref_box, (Box{10, 20, 512, 300}));
}

TEST(RecTask, RejectsBadRecordsWithActionableMessages) {
  auto err = record_error(task(), {{"reference", {1, 2, 3, 4}}});
  EXPECT_NE(err.find("missing field 'phrase'"), std::string::npos) << err;
  err = record_error(task(), {{"phrase", "x"}, {"image_size", {100, 100}}, {"reference", {10, 10, 200, 50}}});
  EXPECT_NE(err.find("field 'reference' lies outside the 100x100 image"), std::string::npos) << err;
  err = record_error(task(), {{"phrase", "x"}, {"reference", {30, 10, 20, 50}}});
  EXPECT_NE(err.find("field 'reference' has x2 < x1"), std::string::npos) << err;
  err = record_error(task(), {{"phrase", "x"}, {"reference", {0.1, 0.2}}});
  EXPECT_NE(err.find("field 'reference' must be [x1, y1, x2, y2] (4 numbers), got 2 values"),
            std::string::npos) << err;
}

TEST(RecTask, PromptAndMetrics) {
  const Sample s = sample_from(task(), {{"phrase", "the cardiac silhouette"}, {"reference", {1, 2, 3, 4}}});
  EXPECT_EQ(task().make_prompt(s, {}), "[refer] Give me the location of the cardiac silhouette.");
  const auto metrics = task().default_metrics();
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].name, "acc_iou_0.5");
  EXPECT_EQ(metrics[0].id, "acc_iou_0.5");
  EXPECT_EQ(metrics[0].params, (json{{"iou_convention", "pixel_inclusive"}}));
  EXPECT_EQ(metrics[1].name, "miou");
  EXPECT_EQ(metrics[1].params, metrics[0].params);
}

TEST(BoxParser, FormatsBoxesForPrompts) {
  const std::optional<std::array<double, 2>> size = std::array<double, 2>{1000, 800};
  EXPECT_EQ(format_box(kBox, BoxFormat::kAuto, size), "{<10><20><30><40>}");
  EXPECT_EQ(format_box(kBox, BoxFormat::kGrid1000, size), "<box>(100,200),(300,400)</box>");
  EXPECT_EQ(format_box(kBox, BoxFormat::kFraction, size), "[0.100, 0.200, 0.300, 0.400]");
  EXPECT_EQ(format_box(Box{1.5, 2, 3, 4}, BoxFormat::kPixel, size), "[1.50, 2, 3, 4]");
  EXPECT_EQ(format_box(kBox, BoxFormat::kGrid100, std::nullopt), "[100, 160, 300, 320]");
  // What format_box writes, parse_box_answer reads back.
  for (auto f : {BoxFormat::kGrid100, BoxFormat::kGrid1000, BoxFormat::kFraction, BoxFormat::kPixel}) {
    auto r = parse_box_answer(format_box(kBox, f, size), f, size);
    ASSERT_TRUE(r.ok) << r.note;
    EXPECT_EQ(r.box, kBox);
  }
}

}  // namespace
}  // namespace imaxbench
