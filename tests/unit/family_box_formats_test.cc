// The four model families' native box formats (tasks/family_boxes.h, tasks/box_parser.h): one
// table per family, parse and render, read in the model's input frame (tasks/box_frame.h).
#include <array>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "tasks/box_frame.h"
#include "tasks/box_parser.h"
#include "tasks/task.h"
#include "task_test_support.h"

namespace imaxbench {
namespace {

// Image 1000 x 800. The box [100, 160, 300, 320] pixels is qwen2_vl (100,200),(300,400),
// llava [0.1, 0.2, 0.3, 0.4], minigpt_v2 {<10><20><30><40>}.
const std::array<double, 2> kImage{1000, 800};
const Box kBox{100, 160, 300, 320};

struct Case {
  const char* answer;
  std::optional<Box> expected;  // original pixels; nullopt: unparsed
  int n_boxes;
  const char* note = "";        // a part of Prediction::note, when it matters
};

void check_table(const char* format, const std::optional<ModelInput>& input, std::initializer_list<Case> cases) {
  const auto f = box_format_from_name(format);
  ASSERT_TRUE(f.has_value()) << format;
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(format) + ": " + c.answer);
    const BoxParse p = parse_box_answer(c.answer, *f, kImage, input);
    ASSERT_EQ(p.ok, c.expected.has_value()) << p.note;
    EXPECT_EQ(p.n_boxes, c.n_boxes) << p.note;
    EXPECT_EQ(p.format, format);
    EXPECT_NE(p.note.find(c.note), std::string::npos) << p.note;
    if (!c.expected) continue;
    EXPECT_NEAR(p.box.x1, c.expected->x1, 1e-9);
    EXPECT_NEAR(p.box.y1, c.expected->y1, 1e-9);
    EXPECT_NEAR(p.box.x2, c.expected->x2, 1e-9);
    EXPECT_NEAR(p.box.y2, c.expected->y2, 1e-9);
  }
}

TEST(FamilyBoxFormats, Qwen2Vl) {
  check_table("qwen2_vl", std::nullopt, {
      {"<|box_start|>(100,200),(300,400)<|box_end|>", kBox, 1},
      {"<|object_ref_start|>the nodule<|object_ref_end|><|box_start|>(100,200),(300,400)<|box_end|>", kBox, 1},
      {"the nodule(100,200),(300,400)", kBox, 1},  // decoded with special tokens skipped
      {"<|box_start|>( 100 , 200 ) , ( 300 , 400 )<|box_end|>", kBox, 1},
      {"Sure. <|box_start|>(100,200),(300,400)<|box_end|> is the opacity.", kBox, 1},
      {"<|box_start|>(300,400),(100,200)<|box_end|>", kBox, 1, "swapped corners put in order"},
      {"<|box_start|>(100,200),(300,400)<|box_end|><|box_start|>(0,0),(10,10)<|box_end|>", kBox, 2,
       "2 boxes; used the first"},
      {"<|box_start|>(0,0),(1000,1000)<|box_end|>", Box{0, 0, 1000, 800}, 1},
      {"<box>(100,200),(300,400)</box>", kBox, 1},  // Qwen-VL's tags are text; the pair is read
      // Unparsed.
      {"<|box_start|>(100,200),(1300,400)<|box_end|>", std::nullopt, 1, "outside the qwen2_vl range 0-1000"},
      {"<|box_start|>(-5,200),(300,400)<|box_end|>", std::nullopt, 1},
      {"{<10><20><30><40>}", std::nullopt, 0, "no box found; expected <|box_start|>"},
      {"[0.1, 0.2, 0.3, 0.4]", std::nullopt, 0},
      {"<|box_start|>(100,200)<|box_end|>", std::nullopt, 0},
      {"(100,200,300,400)", std::nullopt, 0},
      {"I cannot see a nodule.", std::nullopt, 0},
      {"", std::nullopt, 0},
  });
}

