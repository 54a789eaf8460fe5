// Property: reading a split or an answers file on several threads (core/jsonl.h parses files of
// 1 MiB and more in blocks on all threads) gives exactly what one thread gives: the same samples in
// the same order, the same invalid-record messages (duplicate ids, bad JSON, unknown tasks, paths
// leaving the folder, missing images, a torn last line), the same first error under --strict.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <filesystem>
#include <sstream>

#include "core/answers.h"
#include "core/error.h"
#include "data/split_reader.h"
#include "tests/unit/test_files.h"

namespace imaxbench {
namespace {

constexpr int kRecords = 12000;  // about 2.3 MB: several blocks

// A report split whose every few records is broken in one of the ways a split can be.
std::string split_text() {
  std::ostringstream out;
  for (int i = 0; i < kRecords; ++i) {
    const std::string id = "r" + std::to_string(i % 101 == 100 ? i - 50 : i);  // some duplicates
    std::string image = i % 107 == 0 ? "../outside.png" : i % 109 == 0 ? "missing.png" : "img/cxr.png";
    std::string task = i % 103 == 0 ? "no_such_task" : "report_generation";
    if (i % 97 == 0) {
      out << "{\"id\": \"" << id << "\", \"task\": \n";  // not JSON
      continue;
    }
    if (i % 89 == 0) out << "   \n";  // blank lines are skipped, but counted
    out << "{\"id\": \"" << id << "\", \"task\": \"" << task << "\", \"image\": \"" << image
        << "\", \"reference\": [\"the heart is normal in size, case " << i
        << ", no pleural effusion or pneumothorax; lungs are clear bilaterally\"]}"
        << (i % 113 == 0 ? "\r\n" : "\n");
  }
  out << "{\"id\": \"torn\", \"task\": \"report";  // a killed writer's last line
  return out.str();
}

std::string describe(const SplitData& d) {
  std::ostringstream s;
  for (const Sample& x : d.samples)
    s << x.id << '|' << x.line << '|' << x.image_path << '|' << (x.ref_texts.empty() ? "" : x.ref_texts[0]) << '|'
      << (*x.image_size)[0] << '\n';
  for (const InvalidRecord& r : d.invalid) s << r.message << '\n';
  return s.str();
}

class ReadingThreads : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string png = std::string(IMAXBENCH_SOURCE_DIR) + "/suites/sample/images/cxr_000.png";
    std::filesystem::create_directories(dir_.path() + "/img");
    std::filesystem::copy_file(png, dir_.path() + "/img/cxr.png");
    split_ = dir_.write("split.jsonl", split_text());
    ASSERT_GT(std::filesystem::file_size(split_), std::size_t{2} << 20);
  }
  SplitData read(std::size_t threads, bool strict) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    SplitOptions o;
    o.strict = strict;
    return read_split(split_, "report_generation", o);
  }
  testing::TempDir dir_;
  std::string split_;
};

TEST_F(ReadingThreads, SplitIsTheSameOnOneTwoAndEightThreads) {
  const SplitData one = read(1, false);
  EXPECT_GT(one.samples.size(), 8000u);
  EXPECT_GT(one.invalid.size(), 300u);
  const std::string expected = describe(one);
  EXPECT_EQ(expected, describe(read(2, false)));
  EXPECT_EQ(expected, describe(read(8, false)));
  // Each kind of problem is there, in file order.
  for (const char* what : {"duplicate id", "not valid JSON", "unknown task", "outside the split's folder",
                           "file not found", "cut off"})
    EXPECT_NE(expected.find(what), std::string::npos) << what;
}

TEST_F(ReadingThreads, StrictStopsAtTheSameRecord) {
  auto first_error = [&](std::size_t threads) {
    try {
      read(threads, true);
    } catch (const DataError& e) {
      return std::to_string(e.line()) + " " + e.what();
    }
    return std::string("no error");
  };
  const std::string one = first_error(1);
  EXPECT_NE(one.find("not valid JSON"), std::string::npos) << one;  // line 1 (i = 0)
  EXPECT_EQ(one, first_error(2));
  EXPECT_EQ(one, first_error(8));
}

TEST(ReadingThreadsAnswers, AnswersAreTheSameOnOneAndTwoThreads) {
  testing::TempDir dir;
  std::ostringstream out;
  for (int i = 0; i < 20000; ++i) {
    if (i % 997 == 0) out << "not json\n";
    out << "{\"id\": \"a" << (i % 1001 == 1000 ? i - 7 : i) << "\", \"prediction\": \"answer " << i
        << " with some words to fill the line\"}\n";
  }
  const std::string path = dir.write("p.jsonl", out.str());
  ASSERT_GT(std::filesystem::file_size(path), std::size_t{1} << 20);
  auto read = [&](std::size_t threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    AnswerSet a = read_answers(path, false);
    std::ostringstream s;
    for (int i = 0; i < 20000; ++i) {
      auto it = a.by_id.find("a" + std::to_string(i));
      if (it != a.by_id.end()) s << it->first << '|' << it->second.text << '|' << it->second.line << '\n';
    }
    for (const std::string& p : a.problems) s << p << '\n';
    return s.str();
  };
  const std::string one = read(1);
  EXPECT_NE(one.find("duplicate"), std::string::npos);
  EXPECT_EQ(one, read(2));
}

}  // namespace
}  // namespace imaxbench
