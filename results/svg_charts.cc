#include "results/svg_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace imaxbench {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Colour-blind-safe palette (Okabe-Ito).
const char* const kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"};

std::string num(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Howard Hinnant's days_from_civil.
long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::string date_of_days(double days, bool with_time) {
  long z = static_cast<long>(std::floor(days)) + 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const long y = static_cast<long>(yoe) + era * 400 + (m <= 2);
  char buf[48];
  if (with_time) {
    const int minutes = static_cast<int>(std::lround((days - std::floor(days)) * 1440)) % 1440;
    std::snprintf(buf, sizeof buf, "%02u-%02u %02d:%02d", m, d, minutes / 60, minutes % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%04ld-%02u-%02u", y, m, d);
  }
  return buf;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

double iso_days(const std::string& date) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  const int n = std::sscanf(date.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s);
  if (n < 3 || mo < 1 || mo > 12 || d < 1 || d > 31) return kNaN;
  return double(days_from_civil(y, unsigned(mo), unsigned(d))) + (h * 3600.0 + mi * 60.0 + s) / 86400.0;
}

std::string svg_bar_chart(const std::string& title, const std::vector<Bar>& bars, bool higher_is_better) {
  const int label_w = 170, bar_w = 300, row_h = 22, top = 28;
  const int height = top + row_h * int(bars.size()) + 8;
  double scale = 1;
  for (const auto& b : bars) if (std::isfinite(b.value)) scale = std::max(scale, b.value);
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bars\" width=\"" << label_w + bar_w + 80
    << "\" height=\"" << height << "\" role=\"img\" aria-label=\"" << html_escape(title) << "\">"
    << "<text x=\"0\" y=\"16\" class=\"title\">" << html_escape(title)
    << (higher_is_better ? "" : " (lower is better)") << "</text>";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const int y = top + row_h * int(i);
    o << "<text x=\"" << label_w - 6 << "\" y=\"" << y + 15 << "\" text-anchor=\"end\">" << html_escape(b.label) << "</text>";
    if (std::isfinite(b.value)) {
      const double w = std::max(0.0, b.value) / scale * bar_w;
      o << "<rect x=\"" << label_w << "\" y=\"" << y + 3 << "\" width=\"" << num(w) << "\" height=\"" << row_h - 6
        << "\" fill=\"" << (b.flagged ? "#bbbbbb" : kPalette[0]) << "\"><title>" << html_escape(b.label) << ": "
        << num(b.value, 4) << "</title></rect>"
        << "<text x=\"" << num(label_w + w + 4) << "\" y=\"" << y + 15 << "\">" << num(b.value, 4) << "</text>";
    } else {
      o << "<text x=\"" << label_w + 4 << "\" y=\"" << y + 15 << "\">n/a</text>";
    }
  }
  o << "</svg>";
  return o.str();
}

std::string svg_line_chart(const std::string& title, const std::vector<LineSeries>& series) {
  const int left = 50, right = 20, top = 28, plot_w = 560, plot_h = 220, legend_h = 18;
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const auto& s : series)
    for (const auto& p : s.points) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
      x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
  if (!std::isfinite(x0)) x0 = 0, x1 = 1, y0 = 0, y1 = 100;
  if (x1 - x0 < 1) x0 -= 0.5, x1 += 0.5;  // one day at least, so a single night is centred
  const double pad = std::max(1.0, (y1 - y0) * 0.1);
  y0 = std::max(0.0, y0 - pad), y1 = y1 + pad;
  auto px = [&](double x) { return left + (x - x0) / (x1 - x0) * plot_w; };
  auto py = [&](double y) { return top + plot_h - (y - y0) / (y1 - y0) * plot_h; };
  const int height = top + plot_h + 30 + legend_h * int((series.size() + 2) / 3);
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lines\" width=\"" << left + plot_w + right << "\" height=\""
    << height << "\" role=\"img\" aria-label=\"" << html_escape(title) << "\">"
    << "<text x=\"0\" y=\"16\" class=\"title\">" << html_escape(title) << "</text>"
    << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << plot_w << "\" height=\"" << plot_h
    << "\" fill=\"none\" stroke=\"#999\"/>";
  const bool with_time = x1 - x0 <= 3;  // runs within a few days: label hours too
  for (int k = 0; k <= 4; ++k) {
    const double yv = y0 + (y1 - y0) * k / 4, xv = x0 + (x1 - x0) * k / 4;
    const char* anchor = k == 0 ? "start" : k == 4 ? "end" : "middle";
    o << "<text x=\"" << left - 4 << "\" y=\"" << num(py(yv) + 4) << "\" text-anchor=\"end\">" << num(yv) << "</text>"
      << "<text x=\"" << num(px(xv)) << "\" y=\"" << top + plot_h + 16 << "\" text-anchor=\"" << anchor << "\">"
      << date_of_days(xv, with_time) << "</text>";
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    const char* colour = kPalette[i % (sizeof kPalette / sizeof *kPalette)];
    std::string pts;
    for (const auto& p : series[i].points)
      if (std::isfinite(p.x) && std::isfinite(p.y)) pts += num(px(p.x)) + "," + num(py(p.y)) + " ";
    if (!pts.empty())
      o << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2\" points=\"" << pts << "\"/>";
    for (const auto& p : series[i].points)
      if (std::isfinite(p.x) && std::isfinite(p.y))
        o << "<circle cx=\"" << num(px(p.x)) << "\" cy=\"" << num(py(p.y)) << "\" r=\"3.5\" fill=\"" << colour
          << "\"><title>" << html_escape(p.tooltip) << "</title></circle>";
    const int lx = left + int(i % 3) * 190, ly = top + plot_h + 34 + legend_h * int(i / 3);
    o << "<rect x=\"" << lx << "\" y=\"" << ly - 10 << "\" width=\"12\" height=\"12\" fill=\"" << colour << "\"/>"
      << "<text x=\"" << lx + 16 << "\" y=\"" << ly << "\">" << html_escape(series[i].name) << "</text>";
  }
  o << "</svg>";
  return o.str();
}

}  // namespace imaxbench
