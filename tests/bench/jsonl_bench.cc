// Speed of JSONL reading: the line-numbered reader (core/jsonl.h) and the answers/journal reader
// (core/answers.h) on a synthetic 20,000-line run journal written once to a temporary file, and
// the split reader on the sample suite's largest split (image headers not opened). items/s counts
// lines, bytes/s the file's bytes.
//   build-*/tests/bench/imaxbench_bench --benchmark_filter=Jsonl
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/answers.h"
#include "tests/bench/journal_lines.h"
#include "harness/journal.h"
#include "core/jsonl.h"
#include "data/split_reader.h"

namespace imaxbench {
namespace {

constexpr std::size_t kLines = 20000;

// A journal as `imaxbench run` writes it: report-length answers, a prompt, per-stage timings.
struct JournalFile {
  std::string path;
  std::int64_t bytes = 0;
  JournalFile() {
    path = (std::filesystem::temp_directory_path() /
            ("imaxbench_jsonl_bench_" + std::to_string(::getpid()) + ".jsonl")).string();
    std::ofstream out(path, std::ios::binary);
    for (const std::string& line : bench_journal_lines(kLines)) {
      out << line;
      bytes += static_cast<std::int64_t>(line.size());
    }
  }
  ~JournalFile() { std::filesystem::remove(path); }
};

const JournalFile& journal_file() {
  static const JournalFile f;
  return f;
}

void BM_JsonlReadLines(benchmark::State& state) {
  const JournalFile& f = journal_file();
  for (auto _ : state) {
    std::size_t n = 0;
    read_jsonl(f.path, [&](JsonlLine& line) { n += line.problem.empty(); });
    if (n != kLines) state.SkipWithError("not every line parsed");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kLines));
  state.SetBytesProcessed(state.iterations() * f.bytes);
}
BENCHMARK(BM_JsonlReadLines)->Unit(benchmark::kMillisecond);

void BM_JsonlReadAnswers(benchmark::State& state) {
  const JournalFile& f = journal_file();
  for (auto _ : state) {
    AnswerSet a = read_answers(f.path, true);
    if (a.by_id.size() != kLines) state.SkipWithError("not every answer read");
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kLines));
  state.SetBytesProcessed(state.iterations() * f.bytes);
}
BENCHMARK(BM_JsonlReadAnswers)->Unit(benchmark::kMillisecond);

void BM_JsonlReadSplit(benchmark::State& state) {
  const std::string path = IMAXBENCH_SOURCE_DIR "/suites/sample/vqa.jsonl";
  SplitOptions o;
  o.check_images = false;
  std::size_t records = 0;
  for (auto _ : state) {
    SplitData d = read_split(path, "vqa", o);
    records = d.samples.size() + d.invalid.size();
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(records));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(std::filesystem::file_size(path)));
}
BENCHMARK(BM_JsonlReadSplit)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace imaxbench
