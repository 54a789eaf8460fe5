// The `torchscript` backend: the package manifest's checks and the chat-template tokenization
// (every build), and in a LibTorch build greedy decoding on the exported demo package: KV cache ==
// full recomputation, a left-padded batch of 8 == one request at a time, and broken packages
// (missing method, wrong shapes, bad fields) refused with a message naming what is wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <nlohmann/json.hpp>

#include "backends/model_package.h"
#include "backends/torchscript.h"
#include "harness/backend_registry.h"
#include "core/error.h"
#include "model_package_test_support.h"
#include "test_files.h"
#include "tokenizers/tokenizer.h"
#include "torchscript_test_support.h"

namespace imaxbench {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::TempDir;

const std::string& kTokenizer = testing::kRadiologyTokenizer;
using testing::load_error;
using testing::write_package;

nlohmann::json demo_manifest() {
  return nlohmann::json::parse(R"({
    "format": "imaxbench-model", "format_version": 1, "name": "t", "module": "model.pt", "dtype": "float32",
    "decoding": "kv_cache",
    "image": {"width": 64, "height": 64, "channels": 3, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25],
              "resize": "bilinear", "tokens": 64},
    "tokenizer": {"kind": "hf-bpe", "file": "tokenizer.json"},
    "chat_template": "<|im_start|>user\n<image>\n{prompt}<|im_end|>\n<|im_start|>assistant\n",
    "image_token": "<image>", "special_tokens": ["<|im_start|>", "<|im_end|>"],
    "eos_token_ids": [2, 0], "pad_token_id": 0, "max_new_tokens": 24,
    "text": {"hidden_size": 128, "vocab_size": 4000, "layers": 2, "kv_heads": 2, "head_dim": 32,
             "max_positions": 2048}})");
}

TEST(ModelPackage, ReadsTheManifest) {
  TempDir dir;
  const ModelPackage p = load_model_package(write_package(dir, demo_manifest()));
  EXPECT_EQ(p.image.tokens, 64);
  EXPECT_EQ(p.image.std[2], 0.25f);
  EXPECT_EQ(p.text.vocab_size, 4000);
  EXPECT_EQ(p.eos_token_ids, (std::vector<std::int32_t>{2, 0}));
  EXPECT_EQ(p.module_path, dir.path() + "/pkg/model.pt");
  EXPECT_EQ(p.decoding, "kv_cache");
}

// Version 2 (models/convert_hf.py): PIL resizes, family, answer conventions, per-task prompts; the
// version 1 manifest above keeps loading, and version 1 cannot ask for a version 2 resize.
TEST(ModelPackage, VersionTwoFields) {
  nlohmann::json m = demo_manifest();
  m["format_version"] = 2;
  m["image"]["resize"] = "shortest_edge_crop";
  m["image"]["shortest_edge"] = 72;
  m["family"] = "llava";
  m["answer"] = {{"box_format", "llava"}};
  m["prompts"] = {{"vqa", "{question}"}};
  TempDir dir;
  const ModelPackage p = load_model_package(write_package(dir, m));
  EXPECT_EQ(p.format_version, 2);
  EXPECT_EQ(p.image.resize, "shortest_edge_crop");
  EXPECT_EQ(p.image.shortest_edge, 72);
  EXPECT_EQ(p.family, "llava");
  EXPECT_EQ(p.answer_box_format, "llava");
  ASSERT_EQ(p.prompts.size(), 1u);
  EXPECT_EQ(p.prompts[0].first, "vqa");

  m["image"].erase("shortest_edge");
  EXPECT_THAT(load_error(m), HasSubstr("field 'image.shortest_edge' is missing"));
  m["image"]["shortest_edge"] = 32;
  EXPECT_THAT(load_error(m), HasSubstr("'image.shortest_edge' is smaller than the crop"));
  m["image"]["shortest_edge"] = 72;
  m["prompts"] = {{"vqa", 5}};
  EXPECT_THAT(load_error(m), HasSubstr("'prompts.vqa' must be a string"));
  m["prompts"] = nlohmann::json::object();
  m["format_version"] = 1;
  EXPECT_THAT(load_error(m), HasSubstr("'image.resize' is 'shortest_edge_crop'; it must be one of: bilinear"));
}

