// `inspect` reads a suite with a visitor (data/suite_loader.h): every record counted as it is read,
// none kept. Its report must be the one a kept suite gives: the same valid and invalid records (ids
// repeated within a split and across splits included), in the same order, the same first error under
// --strict, and the same image-centric counts (harness/image_stats.h), which it now keeps itself.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "core/error.h"
#include "data/suite_loader.h"
#include "harness/image_stats.h"
#include "test_files.h"

namespace imaxbench {
namespace {

using testing::png_header_bytes;
using testing::TempDir;

std::string record(const std::string& id, const std::string& task, const std::string& image,
                   const std::string& image_id) {
  std::string r = "{\"id\":\"" + id + "\",\"task\":\"" + task + "\",\"image\":\"" + image + "\"";
  if (!image_id.empty()) r += ",\"image_id\":\"" + image_id + "\"";
  if (task == "vqa") r += ",\"question\":\"Is there an effusion?\",\"answer_type\":\"closed\",\"reference\":[\"no\"]";
  else if (task == "calculation") r += ",\"quantity\":\"ctr\",\"reference\":0.5";
  else r += ",\"reference\":\"No acute findings.\"";
  return r + "}\n";
}

// Three splits over shared images, with bad records of every kind the ordered stage decides.
std::string write_suite(const TempDir& dir) {
  dir.write("images/a.png", png_header_bytes(64, 48));
  dir.write("images/b.png", png_header_bytes(64, 48));
  std::string reports, vqa, more;
  // Past 1 MiB, so that reading runs as a pipeline of blocks (core/jsonl.h).
  for (int i = 0; i < 12000; ++i) {
    reports += record("r" + std::to_string(i), "report_generation", "images/a.png", "img" + std::to_string(i % 7));
    if (i % 997 == 500) reports += "{\"id\": 7}\n";  // an id that is not a string
  }
  reports += record("r3", "report_generation", "images/a.png", "img1");  // repeated in its split
  reports += "{not json\n";
  reports += record("r41", "report_generation", "images/missing.png", "img3");  // no such image
  for (int i = 0; i < 30; ++i)
    vqa += record("q" + std::to_string(i), "vqa", "images/b.png", "img" + std::to_string(i % 11));
  vqa += record("r5", "vqa", "images/b.png", "img2");  // used by the first split
  vqa += record("q30", "vqa", "images/b.png", "");
  vqa += record("r7", "vqa", "images/b.png", "");      // used by the first split
  more += record("m0", "calculation", "images/b.png", "img0");
  more += record("q4", "calculation", "images/b.png", "img4");  // used by the second split
  more += record("m1", "calculation", "images/b.png", "");
  dir.write("reports.jsonl", reports);
  dir.write("vqa.jsonl", vqa);
  dir.write("more.jsonl", more);
  return dir.write("suite.json", R"({"name": "streamed", "version": 1, "tasks": [
    {"task": "report_generation", "split": "reports.jsonl", "primary_metric": "bleu_4"},
    {"task": "vqa", "split": "vqa.jsonl", "primary_metric": "closed_accuracy"},
    {"task": "calculation", "split": "more.jsonl"}]})");
}

void expect_same_stats(const ImageCentricStats& a, const ImageCentricStats& b) {
  EXPECT_EQ(a.entries, b.entries);
  EXPECT_EQ(a.images, b.images);
  EXPECT_EQ(a.tasks_per_image, b.tasks_per_image);
  EXPECT_EQ(a.entries_per_image, b.entries_per_image);
}

