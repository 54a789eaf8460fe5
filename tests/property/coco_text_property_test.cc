// Properties of the pycocoevalcap-flavoured metrics on the corpora of
// tests/data/coco_text_vectors.json: sample order does not change a score; thread count does not
// change a row; cider_d's score_subset recomputes document frequencies over exactly the samples
// it is given (all indices = the whole set, a subset = that sub-corpus, a repeated index = a
// duplicated sample, as a bootstrap resample means).
#include <algorithm>
#include <map>
#include <string>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <tbb/parallel_for.h>

#include "metrics/metric.h"
#include "metrics/text/coco_sample.h"
#include "metrics/text/ngram_ids.h"
#include "tests/golden/coco_text_support.h"
#include "core/error.h"
#include "tests/golden/metric_runner.h"

namespace imaxbench {
namespace {

using testing::all_indices;
using testing::coco_corpus;
using testing::coco_rows;
using testing::coco_score;
using testing::CocoCorpus;

const char* const kNames[] = {"bleu_1", "bleu_2", "bleu_3", "bleu_4", "rouge_l_coco", "cider_d"};

const CocoCorpus& corpus() {
  static const CocoCorpus c =
      coco_corpus(testing::load_test_json("tests/data/coco_text_vectors.json")["corpora"][2]);
  return c;
}

std::unique_ptr<Metric> metric(const char* name) { return make_metric(name, nlohmann::json::object()); }

CocoCorpus pick(const CocoCorpus& c, const std::vector<std::uint32_t>& indices) {
  CocoCorpus out;
  for (std::uint32_t i : indices) {
    out.samples.push_back(c.samples[i]);
    out.predictions.push_back(c.predictions[i]);
  }
  return out;
}

// Grams keep counts below CocoSample::kBigCount in 3 bits and larger ones aside: every count,
// small or large (an answer stuck in a loop says "no" 300 times), reads back as counted here.
TEST(CocoTextProperty, PackedGramCountsReadBackWhole) {
  // Lower-case words without punctuation: the PTB tokenizer leaves them as they are.
  std::string hyp, ref;
  for (int i = 0; i < 300; ++i) hyp += "no ";
  for (int i = 0; i < 7; ++i) hyp += "acute disease ";
  for (int i = 0; i < 6; ++i) hyp += "effusion ";
  for (int i = 0; i < 40; ++i) ref += "no acute disease ";
  ref += "effusion";
  Sample sample;
  sample.kind = AnswerKind::kText;
  sample.task = "report_generation";
  sample.ref_texts = {ref, "no effusion"};
  Prediction prediction;
  prediction.present = prediction.parsed = true;
  prediction.text = hyp;
  const auto e = coco_sample(sample, prediction);
  ASSERT_NE(e, nullptr);
  // Per caption and order, the sorted counts of its distinct n-grams.
  auto counted = [](const std::string& text) {
    std::vector<std::string> words;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t end = std::min(text.find(' ', at), text.size());
      if (end > at) words.push_back(text.substr(at, end - at));
      at = end + 1;
    }
    std::vector<std::vector<int>> by_order(kCocoOrders);
    for (int n = 1; n <= kCocoOrders; ++n) {
      std::map<std::vector<std::string>, int> grams;
      for (std::size_t i = 0; i + n <= words.size(); ++i) ++grams[{words.begin() + i, words.begin() + i + n}];
      for (const auto& [gram, count] : grams) by_order[n - 1].push_back(count);
      std::sort(by_order[n - 1].begin(), by_order[n - 1].end());
    }
    return by_order;
  };
  auto read_back = [&](std::span<const CocoSample::Gram> grams) {
    std::vector<std::vector<int>> by_order(kCocoOrders);
    for (const CocoSample::Gram& g : grams) by_order[g.n - 1].push_back(e->count(g));
    for (auto& counts : by_order) std::sort(counts.begin(), counts.end());
    return by_order;
  };
  EXPECT_EQ(read_back(e->hyp_grams()), counted(hyp));
  EXPECT_EQ(read_back(e->ref_grams(0)), counted(ref));
  EXPECT_EQ(read_back(e->ref_grams(1)), counted("no effusion"));
  EXPECT_EQ(read_back(e->hyp_grams())[0].back(), 300);
}

// The n-gram dictionary is freed after each task's rows (NgramIds::release()); a corpus built
// after that scores as it did before, also when its first sample is the last one built before
// the release on this thread (coco_sample() keeps that one: its ids must not be reused).
TEST(CocoTextProperty, CorpusBuiltAfterReleaseScoresTheSame) {
  const CocoCorpus& c = corpus();
  const auto cider = metric("cider_d");
  std::vector<std::uint32_t> order = all_indices(c.samples.size());
  std::rotate(order.begin(), order.end() - 1, order.end());  // the last sample first
  const CocoCorpus rotated = pick(c, order);
  const double want = coco_score(*cider, rotated.samples, rotated.predictions);
  for (int round = 0; round < 2; ++round) {
    (void)coco_score(*cider, c.samples, c.predictions);  // ends with the sample `rotated` starts with
    NgramIds::global().release();
    EXPECT_EQ(coco_score(*cider, rotated.samples, rotated.predictions), want) << "round " << round;
  }
}

TEST(CocoTextProperty, ShuffledOrderGivesTheSameScore) {
  const CocoCorpus& c = corpus();
  ASSERT_GE(c.samples.size(), 20u);
  std::vector<std::uint32_t> order = all_indices(c.samples.size());
  std::mt19937 rng(7);
  for (int trial = 0; trial < 3; ++trial) {
    std::shuffle(order.begin(), order.end(), rng);
    const CocoCorpus shuffled = pick(c, order);
    for (const char* name : kNames) {
      const auto m = metric(name);
      EXPECT_NEAR(coco_score(*m, shuffled.samples, shuffled.predictions),
                  coco_score(*m, c.samples, c.predictions), 1e-12)
          << name;
    }
  }
}

TEST(CocoTextProperty, RowsDoNotDependOnThreads) {
  const CocoCorpus& c = corpus();
  for (const char* name : kNames) {
    const auto m = metric(name);
    const MetricRows serial = coco_rows(*m, c.samples, c.predictions);
    std::vector<double> parallel(serial.rows.size(), 0.0);
    tbb::parallel_for(std::size_t{0}, c.samples.size(), [&](std::size_t i) {
      m->sample_stats(c.samples[i], c.predictions[i], {parallel.data() + i * serial.width, serial.width});
    });
    EXPECT_EQ(parallel, serial.rows) << name;
  }
}

TEST(CocoTextProperty, CiderSubsetOfAllIndicesIsTheWholeSet) {
  const CocoCorpus& c = corpus();
  const auto m = metric("cider_d");
  const MetricRows rows = coco_rows(*m, c.samples, c.predictions);
  const double whole = m->score_subset(rows, all_indices(c.samples.size()));
  EXPECT_GT(whole, 0.0);
  // The same rows again (cached n-gram ids) and fresh rows give the same number.
  EXPECT_EQ(m->score_subset(rows, all_indices(c.samples.size())), whole);
  EXPECT_EQ(coco_score(*metric("cider_d"), c.samples, c.predictions), whole);
  EXPECT_THROW(m->score(std::vector<double>{static_cast<double>(c.samples.size())}), Error);
}

TEST(CocoTextProperty, CiderSubsetRecomputesDocumentFrequencies) {
  const CocoCorpus& c = corpus();
  const auto m = metric("cider_d");
  const MetricRows rows = coco_rows(*m, c.samples, c.predictions);
  std::mt19937 rng(11);
  std::uniform_int_distribution<std::uint32_t> any(0, static_cast<std::uint32_t>(c.samples.size() - 1));
  for (int trial = 0; trial < 5; ++trial) {
    // A bootstrap-like draw: repeats allowed, any order.
    std::vector<std::uint32_t> draw(c.samples.size() / 2 + trial);
    for (auto& i : draw) i = any(rng);
    const CocoCorpus sub = pick(c, draw);
    const double subset = m->score_subset(rows, draw);
    EXPECT_NEAR(subset, coco_score(*metric("cider_d"), sub.samples, sub.predictions), 1e-12);
  }
  // df over fewer samples really changes the score (so the test above can fail).
  const std::vector<std::uint32_t> half = {0, 1, 2, 3, 4, 5, 6, 7};
  EXPECT_NE(m->score_subset(rows, half), m->score_subset(rows, all_indices(c.samples.size())));
}

TEST(CocoTextProperty, SummedMetricsSubsetEqualsSubCorpus) {
  const CocoCorpus& c = corpus();
  const std::vector<std::uint32_t> draw = {3, 3, 17, 0, 9, 9, 9, 25};
  const CocoCorpus sub = pick(c, draw);
  for (const char* name : {"bleu_4", "rouge_l_coco"}) {
    const auto m = metric(name);
    const MetricRows rows = coco_rows(*m, c.samples, c.predictions);
    EXPECT_NEAR(m->score_subset(rows, draw), coco_score(*m, sub.samples, sub.predictions), 1e-12) << name;
  }
}

}  // namespace
}  // namespace imaxbench
