// Visual question answering: closed (yes/no or given options) and open questions about the image.
#include "tasks/baseline_rule.h"
#include "tasks/short_answer.h"
#include "tasks/task_common.h"

namespace imaxbench {
namespace {

class VqaTask final : public Task {
 public:
  std::string_view name() const override { return "vqa"; }
  int version() const override { return 1; }
  AnswerKind answer_kind() const override { return AnswerKind::kShortAnswer; }
  std::string_view description() const override {
    return "Answer closed (yes/no) and open questions about the image; scored by closed accuracy and open recall";
  }

  void parse_record(const RecordFields& fields, Sample& sample) const override {
    sample.question = trim_copy(fields.require_string("question"));
    const auto type = ascii_lower(trim_copy(fields.require_string("answer_type")));
    if (type != "closed" && type != "open")
      fields.fail("field 'answer_type' is '" + type + "'; write 'closed' (yes/no or options) or 'open'");
    sample.answer_type = type;
    sample.ref_texts = require_reference_texts(fields, "reference");
  }

  std::string default_prompt_template() const override { return "{question}"; }

  std::vector<std::string_view> prompt_placeholders() const override { return {"question"}; }

  std::string make_prompt(const Sample& sample, const TaskOptions& options) const override {
    return make_prompt_from(sample, options, default_prompt_template(), {{"question", sample.question}});
  }

  Prediction parse_output(const Sample& sample, std::string_view raw, const TaskOptions&) const override {
    Prediction p;
    auto r = sample.answer_type == "closed" ? parse_closed_answer(raw) : parse_open_answer(raw);
    p.parsed = r.ok;
    p.text = std::move(r.text);
    p.note = std::move(r.note);
    return p;
  }

  std::vector<MetricSpec> default_metrics() const override {
    return metric_list({"closed_accuracy", "closed_accuracy_contains", "open_token_f1", "open_recall"});
  }

  BaselineAnswer baseline_answer(const BaselineQuery& q) const override {
    const auto p = match_text(q, &SampleInputs::question);
    if (!p) return no_gallery_record(q);
    // A closed question no gallery question resembles gets the gallery's majority yes/no.
    return answer_from(*p, p->score == 0 && q.inputs.answer_type == "closed" ? q.stats.closed_majority
                                                                             : first_reference(*p->record));
  }
};

}  // namespace

const Task& vqa_task() {
  static const VqaTask kTask;
  return kTask;
}

}  // namespace imaxbench
