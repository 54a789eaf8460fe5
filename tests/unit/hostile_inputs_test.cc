// Issue 12, items 5-7, 9 and 14b: containment on canonical paths however the split's folder is
// named, only regular files opened (a FIFO or device never blocks), header checks with the
// decoder's limits, full decoding on request, short excerpts in messages, CR-only line endings.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/image_check.h"
#include "images/image_header.h"
#include "core/jsonl.h"
#include "core/regular_file.h"
#include "harness/score_suite.h"
#include "data/split_reader.h"
#include "core/error.h"
#include "core/excerpt.h"
#include "test_files.h"

namespace imaxbench {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string rec(const std::string& id, const std::string& image) {
  return "{\"id\":\"" + id + "\",\"task\":\"report_generation\",\"image\":\"" + image +
         "\",\"reference\":\"No acute findings.\"}\n";
}

// Changes the working folder for one test and back.
class InFolder {
 public:
  explicit InFolder(const fs::path& dir) : old_(fs::current_path()) { fs::current_path(dir); }
  ~InFolder() { fs::current_path(old_); }

 private:
  fs::path old_;
};

// Before: with the split named in the current folder its parent path was "" and every path passed.
TEST(Containment, HoldsWhenTheSplitIsNamedInTheCurrentFolder) {
  testing::TempDir dir;
  dir.write("S/img.png", testing::png_header_bytes(8, 8));
  dir.write("outside/scan.png", testing::png_header_bytes(8, 8));
  fs::create_directory_symlink(fs::path(dir.path()) / "outside", fs::path(dir.path()) / "S" / "link");
  dir.write("S/s.jsonl", rec("in", "img.png") + rec("up", "../outside/scan.png") +
                             rec("sym", "link/scan.png") + rec("dotdot", "./x/../img.png"));
  for (const std::string folder : {"S", "S/."}) {
    InFolder here(fs::path(dir.path()) / folder);
    for (const std::string name : {"s.jsonl", "./s.jsonl"}) {
      const SplitData d = read_split(name, "report_generation", SplitOptions{});
      ASSERT_EQ(d.samples.size(), 2u) << folder << " " << name;
      EXPECT_EQ(d.samples[0].id, "in");
      EXPECT_EQ(d.samples[1].id, "dotdot");
      ASSERT_EQ(d.invalid.size(), 2u);
      EXPECT_THAT(d.invalid[0].message, HasSubstr("outside the split's folder"));
      EXPECT_THAT(d.invalid[1].message, HasSubstr("outside the split's folder"));
    }
  }
  // The same split named through a symlinked folder: the folder's real location is the root.
  fs::create_directory_symlink(fs::path(dir.path()) / "S", fs::path(dir.path()) / "alias");
  const SplitData d = read_split(dir.path() + "/alias/s.jsonl", "report_generation", SplitOptions{});
  EXPECT_EQ(d.samples.size(), 2u);
  EXPECT_EQ(d.invalid.size(), 2u);
}

// Before: inspect, score and run hung forever on a FIFO split or image, or read /dev/zero without
// end; a directory read as an empty split.
TEST(RegularFilesOnly, FifoDeviceAndDirectoryAreRefusedWithoutBlocking) {
  testing::TempDir dir;
  const std::string fifo = dir.path() + "/pipe.jsonl";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string path : {fifo, std::string("/dev/zero"), dir.path()}) {
    try {
      (void)read_split(path, "report_generation", SplitOptions{});
      ADD_FAILURE() << path << " was read";
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr(path));
      EXPECT_THAT(e.what(), HasSubstr("not a regular file"));
    }
  }
  std::string problem;
  EXPECT_FALSE(read_image_header(fifo, problem));
  EXPECT_THAT(problem, HasSubstr("named pipe"));
  EXPECT_THROW((void)load_suite(fifo), Error);
}

// Before: headers declaring 100000 x 100000, 2^31 or 0-wide images counted as valid.
TEST(ImageHeaders, EmptyAndOversizedImagesAreInvalid) {
  testing::TempDir dir;
  const struct {
    unsigned w, h;
    const char* says;
  } cases[] = {{100000, 100000, "more than the limit"},
               // libpng's own IHDR checks (the header is read by libpng, as the decoder reads it)
               {2147483648u, 1, "PNG unsigned integer out of range"},
               {0, 64, "Image width is zero"},
               {64, 0, "Image height is zero"}};
  for (const auto& c : cases) {
    std::string problem;
    const std::string path = dir.write("x.png", testing::png_header_bytes(int(c.w), int(c.h)));
    EXPECT_FALSE(read_image_header(path, problem)) << c.w << "x" << c.h;
    EXPECT_THAT(problem, HasSubstr(c.says));
  }
  std::string problem;
  EXPECT_TRUE(read_image_header(dir.write("ok.png", testing::png_header_bytes(4096, 4096)), problem));
}

