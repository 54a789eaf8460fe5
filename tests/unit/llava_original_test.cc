// The original LLaVA / LLaVA-Med v1.5 layout (models/convert_hf.py, docs/model-package.md §4): the
// package fields of format_version 3 it needs (image.resize "pad_square_shortest_edge_crop" with
// image.pad_values, image_token_id for a placeholder that is not a tokenizer token), LLaVA's
// expand2square before the CLIP resize, and llava boxes mapped back through pad + resize. Pixels
// are held to Pillow + CLIPImageProcessor bit for bit by tests/cli/llava_original_equivalence.sh.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/model_package.h"
#include "images/pil_resize.h"
#include "images/preprocess.h"
#include "tasks/box_frame.h"
#include "tasks/box_parser.h"
#include "core/error.h"
#include "model_package_test_support.h"
#include "test_files.h"
#include "tokenizers/tokenizer.h"

namespace imaxbench {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::TempDir;

const std::string& kTokenizer = testing::kRadiologyTokenizer;
using testing::load_error;
using testing::write_package;

// What convert_hf.py writes for an original-layout checkpoint (vicuna_v1 template, BOS once):
// "<|endoftext|>" stands for the BOS, "<llava-image>" is a placeholder the tokenizer does not know.
nlohmann::json original_manifest() {
  return nlohmann::json::parse(R"({
    "format": "imaxbench-model", "format_version": 3, "name": "t", "module": "model.pt", "dtype": "float32",
    "image": {"width": 28, "height": 28, "channels": 3, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25],
              "resize": "pad_square_shortest_edge_crop", "shortest_edge": 32, "pad_values": [122, 116, 104],
              "tokens": 16},
    "tokenizer": {"kind": "hf-bpe", "file": "tokenizer.json"},
    "chat_template": "<|endoftext|>A chat. USER: <llava-image>\n{prompt} ASSISTANT:",
    "image_token": "<llava-image>", "image_token_id": 0, "special_tokens": ["<|endoftext|>"],
    "eos_token_ids": [2], "pad_token_id": 0, "max_new_tokens": 8,
    "text": {"hidden_size": 64, "vocab_size": 4000, "layers": 2, "kv_heads": 2, "head_dim": 16,
             "max_positions": 1024}})");
}

TEST(LlavaOriginalPackage, VersionThreeFields) {
  TempDir dir;
  const ModelPackage p = load_model_package(write_package(dir, original_manifest()));
  EXPECT_EQ(p.image.resize, "pad_square_shortest_edge_crop");
  EXPECT_EQ(p.image.shortest_edge, 32);
  EXPECT_EQ(p.image.pad_values, (std::vector<int>{122, 116, 104}));
  EXPECT_EQ(p.image_token_id, 0);

  nlohmann::json m = original_manifest();
  m["image"]["pad_values"] = {122, 116};
  EXPECT_THAT(load_error(m), HasSubstr("'image.pad_values' must hold one value per channel (3)"));
  m["image"]["pad_values"] = {122, 116, 300};
  EXPECT_THAT(load_error(m), HasSubstr("'image.pad_values' must hold 8-bit values (0-255), got 300"));
  m["image"].erase("pad_values");
  EXPECT_THAT(load_error(m), HasSubstr("'image.pad_values' is missing"));
  m = original_manifest();
  m["image"].erase("shortest_edge");
  EXPECT_THAT(load_error(m), HasSubstr("'image.shortest_edge' is missing"));
  m = original_manifest();
  m["image_token_id"] = 4000;
  EXPECT_THAT(load_error(m), HasSubstr("'image_token_id' is not below text.vocab_size"));
  // Version 2 knows neither field: the resize is refused, image_token_id ignored.
  m = original_manifest();
  m["format_version"] = 2;
  EXPECT_THAT(load_error(m), HasSubstr("'image.resize' is 'pad_square_shortest_edge_crop'; it must be one of"));
  m["image"]["resize"] = "shortest_edge_crop";
  EXPECT_EQ(load_model_package(write_package(dir, m)).image_token_id, -1);
}

TEST(LlavaOriginalPackage, PlaceholderImageTokenTakesItsId) {
  TempDir dir;
  ModelPackage p = load_model_package(write_package(dir, original_manifest()));
  auto tok = load_tokenizer("hf-bpe", kTokenizer);
  check_package_tokens(p, *tok);  // "<llava-image>" is no token, but image_token_id stands for it
  const PromptIds ids = build_prompt_ids(p, *tok, "Is there an effusion?");
  // LLaVA's tokenizer_image_token: BOS, the chunk before "<image>" alone, the image, the chunk after alone.
  std::vector<std::int32_t> expected{0};
  for (auto id : tok->encode("A chat. USER: ")) expected.push_back(id);
  const std::size_t image_pos = expected.size();
  expected.push_back(0);
  for (auto id : tok->encode("\nIs there an effusion? ASSISTANT:")) expected.push_back(id);
  EXPECT_EQ(ids.ids, expected);
  EXPECT_EQ(ids.image_pos, image_pos);

  p.image_token_id = -1;  // without it the placeholder must be a token
  EXPECT_THROW(check_package_tokens(p, *tok), Error);
  try {
    check_package_tokens(p, *tok);
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("needs image_token_id"));
  }
}

GrayImage gray(int w, int h, std::uint8_t base) {
  GrayImage img;
  img.width = w;
  img.height = h;
  for (int i = 0; i < w * h; ++i) img.pixels.push_back(static_cast<std::uint16_t>(base + i % 7));
  return img;
}