// Version 3 (Qwen2-VL): M-RoPE position ids with the image tokens' grid; 1-D stays the default and
// a version 2 manifest cannot ask for M-RoPE.
TEST(ModelPackage, VersionThreeMrope) {
  nlohmann::json m = demo_manifest();
  m["format_version"] = 3;
  EXPECT_EQ(load_model_package(write_package(TempDir(), m)).position_ids, "1d");
  m["position_ids"] = "mrope";
  m["image"]["grid"] = {8, 8};
  TempDir dir;
  const ModelPackage p = load_model_package(write_package(dir, m));
  EXPECT_EQ(p.position_ids, "mrope");
  EXPECT_EQ(p.image.grid_rows, 8);
  EXPECT_EQ(p.image.grid_cols, 8);

  m["image"]["grid"] = {4, 8};
  EXPECT_THAT(load_error(m), HasSubstr("'image.grid' is 4 x 8, not image.tokens 64 tokens"));
  m["image"]["grid"] = {64};
  EXPECT_THAT(load_error(m), HasSubstr("'image.grid' must be [rows, cols] of image tokens"));
  m["image"].erase("grid");
  EXPECT_THAT(load_error(m), HasSubstr("'image.grid' is missing"));
  m["image"]["grid"] = {8, 8};
  m["position_ids"] = "3d";
  EXPECT_THAT(load_error(m), HasSubstr("'position_ids' is '3d'; it must be one of: 1d, mrope"));
  m["position_ids"] = "mrope";
  m["format_version"] = 2;
  EXPECT_EQ(load_model_package(write_package(TempDir(), m)).position_ids, "1d");  // a v3 field, not read
}

TEST(ModelPackage, BadFieldsAreNamed) {
  auto with = [](const std::string& pointer, nlohmann::json value) {
    nlohmann::json m = demo_manifest();
    m[nlohmann::json::json_pointer(pointer)] = std::move(value);
    return load_error(m);
  };
  nlohmann::json m = demo_manifest();
  m["image"].erase("tokens");
  EXPECT_THAT(load_error(m), AllOf(HasSubstr("imaxbench-model.json"), HasSubstr("'image.tokens' is missing")));
  EXPECT_THAT(with("/max_new_tokens", "24"), HasSubstr("'max_new_tokens' must be a whole number"));
  EXPECT_THAT(with("/image/mean", {0.5, 0.5}), HasSubstr("'image.mean' must be a list of 3 numbers"));
  EXPECT_THAT(with("/image/std", {0.5, 0, 0.5}), HasSubstr("'image.std' must hold positive numbers"));
  EXPECT_THAT(with("/image/resize", "crop"), HasSubstr("'image.resize' is 'crop'; it must be one of: bilinear"));
  EXPECT_THAT(with("/chat_template", "<image> no prompt"), HasSubstr("'chat_template' must hold \"{prompt}\""));
  EXPECT_THAT(with("/chat_template", "{prompt}"), HasSubstr("the image_token \"<image>\""));
  EXPECT_THAT(with("/eos_token_ids", {4000}), HasSubstr("'eos_token_ids' holds 4000, not below text.vocab_size"));
  EXPECT_THAT(with("/format_version", 4), HasSubstr("'format_version' is 4; this imaxbench reads versions 1 to 3"));
  EXPECT_THAT(with("/module", "../model.pt"), HasSubstr("'module' must name a file inside the package folder"));
  EXPECT_THAT(with("/module", "missing.pt"), HasSubstr("which does not exist"));
  EXPECT_THAT(with("/dtype", "int8"), HasSubstr("'dtype' is 'int8'"));
  EXPECT_THAT(with("/text/layers", 0), HasSubstr("'text.layers' is 0; it must be in [1,"));
  EXPECT_THAT(load_error(nlohmann::json::array()), HasSubstr("must hold one JSON object"));
  TempDir none;
  EXPECT_THROW(load_model_package(none.path()), Error);
}

