// Text metrics against values their reference implementations computed
// (tests/golden/gen_text_vectors.py: sacrebleu 2.5.1, nltk 3.10.4, rouge-score 0.1.2): per-sample
// statistics and corpus scores to 1e-9, tokenizers and the Porter stemmer exactly.
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "metrics/metric.h"
#include "metrics/text/nltk_unimed_tokenizer.h"
#include "metrics/text/porter_stemmer.h"
#include "metrics/text/rouge_score_tokenizer.h"
#include "metrics/text/sacrebleu_tokenizers.h"
#include "core/sacrebleu_unicode.h"
#include "core/error.h"

namespace imaxbench {
namespace {

using nlohmann::json;
constexpr double kTol = 1e-9;

const json& vectors() {
  static const json j = [] {
    std::ifstream f(IMAXBENCH_SOURCE_DIR "/tests/data/text_metric_vectors.json");
    return json::parse(f);
  }();
  return j;
}

struct Case {
  Sample sample;
  Prediction prediction;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const json& s : vectors().at("samples")) {
    Case c;
    c.sample.kind = AnswerKind::kText;
    c.sample.ref_texts = s.at("refs").get<std::vector<std::string>>();
    if (!s.at("hyp").is_null()) {
      c.prediction.present = c.prediction.parsed = true;
      c.prediction.text = s.at("hyp").get<std::string>();
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string describe(const Case& c) {
  json j = {{"refs", c.sample.ref_texts}, {"hyp", c.prediction.text}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 400);
}

MetricRows rows_of(const Metric& metric, const std::vector<Case>& all) {
  MetricRows stats;
  stats.width = metric.num_stats();
  stats.rows.assign(all.size() * stats.width, 0.0);
  for (std::size_t i = 0; i < all.size(); ++i)
    metric.sample_stats(all[i].sample, all[i].prediction,
                        std::span<double>(stats.rows.data() + i * stats.width, stats.width));
  return stats;
}

double total_score(const Metric& metric, const MetricRows& stats) {
  std::vector<double> sums(stats.width);
  sum_all_rows(stats, sums);
  return metric.score(sums);
}

TEST(TextMetricsGolden, SacreBleuStatisticsScoresAndSignature) {
  const auto all = cases();
  for (const json& config : vectors().at("sacrebleu")) {
    SCOPED_TRACE(config.at("params").dump());
    const auto metric = make_metric("sacrebleu", config.at("params"));
    const MetricRows stats = rows_of(*metric, all);
    int bad = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
      const auto expected = config.at("rows").at(i).get<std::vector<double>>();
      const auto row = stats.row(i);
      const std::vector<double> got(row.begin(), row.end());
      if (got != expected && ++bad <= 3)
        ADD_FAILURE() << "sample " << i << " " << describe(all[i]) << "\n expected "
                      << json(expected).dump() << "\n got " << json(got).dump();
    }
    EXPECT_EQ(bad, 0);
    EXPECT_NEAR(total_score(*metric, stats), config.at("score").get<double>(), kTol);
    EXPECT_EQ(metric->signature(), config.at("signature").get<std::string>());
    for (const json& sub : config.at("subsets")) {
      const auto idx = sub.at("indices").get<std::vector<std::uint32_t>>();
      EXPECT_NEAR(metric->score_subset(stats, idx), sub.at("score").get<double>(), kTol)
          << sub.at("indices").dump();
    }
  }
}

// Metrics whose rows are [value, 1]: per-sample values and the mean.
void check_mean_metric(const std::string& name, const json& params, const json& expected,
                       const std::vector<Case>& all) {
  SCOPED_TRACE(name + " " + params.dump());
  const auto metric = make_metric(name, params);
  const MetricRows stats = rows_of(*metric, all);
  int bad = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const double want = expected.at("per_sample").at(i).get<double>();
    if (!(std::fabs(stats.row(i)[0] - want) <= kTol) && ++bad <= 3)
      ADD_FAILURE() << "sample " << i << " " << describe(all[i]) << "\n expected " << want
                    << " got " << stats.row(i)[0];
  }
  EXPECT_EQ(bad, 0);
  EXPECT_NEAR(total_score(*metric, stats), expected.at("score").get<double>(), kTol);
}

TEST(TextMetricsGolden, SentenceBleuMatchesNltk) {
  const auto all = cases();
  for (const json& v : vectors().at("sentence_bleu"))
    check_mean_metric("sentence_bleu_" + std::to_string(v.at("order").get<int>()), v.at("params"),
                      v, all);
}

TEST(TextMetricsGolden, RougeMatchesRougeScore) {
  const auto all = cases();
  for (const json& v : vectors().at("rouge"))
    check_mean_metric(v.at("metric").get<std::string>(), v.at("params"), v, all);
}

TEST(TextMetricsGolden, TokenizersMatchExactly) {
  const json& tokens = vectors().at("tokens");
  const auto texts = tokens.at("texts").get<std::vector<std::string>>();
  const std::vector<std::pair<std::string, json (*)(const std::string&)>> kinds = {
      {"sacrebleu_13a", [](const std::string& t) { return json(sacrebleu_tokenize_13a(t)); }},
      {"sacrebleu_intl", [](const std::string& t) { return json(sacrebleu_tokenize_intl(t)); }},
      {"py_lower", [](const std::string& t) { return json(py_lower(t)); }},
      {"rouge", [](const std::string& t) { return json(rouge_score_tokens(t, false)); }},
      {"rouge_stem", [](const std::string& t) { return json(rouge_score_tokens(t, true)); }},
      {"unimed_hyp", [](const std::string& t) { return json(unimed_hypothesis_words(t)); }},
      {"unimed_ref", [](const std::string& t) { return json(unimed_reference_words(t)); }},
  };
  for (const auto& [kind, fn] : kinds) {
    int bad = 0;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      const json got = fn(texts[i]);
      if (got != tokens.at(kind).at(i) && ++bad <= 3)
        ADD_FAILURE() << kind << " of " << json(texts[i]).dump() << "\n expected "
                      << tokens.at(kind).at(i).dump() << "\n got " << got.dump();
    }
    EXPECT_EQ(bad, 0) << kind << ": " << bad << " of " << texts.size() << " texts differ";
  }
}

TEST(TextMetricsGolden, PorterStemmerMatchesNltk) {
  std::ifstream f(IMAXBENCH_SOURCE_DIR "/tests/data/porter_stem_vectors.json");
  const json j = json::parse(f);
  const auto words = j.at("words").get<std::vector<std::string>>();
  const auto stems = j.at("stems").get<std::vector<std::string>>();
  ASSERT_EQ(words.size(), stems.size());
  ASSERT_GT(words.size(), 3000u);
  int bad = 0;
  for (std::size_t i = 0; i < words.size(); ++i)
    if (porter_stem(words[i]) != stems[i] && ++bad <= 10)
      ADD_FAILURE() << words[i] << ": expected " << stems[i] << " got " << porter_stem(words[i]);
  EXPECT_EQ(bad, 0);
}

TEST(TextMetricsGolden, UnparsedAndMissingAnswersScoreAsEmpty) {
  Sample sample;
  sample.kind = AnswerKind::kText;
  sample.ref_texts = {"The heart size is normal.", "Normal heart."};
  Prediction empty, unparsed, missing;
  empty.present = empty.parsed = true;
  unparsed.present = true;
  unparsed.text = "The heart size is normal.";  // text kept but not parsed: scored as nothing
  for (const char* name : {"sacrebleu", "sentence_bleu_4", "rouge_1", "rouge_2", "rouge_l"}) {
    const auto metric = make_metric(name, json::object());
    std::vector<double> a(metric->num_stats()), b(a.size()), c(a.size());
    metric->sample_stats(sample, empty, a);
    metric->sample_stats(sample, unparsed, b);
    metric->sample_stats(sample, missing, c);
    EXPECT_EQ(a, b) << name;
    EXPECT_EQ(a, c) << name;
    EXPECT_EQ(metric->score(a), 0.0) << name;
  }
}

TEST(TextMetricsGolden, BadParametersAreErrors) {
  EXPECT_THROW(make_metric("sacrebleu", {{"tokenize", "zh"}}), Error);
  EXPECT_THROW(make_metric("sacrebleu", {{"lowercase", "yes"}}), Error);
  EXPECT_THROW(make_metric("sentence_bleu_2", {{"smoothing", "method3"}}), Error);
  EXPECT_THROW(make_metric("rouge_l", {{"stemmer", true}}), Error);
  EXPECT_EQ(make_metric("rouge_l", json::object())->signature(),
            "rouge_score|type:rougeL|stem:yes|multiref:max|agg:mean|version:0.1.2");
  EXPECT_EQ(make_metric("sacrebleu", {{"tokenize", "intl"}, {"lowercase", true}})->signature(),
            "nrefs:var|case:lc|eff:no|tok:intl|smooth:exp|version:2.5.1");
}

}  // namespace
}  // namespace imaxbench