TEST(LlavaOriginalPackage, ExpandToSquareAsLlava) {
  // Landscape 3 x 1: pasted at y = (3 - 1) / 2 = 1. Portrait 2 x 5: at x = (5 - 2) / 2 = 1.
  const std::vector<std::uint8_t> wide{1, 2, 3};
  EXPECT_EQ(pad_to_square(wide.data(), 3, 1, 9), (std::vector<std::uint8_t>{9, 9, 9, 1, 2, 3, 9, 9, 9}));
  const std::vector<std::uint8_t> tall{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<std::uint8_t> square = pad_to_square(tall.data(), 2, 5, 0);
  ASSERT_EQ(square.size(), 25u);
  EXPECT_EQ(std::vector<std::uint8_t>(square.begin(), square.begin() + 5), (std::vector<std::uint8_t>{0, 1, 2, 0, 0}));
  EXPECT_EQ(std::vector<std::uint8_t>(square.begin() + 20, square.end()),
            (std::vector<std::uint8_t>{0, 9, 10, 0, 0}));
  const std::vector<std::uint8_t> one{7, 8, 9, 10};
  EXPECT_EQ(pad_to_square(one.data(), 2, 2, 0), one);  // a square stays as it is
}

TEST(LlavaOriginalPackage, EachChannelHasItsOwnPad) {
  ImageSpec spec{28, 28, 3, 0.0f, 1.0f, ImageSpec::Resize::kPilPadSquareShortestEdgeCrop, 32, {122, 116, 122}};
  const std::size_t n = 28 * 28;
  std::vector<float> out(3 * n);
  preprocess_for_spec(gray(60, 20, 40), spec, out.data());
  // The corner lies in the pad (rows above the pasted image): the pad's value per channel.
  EXPECT_FLOAT_EQ(out[0], rescale_8bit(122));
  EXPECT_FLOAT_EQ(out[n], rescale_8bit(116));
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + n), std::vector<float>(out.begin() + 2 * n, out.end()));
  // The centre lies in the image: the same in every channel.
  const std::size_t centre = 14 * 28 + 14;
  EXPECT_EQ(out[centre], out[n + centre]);
  // A square image has no pad: every channel is CLIPImageProcessor's plane.
  std::vector<float> clip(n);
  const GrayImage sq = gray(40, 40, 10);
  pil_clip_plane(sq, 32, 28, 28, clip.data());
  preprocess_for_spec(sq, spec, out.data());
  EXPECT_EQ(std::vector<float>(out.begin() + n, out.begin() + 2 * n), clip);

  spec.pad_values = {122, 116};
  EXPECT_THROW(preprocess_for_spec(sq, spec, out.data()), Error);
}

// LLaVA answers boxes as fractions of the padded square it saw; they map back through the crop of
// the resized square and the pad's offset.
TEST(LlavaOriginalPackage, LlavaBoxesMapBackThroughThePad) {
  struct Row {
    std::array<double, 2> image;  // original width, height
    ModelInput input;
    const char* answer;
    Box expected;  // original pixels
  };
  const ModelInput llava{336, 336, 336, true}, cropped{28, 28, 32, true};
  const Row rows[] = {
      // 1000 x 800: a 1000 square, the image from y = 100; 1 input pixel = 1000 / 336 original ones.
      {{1000, 800}, llava, "[0.1, 0.2, 0.5, 0.6]", Box{100, 100, 500, 500}},
      {{1000, 800}, llava, "[0, 0.1, 1, 0.9]", Box{0, 0, 1000, 800}},
      {{1000, 800}, llava, "[0, 0, 1, 1]", Box{0, -100, 1000, 900}},  // the whole square, pad included
      // 800 x 1000: the image from x = 100.
      {{800, 1000}, llava, "[0.1, 0.2, 0.5, 0.6]", Box{0, 200, 400, 600}},
      // A square needs no pad.
      {{500, 500}, llava, "[0.2, 0.2, 0.4, 0.6]", Box{100, 100, 200, 300}},
      // Square 64 -> 32, centre crop 28 from 2: input (0, 0) is square (4, 4); the pad of 640 x 320 is 160.
      {{640, 320}, cropped, "[0, 0, 1, 1]", Box{40, -120, 600, 440}},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.answer);
    const BoxParse p = parse_box_answer(r.answer, BoxFormat::kLlava, r.image, r.input);
    ASSERT_TRUE(p.ok) << p.note;
    EXPECT_NEAR(p.box.x1, r.expected.x1, 1e-9);
    EXPECT_NEAR(p.box.y1, r.expected.y1, 1e-9);
    EXPECT_NEAR(p.box.x2, r.expected.x2, 1e-9);
    EXPECT_NEAR(p.box.y2, r.expected.y2, 1e-9);
  }
  // A box put into a prompt goes the other way, clamped to the input.
  const BoxFrame f = box_frame(llava, {1000, 800});
  const Box in = to_input(Box{100, 100, 500, 500}, f);
  EXPECT_NEAR(in.x1, 33.6, 1e-9);
  EXPECT_NEAR(in.y1, 67.2, 1e-9);
  EXPECT_EQ(format_box(Box{100, 100, 500, 500}, BoxFormat::kLlava, std::array<double, 2>{1000, 800}, llava),
            "[0.10, 0.20, 0.50, 0.60]");
}

}  // namespace
}  // namespace imaxbench
