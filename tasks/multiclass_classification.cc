// Multiclass classification: one class per image (by default the four MIMIC-CXR edema grades).
#include <cmath>

#include "tasks/baseline_rule.h"
#include "tasks/class_list.h"
#include "tasks/class_parser.h"
#include "tasks/task_common.h"
#include "tasks/vocabulary.h"

namespace imaxbench {
namespace {

class MulticlassClassificationTask final : public Task {
 public:
  std::string_view name() const override { return "multiclass_classification"; }
  int version() const override { return 1; }
  AnswerKind answer_kind() const override { return AnswerKind::kClass; }
  std::string_view description() const override {
    return "Pick one class per image (default: edema grade none..alveolar); scored by accuracy and macro F1";
  }

  void parse_record(const RecordFields& fields, Sample& sample) const override {
    sample.classes = read_class_list(fields, "classes", default_edema_classes());
    const auto& ref = fields.json().contains("reference") ? fields.json()["reference"] : nlohmann::json();
    const std::string listing = join(sample.classes, ", ");
    if (ref.is_string()) {
      const int index = find_class(sample.classes, ref.get<std::string>());
      if (index < 0)
        fields.fail("field 'reference' is '" + ref.get<std::string>() + "', not one of the classes: " +
                    listing + "; write a class name or its 0-based index");
      sample.ref_class = index;
    } else if (ref.is_number()) {
      const double v = ref.get<double>();
      if (v != std::floor(v) || v < 0 || v >= double(sample.classes.size()))
        fields.fail("field 'reference' is " + ref.dump() + "; a class index must be a whole number from 0 to " +
                    std::to_string(sample.classes.size() - 1) + " (classes: " + listing + ")");
      sample.ref_class = int(v);
    } else if (ref.is_null()) {
      fields.fail("missing field 'reference'; write a class name (" + listing + ") or its 0-based index");
    } else {
      fields.fail("field 'reference' must be a class name or a 0-based index, got " + json_type_name(ref));
    }
  }

  std::string default_prompt_template() const override {
    return "Classify this chest X-ray into one of the following classes: {classes}. "
           "Answer with the class name only.";
  }

  std::vector<std::string_view> prompt_placeholders() const override { return {"classes", "labels"}; }

  std::string make_prompt(const Sample& sample, const TaskOptions& options) const override {
    const auto listing = join(sample.classes, ", ");
    return make_prompt_from(sample, options, default_prompt_template(),
                            {{"classes", listing}, {"labels", listing}});
  }

  Prediction parse_output(const Sample& sample, std::string_view raw, const TaskOptions&) const override {
    Prediction p;
    auto r = parse_class_answer(raw, sample.classes);
    p.parsed = r.ok;
    p.class_index = r.index;
    p.note = std::move(r.note);
    return p;
  }

  std::vector<MetricSpec> default_metrics() const override {
    return metric_list({"accuracy", "f1_macro", "kappa_quadratic"});
  }

  BaselineAnswer baseline_answer(const BaselineQuery& q) const override {
    const auto p = nearest_record(q);
    if (!p) return no_gallery_record(q);
    const Sample& r = *p->record;
    return answer_from(*p, r.ref_class >= 0 && r.ref_class < static_cast<int>(r.classes.size()) ? r.classes[r.ref_class] : "");
  }
};

}  // namespace

const Task& multiclass_classification_task() {
  static const MulticlassClassificationTask kTask;
  return kTask;
}

}  // namespace imaxbench
