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
  const int label_w = 150, bar_w = 240, row_h = 22, top = 28;
  const int height = top + row_h * int(bars.size()) + 8;
  double scale = 1;
  for (const auto& b : bars) {
    if (std::isfinite(b.value)) scale = std::max(scale, b.value);
    if (b.ci95 && std::isfinite(b.ci95->second)) scale = std::max(scale, b.ci95->second);
  }
  auto x_of = [&](double v) { return label_w + std::max(0.0, v) / scale * bar_w; };
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bars\" width=\"" << label_w + bar_w + 70
    << "\" height=\"" << height << "\" role=\"img\" aria-label=\"" << html_escape(title) << "\">"
    << "<text x=\"0\" y=\"16\" class=\"title\">" << html_escape(title)
    << (higher_is_better ? "" : " (lower is better)") << "</text>";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const int y = top + row_h * int(i);
    // Long names are cut to fit the label column (whole name in the tooltip); UTF-8 is cut at a
    // character boundary.
    std::string label = b.label;
    if (label.size() > 22) {
      std::size_t cut = 21;
      while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
      label = label.substr(0, cut) + "\xE2\x80\xA6";
    }
    o << "<text x=\"" << label_w - 6 << "\" y=\"" << y + 15 << "\" text-anchor=\"end\"><title>" << html_escape(b.label)
      << "</title>" << html_escape(label) << "</text>";
    if (std::isfinite(b.value)) {
      const double w = x_of(b.value) - label_w;
      std::string tip = html_escape(b.label) + ": " + num(b.value, 4);
      if (b.ci95) tip += " (95% CI " + num(b.ci95->first, 4) + " to " + num(b.ci95->second, 4) + ")";
      o << "<rect x=\"" << label_w << "\" y=\"" << y + 3 << "\" width=\"" << num(w) << "\" height=\"" << row_h - 6
        << "\" fill=\"" << (b.flagged ? "#bbbbbb" : kPalette[0]) << "\"><title>" << tip << "</title></rect>";
      double text_x = label_w + w + 4;
      if (b.ci95 && std::isfinite(b.ci95->first) && std::isfinite(b.ci95->second)) {
        const double lo = x_of(b.ci95->first), hi = x_of(b.ci95->second), mid = y + row_h / 2.0;
        o << "<path class=\"ci\" d=\"M" << num(lo) << " " << num(mid) << "H" << num(hi) << "M" << num(lo) << " "
          << num(mid - 5) << "V" << num(mid + 5) << "M" << num(hi) << " " << num(mid - 5) << "V" << num(mid + 5)
          << "\" stroke=\"#222\" stroke-width=\"1.2\" fill=\"none\"><title>" << tip << "</title></path>";
        text_x = std::max(text_x, hi + 4);
      }
      o << "<text x=\"" << num(text_x) << "\" y=\"" << y + 15 << "\">" << num(b.value, 3) << "</text>";
    } else {
      o << "<text x=\"" << label_w + 4 << "\" y=\"" << y + 15 << "\">n/a</text>";
    }
  }
  o << "</svg>";
  return o.str();
}

std::string svg_line_chart(const std::string& title, const std::vector<LineSeries>& series,
                           const std::vector<std::string>& x_labels, int width) {
  const int left = 50, right = 20, top = 28, plot_h = 180, legend_h = 18;
  const int plot_w = std::max(200, width - left - right);
  const double n = std::max<double>(1, static_cast<double>(x_labels.size()));
  double y0 = INFINITY, y1 = -INFINITY;
  for (const auto& s : series)
    for (const auto& p : s.points)
      if (std::isfinite(p.y)) y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  if (!std::isfinite(y0)) y0 = 0, y1 = 1;
  const double pad = std::max(y1 > 1.5 ? 1.0 : 0.01, (y1 - y0) * 0.1);
  y0 = std::max(0.0, y0 - pad), y1 = y1 + pad;
  // Runs are evenly spaced, half a step in from each edge.
  auto px = [&](double x) { return left + (x + 0.5) / n * plot_w; };
  auto py = [&](double y) { return top + plot_h - (y - y0) / (y1 - y0) * plot_h; };
  const int columns = std::max(1, plot_w / 190);
  const int height = top + plot_h + 30 + legend_h * int((series.size() + columns - 1) / columns);
  const int decimals = y1 > 1.5 ? 1 : 3;
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lines\" width=\"" << left + plot_w + right << "\" height=\""
    << height << "\" role=\"img\" aria-label=\"" << html_escape(title) << "\">"
    << "<text x=\"0\" y=\"16\" class=\"title\">" << html_escape(title) << "</text>"
    << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << plot_w << "\" height=\"" << plot_h
    << "\" fill=\"none\" stroke=\"#999\"/>";
  for (int k = 0; k <= 4; ++k) {
    const double yv = y0 + (y1 - y0) * k / 4;
    o << "<text x=\"" << left - 4 << "\" y=\"" << num(py(yv) + 4) << "\" text-anchor=\"end\">" << num(yv, decimals) << "</text>";
  }
  // A tick and label at the first run of each day, skipping labels that would overlap.
  double last_label = -1e9;
  for (std::size_t i = 0; i < x_labels.size(); ++i) {
    const std::string day = x_labels[i].substr(0, 10);
    if (i > 0 && x_labels[i - 1].substr(0, 10) == day) continue;
    const double x = px(double(i)) - 0.5 * plot_w / n;
    o << "<line x1=\"" << num(x) << "\" y1=\"" << top << "\" x2=\"" << num(x) << "\" y2=\"" << top + plot_h
      << "\" stroke=\"#e4e4e4\"/>";
    if (x - last_label < 80) continue;
    o << "<text x=\"" << num(x + 2) << "\" y=\"" << top + plot_h + 16 << "\">" << html_escape(day) << "</text>";
    last_label = x;
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
    const int lx = left + int(i % columns) * 190, ly = top + plot_h + 34 + legend_h * int(i / columns);
    o << "<rect x=\"" << lx << "\" y=\"" << ly - 10 << "\" width=\"12\" height=\"12\" fill=\"" << colour << "\"/>"
      << "<text x=\"" << lx + 16 << "\" y=\"" << ly << "\">" << html_escape(series[i].name) << "</text>";
  }
  o << "</svg>";
  return o.str();
}

}  // namespace imaxbench
