// The run journal (append per batch, torn-line recovery), shard selection and the run manifest
// comparison that guards --resume and merge.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/answers.h"
#include "harness/journal.h"
#include "harness/run_manifest.h"
#include "harness/shard.h"
#include "core/error.h"
#include "test_files.h"

namespace imaxbench {
namespace {

using testing::TempDir;

JournalEntry entry(const std::string& id, const std::string& text, const std::string& error = "") {
  JournalEntry e;
  e.id = id;
  e.task = "vqa";
  e.index = 3;
  e.prompt = "Is there an effusion?";
  e.response.text = text;
  e.response.error = error;
  e.response.latency_ms = 12.5;
  e.response.stages.image_decode_ms = 1.25;
  return e;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(JournalLine, HasEveryFieldAndOneNewline) {
  std::string line = journal_line(entry("a", "yes"));
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["id"], "a");
  EXPECT_EQ(j["task"], "vqa");
  EXPECT_EQ(j["index"], 3);
  EXPECT_EQ(j["prompt"], "Is there an effusion?");
  EXPECT_EQ(j["prediction"], "yes");
  EXPECT_TRUE(j["error"].is_null());
  EXPECT_EQ(j["latency_ms"], 12.5);
  EXPECT_EQ(j["stages"]["image_decode_ms"], 1.25);
  for (const char* k : {"preprocess_ms", "vision_ms", "prefill_ms", "decode_ms"}) EXPECT_TRUE(j["stages"].contains(k));
  EXPECT_TRUE(j.contains("input_tokens"));
  EXPECT_TRUE(j.contains("output_tokens"));
}

TEST(JournalLine, InvalidUtf8IsReplacedNotFatal) {
  std::string line = journal_line(entry("a", std::string("ok \xff\xfe end")));
  auto j = nlohmann::json::parse(line);
  EXPECT_NE(j["prediction"].get<std::string>().find("end"), std::string::npos);
}

TEST(Journal, AppendedBatchesReadBackAsAnswers) {
  TempDir dir;
  const std::string path = dir.path() + "/samples.jsonl";
  {
    JournalWriter w(path, true);
    w.append(journal_line(entry("a", "yes")) + journal_line(entry("b", "", "backend: out of memory")));
    w.append(journal_line(entry("c", "no")));
  }
  AnswerSet answers = read_answers(path, true);
  ASSERT_EQ(answers.by_id.size(), 3u);
  EXPECT_EQ(answers.by_id["a"].text, "yes");
  EXPECT_EQ(answers.by_id["b"].error, "backend: out of memory");
  EXPECT_EQ(answers.by_id["c"].latency_ms, 12.5);
  JournalState st = recover_journal(path);
  EXPECT_EQ(st.lines, 3u);
  EXPECT_EQ(st.failed, 1u);
  EXPECT_TRUE(st.note.empty());
  EXPECT_EQ(st.answered.count("b"), 1u);
}

TEST(Journal, TornLastLineIsCutAndTheJournalContinuesCleanly) {
  TempDir dir;
  const std::string good = journal_line(entry("a", "yes")) + journal_line(entry("b", "no"));
  const std::string torn = journal_line(entry("c", "maybe")).substr(0, 25);
  const std::string path = dir.write("samples.jsonl", good + torn);
  JournalState st = recover_journal(path);
  EXPECT_EQ(st.lines, 2u);
  EXPECT_EQ(st.answered.count("c"), 0u);
  EXPECT_NE(st.note.find("samples.jsonl:3"), std::string::npos) << st.note;
  EXPECT_NE(st.note.find("torn"), std::string::npos);
  EXPECT_EQ(slurp(path), good);
  {
    JournalWriter w(path, false);
    w.append(journal_line(entry("c", "maybe")));
  }
  AnswerSet answers = read_answers(path, true);
  EXPECT_TRUE(answers.problems.empty());
  EXPECT_EQ(answers.by_id.size(), 3u);
}

TEST(Journal, UnterminatedLineIsDroppedEvenWhenItParses) {
  // Every line the writer produces ends in a newline, so one without it never finished.
  TempDir dir;
  std::string full = journal_line(entry("a", "yes"));
  const std::string path = dir.write("samples.jsonl", full.substr(0, full.size() - 1));
  JournalState st = recover_journal(path);
  EXPECT_EQ(st.lines, 0u);
  EXPECT_FALSE(st.note.empty());
  EXPECT_EQ(slurp(path), "");
}

// A lone CR ends a line for every reader, so a journal saved with CR line ends keeps its lines
// (it was once taken for one torn line and cut to nothing, losing every finished sample).
TEST(Journal, CrLineEndsAreLinesNotOneTornLine) {
  TempDir dir;
  std::string good = journal_line(entry("a", "yes")) + journal_line(entry("b", "no"));
  std::replace(good.begin(), good.end(), '\n', '\r');
  const std::string path = dir.write("samples.jsonl", good + "\n" + journal_line(entry("c", "x")).substr(0, 20));
  JournalState st = recover_journal(path);
  EXPECT_EQ(st.lines, 2u);
  EXPECT_NE(st.note.find("samples.jsonl:3:"), std::string::npos) << st.note;  // CR, then CR LF
  EXPECT_EQ(slurp(path), good + "\n");
}

// What merge joins: each shard's lines ended, a torn last line dropped as read_answers drops it,
// a whole one without its end ended, a byte-order mark (kept nowhere but line 1) removed.
TEST(Journal, ShardTextForMergeEndsEveryLine) {
  const std::string a = journal_line(entry("a", "yes")), b = journal_line(entry("b", "no"));
  EXPECT_EQ(journal_for_merge(a + b), a + b);
  EXPECT_EQ(journal_for_merge(a + b.substr(0, 30)), a);
  EXPECT_EQ(journal_for_merge(a + b.substr(0, b.size() - 1)), a + b);
  EXPECT_EQ(journal_for_merge("\xEF\xBB\xBF" + a), a);
  EXPECT_EQ(journal_for_merge(a + "  \t"), a);
  EXPECT_EQ(journal_for_merge("a\rb\r"), "a\rb\r");
  EXPECT_EQ(journal_for_merge(""), "");
}

TEST(Journal, CorruptMiddleLineOrDuplicateIdIsAnError) {
  TempDir dir;
  const std::string a = journal_line(entry("a", "yes"));
  const std::string corrupt = dir.write("c.jsonl", a + "{not json\n" + journal_line(entry("b", "no")));
  try {
    recover_journal(corrupt);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(e.line(), 2u);
  }
  const std::string dup = dir.write("d.jsonl", a + a);
  EXPECT_THROW(recover_journal(dup), DataError);
  EXPECT_EQ(recover_journal(dir.path() + "/absent.jsonl").lines, 0u);
}

TEST(Shard, ParsesKOverN) {
  EXPECT_EQ(parse_shard("2/4").k, 2);
  EXPECT_EQ(parse_shard("2/4").n, 4);
  EXPECT_EQ(parse_shard("1/1").str(), "1/1");
  for (const char* bad : {"0/4", "5/4", "2", "a/b", "2/", "/3", "1/0", "2/4x", "-1/3"})
    EXPECT_THROW(parse_shard(bad), UsageError) << bad;
}

TEST(Shard, Fnv1aMatchesPublishedVectors) {
  // Test vectors of the FNV reference (Fowler, Noll, Vo): FNV-1a 64-bit.
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ull);
}

TEST(Shard, ShardsPartitionTheIds) {
  std::size_t counts[3] = {0, 0, 0};
  for (int i = 0; i < 300; ++i) {
    std::string id = "vqa-" + std::to_string(i);
    int owners = 0;
    for (int k = 1; k <= 3; ++k)
      if (in_shard(id, ShardSpec{k, 3})) ++owners, ++counts[k - 1];
    EXPECT_EQ(owners, 1) << id;
    EXPECT_TRUE(in_shard(id, ShardSpec{1, 1}));
  }
  for (auto c : counts) EXPECT_GT(c, 60u);  // roughly even
}

TEST(Manifest, DifferencesNameIdentifyingKeysOnly) {
  nlohmann::json a = {{"schema_version", 1}, {"created", "x"},
                      {"build", {{"git_sha", "abc"}}},
                      {"suite", {{"sha256", "s1"}}},
                      {"backend", {{"name", "replay"}, {"device", "cpu"}}},
                      {"settings", {{"batch_size", 4}, {"shard", "1/2"}, {"limit", 0}}},
                      {"runtime", {{"threads", 1}}}};
  nlohmann::json b = a;
  b["created"] = "y";
  b["runtime"]["threads"] = 8;
  EXPECT_TRUE(manifest_differences(a, b).empty());
  b["settings"]["batch_size"] = 8;
  b["suite"]["sha256"] = "s2";
  auto d = manifest_differences(a, b);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0], "suite.sha256: \"s1\" vs \"s2\"");
  EXPECT_EQ(d[1], "settings.batch_size: 4 vs 8");
  nlohmann::json c = a;
  c["settings"]["shard"] = "2/2";
  c["settings"]["extra"] = true;
  auto e = manifest_differences(a, c, {"settings.shard"});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "settings.extra: null vs true");
}

}  // namespace
}  // namespace imaxbench
