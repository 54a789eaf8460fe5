// bleu_1..4, rouge_l_coco and cider_d against pycocoevalcap 1.2 itself, and the PTB tokenizer
// against the CoreNLP 3.4.1 jar it runs: tests/data/coco_text_vectors.json, written by
// tests/golden/gen_coco_vectors.py.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/metric.h"
#include "metrics/text/coco_rouge.h"
#include "metrics/text/ptb_tokenizer.h"
#include "tests/golden/coco_text_support.h"
#include "tests/golden/metric_runner.h"
#include "core/error.h"

namespace imaxbench {
namespace {

using testing::coco_corpus;
using testing::coco_score;
using testing::load_test_json;

constexpr double kTol = 1e-9;

const nlohmann::json& vectors() {
  static const nlohmann::json data = load_test_json("tests/data/coco_text_vectors.json");
  return data;
}

std::vector<std::string> strings(const nlohmann::json& list) {
  std::vector<std::string> out;
  for (const auto& s : list) out.push_back(s.get<std::string>());
  return out;
}

TEST(CocoTextGolden, VectorsArePresent) {
  ASSERT_GE(vectors()["corpora"].size(), 4u);
  ASSERT_GE(vectors()["tokenizer_batches"].size(), 2u);
}

// Each caption on its own equals pycocoevalcap's output for it (the generator keeps corpora free
// of captions whose tokens depend on the next line).
TEST(CocoTextGolden, TokenizerMatchesJarPerCaption) {
  std::size_t checked = 0;
  for (const auto& corpus : vectors()["corpora"])
    for (const auto& item : corpus["samples"]) {
      EXPECT_EQ(coco_tokenize(item["hyp"].get<std::string>()), item["hyp_tok"].get<std::string>())
          << corpus["name"] << ": " << item["hyp"];
      const auto refs = strings(item["refs"]);
      const auto refs_tok = strings(item["refs_tok"]);
      ASSERT_EQ(refs.size(), refs_tok.size());
      for (std::size_t i = 0; i < refs.size(); ++i) {
        EXPECT_EQ(coco_tokenize(refs[i]), refs_tok[i]) << corpus["name"] << ": " << refs[i];
        ++checked;
      }
    }
  EXPECT_GT(checked, 500u);
}

// Whole batches, as pycocoevalcap feeds them to the jar, including lines whose tokens depend on
// the following line and random character soup.
TEST(CocoTextGolden, TokenizerMatchesJarPerBatch) {
  for (const auto& batch : vectors()["tokenizer_batches"]) {
    const auto captions = strings(batch["captions"]);
    const auto expected = strings(batch["tokenized"]);
    const auto got = coco_tokenize_batch(captions);
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i)
      EXPECT_EQ(got[i], expected[i]) << "caption " << i << ": " << captions[i];
  }
  for (const auto& corpus : vectors()["corpora"]) {
    std::vector<std::string> refs, refs_tok;
    for (const auto& item : corpus["samples"]) {
      for (const auto& r : strings(item["refs"])) refs.push_back(r);
      for (const auto& r : strings(item["refs_tok"])) refs_tok.push_back(r);
    }
    EXPECT_EQ(coco_tokenize_batch(refs), refs_tok) << corpus["name"];
  }
}

TEST(CocoTextGolden, MetricsMatchPycocoevalcap) {
  const char* names[] = {"bleu_1", "bleu_2", "bleu_3", "bleu_4", "rouge_l_coco", "cider_d"};
  for (const auto& corpus : vectors()["corpora"]) {
    const auto data = coco_corpus(corpus);
    for (const char* name : names) {
      const auto metric = make_metric(name, nlohmann::json::object());
      const double expected = corpus["scores"][name].get<double>();
      EXPECT_NEAR(coco_score(*metric, data.samples, data.predictions), expected, kTol)
          << corpus["name"] << " " << name;
    }
  }
}

TEST(CocoTextGolden, RougePerSample) {
  for (const auto& corpus : vectors()["corpora"]) {
    const auto& samples = corpus["samples"];
    for (std::size_t i = 0; i < samples.size(); ++i)
      EXPECT_NEAR(coco_rouge_l(samples[i]["hyp_tok"].get<std::string>(), strings(samples[i]["refs_tok"])),
                  corpus["rouge_per_sample"][i].get<double>(), kTol)
          << corpus["name"] << " sample " << i;
  }
}

TEST(CocoTextGolden, CiderPerSampleIsItsOwnCorpusOnlyForOneSample) {
  // With a single sample every reference n-gram has df = N = 1, so idf and the score are 0.
  const auto& one = vectors()["corpora"][0];
  ASSERT_EQ(one["samples"].size(), 1u);
  EXPECT_EQ(one["scores"]["cider_d"].get<double>(), 0.0);
  const auto data = coco_corpus(one);
  EXPECT_EQ(coco_score(*make_metric("cider_d", nlohmann::json::object()), data.samples, data.predictions), 0.0);
}

TEST(CocoTextGolden, SignaturesNameTokenizerAndFlavor) {
  EXPECT_EQ(make_metric("bleu_4", nlohmann::json::object())->signature(),
            "bleu4|tok:ptb|flavor:coco|nrefs:var|v1");
  EXPECT_NE(make_metric("cider_d", nlohmann::json::object())->signature().find("flavor:coco"),
            std::string::npos);
  EXPECT_THROW(make_metric("cider_d", nlohmann::json{{"sigma", 3}}), Error);
}

}  // namespace
}  // namespace imaxbench