TEST(ModelPackage, PromptIdsFollowTheChatTemplate) {
  TempDir dir;
  const ModelPackage p = load_model_package(write_package(dir, demo_manifest()));
  auto tok = load_tokenizer("hf-bpe", kTokenizer);
  check_package_tokens(p, *tok);
  const std::string prompt = "Is there a pleural effusion?";
  const PromptIds ids = build_prompt_ids(p, *tok, prompt);
  // The reference treats template special tokens as single ids and encodes the text between.
  std::string text = p.chat_template;
  text.replace(text.find("{prompt}"), 8, prompt);
  EXPECT_EQ(ids.ids, tok->encode(text));
  ASSERT_LT(ids.image_pos, ids.ids.size());
  EXPECT_EQ(ids.ids[ids.image_pos], tok->token_id("<image>"));
  EXPECT_EQ(ids.ids.front(), tok->token_id("<|im_start|>"));
  EXPECT_EQ(std::count(ids.ids.begin(), ids.ids.end(), tok->token_id("<image>")), 1);
  // The image token must be one tokenizer id; a special token the tokenizer lacks is named.
  ModelPackage bad = p;
  bad.special_tokens.push_back("<|not_a_token|>");
  EXPECT_THROW(
      try { check_package_tokens(bad, *tok); } catch (const Error& e) {
        EXPECT_THAT(std::string(e.what()), HasSubstr("'special_tokens' holds \"<|not_a_token|>\""));
        throw;
      },
      Error);
}

#ifdef IMAXBENCH_HAVE_TORCH

// The demo package, exported once per build folder (testing::shared_demo_package).
class TorchScriptBackendTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    package_ = testing::shared_demo_package(why_not_);
  }
  static void TearDownTestSuite() { delete dir_; }
  void SetUp() override {
    if (!why_not_.empty()) GTEST_SKIP() << "cannot export the demo package: " << why_not_;
  }
  static std::unique_ptr<Backend> backend(bool kv_cache = true, std::string dtype = "", int max_new = 0,
                                          std::string package = "") {
    BackendOptions o;
    o.model = package.empty() ? package_ : package;
    o.device = "cpu";
    o.dtype = std::move(dtype);
    o.max_new_tokens = max_new;
    return make_torchscript_backend(o, TorchScriptSettings{kv_cache});
  }
  // The demo package with --no-image-reuse: every request encodes its image and prefills its prompt.
  static std::unique_ptr<Backend> backend_without_reuse() {
    BackendOptions o;
    o.model = package_;
    o.device = "cpu";
    o.reuse_image_features = false;
    return make_torchscript_backend(o, TorchScriptSettings{true});
  }
  // Request i shows the image of request image_of[i] (path "image-N").
  static void share_images(std::vector<Request>& requests, const std::vector<std::size_t>& image_of) {
    for (std::size_t i = 0; i < requests.size(); ++i) {
      const Request src = requests[image_of[i]];
      requests[i].image = src.image;
      requests[i].pixels = src.pixels;
      requests[i].image_path = "image-" + std::to_string(image_of[i]);
    }
  }
  static std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }
  // Broken variants of the demo package written by a small TorchScript wrapper (see below).
  static std::string broken(const std::string& name);

  static TempDir* dir_;
  static std::string package_, why_not_;
};
TempDir* TorchScriptBackendTest::dir_ = nullptr;
std::string TorchScriptBackendTest::package_, TorchScriptBackendTest::why_not_;

