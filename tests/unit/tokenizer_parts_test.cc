// The tokenizers' parts on hand-worked cases (NFC, lossy UTF-8, the split regexes, added-token
// options), loading errors that name the file and the feature, and thread safety. The reference
// comparison on thousands of strings is tests/golden/tokenizer_test.cc.
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "tests/unit/test_files.h"
#include "tokenizers/byte_level.h"
#include "tokenizers/nfc.h"
#include "tokenizers/split_regex.h"
#include "tokenizers/tokenizer.h"

namespace imaxbench {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kBpePath = std::string(IMAXBENCH_SOURCE_DIR) +
                             "/models/tokenizers/radiology-bpe/tokenizer.json";
const std::string kSpPath = std::string(IMAXBENCH_SOURCE_DIR) +
                            "/models/tokenizers/radiology-sp/tokenizer.model";

std::vector<std::string> split(SplitPattern pattern, std::string_view text) {
  std::vector<std::string_view> pieces;
  split_isolated(pattern, text, pieces);
  return {pieces.begin(), pieces.end()};
}

TEST(SplitRegex, Llama3PiecesWorkedByHand) {
  EXPECT_THAT(split(SplitPattern::kLlama3, "Hello world  123456\n\n x"),
              ElementsAre("Hello", " world", " ", " ", "123", "456", "\n\n", " x"));
  EXPECT_THAT(split(SplitPattern::kLlama3, "It'S 0.52;\r\n"),
              ElementsAre("It", "'S", " ", "0", ".", "52", ";\r\n"));
  EXPECT_THAT(split(SplitPattern::kQwen2, "CTR 123"), ElementsAre("CTR", " ", "1", "2", "3"));
}

TEST(SplitRegex, Gpt2PiecesWorkedByHand) {
  EXPECT_THAT(split(SplitPattern::kGpt2, "Hello world  123456\n\n x"),
              ElementsAre("Hello", " world", " ", " 123456", "\n\n", " x"));
  // Case-sensitive contractions: "'S" is punctuation then a letter run.
  EXPECT_THAT(split(SplitPattern::kGpt2, "it's IT'S"), ElementsAre("it", "'s", " IT", "'", "S"));
  EXPECT_TRUE(split(SplitPattern::kGpt2, "").empty());
}

TEST(SplitRegex, RecognisesOnlyKnownPatterns) {
  for (SplitPattern p : {SplitPattern::kGpt2, SplitPattern::kLlama3, SplitPattern::kQwen2})
    EXPECT_EQ(find_split_pattern(split_pattern_text(p)), p);
  EXPECT_FALSE(find_split_pattern(R"(\s+|\w+)"));
}

TEST(Nfc, ComposesReordersAndLeavesPlainTextAlone) {
  EXPECT_EQ(nfc_normalize("cafe\u0301"), "caf\u00e9");
  EXPECT_EQ(nfc_normalize("\u1100\u1161\u11a8"), "\uac01");       // Hangul jamo -> syllable
  EXPECT_EQ(nfc_normalize("\u212b"), "\u00c5");                   // singleton decomposition
  EXPECT_EQ(nfc_normalize("q\u0307\u0323"), "q\u0323\u0307");     // canonical order, no composite
  EXPECT_EQ(nfc_normalize("\u0301a"), "\u0301a");                 // leading combining mark
  EXPECT_EQ(nfc_normalize("\u0f40\u0fb2"), "\u0f40\u0fb2");        // composition exclusion kept
  EXPECT_EQ(nfc_normalize("plain ASCII, 0.52"), "plain ASCII, 0.52");
  EXPECT_EQ(nfc_normalize("a\xff\u0301"), "a\xff\u0301");          // invalid byte blocks
}

TEST(Utf8Lossy, OneReplacementPerMaximalInvalidSubpart) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(utf8_lossy("\xE2\x82\xAC"), "\xE2\x82\xAC");
  EXPECT_EQ(utf8_lossy("\xE2\x82"), r);
  EXPECT_EQ(utf8_lossy("\xE2\x82" "A"), r + "A");
  EXPECT_EQ(utf8_lossy("\xF0\x9F\x98"), r);
  EXPECT_EQ(utf8_lossy("\xC0\xAF"), r + r);
  EXPECT_EQ(utf8_lossy("\xED\xA0\x80"), r + r + r);  // a surrogate is three errors
}

