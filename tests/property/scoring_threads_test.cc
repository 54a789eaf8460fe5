// Property: the thread count cannot change a bit of the result. Scores the bundled sample suite
// (every task and default metric, with bootstrap intervals) under 1, 2 and 8 TBB threads.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "results/result_sink.h"
#include "harness/score_suite.h"

namespace imaxbench {
namespace {

std::string score_with_threads(std::size_t threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const std::string root = IMAXBENCH_SOURCE_DIR;
  LoadedSuite loaded = load_suite_splits(root + "/suites/sample/suite.json", "", SplitOptions{});
  AnswerSet answers = read_answers(root + "/suites/sample/predictions.jsonl", false);
  BootstrapOptions bootstrap;
  bootstrap.resamples = 200;
  ScoredSuite scored = score_answers(loaded, &answers, bootstrap);
  // dump() writes doubles with round-trip precision, so equal text means equal bits.
  return results_json(nlohmann::json::object(), scored.tasks, summarize_suite(scored.tasks)).dump();
}

TEST(ScoringProperty, BitIdenticalForOneTwoAndEightThreads) {
  const std::string one = score_with_threads(1);
  EXPECT_EQ(one, score_with_threads(2));
  EXPECT_EQ(one, score_with_threads(8));
  EXPECT_NE(one.find("\"ci95\""), std::string::npos);
}

}  // namespace
}  // namespace imaxbench
