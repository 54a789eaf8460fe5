// Calculation: the cardiothoracic ratio (CTR) or cardiopulmonary area ratio (CPAR) of an image.
#include <cstdio>

#include "tasks/baseline_rule.h"
#include "tasks/number_parser.h"
#include "tasks/task_common.h"

namespace imaxbench {
namespace {

std::string quantity_phrase(const std::string& quantity) {
  if (quantity == "ctr") return "cardiothoracic ratio (CTR)";
  if (quantity == "cpar") return "cardiopulmonary area ratio (CPAR)";
  return quantity;
}

class CalculationTask final : public Task {
 public:
  std::string_view name() const override { return "calculation"; }
  int version() const override { return 1; }
  AnswerKind answer_kind() const override { return AnswerKind::kNumber; }
  std::string_view description() const override {
    return "Measure the cardiothoracic ratio (CTR) or cardiopulmonary area ratio (CPAR); scored by absolute error";
  }

  void parse_record(const RecordFields& fields, Sample& sample) const override {
    const auto quantity = ascii_lower(trim_copy(fields.require_string("quantity")));
    if (quantity != "ctr" && quantity != "cpar")
      fields.fail("field 'quantity' is '" + quantity + "'; write 'ctr' (cardiothoracic ratio) or 'cpar' "
                  "(cardiopulmonary area ratio)");
    sample.quantity = quantity;
    const double ref = fields.require_number("reference");
    if (!(ref > 0 && ref <= 1))
      fields.fail("field 'reference' is " + nlohmann::json(ref).dump() +
                  "; a ratio must lie in (0, 1] (write 52% as 0.52)");
    sample.ref_number = ref;
  }

  std::string default_prompt_template() const override {
    return "What is the {quantity} of this chest X-ray? Answer with a number between 0 and 1.";
  }

  std::vector<std::string_view> prompt_placeholders() const override { return {"quantity"}; }

  std::string make_prompt(const Sample& sample, const TaskOptions& options) const override {
    return make_prompt_from(sample, options, default_prompt_template(),
                            {{"quantity", quantity_phrase(sample.quantity)}});
  }

  Prediction parse_output(const Sample& sample, std::string_view raw, const TaskOptions&) const override {
    Prediction p;
    auto r = parse_ratio_answer(raw, sample.quantity);
    p.parsed = r.ok;
    p.number = r.ok ? r.value : 0;
    p.note = std::move(r.note);
    return p;
  }

  std::vector<MetricSpec> default_metrics() const override {
    return metric_list({"mae", "rmse", "acc_within", "cardiomegaly_agreement"});
  }

  BaselineAnswer baseline_answer(const BaselineQuery& q) const override {
    const auto p = nearest_record(q, [&](const Sample& r) { return r.quantity == q.inputs.quantity; });
    if (!p) return no_gallery_record(q, " of quantity '" + q.inputs.quantity + "'");
    char buf[96];
    std::snprintf(buf, sizeof buf, "The %s is %.3f.",
                  q.inputs.quantity == "cpar" ? "cardiopulmonary area ratio" : "cardiothoracic ratio",
                  p->record->ref_number);
    return answer_from(*p, buf);
  }
};

}  // namespace

const Task& calculation_task() {
  static const CalculationTask kTask;
  return kTask;
}

}  // namespace imaxbench
