// The leaderboard view (ranking, flags, history) and its HTML page, opened in headless Chromium
// (Debian's package) to check that it renders the expected rows without console errors.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

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
  std::regex row("<tr class=\"run[^\"]*\" data-model=\"([^\"]*)\">");
  std::vector<std::string> models;
  for (auto it = std::sregex_iterator(page.dom.begin(), page.dom.end(), row); it != std::sregex_iterator(); ++it)
    models.push_back((*it)[1]);
  EXPECT_EQ(models, (std::vector<std::string>{"ckpt-a", "ckpt-b", "&lt;b&gt;evil&lt;/b&gt; &amp; co"}));
  EXPECT_NE(page.dom.find("signatures differ"), std::string::npos);
  std::size_t svgs = 0;
  for (std::size_t p = page.dom.find("<svg"); p != std::string::npos; p = page.dom.find("<svg", p + 1)) ++svgs;
  EXPECT_EQ(svgs, 3u);  // two task bar charts and the history
  EXPECT_NE(page.dom.find("<polyline"), std::string::npos);
}

}  // namespace
}  // namespace imaxbench
