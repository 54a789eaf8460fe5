// Multilabel classification: every finding present in an image (by default the 14 CheXpert labels).
#include "tasks/baseline_rule.h"
#include "tasks/class_list.h"
#include "tasks/class_parser.h"
#include "tasks/label_parser.h"
#include "tasks/task_common.h"
#include "tasks/vocabulary.h"

namespace imaxbench {
namespace {

class MultilabelClassificationTask final : public Task {
 public:
  std::string_view name() const override { return "multilabel_classification"; }
  int version() const override { return 1; }
  AnswerKind answer_kind() const override { return AnswerKind::kLabelSet; }
  std::string_view description() const override {
    return "Name every finding present (default: 14 CheXpert labels); scored by macro and micro F1";
  }

  void parse_record(const RecordFields& fields, Sample& sample) const override {
    sample.classes = read_class_list(fields, "labels", default_chexpert_labels());
    const auto& json = fields.json();
    if (!json.contains("reference") || json["reference"].is_null())
      fields.fail("missing field 'reference'; write the list of positive labels ([] when none)");
    const auto& ref = json["reference"];
    if (!ref.is_array())
      fields.fail("field 'reference' must be a list of labels ([] when none), got " + json_type_name(ref));
    sample.ref_labels.assign(sample.classes.size(), 0);
    for (std::size_t i = 0; i < ref.size(); ++i) {
      if (!ref[i].is_string())
        fields.fail("field 'reference' item " + std::to_string(i + 1) + " must be a label name, got " +
                    json_type_name(ref[i]));
      const int index = find_class(sample.classes, ref[i].get<std::string>());
      if (index < 0)
        fields.fail("field 'reference' names '" + ref[i].get<std::string>() +
                    "', which is not in the label vocabulary: " + join(sample.classes, ", "));
      sample.ref_labels[index] = 1;
    }
  }

  std::string default_prompt_template() const override {
    return "Which of the following findings are present in this chest X-ray: {labels}? "
           "List all that apply, separated by commas.";
  }

  std::vector<std::string_view> prompt_placeholders() const override { return {"labels", "classes"}; }

  std::string make_prompt(const Sample& sample, const TaskOptions& options) const override {
    const auto listing = join(sample.classes, ", ");
    return make_prompt_from(sample, options, default_prompt_template(),
                            {{"labels", listing}, {"classes", listing}});
  }

  Prediction parse_output(const Sample& sample, std::string_view raw, const TaskOptions&) const override {
    Prediction p;
    auto r = parse_label_answer(raw, sample.classes);
    p.parsed = r.ok;
    p.labels = std::move(r.labels);
    p.note = std::move(r.note);
    return p;
  }

  std::vector<MetricSpec> default_metrics() const override {
    return metric_list({"f1_macro", "f1_micro", "f1_samples", "exact_match"});
  }

  BaselineAnswer baseline_answer(const BaselineQuery& q) const override {
    const auto p = nearest_record(q);
    if (!p) return no_gallery_record(q);
    const Sample& r = *p->record;
    std::string text;
    for (std::size_t i = 0; i < r.ref_labels.size() && i < r.classes.size(); ++i)
      if (r.ref_labels[i]) text += (text.empty() ? "" : ", ") + r.classes[i];
    return answer_from(*p, text.empty() ? "none" : text);
  }
};

}  // namespace

const Task& multilabel_classification_task() {
  static const MultilabelClassificationTask kTask;
  return kTask;
}

}  // namespace imaxbench
