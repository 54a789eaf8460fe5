// The C++ tokenizers against Hugging Face `tokenizers` and `sentencepiece`: for every string of
// tests/data/tokenizer_vectors.json (tests/golden/gen_tokenizer_vectors.py) the ids, the decoded
// text with and without special tokens, plus decodes of random id sequences, must be identical.
// Tokenizers: the demo packages' radiology-bpe (tokenizer.json) and radiology-sp (.model), GPT-2's
// real vocabulary, variants given as JSON-pointer patches (Qwen2's digit regex with
// ignore_merges, GPT-2 with add_prefix_space, added-token options) and two tiny inline ones with
// unknown bytes (unk_token, fuse_unk). The split regexes are also checked alone, piece by piece.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/sacrebleu_unicode.h"
#include "tests/golden/metric_runner.h"
#include "tests/unit/test_files.h"
#include "tokenizers/split_regex.h"
#include "tokenizers/tokenizer.h"

namespace imaxbench {
namespace {

using nlohmann::json;

constexpr std::size_t kShownMismatches = 8;

const json& vectors() {
  static const json data = testing::load_test_json("tests/data/tokenizer_vectors.json");
  return data;
}

std::string source_path(const std::string& relative) {
  return std::string(IMAXBENCH_SOURCE_DIR) + "/" + relative;
}

// The entry's tokenizer file, with its patches applied in a copy under dir; an entry without a
// path carries its tokenizer.json inline ("spec").
std::string tokenizer_file(const json& entry, const testing::TempDir& dir) {
  if (entry.at("path").is_null())
    return dir.write(entry.at("name").get<std::string>() + ".json", entry.at("spec").dump());
  const std::string path = source_path(entry.at("path"));
  if (entry.at("patch").empty()) return path;
  std::ifstream in(path);
  json spec = json::parse(in);
  for (const json& patch : entry.at("patch")) {
    const json::json_pointer pointer(patch.at(0).get<std::string>());
    EXPECT_TRUE(spec.contains(pointer)) << patch.at(0);
    spec[pointer] = patch.at(1);
  }
  return dir.write(entry.at("name").get<std::string>() + ".json", spec.dump());
}

std::string show(const std::string& text) { return json(text).dump(); }

std::string show(const std::vector<std::int32_t>& ids) { return json(ids).dump(); }

class TokenizerGolden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (const json& e : vectors().at("tokenizers"))
      if (e.at("name") == GetParam()) entry_ = &e;
    ASSERT_NE(entry_, nullptr) << GetParam() << " not in the vectors";
    tokenizer_ = load_tokenizer(entry_->at("kind"), tokenizer_file(*entry_, dir_));
  }

  const json* entry_ = nullptr;
  testing::TempDir dir_;
  std::unique_ptr<Tokenizer> tokenizer_;
};

TEST_P(TokenizerGolden, VocabularyAndTokenIds) {
  EXPECT_EQ(tokenizer_->kind(), entry_->at("kind"));
  EXPECT_EQ(tokenizer_->vocab_size(), entry_->at("vocab_size").get<std::size_t>());
  for (const auto& [token, id] : entry_->at("token_ids").items())
    EXPECT_EQ(tokenizer_->token_id(token), id.is_null() ? -1 : id.get<std::int32_t>()) << token;
}

TEST_P(TokenizerGolden, EncodeMatchesReference) {
  const json& texts = vectors().at("texts");
  const json& ids = entry_->at("ids");
  const std::size_t n = entry_->at("n_texts");
  ASSERT_EQ(ids.size(), n);
  ASSERT_LE(n, texts.size());
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string text = texts[i];
    const auto expected = ids[i].get<std::vector<std::int32_t>>();
    const auto actual = tokenizer_->encode(text);
    if (actual == expected) continue;
    if (++mismatches <= kShownMismatches)
      ADD_FAILURE() << "text " << i << " " << show(text) << "\n  expected " << show(expected)
                    << "\n  actual   " << show(actual);
  }
  EXPECT_EQ(mismatches, 0u) << "of " << n << " texts";
}

