// Inline SVG charts for the HTML leaderboard: no script, no fonts or images from anywhere else.
#pragma once

#include <string>
#include <string_view>
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
};

// Horizontal bars, one per label, scaled to [0, max(1, largest value)].
std::string svg_bar_chart(const std::string& title, const std::vector<Bar>& bars, bool higher_is_better);

struct LinePoint {
  double x = 0, y = 0;  // x: iso_days
  std::string tooltip;
};

struct LineSeries {
  std::string name;
  std::vector<LinePoint> points;  // in x order
};

// One polyline (and dots with tooltips) per series, x as dates, with a legend.
std::string svg_line_chart(const std::string& title, const std::vector<LineSeries>& series);

}  // namespace imaxbench
