// The leaderboard view (ranking, flags, history) and its HTML page, opened in headless Chromium
// (Debian's package) to check that it renders the expected rows without console errors.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "core/error.h"
#include "results/leaderboard_view.h"
#include "results/svg_charts.h"
#include "test_files.h"

namespace imaxbench {
namespace {

StoredRun run(std::int64_t id, const std::string& model, const std::string& date, double avg, double acc,
              const std::string& signatures = "sig1") {
  StoredRun r;
  r.id = id;
  r.model = model;
  r.date = date;
  r.suite = "imax-sample";
  r.suite_sha256 = "suite1";
  r.splits_sha256 = "splits1";
  r.signatures_sha256 = signatures;
  r.suite_score = avg;
  StoredScore a;
  a.task = "multiclass_classification";
  a.metric = "accuracy";
  a.score = acc;
  a.is_primary = true;
  a.ci95 = std::make_pair(acc - 0.05, acc + 0.05);
  StoredScore m;
  m.task = "calculation";
  m.metric = "mae";
  m.score = 0.04;
  m.higher_is_better = false;
  m.is_primary = true;
  r.scores = {a, m};
  return r;
}

// Oldest first, as list_runs returns them; "<b>evil</b>" checks escaping.
std::vector<StoredRun> history() {
  return {run(1, "ckpt-a", "2025-04-01T02:00:00Z", 50, 0.50), run(2, "ckpt-b", "2025-04-01T03:00:00Z", 55, 0.60),
          run(3, "<b>evil</b> & co", "2025-04-02T02:00:00Z", 40, 0.30, "sig-old"),
          run(4, "ckpt-a", "2025-04-03T02:00:00Z", 58, 0.66), run(5, "ckpt-b", "2025-04-03T03:00:00Z", 57, 0.64)};
}

TEST(LeaderboardView, RanksNewestRunPerModelAndFlagsDifferentScoring) {
  Leaderboard b = build_leaderboard(history(), {});
  EXPECT_EQ(b.suite, "imax-sample");
  EXPECT_EQ(b.reference_run, 5);
  ASSERT_EQ(b.rows.size(), 3u);
  EXPECT_EQ(b.rows[0].model, "ckpt-a");
  EXPECT_EQ(b.rows[0].run_id, 4);
  EXPECT_EQ(b.rows[1].model, "ckpt-b");
  EXPECT_EQ(b.rows[2].rank, 3);
  EXPECT_EQ(b.rows[2].flags, std::vector<std::string>{"signatures differ"});
  EXPECT_TRUE(b.rows[0].flags.empty());
  ASSERT_EQ(b.columns.size(), 2u);
  EXPECT_FALSE(b.columns[1].higher_is_better);
  ASSERT_EQ(b.history.size(), 3u);
  EXPECT_EQ(b.history[0].second.size(), 2u);  // ckpt-a twice

  LeaderboardOptions all;
  all.all_runs = true;
  EXPECT_EQ(build_leaderboard(history(), all).rows.size(), 5u);
  const auto json = leaderboard_json(b);
  EXPECT_EQ(json["rows"][0]["tasks"]["multiclass_classification"]["score"], 0.66);
  EXPECT_NE(render_leaderboard_markdown(b).find("| 1 | ckpt-a | 58.00 |"), std::string::npos);
}

// A run whose average is null (a task had nothing scored) ranks below every number and is
// flagged with the task that has no primary score.
TEST(LeaderboardView, NullAverageIsFlaggedWithItsTask) {
  auto runs = history();
  StoredRun broken = run(6, "ckpt-c", "2025-04-03T04:00:00Z", std::nan(""), std::nan(""));
  runs.insert(runs.end() - 1, broken);
  const Leaderboard b = build_leaderboard(runs, {});
  ASSERT_EQ(b.rows.size(), 4u);
  EXPECT_EQ(b.rows.back().model, "ckpt-c");
  ASSERT_FALSE(b.rows.back().flags.empty());
  EXPECT_EQ(b.rows.back().flags.back(), "no average: nothing scored in multiclass_classification");
  EXPECT_TRUE(b.rows[0].flags.empty());
}

TEST(LeaderboardView, HtmlIsSelfContained) {
  const std::string html = render_leaderboard_html(build_leaderboard(history(), {}));
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find(" href="), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<b>evil"), std::string::npos);  // escaped
  EXPECT_NE(html.find("&lt;b&gt;evil&lt;/b&gt; &amp; co"), std::string::npos);
  EXPECT_DOUBLE_EQ(iso_days("1970-01-02"), 1.0);
  EXPECT_DOUBLE_EQ(iso_days("2000-03-01T12:00:00Z"), 11017.5);
  EXPECT_TRUE(std::isnan(iso_days("yesterday")));
}

std::string chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(p)) return p;
  return "";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Rendered {
  std::string dom, console;
};

// Loads `html` in headless Chromium; returns the DOM after scripts ran and the console lines.
Rendered render(const testing::TempDir& dir, const std::string& name, const std::string& html) {
  const std::string page = dir.write(name + ".html", html);
  const std::string cmd = chromium() + " --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=" +
                          dir.path() + "/profile-" + name + " --enable-logging=stderr --v=0 --dump-dom file://" +
                          page + " > " + dir.path() + "/" + name + ".dom 2> " + dir.path() + "/" + name + ".log";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  Rendered r;
  r.dom = slurp(dir.path() + "/" + name + ".dom");
  std::istringstream log(slurp(dir.path() + "/" + name + ".log"));
  for (std::string line; std::getline(log, line);)
    if (line.find(":CONSOLE") != std::string::npos) r.console += line + "\n";
  return r;
}

TEST(LeaderboardHtml, RendersRowsInChromiumWithoutConsoleErrors) {
  if (chromium().empty())
    GTEST_SKIP() << "chromium is not installed (IMAXBENCH_DEPS_EXTRA=browser ci/install-deps.sh installs it)";
  testing::TempDir dir;
  // The check itself must be able to fail: a page that logs an error is caught.
  Rendered control = render(dir, "control", "<!DOCTYPE html><html><body><script>nosuchfunction();</script></body></html>");
  EXPECT_NE(control.console.find("nosuchfunction"), std::string::npos) << "console capture does not work";

  Rendered page = render(dir, "board", render_leaderboard_html(build_leaderboard(history(), {})));
  EXPECT_EQ(page.console, "") << "the leaderboard page logged to the console";
  std::regex row("<tr class=\"run[^\"]*\" data-model=\"([^\"]*)\"");
  std::vector<std::string> models;
  for (auto it = std::sregex_iterator(page.dom.begin(), page.dom.end(), row); it != std::sregex_iterator(); ++it)
    models.push_back((*it)[1]);
  EXPECT_EQ(models, (std::vector<std::string>{"ckpt-a", "ckpt-b", "&lt;b&gt;evil&lt;/b&gt; &amp; co"}));
  EXPECT_NE(page.dom.find("signatures differ"), std::string::npos);
  std::size_t svgs = 0;
  for (std::size_t p = page.dom.find("<svg"); p != std::string::npos; p = page.dom.find("<svg", p + 1)) ++svgs;
  EXPECT_EQ(svgs, 5u);  // two task bar charts, the average's history and each task's
  EXPECT_NE(page.dom.find("<polyline"), std::string::npos);
}

// The reference that defines "scored alike": the newest accepted run, else the newest of the
// largest group scored alike (a variant run recorded last does not grey out the others), else
// --reference; the delta column is against the accepted run where scored alike.
TEST(LeaderboardView, ReferenceAndDeltaAgainstTheAcceptedRun) {
  auto runs = history();
  runs.push_back(run(6, "variant", "2025-04-04T02:00:00Z", 70, 0.9, "sig-variant"));
  Leaderboard b = build_leaderboard(runs, {});
  EXPECT_EQ(b.reference_run, 5);  // not the variant: 4 of 6 runs share sig1
  EXPECT_NE(b.reference_reason.find("largest group scored alike (4 of 6 runs)"), std::string::npos);
  for (const auto& r : b.rows) EXPECT_EQ(r.flags.empty(), r.model.rfind("ckpt", 0) == 0) << r.model;
  EXPECT_EQ(b.accepted_run, 0);
  EXPECT_TRUE(std::isnan(b.rows[0].delta));

  runs[1].tags = {"accepted"};  // run 2, ckpt-b at 55
  b = build_leaderboard(runs, {});
  EXPECT_EQ(b.reference_run, 2);
  EXPECT_EQ(b.accepted_run, 2);
  for (const auto& r : b.rows) {
    if (r.model == "ckpt-a") EXPECT_DOUBLE_EQ(r.delta, 58 - 55);
    if (r.model == "variant") EXPECT_TRUE(std::isnan(r.delta)) << "scored differently: no delta";
  }
  LeaderboardOptions o;
  o.reference = 6;
  b = build_leaderboard(runs, o);
  EXPECT_EQ(b.reference_run, 6);
  for (const auto& r : b.rows) EXPECT_EQ(r.flags.empty(), r.model == "variant") << r.model;
  o.reference = 99;
  EXPECT_THROW(build_leaderboard(runs, o), Error);
}

// Seven IMAX tasks, long model names, intervals everywhere: the page a nightly job produces.
std::vector<StoredRun> imax_nights() {
  const char* tasks[][2] = {{"calculation", "mae"}, {"report_generation", "bleu_4"},
                            {"multiclass_classification", "accuracy"}, {"multilabel_classification", "f1_macro"},
                            {"rec", "acc_iou_0.5"}, {"reg", "token_f1"}, {"vqa", "closed_accuracy"}};
  std::vector<StoredRun> runs;
  std::int64_t id = 0;
  for (int night = 1; night <= 5; ++night)
    for (const char* model : {"llava-med-v1.5-mistral-7b-ckpt-12000", "qwen2-vl-7b-imax-sft-lr2e-5-ep3",
                              "llava-1.5-7b-baseline", "medgemma-4b-it-imax"}) {
      ++id;
      StoredRun r = run(id, model, "2025-04-0" + std::to_string(night) + "T0" + std::to_string(id % 4 + 1) + ":00:00Z",
                        40 + double(id % 7) * 3.1, 0.5);
      r.backend = id % 4 == 2 ? "openai" : "torchscript";
      r.tags = {"nightly"};
      if (id == 6) r.tags.push_back("accepted");
      r.suite_ci95 = std::make_pair(r.suite_score - 2.5, r.suite_score + 2.4);
      r.scores.clear();
      for (const auto& t : tasks) {
        StoredScore s;
        s.task = t[0];
        s.metric = t[1];
        s.is_primary = true;
        s.higher_is_better = std::string(t[1]) != "mae";
        s.score = 0.3 + 0.01 * double((id * 7 + s.task.size()) % 50);
        s.ci95 = std::make_pair(s.score - 0.04, s.score + 0.05);
        r.scores.push_back(s);
      }
      runs.push_back(std::move(r));
    }
  return runs;
}

// Loads `page` in headless Chromium at `width` pixels: the DOM after scripts ran, and a screenshot
// kept in the test's output folder (the test log names it).
std::string at_width(const testing::TempDir& dir, const std::string& page, int width, const std::string& fragment = "") {
  const std::string size = " --window-size=" + std::to_string(width) + ",1100 ";
  const std::string common = chromium() + " --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars" + size +
                             "--user-data-dir=" + dir.path() + "/profile-" + std::to_string(width);
  const std::string dom = dir.path() + "/w" + std::to_string(width) + ".dom";
  EXPECT_EQ(std::system((common + " --dump-dom 'file://" + page + fragment + "' > " + dom + " 2>/dev/null").c_str()), 0);
  if (fragment.empty()) {
    std::filesystem::create_directories("leaderboard-screenshots");
    const std::string shot = std::filesystem::absolute("leaderboard-screenshots").string() + "/leaderboard-" +
                             std::to_string(width) + ".png";
    EXPECT_EQ(std::system((common + " --screenshot=" + shot + " 'file://" + page + "' > /dev/null 2>&1").c_str()), 0);
    EXPECT_TRUE(std::filesystem::exists(shot) && std::filesystem::file_size(shot) > 10000) << shot;
    std::cout << "screenshot at " << width << " px: " << shot << "\n";
  }
  return slurp(dom);
}

TEST(LeaderboardHtml, FitsTheWindowAt1400And1920WithFilters) {
  if (chromium().empty())
    GTEST_SKIP() << "chromium is not installed (IMAXBENCH_DEPS_EXTRA=browser ci/install-deps.sh installs it)";
  testing::TempDir dir;
  const Leaderboard board = build_leaderboard(imax_nights(), {});
  EXPECT_EQ(board.accepted_run, 6);
  const std::string page = dir.write("board.html", render_leaderboard_html(board));
  for (int width : {1400, 1920}) {
    const std::string dom = at_width(dir, page, width);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(dom, m, std::regex("data-fits=\"(\\w+)\" data-width=\"([0-9:]+)\"")));
    EXPECT_EQ(m[1], "true") << "the page scrolls sideways at " << width << " px (window:content " << m[2] << ")";
  }
  // A too-narrow window is measured as not fitting: the check itself can fail.
  const std::string narrow = at_width(dir, page, 700, "#x");
  EXPECT_NE(narrow.find("data-fits=\"false\""), std::string::npos);
  // The average carries its interval; a task's interval is in its tooltip; delta against #6.
  EXPECT_NE(board.rows.front().average_ci95, std::nullopt);
  const std::string html = render_leaderboard_html(board);
  EXPECT_NE(html.find("<small class=\"ci\">"), std::string::npos);
  EXPECT_NE(html.find("95% CI "), std::string::npos);
  EXPECT_NE(html.find("&Delta; vs #6"), std::string::npos);
  EXPECT_NE(html.find("<path class=\"ci\""), std::string::npos);  // error bars on the task bars
  // Filters preselected by the link: only openai rows stay visible.
  const std::string filtered = at_width(dir, page, 1400, "#backend=openai");
  std::regex row("<tr class=\"([^\"]*)\" data-model=\"[^\"]*\" data-tags=\"[^\"]*\" data-backend=\"([^\"]*)\"");
  int shown = 0, hidden = 0;
  for (auto it = std::sregex_iterator(filtered.begin(), filtered.end(), row); it != std::sregex_iterator(); ++it) {
    const bool is_hidden = (*it)[1].str().find("hidden") != std::string::npos;
    EXPECT_EQ(is_hidden, (*it)[2] != "openai") << (*it)[0];
    (is_hidden ? hidden : shown)++;
  }
  EXPECT_EQ(shown, 1);
  EXPECT_EQ(hidden, 3);
}

}  // namespace
}  // namespace imaxbench