TEST_P(TokenizerGolden, DecodeMatchesReference) {
  const json& texts = vectors().at("texts");
  std::size_t mismatches = 0;
  for (const char* key : {"decoded", "decoded_with_special"}) {
    const bool skip_special = std::string(key) == "decoded";
    const json& decoded = entry_->at(key);
    ASSERT_EQ(decoded.size(), entry_->at("n_texts").get<std::size_t>());
    for (std::size_t i = 0; i < decoded.size(); ++i) {
      const auto ids = entry_->at("ids")[i].get<std::vector<std::int32_t>>();
      const std::string expected = decoded[i].is_null() ? texts[i] : decoded[i];
      const std::string actual = tokenizer_->decode(ids, skip_special);
      if (actual == expected) continue;
      if (++mismatches <= kShownMismatches)
        ADD_FAILURE() << key << " " << i << " of " << show(ids) << "\n  expected "
                      << show(expected) << "\n  actual   " << show(actual);
    }
  }
  for (const json& c : entry_->at("decode_only")) {
    const auto ids = c.at("ids").get<std::vector<std::int32_t>>();
    const std::string expected = c.at("text");
    const std::string actual = tokenizer_->decode(ids, c.at("skip_special").get<bool>());
    if (actual == expected) continue;
    if (++mismatches <= kShownMismatches)
      ADD_FAILURE() << "decode " << show(ids) << " skip_special " << c.at("skip_special")
                    << "\n  expected " << show(expected) << "\n  actual   " << show(actual);
  }
  EXPECT_EQ(mismatches, 0u);
}

std::vector<std::string> tokenizer_names() {
  std::vector<std::string> names;
  for (const json& e : vectors().at("tokenizers")) names.push_back(e.at("name"));
  return names;
}

INSTANTIATE_TEST_SUITE_P(Vectors, TokenizerGolden, ::testing::ValuesIn(tokenizer_names()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// The split regexes alone against Oniguruma: the code point length of every piece.
TEST(SplitRegexGolden, PiecesMatchOniguruma) {
  const json& texts = vectors().at("texts");
  for (const auto& [name, pattern] : {std::pair{"gpt2", SplitPattern::kGpt2},
                                      std::pair{"llama3", SplitPattern::kLlama3},
                                      std::pair{"qwen2", SplitPattern::kQwen2}}) {
    const json& expected = vectors().at("splits").at(name);
    ASSERT_EQ(expected.size(), texts.size());
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      const std::string text = texts[i];
      std::vector<std::string_view> pieces;
      split_isolated(pattern, text, pieces);
      std::vector<std::size_t> lengths;
      for (std::string_view piece : pieces) {
        std::size_t n = 0;
        for (std::size_t k = 0; k < piece.size(); ++n) utf8_next(piece, k);
        lengths.push_back(n);
      }
      if (lengths == expected[i].get<std::vector<std::size_t>>()) continue;
      if (++mismatches <= kShownMismatches)
        ADD_FAILURE() << name << " text " << i << " " << show(text) << "\n  expected lengths "
                      << expected[i].dump() << "\n  actual   " << json(lengths).dump();
    }
    EXPECT_EQ(mismatches, 0u) << name;
  }
}

// The vectors must cover every kind of tokenizer the project ships, GPT-2's real one included.
TEST(TokenizerGoldenCoverage, AllTokenizersPresent) {
  const auto names = tokenizer_names();
  for (const char* name : {"radiology-bpe", "radiology-bpe-qwen2-digits",
                           "radiology-bpe-added-options", "tiny-unk", "tiny-unk-fused", "gpt2",
                           "gpt2-prefix-space", "radiology-sp"})
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  EXPECT_GE(vectors().at("texts").size(), 3000u);
}

}  // namespace
}  // namespace imaxbench