std::string TorchScriptBackendTest::broken(const std::string& name) {
  const std::string out = dir_->path() + "/broken";
  if (!fs::exists(out + "/" + name + "/model.pt")) {
    const std::string script = dir_->write("broken.py", R"(import os, shutil, sys
import torch
from torch import Tensor, nn
good, out = sys.argv[1], sys.argv[2]
class NoDecode(nn.Module):  # encode_images, embed, forward: no decode
    def __init__(self, m):
        super().__init__()
        self.m = m
    @torch.jit.export
    def encode_images(self, pixels: Tensor) -> Tensor:
        return self.m.encode_images(pixels)
    @torch.jit.export
    def embed(self, ids: Tensor) -> Tensor:
        return self.m.embed(ids)
    def forward(self, input_ids: Tensor, image_embeds: Tensor) -> Tensor:
        return self.m(input_ids, image_embeds)
class ShortImage(NoDecode):  # one image embedding too few
    @torch.jit.export
    def encode_images(self, pixels: Tensor) -> Tensor:
        return self.m.encode_images(pixels)[:, :-1]
    @torch.jit.export
    def decode(self, embeds: Tensor, position_ids: Tensor, cache_position: Tensor, key_mask: Tensor,
               k_cache: Tensor, v_cache: Tensor) -> Tensor:
        return self.m.decode(embeds, position_ids, cache_position, key_mask, k_cache, v_cache)
for name, cls in (("no_decode", NoDecode), ("short_image", ShortImage)):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    for f in ("imaxbench-model.json", "tokenizer.json"):
        shutil.copyfile(os.path.join(good, f), os.path.join(d, f))
    torch.jit.script(cls(torch.jit.load(os.path.join(good, "model.pt")))).save(os.path.join(d, "model.pt"))
)");
    const std::string log = dir_->path() + "/broken.log";
    if (testing::run_python(testing::torch_python(), "'" + script + "' '" + package_ + "' '" + out + "'", log) != 0)
      ADD_FAILURE() << "writing the broken packages failed; see " << log;
  }
  return out + "/" + name;
}

TEST_F(TorchScriptBackendTest, KvCacheMatchesFullRecomputation) {
  auto cached = backend(true), full = backend(false);
  const auto requests = testing::demo_requests(*cached, 8);
  const auto a = cached->infer(requests);
  const auto b = full->infer(requests);
  ASSERT_EQ(a.size(), 8u);
  ASSERT_EQ(b.size(), 8u);
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].error, "");
    EXPECT_EQ(a[i].text, b[i].text) << "request " << i;
    EXPECT_EQ(a[i].output_tokens, b[i].output_tokens) << "request " << i;
    EXPECT_EQ(a[i].input_tokens, b[i].input_tokens);
    EXPECT_GT(a[i].input_tokens, 64);  // the image's 64 tokens plus the prompt
    EXPECT_GT(a[i].output_tokens, 0);
    EXPECT_LE(a[i].output_tokens, 24);
    EXPECT_GT(a[i].stages.vision_ms, 0);
    EXPECT_GE(a[i].latency_ms, a[i].ttft_ms);
    distinct.insert(a[i].text);
  }
  EXPECT_GT(distinct.size(), 4u) << "the demo model should answer different inputs differently";
}

TEST_F(TorchScriptBackendTest, BatchOf8MatchesOneAtATime) {
  auto be = backend();
  const auto requests = testing::demo_requests(*be, 8);
  const auto together = be->infer(requests);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto alone = be->infer(std::span<const Request>(&requests[i], 1));
    EXPECT_EQ(together[i].text, alone[0].text) << "request " << i << " (left padding changed the answer)";
    EXPECT_EQ(together[i].output_tokens, alone[0].output_tokens);
  }
}

// encode_images once per distinct image (within a batch and across batches) gives the answers of
// encoding every request's image itself.
TEST_F(TorchScriptBackendTest, ImageFeatureReuseKeepsTheAnswers) {
  auto reuse = backend();
  auto fresh = backend_without_reuse();
  auto requests = testing::demo_requests(*reuse, 8);
  share_images(requests, {0, 1, 2, 3, 0, 1, 2, 3});  // the second half asks about the first half's images
  const auto a = reuse->infer(requests), b = fresh->infer(requests);
  const auto again = reuse->infer(std::span<const Request>(&requests[4], 4));  // all cached now
  for (std::size_t i = 0; i < requests.size(); ++i) EXPECT_EQ(a[i].text, b[i].text) << "request " << i;
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(again[i].text, b[i + 4].text) << "request " << i + 4;
  EXPECT_NE(a[0].text, a[4].text);  // the same image, another question: reuse did not reuse answers
}

