// Tokenizer throughput on a radiology report corpus (the "bench_corpus" of
// tests/data/tokenizer_vectors.json, 500 seeded reports): encode for the demo packages' byte-level
// BPE and SentencePiece tokenizers and GPT-2's 50k vocabulary, decode for the BPE one. Counters:
// bytes/s of input text, reports/s, and tokens per report.
#include <fstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "tokenizers/tokenizer.h"

namespace imaxbench {
namespace {

std::string source_path(const std::string& relative) {
  return std::string(IMAXBENCH_SOURCE_DIR) + "/" + relative;
}

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> texts = [] {
    std::ifstream in(source_path("tests/data/tokenizer_vectors.json"));
    return nlohmann::json::parse(in).at("bench_corpus").get<std::vector<std::string>>();
  }();
  return texts;
}

void encode_corpus(benchmark::State& state, const std::string& kind, const std::string& path) {
  const auto tokenizer = load_tokenizer(kind, source_path(path));
  const auto& texts = corpus();
  std::size_t bytes = 0, tokens = 0;
  for (const auto& t : texts) bytes += t.size();
  for (auto _ : state) {
    tokens = 0;
    for (const auto& t : texts) {
      auto ids = tokenizer->encode(t);
      tokens += ids.size();
      benchmark::DoNotOptimize(ids.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * texts.size()));
  state.counters["tokens_per_report"] = static_cast<double>(tokens) / texts.size();
}

void BM_EncodeRadiologyBpe(benchmark::State& state) {
  encode_corpus(state, "hf-bpe", "models/tokenizers/radiology-bpe/tokenizer.json");
}
BENCHMARK(BM_EncodeRadiologyBpe)->Unit(benchmark::kMillisecond);

void BM_EncodeGpt2(benchmark::State& state) {
  encode_corpus(state, "hf-bpe", "tests/data/tokenizers/gpt2/tokenizer.json");
}
BENCHMARK(BM_EncodeGpt2)->Unit(benchmark::kMillisecond);

void BM_EncodeRadiologySentencePiece(benchmark::State& state) {
  encode_corpus(state, "sentencepiece", "models/tokenizers/radiology-sp/tokenizer.model");
}
BENCHMARK(BM_EncodeRadiologySentencePiece)->Unit(benchmark::kMillisecond);

void BM_DecodeRadiologyBpe(benchmark::State& state) {
  const auto tokenizer =
      load_tokenizer("hf-bpe", source_path("models/tokenizers/radiology-bpe/tokenizer.json"));
  std::vector<std::vector<std::int32_t>> encoded;
  std::size_t bytes = 0;
  for (const auto& t : corpus()) {
    encoded.push_back(tokenizer->encode(t));
    bytes += t.size();
  }
  for (auto _ : state)
    for (const auto& ids : encoded) benchmark::DoNotOptimize(tokenizer->decode(ids));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * encoded.size()));
}
BENCHMARK(BM_DecodeRadiologyBpe)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace imaxbench
