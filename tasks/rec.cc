// Referring expression comprehension (REC): locate the region a phrase describes, as a box.
#include "tasks/baseline_rule.h"
#include "tasks/box_parser.h"
#include "tasks/task_common.h"

namespace imaxbench {
namespace {

class RecTask final : public Task {
 public:
  std::string_view name() const override { return "rec"; }
  int version() const override { return 1; }
  AnswerKind answer_kind() const override { return AnswerKind::kBox; }
  std::string_view description() const override {
    return "Locate the region a phrase refers to as a bounding box; scored by accuracy at IoU > 0.5 and mIoU";
  }

  void parse_record(const RecordFields& fields, Sample& sample) const override {
    sample.phrase = trim_copy(fields.require_string("phrase"));
    sample.ref_box = fields.require_box("reference");
    check_box_in_image(fields, "reference", sample.ref_box, sample);
  }

  std::string default_prompt_template() const override { return "[refer] Give me the location of {phrase}."; }

  std::vector<std::string_view> prompt_placeholders() const override { return {"phrase"}; }

  std::string make_prompt(const Sample& sample, const TaskOptions& options) const override {
    return make_prompt_from(sample, options, default_prompt_template(), {{"phrase", sample.phrase}});
  }

  Prediction parse_output(const Sample& sample, std::string_view raw,
                          const TaskOptions& options) const override {
    Prediction p;
    const auto format = box_format_from_name(options.box_format);
    if (!format) {
      p.note = "unknown box_format '" + options.box_format + "'; use one of " + std::string(box_format_names());
      return p;
    }
    auto r = parse_box_answer(raw, *format, sample.image_size, options.model_input);
    p.parsed = r.ok;
    p.box = r.box;
    p.n_boxes = r.n_boxes;
    p.box_format = std::move(r.format);
    p.note = std::move(r.note);
    return p;
  }

  std::vector<MetricSpec> default_metrics() const override {
    const nlohmann::json params = {{"iou_convention", "pixel_inclusive"}};
    return {{"acc_iou_0.5", params, "acc_iou_0.5"}, {"miou", params, ""}};
  }

  BaselineAnswer baseline_answer(const BaselineQuery& q) const override {
    const auto p = match_text(q, &SampleInputs::phrase);
    if (!p) return no_gallery_record(q);
    const auto format = box_format_from_name(q.box_format);
    if (!format) {
      BaselineAnswer out;
      out.error = "baseline: unknown box_format '" + q.box_format + "'";
      return out;
    }
    return answer_from(*p, format_box(scale_box(p->record->ref_box, q.images[p->image].size, q.size), *format, q.size));
  }
};

}  // namespace

const Task& rec_task() {
  static const RecTask kTask;
  return kTask;
}

}  // namespace imaxbench
