// Referring expression generation (REG): describe the region inside a given box.
#include "metrics/box_metrics.h"
#include "tasks/baseline_rule.h"
#include "tasks/box_parser.h"
#include "tasks/task_common.h"

namespace imaxbench {
namespace {

class RegTask final : public Task {
 public:
  std::string_view name() const override { return "reg"; }
  int version() const override { return 1; }
  AnswerKind answer_kind() const override { return AnswerKind::kText; }
  std::string_view description() const override {
    return "Describe the finding inside a given box; scored by token F1 and exact match";
  }

  void parse_record(const RecordFields& fields, Sample& sample) const override {
    const Box box = fields.require_box("box");
    check_box_in_image(fields, "box", box, sample);
    sample.box = box;
    sample.ref_texts = require_reference_texts(fields, "reference");
  }

  std::string default_prompt_template() const override {
    return "[identify] What is the finding in the region {box}?";
  }

  std::vector<std::string_view> prompt_placeholders() const override { return {"box"}; }

  // The box is written in the task's box_format ("auto" means the MiniGPT-v2 0-100 grid; a
  // family's format in the model's input frame); an unknown format or a missing image size falls
  // back to pixels.
  std::string make_prompt(const Sample& sample, const TaskOptions& options) const override {
    const auto format = box_format_from_name(options.box_format).value_or(BoxFormat::kPixel);
    std::string box = sample.box ? format_box(*sample.box, format, sample.image_size, options.model_input) : "";
    return make_prompt_from(sample, options, default_prompt_template(), {{"box", box}});
  }

  Prediction parse_output(const Sample&, std::string_view raw, const TaskOptions&) const override {
    return text_prediction(raw);
  }

  std::vector<MetricSpec> default_metrics() const override {
    return metric_list({"token_f1", "exact_match", "sentence_bleu_4"});
  }

  BaselineAnswer baseline_answer(const BaselineQuery& q) const override {
    const Box want = q.inputs.box.value_or(Box{});
    auto overlap = [&](std::size_t img, const Sample& r) {
      return r.box ? box_iou(scale_box(*r.box, q.images[img].size, q.size), want, IouConvention::kContinuous) : 0.0;
    };
    // The nearest image with a described region overlapping the query box, its best overlap.
    std::optional<GalleryPick> p;
    for (std::size_t i : q.ranked) {
      for (const Sample* r : q.images[i].records)
        if (r->task == q.task && (!p || p->image == i) && overlap(i, *r) > (p ? p->score : 0.0))
          p = GalleryPick{i, r, overlap(i, *r)};
      if (p) break;
    }
    if (!p && !(p = nearest_record(q))) return no_gallery_record(q);
    return answer_from(*p, first_reference(*p->record));
  }
};

}  // namespace

const Task& reg_task() {
  static const RegTask kTask;
  return kTask;
}

}  // namespace imaxbench