TEST(ByteLevel, AlphabetRoundTrips) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  std::string back;
  ASSERT_TRUE(alphabet_to_bytes(bytes_to_alphabet(all), back));
  EXPECT_EQ(back, all);
  EXPECT_EQ(bytes_to_alphabet(" "), "\u0120");  // GPT-2's "Ġ"
  EXPECT_FALSE(alphabet_to_bytes("\u4e2d", back));
}

TEST(HfBpeTokenizer, SpecialTokensAndRoundTrip) {
  auto tok = load_tokenizer("hf-bpe", kBpePath);
  EXPECT_EQ(tok->kind(), "hf-bpe");
  const std::int32_t image = tok->token_id("<image>"), end = tok->token_id("<|im_end|>");
  ASSERT_GE(image, 0);
  ASSERT_GE(end, 0);
  EXPECT_EQ(tok->token_id("<not-a-token>"), -1);
  const auto ids = tok->encode("<image>\nDescribe the heart.<|im_end|>");
  EXPECT_EQ(ids.front(), image);
  EXPECT_EQ(ids.back(), end);
  EXPECT_EQ(tok->decode(ids, false), "<image>\nDescribe the heart.<|im_end|>");
  EXPECT_EQ(tok->decode(ids, true), "\nDescribe the heart.");
  EXPECT_TRUE(tok->encode("").empty());
  const std::vector<std::int32_t> out_of_range{1 << 30, -5};
  EXPECT_EQ(tok->decode(out_of_range), "");  // unknown ids are dropped, as tokenizers does
}

TEST(SentencePieceTokenizer, SpecialTokensAndRoundTrip) {
  auto tok = load_tokenizer("sentencepiece", kSpPath);
  EXPECT_EQ(tok->kind(), "sentencepiece");
  const std::int32_t eos = tok->token_id("</s>");
  ASSERT_GE(eos, 0);
  EXPECT_EQ(tok->token_id("<not-a-piece>"), -1);
  auto ids = tok->encode("No pleural effusion.");
  EXPECT_EQ(tok->decode(ids), "No pleural effusion.");
  ids.push_back(eos);
  EXPECT_EQ(tok->decode(ids, true), "No pleural effusion.");
  EXPECT_EQ(tok->decode(ids, false), "No pleural effusion.</s>");
}

TEST(Tokenizer, EncodeIsThreadSafe) {
  auto tok = load_tokenizer("hf-bpe", kBpePath);
  const std::string text = "FINDINGS: 12.5 mm nodule, caf\u00e9 \u80f8\u90e8 <image> it's\n\n";
  const auto expected = tok->encode(text);
  std::vector<int> ok(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 200; ++k) ok[t] += tok->encode(text) == expected;
    });
  for (auto& th : threads) th.join();
  EXPECT_THAT(ok, ElementsAre(200, 200, 200, 200));
}