// Before: a PNG cut short after its header was valid until `run` tried to decode it.
TEST(ImageHeaders, TruncatedImageIsFoundByDecodeCheck) {
  testing::TempDir dir;
  dir.write("cut.png", testing::png_header_bytes(64, 64));  // header only: no pixel data
  const std::string suite = dir.write(
      "suite.json", "{\"name\": \"t\", \"tasks\": [{\"task\": \"report_generation\", \"split\": \"s.jsonl\"}]}");
  dir.write("s.jsonl", rec("r1", "cut.png"));
  LoadedSuite loaded = load_suite_splits(suite, "", SplitOptions{});
  ASSERT_EQ(loaded.splits[0].samples.size(), 1u);  // headers alone cannot tell
  std::ostringstream notes;
  EXPECT_EQ(decode_check_images(loaded, false, notes), 1u);
  EXPECT_TRUE(loaded.splits[0].samples.empty());
  ASSERT_EQ(loaded.splits[0].invalid.size(), 1u);
  EXPECT_THAT(loaded.splits[0].invalid[0].message, HasSubstr("s.jsonl:1: id 'r1': field 'image'"));
  LoadedSuite strict = load_suite_splits(suite, "", SplitOptions{});
  EXPECT_THROW(decode_check_images(strict, true, notes), DataError);
}

// Before: one 10 MB line was echoed whole into the message, the results file and the store.
TEST(Messages, QuoteAtMostAShortExcerpt) {
  testing::TempDir dir;
  const std::string huge(10'000'000, 'x');
  const std::string path = dir.write(
      "s.jsonl", "{\"id\": \"" + huge + "\", \"task\": \"nope\", \"image\": \"a.png\"}\n" +  // 1
                     "{\"id\": \"a\", \"task\": \"" + huge + "\"}\n" +                        // 2
                     "{\"id\": \"b\", " + huge + "}\n" +                                     // 3
                     "\"" + huge + "\"\n");                                                   // 4
  const SplitData d = read_split(path, "report_generation", SplitOptions{});
  ASSERT_EQ(d.invalid.size(), 4u);
  for (const auto& bad : d.invalid) {
    EXPECT_LT(bad.message.size(), 1000u) << bad.message.substr(0, 200);
    EXPECT_THAT(bad.message, HasSubstr("s.jsonl:"));
  }
  EXPECT_THAT(d.invalid[0].message, HasSubstr("(10000000 bytes)"));
  // Invalid UTF-8 and control bytes never reach a message that is written as JSON.
  EXPECT_EQ(excerpt("ab\xff\ncd"), "ab? cd");
  EXPECT_EQ(excerpt("\xc3\xa9\xc3\xa9", 3), "\xc3\xa9...(4 bytes)");
}

// Before: a file with CR-only line endings was one "torn" line.
TEST(Jsonl, CrOnlyAndCrlfLineEndingsAreLines) {
  testing::TempDir dir;
  const std::string path = dir.write("a.jsonl", "{\"id\": \"1\"}\r{\"id\": \"2\"}\r\n{\"id\": \"3\"}\r");
  std::vector<std::size_t> lines;
  read_jsonl(path, [&](JsonlLine& l) {
    EXPECT_TRUE(l.problem.empty()) << l.problem;
    EXPECT_FALSE(l.torn);
    lines.push_back(l.line);
  });
  EXPECT_EQ(lines, (std::vector<std::size_t>{1, 2, 3}));
}

TEST(Jsonl, BadLineNamesItsColumnAndField) {
  testing::TempDir dir;
  const std::string path = dir.write("a.jsonl", "{\"id\": \"1\", \"x\": {\"y\": 1e999}}\n");
  read_jsonl(path, [&](JsonlLine& l) {
    EXPECT_THAT(l.problem, HasSubstr("x.y"));
    EXPECT_THAT(l.problem, HasSubstr("column"));
    EXPECT_THAT(l.problem, HasSubstr("finite"));
  });
}

}  // namespace
}  // namespace imaxbench
