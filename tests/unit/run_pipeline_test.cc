// The run pipeline with backend doubles injected directly: order, retry of a throwing batch one
// sample at a time, per-sample failures, image decode failures, the fail-rate stop, and identical
// journals under 1 and 2 threads.
#include <gtest/gtest.h>

#include <tbb/global_control.h>

#include <fstream>
#include <mutex>
#include <algorithm>
#include <set>
#include <sstream>

#include "images/image_decode.h"
#include "harness/run_pipeline.h"
#include "harness/score_suite.h"
#include "test_files.h"

namespace imaxbench {
namespace {

using testing::TempDir;

const std::string kSuite = std::string(IMAXBENCH_SOURCE_DIR) + "/suites/sample/suite.json";

// Answers "echo <id>"; a batch holding a `batch_poison` id throws, and so does a lone request for a
// `poison` id; `soft` ids come back as per-sample errors. Records every batch it sees.
class DoubleBackend : public Backend {
 public:
  std::set<std::string> batch_poison, poison, soft;
  bool images = false;
  std::optional<ImageSpec> spec;
  std::vector<std::vector<std::string>> calls;
  std::size_t short_answers_for = SIZE_MAX;  // a batch this size gets one response too few

  std::string name() const override { return "double"; }
  std::string device() const override { return "cpu"; }
  bool wants_images() const override { return images; }
  std::optional<ImageSpec> image_spec() const override { return spec; }
  std::vector<Response> infer(std::span<const Request> batch) override {
    std::vector<std::string> ids;
    for (const auto& r : batch) ids.push_back(r.id);
    calls.push_back(ids);
    for (const auto& r : batch) {
      if (batch_poison.count(r.id) && batch.size() > 1) throw std::runtime_error("batch blew up");
      if (poison.count(r.id)) throw std::runtime_error("cannot answer " + r.id);
    }
    std::vector<Response> out(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const Request& r = batch[i];
      if (soft.count(r.id)) out[i].error = "soft failure";
      out[i].text = "echo " + r.id;
      if (images) {
        EXPECT_TRUE(r.image != nullptr) << r.id;
        if (r.image) out[i].text += " " + std::to_string(r.image->width) + "x" + std::to_string(r.image->height);
        if (spec) {
          EXPECT_EQ(r.pixels.size(), std::size_t(spec->width * spec->height * spec->channels));
          double sum = 0;
          for (float p : r.pixels) sum += p;
          out[i].text += " sum " + std::to_string(sum);
        }
      }
      if (r.task == "vqa") EXPECT_FALSE(r.inputs.question.empty());  // inputs travel, references do not
      EXPECT_FALSE(r.prompt.empty());
    }
    if (batch.size() == short_answers_for) out.pop_back();
    return out;
  }
};

std::vector<nlohmann::json> read_lines(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

// Journal lines without the timings, which are the only fields allowed to differ between runs.
std::vector<nlohmann::json> without_timings(std::vector<nlohmann::json> lines) {
  for (auto& j : lines) {
    j.erase("latency_ms");
    j.erase("stages");
  }
  return lines;
}

struct PipelineRun {
  std::vector<nlohmann::json> lines;
  PipelineStats stats;
};

PipelineRun run_with(Backend& backend, const LoadedSuite& loaded, std::size_t batch, int threads, double max_fail = 1.0,
        std::vector<WorkItem>* items_override = nullptr, bool image_reuse = true) {
  TempDir dir;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  std::vector<WorkItem> items = items_override ? *items_override : make_work_items(loaded, {});
  JournalWriter journal(dir.path() + "/samples.jsonl", false);
  PipelineOptions o;
  o.batch_size = batch;
  o.max_fail_rate = max_fail;
  o.image_reuse = image_reuse;
  PipelineRun r;
  r.stats = run_pipeline(backend, items, journal, o, nullptr);
  r.lines = read_lines(dir.path() + "/samples.jsonl");
  return r;
}

class RunPipeline : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { loaded_ = new LoadedSuite(load_suite_splits(kSuite, "", SplitOptions{})); }
  static void TearDownTestSuite() { delete loaded_; }
  static LoadedSuite* loaded_;
  std::vector<std::string> all_ids() const {
    std::vector<std::string> ids;
    for (const auto& s : loaded_->splits)
      for (const auto& x : s.samples) ids.push_back(x.id);
    return ids;
  }
};
LoadedSuite* RunPipeline::loaded_ = nullptr;

TEST_F(RunPipeline, JournalsEverySampleInSuiteOrder) {
  DoubleBackend b;
  PipelineRun r = run_with(b, *loaded_, 4, 2);
  auto ids = all_ids();
  ASSERT_EQ(r.lines.size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(r.lines[i]["id"], ids[i]);
    EXPECT_EQ(r.lines[i]["index"], i);
    EXPECT_EQ(r.lines[i]["prediction"], "echo " + ids[i]);
  }
  EXPECT_EQ(r.stats.done, ids.size());
  EXPECT_EQ(r.stats.failed, 0u);
  EXPECT_EQ(b.calls.size(), (ids.size() + 3) / 4);
  for (std::size_t c = 0; c + 1 < b.calls.size(); ++c) EXPECT_EQ(b.calls[c].size(), 4u);
}

TEST_F(RunPipeline, ThrowingBatchIsRetriedOneSampleAtATime) {
  auto ids = all_ids();
  DoubleBackend b;
  b.batch_poison = {ids[5], ids[9]};  // only throws in a batch
  b.poison = {ids[9]};                // throws alone too
  b.soft = {ids[20]};
  PipelineRun r = run_with(b, *loaded_, 4, 1);
  ASSERT_EQ(r.lines.size(), ids.size());
  EXPECT_EQ(r.lines[5]["prediction"], "echo " + ids[5]);
  EXPECT_TRUE(r.lines[5]["error"].is_null());
  EXPECT_EQ(r.lines[9]["error"], "backend: cannot answer " + ids[9]);
  EXPECT_EQ(r.lines[20]["error"], "soft failure");
  EXPECT_EQ(r.lines[10]["prediction"], "echo " + ids[10]);  // batch-mates of the poison answered
  EXPECT_EQ(r.stats.failed, 2u);
  EXPECT_NE(r.stats.first_error.find(ids[9]), std::string::npos);
  // Batches 2 and 3 (samples 4-7, 8-11) each failed once, then ran as 4 singles.
  std::size_t singles = 0;
  for (const auto& c : b.calls) singles += c.size() == 1;
  EXPECT_EQ(singles, 8u + (ids.size() % 4 == 1 ? 1 : 0));
}

TEST_F(RunPipeline, WrongResponseCountIsTreatedAsAThrow) {
  DoubleBackend b;
  b.short_answers_for = 3;
  PipelineRun r = run_with(b, *loaded_, 3, 1);
  ASSERT_EQ(r.lines.size(), all_ids().size());
  EXPECT_EQ(r.stats.failed, 0u);  // each retried alone, where the count is right
  for (const auto& l : r.lines) EXPECT_TRUE(l["error"].is_null());
}

TEST_F(RunPipeline, ImagesAreDecodedAndPreprocessedForBackendsThatWantThem) {
  DoubleBackend b;
  b.images = true;
  b.spec = ImageSpec{16, 8, 3, 0.5f, 0.25f};
  PipelineRun r = run_with(b, *loaded_, 5, 2);
  ASSERT_EQ(r.lines.size(), all_ids().size());
  EXPECT_EQ(r.stats.failed, 0u) << r.stats.first_error;
  const auto& first = loaded_->splits[0].samples[0];
  GrayImage img = decode_image(first.image_path);
  EXPECT_NE(r.lines[0]["prediction"].get<std::string>().find(std::to_string(img.width) + "x"), std::string::npos);
  EXPECT_GT(r.lines[0]["stages"]["image_decode_ms"].get<double>(), 0.0);
  EXPECT_GT(r.stats.decode_s, 0.0);
}

// run and profile put an image's samples next to each other: groups in order of first appearance,
// suite order inside a group, every item kept once with its index.
TEST_F(RunPipeline, GroupByImageKeepsEveryItemAndItsIndex) {
  std::vector<WorkItem> items = make_work_items(*loaded_, {});
  std::vector<WorkItem> grouped = items;
  group_by_image(grouped);
  ASSERT_EQ(grouped.size(), items.size());
  std::set<std::string> seen_done;  // images whose group has ended
  std::string current;
  std::vector<std::size_t> first_seen;
  for (std::size_t i = 0; i < grouped.size(); ++i) {
    const std::string& path = grouped[i].sample->image_path;
    EXPECT_EQ(grouped[i].sample, items[grouped[i].index].sample);  // index still names the item
    if (path != current) {
      EXPECT_FALSE(seen_done.count(path)) << path << " comes back after its group ended";
      if (!current.empty()) seen_done.insert(current);
      current = path;
    } else {
      EXPECT_LT(grouped[i - 1].index, grouped[i].index);  // suite order inside a group
    }
  }
  // Groups follow the order in which their image first appears in the suite.
  std::vector<std::string> suite_order, grouped_order;
  for (const auto& w : items)
    if (std::find(suite_order.begin(), suite_order.end(), w.sample->image_path) == suite_order.end())
      suite_order.push_back(w.sample->image_path);
  for (const auto& w : grouped)
    if (grouped_order.empty() || grouped_order.back() != w.sample->image_path) grouped_order.push_back(w.sample->image_path);
  EXPECT_EQ(grouped_order, suite_order);
  EXPECT_LT(grouped_order.size(), items.size());  // the sample suite has several samples per image
}

// IMAX is image-centric: each file is decoded once for all its samples, and the answers are the
// ones a decode per sample gives (--no-image-reuse).
TEST_F(RunPipeline, EachImageIsDecodedOnceWithTheSameAnswers) {
  DoubleBackend b;
  b.images = true;
  b.spec = ImageSpec{16, 8, 3, 0.5f, 0.25f};
  std::set<std::string> files;
  for (const auto& w : make_work_items(*loaded_, {})) files.insert(w.sample->image_path);
  PipelineRun reused = run_with(b, *loaded_, 5, 2);
  PipelineRun fresh = run_with(b, *loaded_, 5, 2, 1.0, nullptr, false);
  EXPECT_EQ(reused.stats.images_prepared, files.size());
  EXPECT_EQ(reused.stats.images_prepared + reused.stats.image_reuses, all_ids().size());
  EXPECT_EQ(fresh.stats.images_prepared, all_ids().size());
  EXPECT_EQ(fresh.stats.image_reuses, 0u);
  ASSERT_EQ(reused.lines.size(), fresh.lines.size());
  for (std::size_t i = 0; i < reused.lines.size(); ++i)
    EXPECT_EQ(reused.lines[i]["prediction"], fresh.lines[i]["prediction"]) << reused.lines[i]["id"];
}

TEST_F(RunPipeline, UndecodableImageIsAFailedSampleNotACrash) {
  TempDir dir;
  std::vector<WorkItem> items = make_work_items(*loaded_, {});
  Sample broken = *items[2].sample;
  broken.image_path = dir.write("broken.png", "\x89PNG\r\n\x1a\nnot really");
  items[2].sample = &broken;
  DoubleBackend b;
  b.images = true;
  PipelineRun r = run_with(b, *loaded_, 4, 2, 1.0, &items);
  ASSERT_EQ(r.lines.size(), items.size());
  ASSERT_TRUE(r.lines[2]["error"].is_string());
  EXPECT_NE(r.lines[2]["error"].get<std::string>().find("broken.png"), std::string::npos) << r.lines[2]["error"];
  EXPECT_EQ(r.stats.failed, 1u);
  // The broken request never reached the backend; its batch-mates did.
  std::size_t seen = 0;
  for (const auto& c : b.calls) {
    seen += c.size();
    for (const auto& id : c) EXPECT_NE(id, broken.id);
  }
  EXPECT_EQ(seen, items.size() - 1);
}

TEST_F(RunPipeline, StopsOncePastTheFailRateKeepingWhatIsDone) {
  auto ids = all_ids();
  DoubleBackend b;
  b.soft = std::set<std::string>(ids.begin(), ids.end());
  PipelineRun r = run_with(b, *loaded_, 2, 1, 0.1);
  EXPECT_TRUE(r.stats.stopped);
  // Stops right after the batch that passed 10% of the run; 1 thread leaves nothing else in flight
  // beyond the batches already issued.
  EXPECT_GT(r.lines.size(), ids.size() / 10);
  EXPECT_LT(r.lines.size(), ids.size() / 2);
  EXPECT_EQ(r.stats.done, r.lines.size());
}

TEST_F(RunPipeline, OneAndTwoThreadsGiveTheSameJournal) {
  auto ids = all_ids();
  DoubleBackend b1, b2;
  for (auto* b : {&b1, &b2}) {
    b->images = true;
    b->spec = ImageSpec{32, 32, 1, 0.f, 1.f};
    b->batch_poison = {ids[3]};
    b->soft = {ids[7]};
  }
  PipelineRun one = run_with(b1, *loaded_, 3, 1);
  PipelineRun two = run_with(b2, *loaded_, 3, 2);
  EXPECT_EQ(without_timings(one.lines), without_timings(two.lines));
  EXPECT_EQ(b1.calls, b2.calls);
}

}  // namespace
}  // namespace imaxbench
