// A suite whose splits cannot fit in the memory available is refused before reading, with what to
// do; one that fits is read; scoring's large mappings are refused when they would leave too little.
// The memory figure comes from /proc and the cgroup, or from IMAXBENCH_MEMORY_AVAILABLE in tests.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/answers.h"
#include "core/error.h"
#include "core/memory_available.h"
#include "data/suite_loader.h"
#include "metrics/metric.h"
#include "metrics/resample_scorer.h"

namespace imaxbench {
namespace {

const std::string kSuite = std::string(IMAXBENCH_SOURCE_DIR) + "/suites/sample/suite.json";

struct ForcedMemory {
  explicit ForcedMemory(const std::string& bytes) { setenv("IMAXBENCH_MEMORY_AVAILABLE", bytes.c_str(), 1); }
  ~ForcedMemory() { unsetenv("IMAXBENCH_MEMORY_AVAILABLE"); }
};

TEST(MemoryGuard, TheSystemSaysHowMuchIsAvailable) {
  const auto m = memory_available_bytes();
  ASSERT_TRUE(m.has_value());  // Linux with /proc, as CI is
  EXPECT_GT(*m, std::uint64_t{1} << 20);
  EXPECT_EQ(human_bytes(999), "999 B");
  EXPECT_EQ(human_bytes(1500000), "1.5 MB");
  EXPECT_EQ(human_bytes(76000000), "76 MB");
  EXPECT_EQ(human_bytes(12300000000ull), "12 GB");
}

TEST(MemoryGuard, ASuiteThatCannotFitIsRefusedBeforeReading) {
  std::uint64_t bytes = 0;
  for (const auto& f : std::filesystem::directory_iterator(std::filesystem::path(kSuite).parent_path()))
    if (f.path().extension() == ".jsonl" && f.path().filename() != "predictions.jsonl" &&
        f.path().filename() != "image_truth.jsonl")
      bytes += f.file_size();
  {
    ForcedMemory m(std::to_string(bytes));  // under twice the splits' size
    try {
      load_suite_splits(kSuite, "", SplitOptions{});
      FAIL() << "expected a refusal";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("suite.json: its splits hold"), std::string::npos) << what;
      EXPECT_NE(what.find("--tasks"), std::string::npos) << what;
    }
  }
  ForcedMemory enough(std::to_string(2 * bytes + 4096));
  EXPECT_EQ(load_suite_splits(kSuite, "", SplitOptions{}).splits.size(), 7u);
}

// Read to be counted (`inspect`), a suite holds one split's text at a time and none of its
// records: only its largest split must fit.
TEST(MemoryGuard, ASuiteReadForCountingNeedsItsLargestSplitOnly) {
  std::uint64_t bytes = 0, largest = 0;
  for (const auto& f : std::filesystem::directory_iterator(std::filesystem::path(kSuite).parent_path()))
    if (f.path().extension() == ".jsonl" && f.path().filename() != "predictions.jsonl" &&
        f.path().filename() != "image_truth.jsonl") {
      bytes += f.file_size();
      largest = std::max<std::uint64_t>(largest, f.file_size());
    }
  std::size_t counted = 0;
  auto count = [&](const Sample&) { ++counted; };
  {
    ForcedMemory m(std::to_string(bytes));  // too little to keep the records, enough to count them
    EXPECT_THROW(load_suite_splits(kSuite, "", SplitOptions{}), Error);
    EXPECT_EQ(load_suite_splits(kSuite, "", SplitOptions{}, count).splits.size(), 7u);
    EXPECT_EQ(counted, 295u);
  }
  ForcedMemory m(std::to_string(largest - 1));
  try {
    load_suite_splits(kSuite, "", SplitOptions{}, count);
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("suite.json: its largest split holds"), std::string::npos) << e.what();
  }
}

// A predictions file gets the same check as the splits: past half the memory available, refused
// before reading.
TEST(MemoryGuard, AnswersThatCannotFitAreRefusedBeforeReading) {
  const std::string answers = std::string(IMAXBENCH_SOURCE_DIR) + "/suites/sample/predictions.jsonl";
  const std::uint64_t bytes = std::filesystem::file_size(answers);
  {
    ForcedMemory m(std::to_string(2 * bytes - 1));
    try {
      read_answers(answers, false);
      FAIL() << "expected a refusal";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("predictions.jsonl: it holds"), std::string::npos) << what;
      EXPECT_NE(what.find("Score the answers in parts"), std::string::npos) << what;
    }
  }
  ForcedMemory enough(std::to_string(2 * bytes));
  EXPECT_EQ(read_answers(answers, false).by_id.size(), 288u);
}

