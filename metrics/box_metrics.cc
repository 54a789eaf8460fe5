// rec metrics: acc_iou_0.5 (fraction of samples with IoU strictly above a threshold, as Uni-Med's
// eval_ref.py counts `iou > 0.5`) and miou (mean IoU). An unparsed or missing box scores IoU 0,
// as Uni-Med scores an answer its pattern does not match.
#include "metrics/box_metrics.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "metrics/mean_metric.h"
#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "core/error.h"

namespace imaxbench {

IouConvention parse_iou_convention(std::string_view name) {
  return name == "continuous" ? IouConvention::kContinuous : IouConvention::kPixelInclusive;
}

std::string_view iou_convention_name(IouConvention convention) {
  return convention == IouConvention::kContinuous ? "continuous" : "pixel_inclusive";
}

double box_iou(const Box& p, const Box& r, IouConvention convention) {
  for (double v : {p.x1, p.y1, p.x2, p.y2, r.x1, r.y1, r.x2, r.y2})
    if (!std::isfinite(v)) return 0.0;
  if (p.x2 < p.x1 || p.y2 < p.y1) return 0.0;
  const double one = convention == IouConvention::kPixelInclusive ? 1.0 : 0.0;
  const double iw = std::max(0.0, std::min(p.x2, r.x2) - std::max(p.x1, r.x1) + one);
  const double ih = std::max(0.0, std::min(p.y2, r.y2) - std::max(p.y1, r.y1) + one);
  const double inter = iw * ih;
  const double area_p = (p.x2 - p.x1 + one) * (p.y2 - p.y1 + one);
  const double area_r = (r.x2 - r.x1 + one) * (r.y2 - r.y1 + one);
  const double uni = area_p + area_r - inter;
  if (!(uni > 0)) return 0.0;
  return inter / uni;
}

namespace {

IouConvention read_convention(const ParamReader& reader) {
  return parse_iou_convention(
      reader.choice("iou_convention", "pixel_inclusive", {"pixel_inclusive", "continuous"}));
}

class BoxMetric : public MeanMetric {
 public:
  explicit BoxMetric(IouConvention convention) : convention_(convention) {}
  AnswerKinds applies_to() const override { return {AnswerKind::kBox}; }

 protected:
  double iou(const Sample& s, const Prediction& p) const {
    return is_scored(p) ? box_iou(p.box, s.ref_box, convention_) : 0.0;
  }
  std::string iou_part() const { return "|iou:" + std::string(iou_convention_name(convention_)); }

 private:
  IouConvention convention_;
};

class AccIou final : public BoxMetric {
 public:
  AccIou(IouConvention convention, double threshold) : BoxMetric(convention), threshold_(threshold) {}
  std::string signature() const override {
    return "acc_iou|thr:" + format_number(threshold_) + "|cmp:gt" + iou_part() +
           "|unparsed:0|v1";
  }

 protected:
  double value(const Sample& s, const Prediction& p) const override {
    return iou(s, p) > threshold_ ? 1.0 : 0.0;
  }

 private:
  double threshold_;
};

class MeanIou final : public BoxMetric {
 public:
  using BoxMetric::BoxMetric;
  std::string signature() const override { return "miou" + iou_part() + "|unparsed:0|v1"; }

 protected:
  double value(const Sample& s, const Prediction& p) const override { return iou(s, p); }
};

}  // namespace

std::unique_ptr<Metric> make_acc_iou(const MetricParams& params) {
  ParamReader reader("acc_iou_0.5", params, {"threshold", "iou_convention"});
  const double threshold = reader.number("threshold", 0.5);
  if (threshold < 0 || threshold >= 1)
    throw Error("metric 'acc_iou_0.5': parameter 'threshold' must be in [0, 1), got " +
                format_number(threshold));
  return std::make_unique<AccIou>(read_convention(reader), threshold);
}

std::unique_ptr<Metric> make_miou(const MetricParams& params) {
  ParamReader reader("miou", params, {"iou_convention"});
  return std::make_unique<MeanIou>(read_convention(reader));
}

}  // namespace imaxbench
