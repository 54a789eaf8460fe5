// The HTML leaderboard (declared in leaderboard_view.h): one file, readable offline, safe to
// attach to a CI run. The Content-Security-Policy forbids every network load, so a page that
// renders here renders anywhere.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "results/leaderboard_view.h"
#include "results/svg_charts.h"

namespace imaxbench {

namespace {

std::string fmt(double v, int decimals) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

constexpr const char* kStyle = R"css(
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin: 12px 0 24px; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: right; white-space: nowrap; }
th { cursor: pointer; background: #f4f4f4; }
td.model, th.model, td.flags, td.tags { text-align: left; }
tr.flagged td { color: #888; }
td.flags { color: #b00; }
svg text { font: 12px system-ui, sans-serif; fill: #222; }
svg text.title { font-weight: bold; }
.wide { overflow-x: auto; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
)css";

// Click a header to sort by that column (numbers by value, text alphabetically).
constexpr const char* kScript = R"js(
document.querySelectorAll('#leaderboard th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = document.querySelector('#leaderboard tbody');
    var rows = Array.prototype.slice.call(body.rows);
    var dir = th.getAttribute('data-dir') === 'desc' ? 1 : -1;
    th.setAttribute('data-dir', dir === 1 ? 'asc' : 'desc');
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
      var nx = parseFloat(x), ny = parseFloat(y);
      if (!isNaN(nx) && !isNaN(ny)) return dir * (nx - ny);
      return dir * String(x).localeCompare(String(y));
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
)js";

std::string cell(const std::string& text, const std::string& sort_value, const std::string& cls = "") {
  return "<td" + (cls.empty() ? "" : " class=\"" + cls + "\"") + " data-v=\"" + html_escape(sort_value) + "\">" +
         html_escape(text) + "</td>";
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

std::string render_leaderboard_html(const Leaderboard& b) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'\">"
    << "<title>imaxbench leaderboard: " << html_escape(b.suite) << "</title><style>" << kStyle << "</style></head><body>\n"
    << "<h1>Leaderboard: " << html_escape(b.suite) << "</h1>\n"
    << "<p>Ranked by the multi-task average (primary metrics &times;100). Grey rows with flags were not "
       "scored like the newest run (#" << b.reference_run << ", " << html_escape(b.reference_date)
    << "): another suite file, other split data or other metric signatures.</p>\n"
    << "<div class=\"wide\"><table id=\"leaderboard\"><thead><tr><th>rank</th><th class=\"model\">model</th><th>average</th>";
  for (const auto& c : b.columns)
    o << "<th>" << html_escape(c.task) << "<br><small>" << html_escape(c.metric)
      << (c.higher_is_better ? "" : " &darr;") << "</small></th>";
  o << "<th>date</th><th>run</th><th class=\"model\">tags</th><th class=\"model\">flags</th></tr></thead><tbody>\n";
  for (const auto& r : b.rows) {
    o << "<tr class=\"run" << (r.flags.empty() ? "" : " flagged") << "\" data-model=\"" << html_escape(r.model) << "\">"
      << cell(std::to_string(r.rank), std::to_string(r.rank)) << cell(r.model, r.model, "model")
      << cell(fmt(r.average, 2), fmt(r.average, 6));
    for (const auto& c : r.cells) {
      std::string text = fmt(c.score, 4);
      if (c.ci95) text += " [" + fmt(c.ci95->first, 3) + ", " + fmt(c.ci95->second, 3) + "]";
      o << cell(text, fmt(c.score, 8));
    }
    o << cell(r.date, r.date) << cell(std::to_string(r.run_id), std::to_string(r.run_id))
      << cell(joined(r.tags), joined(r.tags), "tags") << cell(joined(r.flags), joined(r.flags), "flags") << "</tr>\n";
  }
  o << "</tbody></table></div>\n<h2>Per task</h2>\n<div class=\"charts\">\n";
  for (std::size_t i = 0; i < b.columns.size(); ++i) {
    std::vector<Bar> bars;
    for (const auto& r : b.rows) bars.push_back({r.model, r.cells[i].score, !r.flags.empty()});
    o << svg_bar_chart(b.columns[i].task + ": " + b.columns[i].metric, bars, b.columns[i].higher_is_better) << "\n";
  }
  o << "</div>\n<h2>Multi-task average over time</h2>\n";
  std::vector<LineSeries> series;
  for (const auto& [model, points] : b.history) {
    LineSeries s{model, {}};
    for (const auto& p : points)
      s.points.push_back({iso_days(p.date), p.average,
                          model + ", run " + std::to_string(p.run_id) + ", " + p.date + ": " + fmt(p.average, 2) +
                              (p.flagged ? " (scored differently)" : "")});
    series.push_back(std::move(s));
  }
  o << svg_line_chart("average (x100) by run date", series) << "\n";
  o << "<script>" << kScript << "</script>\n</body></html>\n";
  return o.str();
}

}  // namespace imaxbench