// A container's limit counts, less what its processes use, but not its page cache, which the
// kernel reclaims before it kills: files just read must not make it look full.
TEST(MemoryGuard, ACgroupLimitCountsWithoutItsPageCache) {
  const auto root = std::filesystem::temp_directory_path() / ("imaxbench-cgroup-" + std::to_string(getpid()));
  auto write = [&](const std::string& name, const std::string& text) {
    std::filesystem::create_directories((root / name).parent_path());
    std::ofstream(root / name) << text;
  };
  EXPECT_FALSE(cgroup_memory_left(root.string()).has_value());  // no cgroup files: no limit
  write("memory.max", "max\n");
  write("memory.current", "900\n");
  EXPECT_FALSE(cgroup_memory_left(root.string()).has_value());  // v2 without a limit
  write("memory.max", "1000\n");
  EXPECT_EQ(cgroup_memory_left(root.string()), 100u);  // no memory.stat: all of the usage counts
  write("memory.stat", "anon 300\nfile 600\nfile_mapped 50\n");
  EXPECT_EQ(cgroup_memory_left(root.string()), 700u);
  write("memory.current", "2000\n");
  write("memory.stat", "file 100\n");
  EXPECT_EQ(cgroup_memory_left(root.string()), 0u);  // over the limit
  std::filesystem::remove_all(root);
  write("memory/memory.limit_in_bytes", "5000\n");  // v1
  write("memory/memory.usage_in_bytes", "4000\n");
  write("memory/memory.stat", "cache 10\nrss 1000\ntotal_cache 3000\n");
  EXPECT_EQ(cgroup_memory_left(root.string()), 4000u);
  std::filesystem::remove_all(root);
}

// Scoring's large mappings check what is left first (core/memory_available.h): under the forced
// figure, a mapping that would leave less than the reserve is refused with what to do.
TEST(MemoryGuard, AMappingThatWouldLeaveLessThanTheReserveIsRefused) {
  constexpr std::uint64_t kMapping = std::uint64_t{2} << 20;
  {
    ForcedMemory m(std::to_string(kMemoryReserve + kMapping / 2));
    try {
      check_memory_left(kMapping);
      FAIL() << "expected a refusal";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("out of memory: scoring is about to take 2.1 MB more"), std::string::npos) << what;
      EXPECT_NE(what.find("--tasks"), std::string::npos) << what;
    }
  }
  ForcedMemory enough(std::to_string(kMemoryReserve + (std::uint64_t{1} << 30)));
  EXPECT_NO_THROW(check_memory_left(kMapping));
}

// CIDEr-D's layout for resampling (metrics/text/cider_corpus.h) is hundreds of MB at 100,000
// reports: its lists are checked as they are made, so a layout that cannot fit stops with the
// message. Here 3,000 reports, whose hot slots alone take about 4 MB.
TEST(MemoryGuard, AResamplingLayoutThatCannotFitIsRefused) {
  std::uint64_t x = 88172645463325252ULL;  // xorshift64
  auto sentence = [&x](int words) {
    std::string out;
    for (int w = 0; w < words; ++w) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      out += (w ? " w" : "w") + std::to_string(x % 300);
    }
    return out;
  };
  std::vector<Sample> samples(3000);
  std::vector<Prediction> predictions(samples.size());
  std::vector<const Sample*> pointers;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i].id = "r" + std::to_string(i);
    samples[i].kind = AnswerKind::kText;
    samples[i].task = "report_generation";
    samples[i].ref_texts = {sentence(40), sentence(30)};
    predictions[i].text = sentence(30);
    predictions[i].present = predictions[i].parsed = true;
    pointers.push_back(&samples[i]);
  }
  const auto cider = make_metric("cider_d", nlohmann::json::object());
  const Metric* metrics[] = {cider.get()};
  const MetricRows rows = compute_metric_rows(metrics, pointers, predictions)[0];
  {
    ForcedMemory m(std::to_string(kMemoryReserve + (std::uint64_t{1} << 20)));
    try {
      cider->resample_scorer(rows);
      FAIL() << "expected a refusal";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("out of memory: scoring is about to take"), std::string::npos) << e.what();
    }
  }
  ForcedMemory enough(std::to_string(kMemoryReserve + (std::uint64_t{1} << 30)));
  const auto scorer = cider->resample_scorer(rows);
  ASSERT_NE(scorer, nullptr);
  EXPECT_EQ(dynamic_cast<const SubsetResampleScorer*>(scorer.get()), nullptr);  // laid out, not scored alone
}

}  // namespace
}  // namespace imaxbench