TEST(FamilyBoxFormats, Qwen25VlInPixelsOfTheModelInput) {
  // The model saw the image stretched to 500 x 400: its pixels are half the original's.
  check_table("qwen2_5_vl", ModelInput{500, 400, 0}, {
      {"{\"bbox_2d\": [50, 80, 150, 160]}", kBox, 1},
      {"{\"bbox_2d\":[50,80,150,160],\"label\":\"nodule\"}", kBox, 1},
      {"```json\n[\n\t{\"bbox_2d\": [50, 80, 150, 160], \"label\": \"left lower lobe opacity\"}\n]\n```", kBox, 1},
      {"```json\n[{\"bbox_2d\": [50, 80, 150, 160], \"label\": \"a\"}, {\"bbox_2d\": [0, 0, 5, 5], \"label\": \"b\"}]\n```",
       kBox, 2, "2 boxes; used the first"},
      {"{\"bbox_2d\": [150, 160, 50, 80]}", kBox, 1, "swapped corners put in order"},
      // As json.dumps(indent=4) writes it (13 spaces and a line break in a row: unparsed once).
      {"[\n    {\n        \"bbox_2d\": [\n            50,\n            80,\n            150,\n            160\n"
       "        ],\n        \"label\": \"consolidation\"\n    }\n]", kBox, 1},
      {"{\"bbox_2d\": [50.5, 80, 150, 160]}", Box{101, 160, 300, 320}, 1},
      {"{\"bbox_2d\": [0, 0, 500, 400]}", Box{0, 0, 1000, 800}, 1},
      // Unparsed.
      {"{\"bbox_2d\": [50, 80, 600, 160]}", std::nullopt, 1, "outside the qwen2_5_vl range 0-500"},
      {"{\"bbox_2d\": [50, 80, 150]}", std::nullopt, 0},
      {"{\"bbox\": [50, 80, 150, 160]}", std::nullopt, 0},
      {"[50, 80, 150, 160]", std::nullopt, 0, "no box found; expected {\"bbox_2d\""},
      {"<|box_start|>(100,200),(300,400)<|box_end|>", std::nullopt, 0},
      {"", std::nullopt, 0},
  });
}

TEST(FamilyBoxFormats, Qwen25VlWithoutAModelInputIsInOriginalPixels) {
  check_table("qwen2_5_vl", std::nullopt, {
      {"{\"bbox_2d\": [100, 160, 300, 320]}", kBox, 1},
      {"{\"bbox_2d\": [100, 160, 1300, 320]}", std::nullopt, 1, "range 0-1000"},
  });
}

TEST(FamilyBoxFormats, Llava) {
  check_table("llava", std::nullopt, {
      {"[0.1, 0.2, 0.3, 0.4]", kBox, 1},
      {"The nodule is at [0.10, 0.20, 0.30, 0.40].", kBox, 1},
      {"[0.1,0.2,0.3,0.4]", kBox, 1},
      {"[ 0.1 , 0.2 , 0.3 , 0.4 ]", kBox, 1},
      {"[0.3, 0.4, 0.1, 0.2]", kBox, 1, "swapped corners put in order"},
      {"[0.1, 0.2, 0.3, 0.4] and [0.5, 0.5, 0.6, 0.6]", kBox, 2, "2 boxes; used the first"},
      {"[0, 0, 1, 1]", Box{0, 0, 1000, 800}, 1},
      // Unparsed.
      {"[0.1, 0.2, 1.3, 0.4]", std::nullopt, 1, "outside the llava range 0-1"},
      {"[100, 160, 300, 320]", std::nullopt, 1},  // pixels are not LLaVA's
      {"[0.1 0.2 0.3 0.4]", std::nullopt, 0},
      {"(0.1, 0.2, 0.3, 0.4)", std::nullopt, 0},
      {"[0.1, 0.2, 0.3]", std::nullopt, 0, "no box found; expected [x1, y1, x2, y2] (llava)"},
      {"{<10><20><30><40>}", std::nullopt, 0},
      {"", std::nullopt, 0},
  });
}

TEST(FamilyBoxFormats, MiniGptV2) {
  check_table("minigpt_v2", std::nullopt, {
      {"{<10><20><30><40>}", kBox, 1},
      {"<p>left lower lobe opacity</p> {<10><20><30><40>}", kBox, 1},
      {"<10><20><30><40>", kBox, 1},
      {"{< 10 >< 20 >< 30 >< 40 >}", kBox, 1},
      {"{<30><40><10><20>}", kBox, 1, "swapped corners put in order"},
      {"{<10><20><30><40>}{<50><50><60><60>}", kBox, 2, "2 boxes; used the first"},
      {"{<0><0><100><100>}", Box{0, 0, 1000, 800}, 1},
      // Unparsed.
      {"{<10><20><30><140>}", std::nullopt, 1, "outside the minigpt_v2 range 0-100"},
      {"{<-5><20><30><40>}", std::nullopt, 1},
      {"{<10><20><30>}", std::nullopt, 0},
      {"<|box_start|>(100,200),(300,400)<|box_end|>", std::nullopt, 0},
      {"[0.1, 0.2, 0.3, 0.4]", std::nullopt, 0},
      {"", std::nullopt, 0},
  });
}

