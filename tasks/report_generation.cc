// Report generation: a free-text radiology report for the image, scored against reference reports.
#include "tasks/baseline_rule.h"
#include "tasks/task_common.h"

namespace imaxbench {
namespace {

class ReportGenerationTask final : public Task {
 public:
  std::string_view name() const override { return "report_generation"; }
  int version() const override { return 1; }
  AnswerKind answer_kind() const override { return AnswerKind::kText; }
  std::string_view description() const override {
    return "Write the findings of a chest X-ray report; scored by BLEU, ROUGE-L and CIDEr-D";
  }

  void parse_record(const RecordFields& fields, Sample& sample) const override {
    sample.ref_texts = require_reference_texts(fields, "reference");
  }

  std::string default_prompt_template() const override {
    return "Describe the findings of this chest X-ray as a radiology report.";
  }

  std::vector<std::string_view> prompt_placeholders() const override { return {}; }

  std::string make_prompt(const Sample& sample, const TaskOptions& options) const override {
    return make_prompt_from(sample, options, default_prompt_template(), {});
  }

  // The report is scored as written: only surrounding whitespace is removed.
  Prediction parse_output(const Sample&, std::string_view raw, const TaskOptions&) const override {
    return text_prediction(raw);
  }

  std::vector<MetricSpec> default_metrics() const override {
    return metric_list({"bleu_4", "rouge_l", "cider_d", "bleu_1", "token_f1"});
  }

  BaselineAnswer baseline_answer(const BaselineQuery& q) const override {
    const auto p = nearest_record(q);
    return p ? answer_from(*p, first_reference(*p->record)) : no_gallery_record(q);
  }
};

}  // namespace

const Task& report_generation_task() {
  static const ReportGenerationTask kTask;
  return kTask;
}

}  // namespace imaxbench