TEST(StreamedSplits, CountTheRecordsAKeptSuiteHolds) {
  TempDir dir;
  const std::string suite = write_suite(dir);
  for (std::size_t threads : {1, 2, 8}) {
    SCOPED_TRACE(std::to_string(threads) + " threads");
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    const LoadedSuite kept = load_suite_splits(suite, "", SplitOptions{});
    ImageCentricCounter kept_images, streamed_images;
    std::vector<std::string> kept_ids, streamed_ids;
    for (const auto& split : kept.splits)
      for (const Sample& s : split.samples) kept_images.add(s), kept_ids.push_back(s.id);
    const LoadedSuite streamed = load_suite_splits(suite, "", SplitOptions{}, [&](const Sample& s) {
      streamed_images.add(s);
      streamed_ids.push_back(s.id);
    });
    EXPECT_EQ(streamed_ids, kept_ids);
    ASSERT_EQ(streamed.splits.size(), 3u);
    for (std::size_t i = 0; i < kept.splits.size(); ++i) {
      EXPECT_TRUE(streamed.splits[i].samples.empty());
      EXPECT_EQ(streamed.splits[i].valid(), kept.splits[i].samples.size());
      EXPECT_EQ(streamed.splits[i].sha256, kept.splits[i].sha256);
      std::vector<std::string> a, b;
      for (const auto& r : kept.splits[i].invalid) a.push_back(r.message);
      for (const auto& r : streamed.splits[i].invalid) b.push_back(r.message);
      EXPECT_EQ(b, a) << "split " << i;
    }
    EXPECT_EQ(kept.splits[0].samples.size(), 12000u);
    // 12 ids that are not strings, the repeated id, the bad line, the missing image.
    EXPECT_EQ(kept.splits[0].invalid.size(), 15u);
    ASSERT_EQ(kept.splits[1].invalid.size(), 2u);  // the two ids of the first split
    EXPECT_NE(kept.splits[1].invalid[1].message.find("id also used in"), std::string::npos);
    EXPECT_EQ(kept.splits[2].samples.size(), 2u);
    for (const auto& task : {std::optional<std::string_view>(), std::optional<std::string_view>("vqa"),
                             std::optional<std::string_view>("calculation")})
      expect_same_stats(streamed_images.stats(task), kept_images.stats(task));
  }
}

TEST(StreamedSplits, StrictStopsAtTheSameRecord) {
  TempDir dir;
  const std::string suite = write_suite(dir);
  SplitOptions strict;
  strict.strict = true;
  auto first_error = [&](const std::function<void(const Sample&)>& visit) {
    try {
      load_suite_splits(suite, "vqa,calculation", strict, visit);  // the first error: an id used by both
    } catch (const DataError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string kept = first_error({});
  EXPECT_NE(kept.find("id also used in"), std::string::npos) << kept;
  EXPECT_EQ(first_error([](const Sample&) {}), kept);
}

// The counter's own table against a plain map, over enough images to grow it many times, with
// images of one to four tasks whose samples come interleaved.
TEST(ImageCentricCounter, CountsAsAMapWould) {
  ImageCentricCounter counter;
  std::map<std::string, std::map<std::string, std::size_t>> truth;
  const char* tasks[] = {"rec", "vqa", "reg", "report_generation"};
  std::uint64_t x = 88172645463325252ULL;  // xorshift64
  for (int i = 0; i < 50000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    Sample s;
    s.image_id = "image-" + std::to_string(x % 20000);
    s.task = tasks[(x >> 20) % (1 + (x % 20000) % 4)];
    counter.add(s);
    ++truth[s.image_id][s.task];
  }
  for (const auto& task : {std::optional<std::string>(), std::optional<std::string>("rec"),
                           std::optional<std::string>("report_generation"), std::optional<std::string>("none")}) {
    ImageCentricStats want;
    std::size_t task_sum = 0;
    for (const auto& [image, by_task] : truth) {
      std::size_t entries = 0, matched = 0;
      for (const auto& [t, n] : by_task)
        if (!task || t == *task) entries += n, ++matched;
      if (matched == 0) continue;
      ++want.images, want.entries += entries, task_sum += matched;
    }
    if (want.images > 0) {
      want.tasks_per_image = double(task_sum) / double(want.images);
      want.entries_per_image = double(want.entries) / double(want.images);
    }
    expect_same_stats(counter.stats(task ? std::optional<std::string_view>(*task) : std::nullopt), want);
  }
  EXPECT_GT(counter.stats().tasks_per_image, 1.5);  // images with several tasks were counted
}

}  // namespace
}  // namespace imaxbench