TEST(FamilyBoxFormats, GridFormatsOfACentreCropMapBackThroughTheCrop) {
  // CLIP-style: 1000 x 800 -> short side 336 -> 420 x 336 -> centre 336 x 336 from x = 42, which
  // is x = 100 in the original; 336 input pixels are 800 original ones.
  const ModelInput clip{336, 336, 336};
  const BoxFrame f = box_frame(clip, kImage);
  EXPECT_DOUBLE_EQ(f.offset_x, 100);
  EXPECT_DOUBLE_EQ(f.offset_y, 0);
  EXPECT_DOUBLE_EQ(f.scale_x, 1000.0 / 420);
  EXPECT_DOUBLE_EQ(f.scale_y, 800.0 / 336);
  check_table("qwen2_5_vl", clip, {{"{\"bbox_2d\": [0, 0, 336, 336]}", Box{100, 0, 900, 800}, 1}});
  check_table("llava", clip, {{"[0, 0, 1, 1]", Box{100, 0, 900, 800}, 1},
                              {"[0.5, 0.5, 0.5, 0.5]", Box{500, 400, 500, 400}, 1}});
  // A portrait image crops vertically.
  const BoxFrame p = box_frame(clip, {800, 1000});
  EXPECT_DOUBLE_EQ(p.offset_x, 0);
  EXPECT_DOUBLE_EQ(p.offset_y, 100);
}

TEST(FamilyBoxFormats, StretchFrameAndIdentity) {
  const BoxFrame s = box_frame(ModelInput{500, 400, 0}, kImage);
  EXPECT_DOUBLE_EQ(s.scale_x, 2);
  EXPECT_DOUBLE_EQ(s.scale_y, 2);
  EXPECT_DOUBLE_EQ(s.offset_x, 0);
  const BoxFrame id = box_frame(std::nullopt, kImage);
  EXPECT_DOUBLE_EQ(id.input_w, 1000);
  EXPECT_DOUBLE_EQ(id.scale_x, 1);
  EXPECT_EQ(to_original(Box{1, 2, 3, 4}, id), (Box{1, 2, 3, 4}));
}

struct RenderCase {
  const char* format;
  std::optional<ModelInput> input;
  Box box;
  const char* expected;
};

TEST(FamilyBoxFormats, RenderTable) {
  const ModelInput half{500, 400, 0}, clip{336, 336, 336};
  const RenderCase cases[] = {
      {"qwen2_vl", std::nullopt, kBox, "<|box_start|>(100,200),(300,400)<|box_end|>"},
      {"qwen2_vl", half, kBox, "<|box_start|>(100,200),(300,400)<|box_end|>"},  // a stretch keeps the grid
      {"qwen2_vl", std::nullopt, Box{0.4, 0.4, 1000, 800}, "<|box_start|>(0,1),(1000,1000)<|box_end|>"},
      {"qwen2_5_vl", std::nullopt, kBox, "{\"bbox_2d\": [100, 160, 300, 320]}"},
      {"qwen2_5_vl", half, kBox, "{\"bbox_2d\": [50, 80, 150, 160]}"},
      // Through the crop: x - 100 then * 0.42; a part left of the crop is clamped to 0.
      {"qwen2_5_vl", clip, kBox, "{\"bbox_2d\": [0, 67, 84, 134]}"},
      {"qwen2_5_vl", clip, Box{0, 0, 1000, 800}, "{\"bbox_2d\": [0, 0, 336, 336]}"},
      {"llava", std::nullopt, kBox, "[0.10, 0.20, 0.30, 0.40]"},
      {"llava", std::nullopt, Box{123, 456, 789, 800}, "[0.12, 0.57, 0.79, 1.00]"},
      {"minigpt_v2", std::nullopt, kBox, "{<10><20><30><40>}"},
      {"minigpt_v2", half, kBox, "{<10><20><30><40>}"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.format);
    EXPECT_EQ(format_box(c.box, *box_format_from_name(c.format), kImage, c.input), c.expected);
  }
  // Without the image size a grid cannot be computed: pixels, as for the generic formats.
  EXPECT_EQ(format_box(kBox, BoxFormat::kQwen2Vl, std::nullopt), "[100, 160, 300, 320]");
}

