// The synthetic run journal the JSON benchmarks read: `n` lines as `imaxbench run` writes them
// (report-length answers, a prompt, per-stage timings), the same seeded text every time.
#pragma once

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "harness/journal.h"

namespace imaxbench {

inline std::vector<std::string> bench_journal_lines(std::size_t n) {
  std::mt19937_64 rng(2024);
  const char* words[] = {"the", "heart", "size", "is", "normal", "no", "pleural", "effusion", "mild",
                         "bibasilar", "atelectasis", "lungs", "are", "clear", "without", "consolidation"};
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < n; ++i) {
    JournalEntry e;
    e.id = "report-" + std::to_string(i);
    e.task = "report_generation";
    e.index = i;
    e.prompt = "Write the findings section of the radiology report for this chest X-ray.";
    for (int w = 0; w < 40; ++w) e.response.text += std::string(w ? " " : "") + words[rng() % 16];
    e.response.latency_ms = 100 + static_cast<double>(rng() % 1000) / 10;
    e.response.output_tokens = 48;
    e.response.stages.image_decode_ms = 3.25;
    lines.push_back(journal_line(e));
  }
  return lines;
}

}  // namespace imaxbench
