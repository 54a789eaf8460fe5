// Properties of the text metrics' sufficient statistics, on the golden corpus
// (tests/data/text_metric_vectors.json): a sample's row depends on that sample only (so shuffling
// the samples, or computing rows on many threads, permutes rows and changes nothing else), and
// shard sums add up to the whole, so sharded runs merge to the unsharded score. sacreBLEU's rows
// are integer counts and merge bit for bit; the averaged metrics' float sums within 1e-12.
#include <algorithm>
#include <fstream>
#include <numeric>
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "metrics/metric.h"
#include "metrics/text/sacrebleu_ngrams.h"

namespace imaxbench {
namespace {

using nlohmann::json;

struct Corpus {
  std::vector<Sample> samples;
  std::vector<Prediction> predictions;
};

const Corpus& corpus() {
  static const Corpus c = [] {
    std::ifstream f(IMAXBENCH_SOURCE_DIR "/tests/data/text_metric_vectors.json");
    const json j = json::parse(f);
    Corpus out;
    for (const json& s : j.at("samples")) {
      Sample sample;
      sample.kind = AnswerKind::kText;
      sample.ref_texts = s.at("refs").get<std::vector<std::string>>();
      Prediction p;
      if (!s.at("hyp").is_null()) {
        p.present = p.parsed = true;
        p.text = s.at("hyp").get<std::string>();
      }
      out.samples.push_back(std::move(sample));
      out.predictions.push_back(std::move(p));
    }
    return out;
  }();
  return c;
}

const std::vector<std::pair<std::string, json>>& configs() {
  static const std::vector<std::pair<std::string, json>> c = {
      {"sacrebleu", json::object()},
      {"sacrebleu", {{"tokenize", "intl"}, {"lowercase", true}}},
      {"sentence_bleu_1", json::object()},
      {"sentence_bleu_4", {{"smoothing", "method1"}}},
      {"rouge_1", json::object()},
      {"rouge_2", {{"use_stemmer", false}}},
      {"rouge_l", json::object()},
  };
  return c;
}

MetricRows rows_for(const Metric& metric, const std::vector<std::size_t>& order, bool parallel) {
  const Corpus& c = corpus();
  MetricRows stats;
  stats.width = metric.num_stats();
  stats.rows.assign(order.size() * stats.width, 0.0);
  auto one = [&](std::size_t i) {
    metric.sample_stats(c.samples[order[i]], c.predictions[order[i]],
                        std::span<double>(stats.rows.data() + i * stats.width, stats.width));
  };
  if (parallel) tbb::parallel_for(std::size_t{0}, order.size(), one);
  else for (std::size_t i = 0; i < order.size(); ++i) one(i);
  return stats;
}

std::vector<double> sums_of(const MetricRows& stats) {
  std::vector<double> sums(stats.width);
  sum_all_rows(stats, sums);
  return sums;
}

bool integer_rows(const std::string& name) { return name == "sacrebleu"; }

TEST(TextMetricsProperty, ShuffledSamplesGivePermutedRowsAndTheSameScore) {
  std::vector<std::size_t> identity(corpus().samples.size());
  std::iota(identity.begin(), identity.end(), 0);
  for (const auto& [name, params] : configs()) {
    SCOPED_TRACE(name + " " + params.dump());
    const auto metric = make_metric(name, params);
    const MetricRows base = rows_for(*metric, identity, false);
    const double base_score = metric->score(sums_of(base));
    for (unsigned seed : {1u, 2u, 3u}) {
      std::vector<std::size_t> order = identity;
      std::shuffle(order.begin(), order.end(), std::mt19937(seed));
      const MetricRows shuffled = rows_for(*metric, order, false);
      for (std::size_t i = 0; i < order.size(); ++i) {
        const auto a = shuffled.row(i), b = base.row(order[i]);
        ASSERT_TRUE(std::equal(a.begin(), a.end(), b.begin())) << "sample " << order[i];
      }
      const double score = metric->score(sums_of(shuffled));
      if (integer_rows(name)) EXPECT_EQ(score, base_score);
      else EXPECT_NEAR(score, base_score, 1e-12);
    }
  }
}

TEST(TextMetricsProperty, RowsAreTheSameOnManyThreads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 4);
  std::vector<std::size_t> identity(corpus().samples.size());
  std::iota(identity.begin(), identity.end(), 0);
  for (const auto& [name, params] : configs()) {
    const auto metric = make_metric(name, params);
    EXPECT_EQ(rows_for(*metric, identity, false).rows, rows_for(*metric, identity, true).rows)
        << name << " " << params.dump();
  }
}

TEST(TextMetricsProperty, ShardSumsAddUpToTheWhole) {
  std::vector<std::size_t> identity(corpus().samples.size());
  std::iota(identity.begin(), identity.end(), 0);
  for (const auto& [name, params] : configs()) {
    SCOPED_TRACE(name + " " + params.dump());
    const auto metric = make_metric(name, params);
    const MetricRows whole = rows_for(*metric, identity, false);
    const std::vector<double> whole_sums = sums_of(whole);
    for (std::size_t shards : {2u, 3u, 7u}) {
      std::vector<double> merged(whole.width, 0.0);
      for (std::size_t s = 0; s < shards; ++s) {
        std::vector<std::uint32_t> mine;  // round-robin, as sharded runs split a split file
        for (std::size_t i = s; i < identity.size(); i += shards)
          mine.push_back(static_cast<std::uint32_t>(i));
        std::vector<double> part(whole.width);
        sum_rows(whole, mine, part);
        for (std::size_t k = 0; k < whole.width; ++k) merged[k] += part[k];
      }
      for (std::size_t k = 0; k < whole.width; ++k) {
        if (integer_rows(name)) EXPECT_EQ(merged[k], whole_sums[k]) << "stat " << k;
        else EXPECT_NEAR(merged[k], whole_sums[k], 1e-12 * std::max(1.0, std::fabs(whole_sums[k])));
      }
      if (integer_rows(name)) EXPECT_EQ(metric->score(merged), metric->score(whole_sums));
      else EXPECT_NEAR(metric->score(merged), metric->score(whole_sums), 1e-12);
    }
  }
}

// n-gram matching packs ids into 16-bit lanes and hashes them when every id fits, else sorts
// 128-bit keys; the two must agree. Shifting all ids past 0xFFFF forces the second path.
TEST(TextMetricsProperty, PackedAndWideNgramKeysAgree) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    std::uniform_int_distribution<std::uint32_t> word(0, 1 + trial % 12);
    auto text = [&](std::size_t len) {
      std::vector<std::uint32_t> ids(len);
      for (auto& id : ids) id = word(rng);
      return ids;
    };
    std::vector<std::uint32_t> hyp = text(trial % 25);
    std::vector<std::vector<std::uint32_t>> refs;
    for (int r = 0; r < 1 + trial % 4; ++r) refs.push_back(text((trial * 7 + r) % 30));
    auto shifted = [](std::vector<std::uint32_t> ids) {
      for (auto& id : ids) id += 70000;
      return ids;
    };
    std::vector<std::vector<std::uint32_t>> wide_refs;
    for (const auto& r : refs) wide_refs.push_back(shifted(r));
    for (int min_order = 1; min_order <= 4; ++min_order) {
      const NgramMatches a = ngram_matches(hyp, refs, 4, min_order);
      const NgramMatches b = ngram_matches(shifted(hyp), wide_refs, 4, min_order);
      ASSERT_EQ(a.correct, b.correct) << "trial " << trial;
      ASSERT_EQ(a.total, b.total) << "trial " << trial;
    }
  }
}

}  // namespace
}  // namespace imaxbench