TEST(FamilyBoxFormats, RenderedBoxesParseBack) {
  for (const char* name : {"qwen2_vl", "qwen2_5_vl", "llava", "minigpt_v2"}) {
    for (const std::optional<ModelInput>& input :
         {std::optional<ModelInput>{}, std::optional<ModelInput>{ModelInput{500, 400, 0}}}) {
      SCOPED_TRACE(name);
      const BoxFormat f = *box_format_from_name(name);
      const BoxParse p = parse_box_answer(format_box(kBox, f, kImage, input), f, kImage, input);
      ASSERT_TRUE(p.ok) << p.note;
      EXPECT_EQ(p.box, kBox);
    }
  }
}

TEST(FamilyBoxFormats, NamesRoundTripAndGenericFormatsIgnoreTheModelInput) {
  for (const char* name : {"auto", "grid100", "grid1000", "fraction", "pixel", "qwen2_vl", "qwen2_5_vl",
                           "llava", "minigpt_v2"}) {
    const auto f = box_format_from_name(name);
    ASSERT_TRUE(f.has_value()) << name;
    EXPECT_EQ(box_format_name(*f), name);
    EXPECT_NE(std::string(box_format_names()).find(name), std::string::npos);
  }
  EXPECT_FALSE(box_format_from_name("qwen25").has_value());
  // grid1000 stays relative to the original image whatever the model's input.
  const BoxParse p = parse_box_answer("<box>(100,200),(300,400)</box>", BoxFormat::kGrid1000, kImage,
                                      ModelInput{336, 336, 336});
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.box, kBox);
}

TEST(FamilyBoxFormats, RecAndRegUseTheTaskOptions) {
  const Task& rec = *find_task("rec");
  const Sample s = testing::sample_from(rec, {{"phrase", "the nodule"}, {"image_size", {1000, 800}},
                                              {"reference", {100, 160, 300, 320}}});
  TaskOptions o;
  o.box_format = "qwen2_5_vl";
  o.model_input = ModelInput{500, 400, 0};
  const Prediction p = rec.parse_output(s, "```json\n[{\"bbox_2d\": [50, 80, 150, 160]}]\n```", o);
  ASSERT_TRUE(p.parsed) << p.note;
  EXPECT_EQ(p.box, kBox);
  EXPECT_EQ(p.box_format, "qwen2_5_vl");

  const Task& reg = *find_task("reg");
  const Sample r = testing::sample_from(reg, {{"box", {100, 160, 300, 320}}, {"image_size", {1000, 800}},
                                              {"reference", "opacity"}});
  o.prompt_template = "What is in {box}?";
  EXPECT_EQ(reg.make_prompt(r, o), "What is in {\"bbox_2d\": [50, 80, 150, 160]}?");
  o.box_format = "qwen2_vl";
  EXPECT_EQ(reg.make_prompt(r, o), "What is in <|box_start|>(100,200),(300,400)<|box_end|>?");
  o.box_format = "llava";
  EXPECT_EQ(reg.make_prompt(r, o), "What is in [0.10, 0.20, 0.30, 0.40]?");
  o.box_format = "minigpt_v2";
  EXPECT_EQ(reg.make_prompt(r, o), "What is in {<10><20><30><40>}?");
}

// 10 MB adversarial answers in each family's syntax: linear, so each takes well under a second
// (no time is measured; see parser_linear_test.cc). The count proves the work was done.
TEST(FamilyBoxFormats, ParsingStaysLinear) {
  struct Linear {
    const char* format;
    std::string unit;
    int expected_boxes;
  };
  const Linear cases[] = {
      {"qwen2_vl", "<|box_start|>(1,2),(3,", 0},
      {"qwen2_vl", "(((((", 0},
      {"qwen2_vl", "(1,2),(3,4)", 909090},
      {"qwen2_5_vl", "{\"bbox_2d\": [1, 2, 3,", 0},
      {"qwen2_5_vl", "\"\"\"\"", 0},
      {"llava", "[0.1, 0.2, 0.3,", 0},
      {"llava", "[[[[", 0},
      {"minigpt_v2", "{<1><2><3>", 0},
      {"minigpt_v2", "{<1><2><3><4>}", 714285},
  };
  constexpr std::size_t kBytes = 10'000'000;
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.format) + " " + c.unit);
    std::string text;
    text.reserve(kBytes + c.unit.size());
    while (text.size() < kBytes) text += c.unit;
    text.resize(kBytes);
    const BoxParse p = parse_box_answer(text, *box_format_from_name(c.format), kImage);
    EXPECT_EQ(p.n_boxes, c.expected_boxes) << p.note;
  }
}

}  // namespace
}  // namespace imaxbench
