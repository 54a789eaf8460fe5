// Bootstrap intervals through the resample scorers (metrics/resample_scorer.h; CIDEr-D's batched
// kernel, metrics/text/cider_resample.h) against the previous implementation, kept here as the
// reference: every resample scored alone by score_if_eligible() (CIDEr-D: score_subset()
// re-deriving document frequencies), then numpy's percentiles. Equal bit for bit, on 1, 2 and 7
// threads, clustered or not, for the corpus metrics (cider_d, bleu_4, sacrebleu) and summed ones.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "metrics/bootstrap.h"
#include "metrics/metric.h"
#include "metrics/resample_scorer.h"
#include "metrics/text/cider_corpus.h"
#include "metrics/text/cider_resample.h"
#include "results/paired_bootstrap.h"
#include "tests/golden/coco_text_support.h"
#include "tests/golden/metric_runner.h"

namespace imaxbench {
namespace {

using testing::CocoCorpus;

const char* const kNames[] = {"cider_d", "bleu_4", "bleu_1", "rouge_l_coco", "sacrebleu", "token_f1"};

// The 240-sample corpus of tests/data/coco_text_vectors.json plus the 60-sample one with other
// answers, 3 samples per image, and every 25th sample a number question the text metrics do not
// apply to (no row, no n-grams: resamples must skip it as score_if_eligible does).
struct Fixture {
  std::vector<Sample> samples;
  std::vector<Prediction> predictions;
  std::vector<std::unique_ptr<Metric>> metrics;
  std::vector<MetricRows> rows;
  std::vector<std::string> images, ids;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture f;
    const auto json = testing::load_test_json("tests/data/coco_text_vectors.json");
    for (int corpus : {3, 2}) {
      CocoCorpus c = testing::coco_corpus(json["corpora"][corpus]);
      for (std::size_t i = 0; i < c.samples.size(); ++i) {
        if (f.samples.size() % 25 == 24) {
          Sample s;
          s.kind = AnswerKind::kNumber;
          s.task = "calculation";
          f.samples.push_back(s);
          f.predictions.emplace_back();
        }
        f.samples.push_back(std::move(c.samples[i]));
        f.predictions.push_back(std::move(c.predictions[i]));
      }
    }
    for (std::size_t i = 0; i < f.samples.size(); ++i) {
      f.samples[i].id = "s" + std::to_string(i);
      f.ids.push_back(f.samples[i].id);
      f.images.push_back("img" + std::to_string(i / 3));
    }
    std::vector<const Sample*> samples;
    for (const Sample& s : f.samples) samples.push_back(&s);
    std::vector<const Metric*> metrics;
    for (const char* name : kNames) {
      f.metrics.push_back(make_metric(name, nlohmann::json::object()));
      metrics.push_back(f.metrics.back().get());
    }
    f.rows = compute_metric_rows(metrics, samples, f.predictions);
    return f;
  }();
  return f;
}

// The previous bootstrap_ci95: one resample at a time, scored from scratch.
std::array<double, 2> reference_ci95(const Metric& metric, const MetricRows& rows, const Resampler& resampler,
                                     const BootstrapOptions& options) {
  std::vector<double> scores;
  for (int b = 0; b < options.resamples; ++b) {
    const double s = score_if_eligible(metric, rows, resampler.draw(options.seed, static_cast<std::uint64_t>(b)));
    if (!std::isnan(s)) scores.push_back(s);
  }
  return {percentile(scores, 2.5), percentile(scores, 97.5)};
}

std::vector<std::array<double, 2>> intervals(const Fixture& f, const Resampler& resampler,
                                             const BootstrapOptions& options) {
  std::vector<const Metric*> metrics;
  std::vector<const MetricRows*> rows;
  for (std::size_t m = 0; m < f.metrics.size(); ++m) {
    metrics.push_back(f.metrics[m].get());
    rows.push_back(&f.rows[m]);
  }
  return bootstrap_ci95(metrics, rows, resampler, options);
}

// Runs `check` once per copy of CIDEr-D's kernel this build and CPU have (AVX-512, AVX2, baseline):
// every copy must give the bits of scoring alone.
template <class Check>
void for_each_kernel_copy(Check check) {
  const std::pair<CiderKernelCopy, const char*> copies[] = {
      {CiderKernelCopy::kWidest, "widest"}, {CiderKernelCopy::kAvx2, "avx2"}, {CiderKernelCopy::kBaseline, "baseline"}};
  for (const auto& [copy, name] : copies) {
    if (!use_cider_kernel_copy(copy)) continue;
    SCOPED_TRACE(std::string("kernel copy: ") + name);
    check();
  }
  use_cider_kernel_copy(CiderKernelCopy::kWidest);
}

TEST(ResampleScorerProperty, EachResampleEqualsScoringItAlone) {
  const Fixture& f = fixture();
  const Resampler resampler(f.images);
  // Resamples of every shape: drawn ones, an empty one, one of ineligible samples only, one
  // sample many times, and one of more than 2^16 indices (the kernel's 32-bit counts).
  std::vector<std::vector<std::uint32_t>> resamples;
  for (std::uint64_t b = 0; b < 37; ++b) resamples.push_back(resampler.draw(5, b));
  resamples.push_back({});
  resamples.push_back({24, 49});
  resamples.push_back(std::vector<std::uint32_t>(300, 7));
  std::vector<std::uint32_t> big;
  for (std::uint32_t i = 0; i < 70000; ++i) big.push_back((i * 7919u) % static_cast<std::uint32_t>(f.samples.size()));
  resamples.push_back(big);
  for_each_kernel_copy([&] {
    for (std::size_t m = 0; m < f.metrics.size(); ++m) {
      const auto scorer = f.metrics[m]->resample_scorer(f.rows[m]);
      if (std::string(kNames[m]) == "cider_d")  // its batched kernel, not the one-by-one fallback
        EXPECT_EQ(dynamic_cast<const SubsetResampleScorer*>(scorer.get()), nullptr);
      for (std::size_t first = 0; first < resamples.size(); first += kResampleBatch) {
        std::vector<std::span<const std::uint32_t>> batch;
        for (std::size_t k = first; k < std::min(resamples.size(), first + kResampleBatch); ++k)
          batch.emplace_back(resamples[k]);
        std::vector<double> out(batch.size());
        scorer->score(batch, out);
        for (std::size_t k = 0; k < batch.size(); ++k) {
          const double want = score_if_eligible(*f.metrics[m], f.rows[m], batch[k]);
          if (std::isnan(want)) EXPECT_TRUE(std::isnan(out[k])) << kNames[m] << " resample " << first + k;
          else EXPECT_EQ(out[k], want) << kNames[m] << " resample " << first + k;
        }
      }
    }
  });
}

// A corpus of report samples, each with its answer, and one metric's rows over them.
struct Reports {
  std::vector<Sample> samples;
  std::vector<Prediction> predictions;
  void add(std::vector<std::string> refs, std::string answer) {
    Sample s;
    s.id = "r" + std::to_string(samples.size());
    s.kind = AnswerKind::kText;
    s.task = "report_generation";
    s.ref_texts = std::move(refs);
    Prediction p;
    p.text = std::move(answer);
    p.present = p.parsed = true;
    samples.push_back(std::move(s));
    predictions.push_back(std::move(p));
  }
  // `count` resamples drawn with `seed`, one sample a cluster.
  std::vector<std::vector<std::uint32_t>> draws(std::uint64_t seed, std::uint64_t count) const {
    std::vector<std::string> keys;
    for (const Sample& s : samples) keys.push_back(s.id);
    const Resampler resampler(keys);
    std::vector<std::vector<std::uint32_t>> out;
    for (std::uint64_t b = 0; b < count; ++b) out.push_back(resampler.draw(seed, b));
    return out;
  }
  MetricRows rows(const Metric& metric) const {
    std::vector<const Sample*> pointers;
    for (const Sample& s : samples) pointers.push_back(&s);
    const Metric* metrics[] = {&metric};
    return compute_metric_rows(metrics, pointers, predictions)[0];
  }
};

// Resamples of more than 2^16 samples take CIDEr-D's kernel to wider counts: 16-bit draw counts
// and cold rows' sums with 32-bit sums for the hot ones when every count and cold sum fits, all
// 32-bit when one sample is drawn
// 2^16 times or more, or so often that a cold row's sum could pass 2^16. A corpus of 3,000
// reports over 200 words has rows past the hot ones (kHotRows), so the cold rows' narrowed sums
// are read too.
TEST(ResampleScorerProperty, WideResamplesEqualScoringThemAlone) {
  Reports reports;
  std::uint64_t x = 88172645463325252ULL;  // xorshift64: the same corpus everywhere
  auto next = [&x] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
  auto sentence = [&](int words) {
    std::string out;
    for (int w = 0; w < words; ++w) out += (w ? " w" : "w") + std::to_string(next() % 200);
    return out;
  };
  for (int i = 0; i < 3000; ++i) {
    // In this order: the same corpus. Every first reference opens with "the", so that row's sum
    // is the resample's size, past 2^16, which 16-bit sums would wrap.
    std::vector<std::string> refs = {"the " + sentence(20), sentence(12)};
    reports.add(std::move(refs), sentence(15));
  }
  // Two reports alone in sharing a reference (a cold row: two samples use it), drawn 40,000 and
  // 30,000 times below: each count fits 16 bits, their row's sum does not.
  reports.add({"zq1 zq2 zq3 zq4 zq5"}, "zq1 zq2 w1");
  reports.add({"zq1 zq2 zq3 zq4 zq5"}, "zq3 zq4 w2");
  const auto cider = make_metric("cider_d", nlohmann::json::object());
  const MetricRows rows = reports.rows(*cider);
  const std::vector<Sample>& samples = reports.samples;
  const auto scorer = cider->resample_scorer(rows);
  ASSERT_EQ(dynamic_cast<const SubsetResampleScorer*>(scorer.get()), nullptr);
  std::vector<std::vector<std::uint32_t>> resamples;
  for (std::uint32_t k = 0; k < 3; ++k) {  // 70,000 draws, each sample about 23 times: narrow counts
    std::vector<std::uint32_t> r;
    for (std::uint32_t i = 0; i < 70000; ++i) r.push_back(static_cast<std::uint32_t>((next() + k) % samples.size()));
    resamples.push_back(std::move(r));
  }
  std::vector<std::uint32_t> one_heavy(70000, 11);  // one sample 70,000 times: 32-bit counts
  one_heavy[5] = 12;
  // One sample 40,000 times: every count fits 16 bits, but a cold row it is in could sum past them
  // (counted again in 32 bits).
  std::vector<std::uint32_t> half_heavy = resamples[1];
  std::fill(half_heavy.begin(), half_heavy.begin() + 40000, 11u);
  std::vector<std::uint32_t> pair_heavy(40000, 3000);
  pair_heavy.insert(pair_heavy.end(), 30000, 3001);
  std::vector<std::vector<std::uint32_t>> batches[] = {
      resamples, {one_heavy}, {resamples[0], one_heavy}, {half_heavy}, {resamples[2], half_heavy}, {pair_heavy}};
  for_each_kernel_copy([&] {
    for (const auto& batch_of : batches) {
      std::vector<std::span<const std::uint32_t>> batch(batch_of.begin(), batch_of.end());
      std::vector<double> out(batch.size());
      scorer->score(batch, out);
      for (std::size_t k = 0; k < batch.size(); ++k) EXPECT_EQ(out[k], score_if_eligible(*cider, rows, batch[k])) << k;
    }
  });
}

// CIDEr-D's layout keeps a hot slot in 4 bytes (CiderCorpus::hot_entry), so a corpus with a sample
// of more than CiderCorpus::kMaxSlots distinct n-grams is not laid out: its resamples are scored
// one by one, with the same values. Here one report's reference has about 600,000 n-grams and the
// other reports' references are pieces of its end, so its last slots, numbered past 2^19, are
// shared (hot). Laid out anyway, those slots' entries would wrap and the scores change (tried).
TEST(ResampleScorerProperty, SampleWithMoreSlotsThanTheLayoutHoldsIsScoredAlone) {
  std::uint64_t x = 2463534242ULL;  // xorshift64
  auto next = [&x] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
  std::vector<std::string> words;
  for (int w = 0; w < 200000; ++w) words.push_back("w" + std::to_string(next() % 5000));
  auto piece = [&](std::size_t from, std::size_t count) {
    std::string out;
    for (std::size_t w = from; w < from + count; ++w) out += (w > from ? " " : "") + words[w];
    return out;
  };
  Reports reports;
  // Its answer is nearly the reference (a length penalty of about 0.7, not 0), so every n-gram's
  // weight shows in its score.
  reports.add({piece(0, words.size())}, piece(5, words.size() - 5));
  for (std::size_t k = 0; k < 24; ++k)
    reports.add({piece(words.size() - 30 * (k + 1), 30)}, piece(words.size() - 30 * (k + 1) + 5, 12));
  const auto cider = make_metric("cider_d", nlohmann::json::object());
  const MetricRows rows = reports.rows(*cider);
  const auto scorer = cider->resample_scorer(rows);
  EXPECT_NE(dynamic_cast<const SubsetResampleScorer*>(scorer.get()), nullptr);
  std::vector<std::vector<std::uint32_t>> draws = reports.draws(3, 8);
  draws.push_back({0, 0, 1, 2});
  std::vector<std::span<const std::uint32_t>> batch(draws.begin(), draws.end());
  std::vector<double> out(batch.size());
  scorer->score(batch, out);
  for (std::size_t k = 0; k < batch.size(); ++k) EXPECT_EQ(out[k], score_if_eligible(*cider, rows, batch[k])) << k;
}

// A match indexes its sample's grams in 24 bits (CiderCorpus::kMaxGrams): a sample with more grams,
// here 35 copies of one 125,000-word reference (about 490,000 distinct n-grams each, so fewer slots
// than the layout's limit, but 17.2 million reference grams in all), makes the layout refuse the
// corpus, and its resamples are scored alone. Without the refusal, matches past 2^24 read other
// grams, and the scores differ.
TEST(ResampleScorerProperty, SampleWithMoreGramsThanAMatchIndexesIsScoredAlone) {
  std::uint64_t x = 88172645463325252ULL;  // xorshift64
  auto next = [&x] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
  constexpr std::size_t kWords = 125000, kCopies = 35;
  std::vector<std::string> words;
  for (std::size_t w = 0; w < kWords; ++w) words.push_back("w" + std::to_string(next() % 1000000));
  auto piece = [&](std::size_t from, std::size_t count) {
    std::string out;
    for (std::size_t w = from; w < from + count; ++w) out += (w > from ? " " : "") + words[w];
    return out;
  };
  Reports reports;
  reports.add(std::vector<std::string>(kCopies, piece(0, kWords)), piece(5, kWords - 5));
  // Other references hold pieces of it, so its n-grams weigh differently: a match that read
  // another gram than its own would change the score.
  for (std::size_t k = 0; k < 24; ++k) reports.add({piece(next() % (kWords - 400), 400)}, piece(k * 100, 12));
  const auto cider = make_metric("cider_d", nlohmann::json::object());
  const MetricRows rows = reports.rows(*cider);
  const auto& big = dynamic_cast<const CocoSample&>(*rows.extras[0]);
  // Matches index the references' grams, which come first.
  ASSERT_GT(static_cast<std::size_t>(big.hyp_grams().data() - big.grams().data()), CiderCorpus::kMaxGrams);
  ASSERT_LE(big.slot_ids().size(), CiderCorpus::kMaxSlots);  // the grams, not the slots, are too many
  const auto scorer = cider->resample_scorer(rows);
  EXPECT_NE(dynamic_cast<const SubsetResampleScorer*>(scorer.get()), nullptr);
  std::vector<std::vector<std::uint32_t>> draws = {{0, 0, 1, 2}, {0, 3, 3, 4}, {5, 6, 7}};
  std::vector<std::span<const std::uint32_t>> batch(draws.begin(), draws.end());
  std::vector<double> out(batch.size());
  scorer->score(batch, out);
  for (std::size_t k = 0; k < batch.size(); ++k) EXPECT_EQ(out[k], score_if_eligible(*cider, rows, batch[k])) << k;
  EXPECT_GT(out[0], 0.0);  // the long answer's weights show in its score
}

// CIDEr-D's layout keeps the hypothesis's count of a shared gram in a byte (CiderCorpus::Match),
// counts of 255 and more aside. Answers that loop on one word ("w w w ..." 254 to 300 times, as a
// model stuck in a loop writes) against references that say it 280 times: below 280 the product
// takes the hypothesis's own count, so a count read wrong (255 for 270, say) changes the score.
TEST(ResampleScorerProperty, HypothesisCountsPastAByteAreKeptAside) {
  auto repeat = [](const std::string& word, int times) {
    std::string out;
    for (int k = 0; k < times; ++k) out += (k ? " " : "") + word;
    return out;
  };
  Reports reports;
  const int counts[] = {254, 255, 256, 270, 300, 3};
  for (int i = 0; i < 24; ++i) {
    // Each looped word in three samples' references: a weight (idf) above 0.
    const std::string word = "w" + std::to_string(i % 8), other = "n" + std::to_string(i % 5);
    reports.add({repeat(word, 280) + " " + other + " seen", "no " + other},
                repeat(word, counts[i % 6]) + " " + other);
  }
  const auto cider = make_metric("cider_d", nlohmann::json::object());
  const MetricRows rows = reports.rows(*cider);
  const auto scorer = cider->resample_scorer(rows);
  ASSERT_EQ(dynamic_cast<const SubsetResampleScorer*>(scorer.get()), nullptr);
  std::vector<std::vector<std::uint32_t>> draws = reports.draws(9, 30);
  draws.push_back({3, 3, 9, 11});  // the 270-times answers (words w3 and w1) and another w3
  std::vector<std::span<const std::uint32_t>> batch(draws.begin(), draws.end());
  for_each_kernel_copy([&] {
    std::vector<double> out(batch.size());
    scorer->score(batch, out);
    for (std::size_t k = 0; k < batch.size(); ++k) EXPECT_EQ(out[k], score_if_eligible(*cider, rows, batch[k])) << k;
  });
}

TEST(ResampleScorerProperty, IntervalsEqualThePreviousImplementationOnAnyThreadCount) {
  const Fixture& f = fixture();
  for (bool clustered : {true, false}) {
    const Resampler resampler(clustered ? f.images : f.ids);
    BootstrapOptions options;
    options.resamples = 203;  // not a multiple of the batch: a partial batch at the end
    std::vector<std::array<double, 2>> want;
    for (std::size_t m = 0; m < f.metrics.size(); ++m)
      want.push_back(reference_ci95(*f.metrics[m], f.rows[m], resampler, options));
    for (int threads : {1, 2, 7}) {
      tbb::global_control control(tbb::global_control::max_allowed_parallelism, threads);
      const auto got = intervals(f, resampler, options);
      for (std::size_t m = 0; m < f.metrics.size(); ++m) {
        EXPECT_EQ(got[m], want[m]) << kNames[m] << ", " << threads << " threads, clustered " << clustered;
        EXPECT_EQ(bootstrap_ci95(*f.metrics[m], f.rows[m], resampler, options), want[m]) << kNames[m];
      }
    }
  }
}

TEST(ResampleScorerProperty, PairedBootstrapEqualsScoringEachResampleAlone) {
  const Fixture& f = fixture();
  const Resampler resampler(f.images);
  BootstrapOptions options;
  options.resamples = 100;
  // Run A: cider_d; run B: the same metric on the rows in reverse sample order (other scores).
  const Metric& cider = *f.metrics[0];
  const MetricRows& rows = f.rows[0];
  std::vector<std::uint32_t> reversed(rows.size());
  for (std::uint32_t i = 0; i < reversed.size(); ++i) reversed[i] = static_cast<std::uint32_t>(reversed.size() - 1 - i);
  auto alone = [&](bool flip) {
    return [&, flip](std::span<const std::uint32_t> idx) {
      std::vector<std::uint32_t> real(idx.begin(), idx.end());
      if (flip) for (std::uint32_t& i : real) i = reversed[i];
      return score_if_eligible(cider, rows, real);
    };
  };
  const auto scorer = cider.resample_scorer(rows);
  auto batched = [&](bool flip) {
    return [&, flip](std::span<const std::span<const std::uint32_t>> subsets, std::span<double> out) {
      std::vector<std::vector<std::uint32_t>> real;
      for (const auto& subset : subsets) {
        real.emplace_back(subset.begin(), subset.end());
        if (flip) for (std::uint32_t& i : real.back()) i = reversed[i];
      }
      scorer->score(std::vector<std::span<const std::uint32_t>>(real.begin(), real.end()), out);
    };
  };
  std::vector<double> want_deltas, got_deltas;
  const PairedResult want = paired_bootstrap(alone(false), alone(true), resampler, options, &want_deltas);
  for (int threads : {1, 2, 7}) {
    tbb::global_control control(tbb::global_control::max_allowed_parallelism, threads);
    const PairedResult got = paired_bootstrap_batched(batched(false), batched(true), resampler, options, &got_deltas);
    EXPECT_EQ(got_deltas, want_deltas) << threads << " threads";
    EXPECT_EQ(got.a, want.a);
    EXPECT_EQ(got.b, want.b);
    EXPECT_EQ(got.ci95, want.ci95);
    EXPECT_EQ(got.p_value, want.p_value);
  }
}

// compare's form: every metric of a task over the same resamples, one side's scorers at a time.
// Equal to each metric's paired bootstrap alone, and side A's scorers (CIDEr-D's layout among them)
// are freed before side B's are made.
TEST(ResampleScorerProperty, SidesOneAfterTheOtherEqualEachMetricAlone) {
  const Fixture& f = fixture();
  const Resampler resampler(f.images);
  BootstrapOptions options;
  options.resamples = 100;
  std::vector<std::uint32_t> reversed(f.rows[0].size());
  for (std::uint32_t i = 0; i < reversed.size(); ++i) reversed[i] = static_cast<std::uint32_t>(reversed.size() - 1 - i);
  int live = 0, most_live = 0;  // scorers alive, and the most at any time
  struct Alive {
    int& live;
    explicit Alive(int& l, int& most) : live(l) { most = std::max(most, ++live); }
    ~Alive() { --live; }
  };
  auto maker = [&](std::size_t m, bool flip) -> BatchScoreMaker {
    return [&, m, flip] {
      std::shared_ptr<const ResampleScorer> scorer = f.metrics[m]->resample_scorer(f.rows[m]);
      auto alive = std::make_shared<Alive>(live, most_live);
      return BatchScore([&, scorer, alive, flip](std::span<const std::span<const std::uint32_t>> subsets,
                                                 std::span<double> out) {
        std::vector<std::vector<std::uint32_t>> real;
        for (const auto& subset : subsets) {
          real.emplace_back(subset.begin(), subset.end());
          if (flip) for (std::uint32_t& i : real.back()) i = reversed[i];
        }
        scorer->score(std::vector<std::span<const std::uint32_t>>(real.begin(), real.end()), out);
      });
    };
  };
  const PointsTransform points{[](double v) { return 100 * v; }, [](double v) { return 100 * v; }};
  std::vector<BatchScoreMaker> makers_a, makers_b;
  for (std::size_t m = 0; m < f.metrics.size(); ++m) {
    makers_a.push_back(maker(m, false));
    makers_b.push_back(maker(m, true));
  }
  for (int threads : {1, 2, 7}) {
    tbb::global_control control(tbb::global_control::max_allowed_parallelism, threads);
    most_live = 0;
    const auto side_a = score_side(makers_a, resampler, options);
    const auto side_b = score_side(makers_b, resampler, options);
    EXPECT_EQ(live, 0);
    EXPECT_EQ(most_live, static_cast<int>(f.metrics.size())) << "side A's scorers were alive beside side B's";
    ASSERT_EQ(side_a.size(), f.metrics.size());
    ASSERT_EQ(side_b.size(), f.metrics.size());
    for (std::size_t m = 0; m < f.metrics.size(); ++m) {
      const PointsTransform* transform = m == 0 ? &points : nullptr;
      const auto together = pair_side_scores(side_a[m], side_b[m], transform);
      std::vector<double> deltas;
      const auto [alone, alone_points] = pair_side_scores(score_side({&makers_a[m], 1}, resampler, options).front(),
                                                          score_side({&makers_b[m], 1}, resampler, options).front(),
                                                          transform, &deltas);
      const PairedResult& got = together.first;
      EXPECT_EQ(got.a, alone.a) << f.metrics[m]->signature();
      EXPECT_EQ(got.b, alone.b);
      EXPECT_EQ(got.ci95, alone.ci95);
      EXPECT_EQ(got.p_value, alone.p_value);
      EXPECT_EQ(got.resamples, alone.resamples);
      EXPECT_EQ(together.second.ci95, alone_points.ci95);
      EXPECT_GT(deltas.size(), 0u);
    }
  }
}

}  // namespace
}  // namespace imaxbench
