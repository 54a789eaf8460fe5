// Speed of pycocoevalcap's tokenizer port and of bleu_1..4, rouge_l_coco and cider_d on the
// synthetic radiology corpora of tests/data/coco_text_vectors.json (all corpora, ~300 samples).
// items/s counts captions for the tokenizer, samples for metrics. BM_CocoTokenize is the tokenizer
// alone; BM_CocoMetric one metric alone (it pays for the per-sample work all six share:
// tokenization, n-grams, LCS); BM_CocoSixMetrics all six together on one thread, as an evaluation
// computes them (compute_metric_rows). The comparison with pycocoevalcap itself is
// ci/bench_text_vs_reference.py.
#include <fstream>
#include <numeric>
#include <random>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>
#include <tbb/global_control.h>

#include "metrics/metric.h"
#include "metrics/text/ptb_tokenizer.h"

namespace imaxbench {
namespace {

struct CocoBenchCorpus {
  std::vector<Sample> samples;
  std::vector<Prediction> predictions;
  std::vector<std::string> captions;
  std::size_t bytes = 0;
  std::vector<const Sample*> sample_ptrs;  // into samples, as compute_metric_rows takes them
};

const CocoBenchCorpus& coco_bench_corpus() {
  static const CocoBenchCorpus c = [] {
    CocoBenchCorpus out;
    std::ifstream f(IMAXBENCH_SOURCE_DIR "/tests/data/coco_text_vectors.json");
    const nlohmann::json j = nlohmann::json::parse(f);
    for (const auto& corpus : j.at("corpora"))
      for (const auto& s : corpus.at("samples")) {
        Sample sample;
        sample.kind = AnswerKind::kText;
        sample.ref_texts = s.at("refs").get<std::vector<std::string>>();
        Prediction p;
        p.present = p.parsed = true;
        p.text = s.at("hyp").get<std::string>();
        out.captions.push_back(p.text);
        out.captions.insert(out.captions.end(), sample.ref_texts.begin(), sample.ref_texts.end());
        out.samples.push_back(std::move(sample));
        out.predictions.push_back(std::move(p));
      }
    for (const auto& text : out.captions) out.bytes += text.size();
    for (const Sample& sample : out.samples) out.sample_ptrs.push_back(&sample);
    return out;
  }();
  return c;
}

void BM_CocoTokenize(benchmark::State& state) {
  const auto& c = coco_bench_corpus();
  for (auto _ : state)
    for (const auto& text : c.captions) benchmark::DoNotOptimize(coco_tokenize(text));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.captions.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(c.bytes));
}
BENCHMARK(BM_CocoTokenize)->Unit(benchmark::kMillisecond);

// One metric's rows, on one thread, as an evaluation computes them.
MetricRows coco_bench_rows(const Metric& metric, const CocoBenchCorpus& c) {
  tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
  const Metric* metrics[] = {&metric};
  return std::move(compute_metric_rows(metrics, c.sample_ptrs, c.predictions)[0]);
}

// Per-sample statistics and the score over every sample, as an evaluation computes them.
void BM_CocoMetric(benchmark::State& state, const char* name) {
  const auto& c = coco_bench_corpus();
  const auto metric = make_metric(name, nlohmann::json::object());
  std::vector<std::uint32_t> all(c.samples.size());
  std::iota(all.begin(), all.end(), 0u);
  for (auto _ : state) {
    const MetricRows rows = coco_bench_rows(*metric, c);
    benchmark::DoNotOptimize(metric->score_subset(rows, all));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.samples.size()));
}
BENCHMARK_CAPTURE(BM_CocoMetric, bleu_1, "bleu_1")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CocoMetric, bleu_4, "bleu_4")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CocoMetric, rouge_l_coco, "rouge_l_coco")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CocoMetric, cider_d, "cider_d")->Unit(benchmark::kMillisecond);

// bleu_1..4, rouge_l_coco and cider_d together, tokenization included, on one thread.
void BM_CocoSixMetrics(benchmark::State& state) {
  const auto& c = coco_bench_corpus();
  tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
  std::vector<std::unique_ptr<Metric>> owned;
  std::vector<const Metric*> metrics;
  for (const char* name : {"bleu_1", "bleu_2", "bleu_3", "bleu_4", "rouge_l_coco", "cider_d"}) {
    owned.push_back(make_metric(name, nlohmann::json::object()));
    metrics.push_back(owned.back().get());
  }
  std::vector<std::uint32_t> all(c.samples.size());
  std::iota(all.begin(), all.end(), 0u);
  for (auto _ : state) {
    const std::vector<MetricRows> rows = compute_metric_rows(metrics, c.sample_ptrs, c.predictions);
    for (std::size_t m = 0; m < metrics.size(); ++m)
      benchmark::DoNotOptimize(metrics[m]->score_subset(rows[m], all));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.samples.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(c.bytes));
}
BENCHMARK(BM_CocoSixMetrics)->Unit(benchmark::kMillisecond);

// One bootstrap resample of cider_d: document frequencies recomputed over the resample.
void BM_CiderResample(benchmark::State& state) {
  const auto& c = coco_bench_corpus();
  const auto metric = make_metric("cider_d", nlohmann::json::object());
  const MetricRows rows = coco_bench_rows(*metric, c);
  std::mt19937 rng(1);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(c.samples.size() - 1));
  std::vector<std::uint32_t> draw(c.samples.size());
  for (auto _ : state) {
    state.PauseTiming();
    for (auto& i : draw) i = pick(rng);
    state.ResumeTiming();
    benchmark::DoNotOptimize(metric->score_subset(rows, draw));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.samples.size()));
}
BENCHMARK(BM_CiderResample)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace imaxbench
