// nlohmann/json (what imaxbench reads every JSONL file with) against simdjson's On-Demand API on
// the same bytes: the 20,000-line run journal of jsonl_bench.cc, held in memory, each line's id,
// prediction, error, latency and token count taken out as read_answers() does. Only the parse and the
// field access are timed (no file reading, no line numbering, no error messages), which is the
// most simdjson could save in `score`; issue 14 asked for this measurement where JSON reading
// dominates the whole process. Built when Debian's libsimdjson-dev is present.
//   build-*/tests/bench/imaxbench_bench --benchmark_filter=JsonParse
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "core/answers.h"
#include "tests/bench/journal_lines.h"

namespace imaxbench {
namespace {

struct Lines {
  std::vector<std::string> lines;
  std::int64_t bytes = 0;
  Lines() {
    for (std::string& line : bench_journal_lines(20000)) {
      if (!line.empty() && line.back() == '\n') line.pop_back();
      bytes += static_cast<std::int64_t>(line.size());
      lines.push_back(std::move(line));
    }
  }
};

const Lines& lines() {
  static const Lines l;
  return l;
}

void BM_JsonParseNlohmann(benchmark::State& state) {
  const Lines& in = lines();
  for (auto _ : state) {
    std::vector<Answer> out;
    out.reserve(in.lines.size());
    for (const std::string& line : in.lines) {
      const nlohmann::json j = nlohmann::json::parse(line);
      Answer a;
      a.text = j.at("prediction").get<std::string>();
      if (const auto& e = j.at("error"); !e.is_null()) a.error = e.get<std::string>();
      a.latency_ms = j.at("latency_ms").get<double>();
      a.output_tokens = j.at("output_tokens").get<std::int64_t>();
      benchmark::DoNotOptimize(j.at("id").get_ref<const std::string&>());
      out.push_back(std::move(a));
    }
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(in.lines.size()));
  state.SetBytesProcessed(state.iterations() * in.bytes);
}
BENCHMARK(BM_JsonParseNlohmann)->Unit(benchmark::kMillisecond);

void BM_JsonParseSimdjson(benchmark::State& state) {
  const Lines& in = lines();
  simdjson::ondemand::parser parser;
  std::vector<simdjson::padded_string> padded;
  for (const std::string& line : in.lines) padded.emplace_back(line);  // its padding, made once
  for (auto _ : state) {
    std::vector<Answer> out;
    out.reserve(padded.size());
    for (const simdjson::padded_string& line : padded) {
      simdjson::ondemand::document doc = parser.iterate(line);
      Answer a;
      std::string_view id = doc["id"].get_string();
      benchmark::DoNotOptimize(id);
      a.text = std::string(std::string_view(doc["prediction"].get_string()));
      if (simdjson::ondemand::value e = doc["error"]; !e.is_null())
        a.error = std::string(std::string_view(e.get_string()));
      a.latency_ms = doc["latency_ms"].get_double();
      a.output_tokens = doc["output_tokens"].get_int64();
      out.push_back(std::move(a));
    }
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(in.lines.size()));
  state.SetBytesProcessed(state.iterations() * in.bytes);
}
BENCHMARK(BM_JsonParseSimdjson)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace imaxbench
