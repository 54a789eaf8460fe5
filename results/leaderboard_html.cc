// The HTML leaderboard (declared in leaderboard_view.h): one file, readable offline, safe to
// attach to a CI run. The Content-Security-Policy forbids every network load, so a page that
// renders here renders anywhere. The table fits a 1400-pixel window: each task shows its primary
// score alone, with the interval in its tooltip and under "details"; filters by tag and backend.
#include <cmath>
#include <cstdio>
#include <set>
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

std::string signed_fmt(double v, int decimals) {
  if (std::isnan(v)) return "";
  return (v >= 0 ? "+" : "") + fmt(v, decimals);
}

constexpr const char* kStyle = R"css(
body { font: 13px/1.35 system-ui, sans-serif; margin: 20px 24px; color: #222; }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 16px; margin: 22px 0 8px; }
p.about { margin: 0 0 10px; max-width: 110em; color: #444; }
.controls { display: flex; gap: 18px; align-items: center; margin: 8px 0; }
table { border-collapse: collapse; margin: 4px 0 12px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: right; }
td { white-space: nowrap; }
th { cursor: pointer; background: #f4f4f4; vertical-align: bottom; max-width: 7.5em; white-space: normal; }
th small { font-weight: normal; color: #555; }
td.model { text-align: left; max-width: 16em; overflow: hidden; text-overflow: ellipsis; }
th.model, td.notes, th.notes { text-align: left; }
td.notes { max-width: 12em; overflow: hidden; text-overflow: ellipsis; }
td.avg b { font-size: 14px; }
small.ci { display: block; color: #666; font-size: 11px; }
td .ci.detail { display: none; }
table.details td .ci.detail { display: block; }
td.up { color: #08660b; } td.down { color: #b00; }
tr.flagged td { color: #888; }
span.flag { color: #b00; }
tr.hidden { display: none; }
svg text { font: 12px system-ui, sans-serif; fill: #222; }
svg text.title { font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 18px 28px; }
)css";

// Sorting by a header click, the tag and backend filters, the details switch; and, for the
// browser test, whether the page fits its window without scrolling sideways.
constexpr const char* kScript = R"js(
var table = document.getElementById('leaderboard');
table.querySelectorAll('th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = table.tBodies[0];
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
function applyFilters() {
  var tag = document.getElementById('tag').value, backend = document.getElementById('backend').value;
  Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
    var tags = (r.getAttribute('data-tags') || '').split(' ');
    var show = (!tag || tags.indexOf(tag) >= 0) && (!backend || r.getAttribute('data-backend') === backend);
    r.classList.toggle('hidden', !show);
  });
}
// A link may preselect the filters: page.html#tag=nightly&backend=torchscript
location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
  var p = kv.split('='), el = document.getElementById(p[0]);
  if (p.length === 2 && (p[0] === 'tag' || p[0] === 'backend') && el) el.value = decodeURIComponent(p[1]);
});
applyFilters();
document.getElementById('tag').addEventListener('change', applyFilters);
document.getElementById('backend').addEventListener('change', applyFilters);
document.getElementById('details').addEventListener('change', function (e) {
  table.classList.toggle('details', e.target.checked);
});
function measure() {
  var fits = document.documentElement.scrollWidth <= window.innerWidth;
  document.body.setAttribute('data-fits', String(fits));
  document.body.setAttribute('data-width', String(window.innerWidth) + ':' + String(document.documentElement.scrollWidth));
}
measure();
window.addEventListener('resize', measure);
)js";

std::string cell(const std::string& html, const std::string& sort_value, const std::string& cls = "",
                 const std::string& title = "") {
  return "<td" + (cls.empty() ? "" : " class=\"" + cls + "\"") + (title.empty() ? "" : " title=\"" + html_escape(title) + "\"") +
         " data-v=\"" + html_escape(sort_value) + "\">" + html + "</td>";
}

std::string joined(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::string pretty_task(std::string task) {
  for (char& c : task)
    if (c == '_') c = ' ';
  return task;
}

std::string select_of(const char* id, const char* label, const std::set<std::string>& values) {
  std::string o = std::string("<label>") + label + " <select id=\"" + id + "\"><option value=\"\">all</option>";
  for (const auto& v : values) o += "<option value=\"" + html_escape(v) + "\">" + html_escape(v) + "</option>";
  return o + "</select></label>";
}

}  // namespace

std::string render_leaderboard_html(const Leaderboard& b) {
  std::set<std::string> tags, backends;
  for (const auto& r : b.rows) {
    for (const auto& t : r.tags) tags.insert(t);
    backends.insert(r.backend);
  }
  const std::string delta_head = b.accepted_run ? "&Delta; vs #" + std::to_string(b.accepted_run) : "&Delta;";
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width\">"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'\">"
    << "<title>imaxbench leaderboard: " << html_escape(b.suite) << "</title><style>" << kStyle << "</style></head><body>\n"
    << "<h1>Leaderboard: " << html_escape(b.suite) << "</h1>\n"
    << "<p class=\"about\">Ranked by the multi-task average (primary metrics &times;100) with its 95% bootstrap "
       "interval (whole images drawn across all tasks). Each task shows its primary metric; hover for the interval, "
       "or tick <i>details</i>. Grey rows were not scored like run #" << b.reference_run << " ("
    << html_escape(b.reference_model) << ", " << html_escape(b.reference_date.substr(0, 10)) << "; "
    << html_escape(b.reference_reason) << "): another suite file, other split data or other metric signatures. "
    << (b.accepted_run ? "&Delta; is the average's difference from the newest run tagged " + html_escape(b.accepted_tag) +
                             " (#" + std::to_string(b.accepted_run) + "), where both were scored alike."
                       : "No run is tagged " + html_escape(b.accepted_tag) + ", so there is no &Delta;.")
    << "</p>\n<div class=\"controls\">" << select_of("tag", "tag", tags) << select_of("backend", "backend", backends)
    << "<label><input type=\"checkbox\" id=\"details\"> details</label></div>\n"
    << "<table id=\"leaderboard\"><thead><tr><th>#</th><th class=\"model\">model</th><th>average<br><small>95% CI</small></th>"
    << "<th>" << delta_head << "</th>";
  for (const auto& c : b.columns)
    o << "<th title=\"" << html_escape(c.task + ": " + c.metric) << "\">" << html_escape(pretty_task(c.task))
      << "<br><small>" << html_escape(c.metric) << (c.higher_is_better ? "" : " &darr;") << "</small></th>";
  o << "<th class=\"model\">backend</th><th>date</th><th>run</th><th class=\"notes\">tags, flags</th></tr></thead><tbody>\n";
  for (const auto& r : b.rows) {
    o << "<tr class=\"run" << (r.flags.empty() ? "" : " flagged") << "\" data-model=\"" << html_escape(r.model)
      << "\" data-tags=\"" << html_escape(joined(r.tags, " ")) << "\" data-backend=\"" << html_escape(r.backend) << "\">"
      << cell(std::to_string(r.rank), std::to_string(r.rank)) << cell(html_escape(r.model), r.model, "model", r.model);
    std::string avg = "<b>" + fmt(r.average, 2) + "</b>";
    if (r.average_ci95)
      avg += "<small class=\"ci\">" + fmt(r.average_ci95->first, 1) + "&ndash;" + fmt(r.average_ci95->second, 1) + "</small>";
    o << cell(avg, fmt(r.average, 6), "avg");
    o << cell(signed_fmt(r.delta, 2), fmt(r.delta, 6), std::isnan(r.delta) ? "" : r.delta >= 0 ? "up" : "down");
    for (std::size_t i = 0; i < r.cells.size(); ++i) {
      const auto& c = r.cells[i];
      std::string html = fmt(c.score, 3), title;
      if (c.ci95) {
        title = b.columns[i].metric + " " + fmt(c.score, 4) + ", 95% CI " + fmt(c.ci95->first, 4) + " to " +
                fmt(c.ci95->second, 4);
        html += "<small class=\"ci detail\">" + fmt(c.ci95->first, 3) + "&ndash;" + fmt(c.ci95->second, 3) + "</small>";
      }
      o << cell(html, fmt(c.score, 8), "", title);
    }
    std::string notes = html_escape(joined(r.tags));
    if (!r.flags.empty()) notes += std::string(notes.empty() ? "" : " ") + "<span class=\"flag\">" + html_escape(joined(r.flags)) + "</span>";
    o << cell(html_escape(r.backend), r.backend, "model", r.device.empty() ? "" : "device " + r.device)
      << cell(html_escape(r.date.substr(0, 10)), r.date, "", r.date)
      << cell(std::to_string(r.run_id), std::to_string(r.run_id))
      << cell(notes, joined(r.tags) + joined(r.flags), "notes", joined(r.tags) + (r.flags.empty() ? "" : " | " + joined(r.flags)))
      << "</tr>\n";
  }
  o << "</tbody></table>\n<h2>Per task (primary metric, 95% interval)</h2>\n<div class=\"charts\">\n";
  for (std::size_t i = 0; i < b.columns.size(); ++i) {
    std::vector<Bar> bars;
    for (const auto& r : b.rows) bars.push_back({r.model, r.cells[i].score, !r.flags.empty(), r.cells[i].ci95});
    o << svg_bar_chart(b.columns[i].task + ": " + b.columns[i].metric, bars, b.columns[i].higher_is_better) << "\n";
  }
  // History: the average and each task over the suite's runs, one step per run.
  auto series_of = [&](int column) {
    std::vector<LineSeries> series;
    for (const auto& [model, points] : b.history) {
      LineSeries s{model, {}};
      for (const auto& p : points) {
        const double y = column < 0 ? p.average : p.task_scores[static_cast<std::size_t>(column)];
        s.points.push_back({double(p.order), y,
                            model + ", run " + std::to_string(p.run_id) + ", " + p.date + ": " +
                                fmt(y, column < 0 ? 2 : 4) + (p.flagged ? " (scored differently)" : "")});
      }
      series.push_back(std::move(s));
    }
    return series;
  };
  o << "</div>\n<h2>History (one step per run; runs of one night side by side)</h2>\n<div class=\"charts\">\n"
    << svg_line_chart("multi-task average (x100)", series_of(-1), b.run_dates, 640) << "\n";
  for (std::size_t i = 0; i < b.columns.size(); ++i)
    o << svg_line_chart(b.columns[i].task + ": " + b.columns[i].metric, series_of(int(i)), b.run_dates, 430) << "\n";
  o << "</div>\n<script>" << kScript << "</script>\n</body></html>\n";
  return o.str();
}

}  // namespace imaxbench
