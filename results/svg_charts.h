// Inline SVG charts for the HTML leaderboard: no script, no fonts or images from anywhere else.
#pragma once

#include <string>
#include <string_view>
#include <optional>
#include <utility>
#include <vector>

namespace imaxbench {

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

// Days since 1970-01-01 (with the time of day as a fraction) of an ISO date or date-time
// ("2025-04-13" or "2025-04-13T08:30:00Z"); NaN when it is not one.
double iso_days(const std::string& date);

struct Bar {
  std::string label;
  double value = 0;  // NaN: drawn as "n/a"
  bool flagged = false;
  std::optional<std::pair<double, double>> ci95;  // drawn as an error bar
};

// Horizontal bars, one per label, scaled to [0, max(1, largest value or interval end)], each
// with its 95% interval as an error bar when it has one.
std::string svg_bar_chart(const std::string& title, const std::vector<Bar>& bars, bool higher_is_better);

struct LinePoint {
  double x = 0, y = 0;  // x: the run's place in `x_labels`
  std::string tooltip;
};

struct LineSeries {
  std::string name;
  std::vector<LinePoint> points;  // in x order
};

// One polyline (and dots with tooltips) per series, with a legend. x is an ordinal axis, one step
// per run (`x_labels[i]`: run i's ISO date), so runs of one night stand side by side instead of
// on one spot; ticks mark the first run of each day.
std::string svg_line_chart(const std::string& title, const std::vector<LineSeries>& series,
                           const std::vector<std::string>& x_labels, int width = 560);

}  // namespace imaxbench