// A minimal byte-level tokenizer.json: the 256 alphabet characters (id = byte), "ab", two added
// tokens; `edit` changes it before it is written.
std::string tiny_spec(const std::function<void(json&)>& edit) {
  json vocab = json::object();
  for (int b = 0; b < 256; ++b)
    vocab[bytes_to_alphabet(std::string(1, static_cast<char>(b)))] = b;
  vocab["ab"] = 256;
  json spec = {
      {"added_tokens", json::array({{{"id", 300}, {"content", "<x>"}, {"special", true},
                                     {"normalized", false}, {"lstrip", true}, {"rstrip", false},
                                     {"single_word", false}}})},
      {"normalizer", nullptr},
      {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}},
      {"decoder", {{"type", "ByteLevel"}}},
      {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", json::array({"a b"})}}}};
  edit(spec);
  return spec.dump();
}

TEST(HfBpeTokenizer, AddedTokenLstripTakesTheSpaceBefore) {
  testing::TempDir dir;
  auto tok = load_tokenizer("hf-bpe", dir.write("t.json", tiny_spec([](json&) {})));
  // " <x>" is one token; the space after it starts the word " ab": "Ġ" (id 32), then "ab".
  EXPECT_THAT(tok->encode("ab <x> ab"), ElementsAre(256, 300, ' ', 256));
  EXPECT_EQ(tok->decode(tok->encode("ab <x> ab"), false), "ab<x> ab");
  EXPECT_EQ(tok->vocab_size(), 258u);
}

std::string load_error(const std::string& kind, const std::string& path) {
  try {
    load_tokenizer(kind, path);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string spec_error(const std::function<void(json&)>& edit) {
  testing::TempDir dir;
  return load_error("hf-bpe", dir.write("tokenizer.json", tiny_spec(edit)));
}

TEST(TokenizerErrors, NameTheFileAndTheProblem) {
  testing::TempDir dir;
  const std::string missing = dir.path() + "/none.json";
  EXPECT_THAT(load_error("hf-bpe", missing), HasSubstr(missing + ": cannot open"));
  EXPECT_THAT(load_error("sentencepiece", missing), HasSubstr(missing + ": cannot open"));
  const std::string bad = dir.write("bad.json", "{\"model\": [1, 2");
  EXPECT_THAT(load_error("hf-bpe", bad), HasSubstr(bad + ": not valid JSON"));
  EXPECT_THAT(load_error("sentencepiece", bad), HasSubstr(bad + ": not a SentencePiece model"));
  EXPECT_THAT(load_error("wordpiece", kBpePath), HasSubstr("unknown tokenizer kind 'wordpiece'"));
}

TEST(TokenizerErrors, UnsupportedFeaturesAreNamed) {
  EXPECT_THAT(spec_error([](json& s) { s["model"]["type"] = "WordPiece"; }),
              HasSubstr("model type 'WordPiece' is not supported"));
  EXPECT_THAT(spec_error([](json& s) { s["normalizer"] = {{"type", "Lowercase"}}; }),
              HasSubstr("normalizer 'Lowercase' is not supported"));
  EXPECT_THAT(spec_error([](json& s) { s["pre_tokenizer"] = {{"type", "Metaspace"}}; }),
              HasSubstr("pre_tokenizer 'Metaspace' is not supported"));
  EXPECT_THAT(spec_error([](json& s) {
                s["pre_tokenizer"] = {{"type", "Sequence"},
                                      {"pretokenizers", json::array({{{"type", "Split"},
                                                                      {"pattern", {{"Regex", "\\w+"}}},
                                                                      {"behavior", "Isolated"}},
                                                                     s["pre_tokenizer"]})}};
              }),
              HasSubstr("Split regex '\\w+' is not supported"));
  EXPECT_THAT(spec_error([](json& s) { s["decoder"] = nullptr; }),
              HasSubstr("decoder must be ByteLevel (found none)"));
  EXPECT_THAT(spec_error([](json& s) { s["model"]["dropout"] = 0.1; }), HasSubstr("dropout"));
  EXPECT_THAT(spec_error([](json& s) { s["model"]["byte_fallback"] = true; }),
              HasSubstr("byte_fallback"));
  EXPECT_THAT(spec_error([](json& s) { s["added_tokens"][0]["single_word"] = true; }),
              HasSubstr("'<x>' has single_word"));
  EXPECT_THAT(spec_error([](json& s) { s["model"]["merges"] = json::array({"a zz"}); }),
              HasSubstr("merge 0 ('a' 'zz'): its right part is not in the vocabulary"));
  EXPECT_THAT(spec_error([](json& s) { s["model"]["merges"] = json::array({"ab"}); }),
              HasSubstr("model.merges[0] 'ab' has no space"));
  EXPECT_THAT(spec_error([](json& s) { s["model"]["unk_token"] = "<unk>"; }),
              HasSubstr("model.unk_token '<unk>' is not in the vocabulary"));
  EXPECT_THAT(spec_error([](json& s) { s["model"]["vocab"] = json::array(); }),
              HasSubstr("model.vocab is not an object"));
}

}  // namespace
}  // namespace imaxbench
