// StageProgress (harness/stage_progress.h): what `score` and `compare` print on stderr while they
// work, and that a short run in a log prints nothing.
#include "harness/stage_progress.h"

#include <chrono>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <tbb/parallel_for.h>

#include "metrics/bootstrap.h"

namespace imaxbench {
namespace {

TEST(StageProgress, LinesNameTheStepAndCountEachPassOfResamples) {
  std::ostringstream out;
  StageProgress p(out, ProgressMode::kLines, 0.0);  // a line on every update
  p.stage("report_generation: resampling");
  auto scored = p.resamples(100);
  scored(32);
  scored(32);
  scored(36);  // the pass is done: the next count starts the next pass
  scored(32);
  p.finish();
  const std::string text = out.str();
  EXPECT_NE(text.find("progress: report_generation: resampling (0m00s so far)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("progress: report_generation: resampling 64/100, ETA"), std::string::npos) << text;
  EXPECT_NE(text.find("progress: report_generation: resampling 100/100 (0m00s so far)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("progress: report_generation: resampling 32/100, ETA"), std::string::npos) << text;
}

// The first batch's time counts: it ran between the step and its count.
TEST(StageProgress, TheEtaCountsThePassFromItsStep) {
  std::ostringstream out;
  StageProgress p(out, ProgressMode::kLines, 0.0);
  p.stage("report_generation: resampling");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  p.resamples(100)(10);  // 10 in at least 0.2 s: 90 more take at least 1.8 s
  const std::string text = out.str();
  EXPECT_NE(text.find("resampling 10/100, ETA 0m"), std::string::npos) << text;
  EXPECT_EQ(text.find("resampling 10/100, ETA 0m00s"), std::string::npos) << text;
  EXPECT_EQ(text.find("resampling 10/100, ETA 0m01s"), std::string::npos) << text;
}

TEST(StageProgress, ALogGetsNothingBeforeThePeriodAndOffNothingAtAll) {
  for (ProgressMode mode : {ProgressMode::kLines, ProgressMode::kOff}) {
    std::ostringstream out;
    {
      StageProgress p(out, mode, mode == ProgressMode::kLines ? 3600.0 : 0.0);
      p.stage("reading suite.json");
      p.resamples(10)(10);
    }
    EXPECT_EQ(out.str(), "");
  }
}

TEST(StageProgress, ABarIsRedrawnInPlaceAndClearedAtTheEnd) {
  std::ostringstream out;
  StageProgress p(out, ProgressMode::kBar);
  p.stage("A: reading suite.json");
  p.finish();
  p.finish();
  EXPECT_EQ(out.str(), "\r\033[2KA: reading suite.json (0m00s so far)\r\033[2K");
}

// The hook as bootstrap code calls it: once per batch, from several threads at once.
TEST(StageProgress, CountsBatchesScoredOnManyThreads) {
  std::ostringstream out;
  StageProgress p(out, ProgressMode::kLines, 0.0);
  p.stage("cider");
  BootstrapOptions o;
  o.resamples = 320;
  o.on_scored = p.resamples(320);
  std::vector<std::string> keys;
  for (int i = 0; i < 50; ++i) keys.push_back("k" + std::to_string(i));
  for_each_resample_batch(Resampler(keys), o, [](std::size_t, auto) {});
  EXPECT_NE(out.str().find("cider 320/320 (0m00s so far)\n"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace imaxbench