// Prefix sharing: the questions about one image reuse the KV cache of their common prefix (the
// template's opening and the image), within a batch and across batches, and answer exactly as
// each request run alone with no reuse at all.
TEST_F(TorchScriptBackendTest, PrefixSharingKeepsTheAnswers) {
  auto shared = backend();
  auto alone = backend_without_reuse();
  auto requests = testing::demo_requests(*shared, 10);
  share_images(requests, {0, 0, 0, 1, 1, 2, 0, 1, 2, 2});  // three images, mixed in each batch
  const auto first = shared->infer(std::span<const Request>(requests).first(6));
  const auto second = shared->infer(std::span<const Request>(requests).subspan(6));  // all three cached
  std::set<std::string> texts;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const Response& got = i < 6 ? first[i] : second[i - 6];
    const auto want = alone->infer(std::span<const Request>(&requests[i], 1));
    EXPECT_EQ(got.error, "");
    EXPECT_EQ(got.text, want[0].text) << "request " << i;
    EXPECT_EQ(got.output_tokens, want[0].output_tokens) << "request " << i;
    EXPECT_EQ(got.input_tokens, want[0].input_tokens) << "request " << i;
    texts.insert(got.text);
  }
  EXPECT_GT(texts.size(), 5u) << "one image's questions must still get their own answers";
  const auto r = shared->reuse();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->prefixes_computed, 3u);  // one per image
  EXPECT_EQ(r->images_encoded, 3u);
  EXPECT_EQ(r->image_encodes_reused, 7u);
  // The demo's prefix: "<|im_start|>user\n" and the image's 64 tokens, whatever the question.
  const std::int64_t prefix = r->prefix_tokens_reused / 7;
  EXPECT_EQ(r->prefix_tokens_reused, 7 * prefix);
  EXPECT_GT(prefix, 64);
  std::int64_t prompts = 0;
  for (const auto& resp : first) prompts += resp.input_tokens;
  for (const auto& resp : second) prompts += resp.input_tokens;
  EXPECT_EQ(r->prompt_tokens, prompts);
  const auto none = alone->reuse();
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->prefix_tokens_reused, 0);
  EXPECT_EQ(none->prefixes_computed, 0u);
  EXPECT_EQ(none->images_encoded, requests.size());
  auto manifest_says = [](const Backend& be) {
    for (const auto& [k, v] : be.manifest())
      if (k == "prefix_kv_reuse") return v.substr(0, v.find(' '));
    return std::string("(absent)");
  };
  EXPECT_EQ(manifest_says(*shared), "on");
  EXPECT_EQ(manifest_says(*alone), "off");
}

TEST_F(TorchScriptBackendTest, RegistryAndSettings) {
  BackendOptions o;
  o.model = package_;
  o.max_new_tokens = 5;
  auto be = make_backend("torchscript", o);
  EXPECT_EQ(be->name(), "torchscript");
  EXPECT_EQ(be->device(), "cpu");
  ASSERT_TRUE(be->image_spec().has_value());
  EXPECT_EQ(be->image_spec()->width, 64);
  const auto out = be->infer(testing::demo_requests(*be, 2));
  for (const auto& r : out) EXPECT_LE(r.output_tokens, 5);
  bool has_module_hash = false;
  for (const auto& [k, v] : be->manifest()) has_module_hash |= (k == "module_sha256" && v.size() == 64);
  EXPECT_TRUE(has_module_hash);
  EXPECT_THAT(error_of([] { make_backend("torchscript", BackendOptions{}); }), HasSubstr("needs --model DIR"));
}

