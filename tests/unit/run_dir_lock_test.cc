// Issue 12, items 13 and 14a: one writer per run folder, and no negative harness overhead.
#include "harness/run_dir_lock.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "harness/run_pipeline.h"
#include "core/error.h"
#include "test_files.h"

namespace imaxbench {
namespace {

using ::testing::HasSubstr;

TEST(RunDirLock, SecondWriterIsRefusedWhileTheFirstLives) {
  testing::TempDir dir;
  const std::string run = dir.path() + "/run";
  std::ostringstream notes;
  {
    RunDirLock first(run, notes);
    try {
      RunDirLock second(run, notes);
      FAIL() << "a second writer got the lock";
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("in use by another imaxbench process (pid " + std::to_string(::getpid())));
    }
  }
  RunDirLock again(run, notes);  // released with its holder
  EXPECT_EQ(notes.str(), "");
}

// A process killed while holding the lock leaves its description in the file; the kernel has
// released the lock itself, so the next run takes over with a note.
TEST(RunDirLock, LockOfAKilledProcessIsTakenOverWithANote) {
  testing::TempDir dir;
  const std::string run = dir.path() + "/run";
  const pid_t child = ::fork();
  if (child == 0) {
    std::ostringstream ignored;
    RunDirLock held(run, ignored);
    ::_exit(0);  // no destructor: as a kill -9 leaves it
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  std::ostringstream notes;
  RunDirLock mine(run, notes);
  EXPECT_THAT(notes.str(), HasSubstr("took over the lock of an earlier process that is gone (pid " +
                                     std::to_string(child)));
}

// Before: 1 - (infer + decode + preprocess) / wall went negative once decoding ran on several
// threads beside inference.
TEST(HarnessOverhead, NullWithAReasonWhenStagesOverlap) {
  PipelineStats st;
  st.wall_s = 1.0;
  st.infer_s = 0.8;
  st.decode_s = 0.9;  // summed over two decoding threads
  {
    tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
    nlohmann::json timing;
    add_harness_overhead(timing, st);
    EXPECT_TRUE(timing["harness_overhead"].is_null());
    EXPECT_THAT(timing["harness_overhead_note"].get<std::string>(), HasSubstr("--threads 1"));
    EXPECT_DOUBLE_EQ(timing["backend_busy_share"].get<double>(), 0.8);
  }
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  st.decode_s = 0.1;
  nlohmann::json timing;
  add_harness_overhead(timing, st);
  EXPECT_NEAR(timing["harness_overhead"].get<double>(), 0.1, 1e-12);
}

}  // namespace
}  // namespace imaxbench
