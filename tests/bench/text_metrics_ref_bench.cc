// Speed of the text metrics and their tokenizers on the golden corpus
// (tests/data/text_metric_vectors.json, 300 radiology-style samples). items/s counts samples, or
// texts for tokenizers. The comparison with the Python references is ci/bench_sacrebleu_rouge.py.
#include <fstream>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "metrics/metric.h"
#include "metrics/text/nltk_unimed_tokenizer.h"
#include "metrics/text/porter_stemmer.h"
#include "metrics/text/rouge_score_tokenizer.h"
#include "metrics/text/sacrebleu_tokenizers.h"
#include "core/sacrebleu_unicode.h"

namespace imaxbench {
namespace {

struct BenchCorpus {
  std::vector<Sample> samples;
  std::vector<Prediction> predictions;
  std::vector<std::string> texts;  // every reference and hypothesis
  std::vector<std::string> words;  // Porter stemmer inputs
};

const BenchCorpus& bench_corpus() {
  static const BenchCorpus c = [] {
    BenchCorpus out;
    std::ifstream f(IMAXBENCH_SOURCE_DIR "/tests/data/text_metric_vectors.json");
    const nlohmann::json j = nlohmann::json::parse(f);
    for (const auto& s : j.at("samples")) {
      Sample sample;
      sample.kind = AnswerKind::kText;
      sample.ref_texts = s.at("refs").get<std::vector<std::string>>();
      Prediction p;
      if (!s.at("hyp").is_null()) {
        p.present = p.parsed = true;
        p.text = s.at("hyp").get<std::string>();
        out.texts.push_back(p.text);
      }
      out.texts.insert(out.texts.end(), sample.ref_texts.begin(), sample.ref_texts.end());
      out.samples.push_back(std::move(sample));
      out.predictions.push_back(std::move(p));
    }
    for (const auto& t : out.texts)
      for (auto& w : rouge_score_tokens(t, false)) out.words.push_back(std::move(w));
    return out;
  }();
  return c;
}

void BM_Metric(benchmark::State& state, const char* name, nlohmann::json params) {
  const auto metric = make_metric(name, params);
  const BenchCorpus& c = bench_corpus();
  std::vector<double> row(metric->num_stats());
  for (auto _ : state) {
    for (std::size_t i = 0; i < c.samples.size(); ++i) {
      std::fill(row.begin(), row.end(), 0.0);
      metric->sample_stats(c.samples[i], c.predictions[i], row);
      benchmark::DoNotOptimize(row.data());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.samples.size()));
}

template <class Fn>
void BM_Texts(benchmark::State& state, Fn fn) {
  const BenchCorpus& c = bench_corpus();
  for (auto _ : state)
    for (const auto& t : c.texts) benchmark::DoNotOptimize(fn(t));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.texts.size()));
}

void BM_PorterStem(benchmark::State& state) {
  const BenchCorpus& c = bench_corpus();
  for (auto _ : state)
    for (const auto& w : c.words) benchmark::DoNotOptimize(porter_stem(w));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.words.size()));
}

BENCHMARK_CAPTURE(BM_Metric, sacrebleu_13a, "sacrebleu", nlohmann::json::object());
BENCHMARK_CAPTURE(BM_Metric, sacrebleu_intl, "sacrebleu", nlohmann::json{{"tokenize", "intl"}});
BENCHMARK_CAPTURE(BM_Metric, sacrebleu_13a_lc, "sacrebleu", nlohmann::json{{"lowercase", true}});
BENCHMARK_CAPTURE(BM_Metric, sentence_bleu_4_unimed, "sentence_bleu_4", nlohmann::json::object());
BENCHMARK_CAPTURE(BM_Metric, sentence_bleu_4_lower_split, "sentence_bleu_4",
                  nlohmann::json{{"tokenize", "lower_split"}});
BENCHMARK_CAPTURE(BM_Metric, rouge_1_stem, "rouge_1", nlohmann::json::object());
BENCHMARK_CAPTURE(BM_Metric, rouge_2_stem, "rouge_2", nlohmann::json::object());
BENCHMARK_CAPTURE(BM_Metric, rouge_l_stem, "rouge_l", nlohmann::json::object());
BENCHMARK_CAPTURE(BM_Metric, rouge_l_nostem, "rouge_l", nlohmann::json{{"use_stemmer", false}});

BENCHMARK_CAPTURE(BM_Texts, tokenize_13a, [](const std::string& t) { return sacrebleu_tokenize_13a(t); });
BENCHMARK_CAPTURE(BM_Texts, tokenize_intl, [](const std::string& t) { return sacrebleu_tokenize_intl(t); });
BENCHMARK_CAPTURE(BM_Texts, py_lower, [](const std::string& t) { return py_lower(t); });
BENCHMARK_CAPTURE(BM_Texts, rouge_tokens, [](const std::string& t) { return rouge_score_tokens(t, false); });
BENCHMARK_CAPTURE(BM_Texts, rouge_tokens_stem,
                  [](const std::string& t) { return rouge_score_tokens(t, true); });
BENCHMARK_CAPTURE(BM_Texts, unimed_words, [](const std::string& t) { return unimed_reference_words(t); });
BENCHMARK(BM_PorterStem);

}  // namespace
}  // namespace imaxbench