TEST_F(TorchScriptBackendTest, Bfloat16RunsAndFloat16OnCpuIsRefused) {
  auto be = backend(true, "bfloat16", 6);
  const auto out = be->infer(testing::demo_requests(*be, 3));
  for (const auto& r : out) {
    EXPECT_EQ(r.error, "");
    EXPECT_GT(r.output_tokens, 0);
  }
  EXPECT_THAT(error_of([] { backend(true, "float16"); }), HasSubstr("--dtype float16 on cpu"));
  EXPECT_THAT(error_of([] { backend(true, "float64"); }), HasSubstr("--dtype 'float64'"));
}

TEST_F(TorchScriptBackendTest, TooLongPromptIsThatSampleError) {
  auto be = backend(true, "", 5000);  // 64 image tokens + prompt + 5000 > max_positions 2048
  const auto out = be->infer(testing::demo_requests(*be, 2));
  for (const auto& r : out) EXPECT_THAT(r.error, HasSubstr("> text.max_positions 2048"));
}

TEST_F(TorchScriptBackendTest, MissingMethodIsNamed) {
  const std::string pkg = broken("no_decode");
  EXPECT_THAT(error_of([&] { backend(true, "", 0, pkg); }),
              AllOf(HasSubstr("model.pt: the module has no method 'decode'"), HasSubstr("encode_images, embed and decode")));
  // The same module still serves full recomputation, which needs only encode_images and forward.
  auto full = backend(false, "", 4, pkg);
  EXPECT_EQ(full->infer(testing::demo_requests(*full, 1))[0].error, "");
}

TEST_F(TorchScriptBackendTest, WrongShapesAreNamed) {
  EXPECT_THAT(error_of([&] { backend(true, "", 0, broken("short_image")); }),
              AllOf(HasSubstr("method 'encode_images' returned [1, 63, 128] Float"),
                    HasSubstr("inputs ([1, 3, 64, 64] Float)"), HasSubstr("expected [1, 64, 128]"),
                    HasSubstr("[batch, image.tokens, text.hidden_size]")));
  // A manifest whose cache geometry or vocabulary disagrees with the module.
  auto rewrite = [&](const std::string& name, const std::function<void(nlohmann::json&)>& edit) {
    const std::string d = dir_->path() + "/" + name;
    fs::create_directories(d);
    for (const char* f : {"model.pt", "tokenizer.json"})
      fs::copy_file(package_ + "/" + f, d + "/" + f, fs::copy_options::overwrite_existing);
    nlohmann::json m = nlohmann::json::parse(std::ifstream(package_ + "/imaxbench-model.json"));
    edit(m);
    std::ofstream(d + "/imaxbench-model.json") << m.dump(2);
    return d;
  };
  const std::string vocab = rewrite("vocab", [](nlohmann::json& m) { m["text"]["vocab_size"] = 4096; });
  EXPECT_THAT(error_of([&] { backend(true, "", 0, vocab); }),
              AllOf(HasSubstr("method 'decode' returned [1, 4000] Float"), HasSubstr("expected [1, 4096]")));
  const std::string heads = rewrite("heads", [](nlohmann::json& m) { m["text"]["head_dim"] = 16; });
  EXPECT_THAT(error_of([&] { backend(true, "", 0, heads); }),
              AllOf(HasSubstr("method 'decode' failed on inputs"), HasSubstr("[2, 1, 2, 3, 16] Float")));
  const std::string tokens = rewrite("tokens", [](nlohmann::json& m) { m["image_token"] = "<img>"; });
  EXPECT_THAT(error_of([&] { backend(true, "", 0, tokens); }),
              HasSubstr("'chat_template' must hold the image_token \"<img>\""));
  const std::string small = rewrite("small", [](nlohmann::json& m) { m["text"]["vocab_size"] = 100; });
  EXPECT_THAT(error_of([&] { backend(true, "", 0, small); }),
              HasSubstr("'text.vocab_size' is 100 but the tokenizer has 4000 tokens"));
}

#endif  // IMAXBENCH_HAVE_TORCH

}  // namespace
}  // namespace imaxbench
