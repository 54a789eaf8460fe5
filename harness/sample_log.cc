#include "harness/sample_log.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/error.h"

namespace imaxbench {

namespace {

// The parsed answer in the record's own terms: a number, a class name, label names, a pixel box
// or the text the text metrics read.
nlohmann::json parsed_answer(const Sample& s, const Prediction& p) {
  switch (s.kind) {
    case AnswerKind::kNumber:
      return std::isfinite(p.number) ? nlohmann::json(p.number) : nlohmann::json();
    case AnswerKind::kClass:
      if (p.class_index >= 0 && static_cast<std::size_t>(p.class_index) < s.classes.size())
        return s.classes[static_cast<std::size_t>(p.class_index)];
      return nullptr;
    case AnswerKind::kLabelSet: {
      nlohmann::json names = nlohmann::json::array();
      for (std::size_t i = 0; i < p.labels.size() && i < s.classes.size(); ++i)
        if (p.labels[i]) names.push_back(s.classes[i]);
      return names;
    }
    case AnswerKind::kBox:
      return {p.box.x1, p.box.y1, p.box.x2, p.box.y2};
    case AnswerKind::kText:
    case AnswerKind::kShortAnswer:
      return p.text;
    case AnswerKind::kNone:
      break;
  }
  return nullptr;
}

const char* status_name(AnswerStatus status) {
  switch (status) {
    case AnswerStatus::kScored: return "scored";
    case AnswerStatus::kUnparsed: return "unparsed";
    case AnswerStatus::kFailed: return "failed";
    case AnswerStatus::kMissing: return "missing";
  }
  return "?";
}

}  // namespace

nlohmann::ordered_json sample_log_entry(const TaskEvaluation& eval, std::size_t i, const AnswerSet* answers) {
  const Sample& s = *eval.samples[i];
  const Prediction& p = eval.predictions[i];
  const AnswerStatus status = answer_status(p);
  const Answer* a = nullptr;
  if (answers)
    if (auto it = answers->by_id.find(s.id); it != answers->by_id.end()) a = &it->second;
  nlohmann::ordered_json e = {{"id", s.id},
                      {"task", s.task},
                      {"image", s.image},
                      {"image_id", s.image_id},
                      {"prompt", a && a->prompt ? nlohmann::json(*a->prompt) : nlohmann::json()},
                      {"answer", p.present && a ? nlohmann::json(a->text) : nlohmann::json()},
                      {"status", status_name(status)},
                      {"note", p.note.empty() ? nlohmann::json() : nlohmann::json(p.note)},
                      {"error", p.error.empty() ? nlohmann::json() : nlohmann::json(p.error)},
                      {"parsed", status == AnswerStatus::kScored ? parsed_answer(s, p) : nlohmann::json()}};
  if (s.kind == AnswerKind::kBox && p.parsed && !p.box_format.empty()) e["box_format"] = p.box_format;
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  for (std::size_t m = 0; m < eval.metrics.size(); ++m) {
    const MetricRows& rows = eval.rows[m];
    if (!rows.applies.empty() && !rows.applies[i]) continue;
    if (const auto v = eval.metrics[m]->sample_value(rows.row(i)); v && std::isfinite(*v))
      metrics[eval.suite_task->metrics[m].id] = *v;
  }
  e["metrics"] = std::move(metrics);
  return e;
}

SampleLog::SampleLog(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {
  out_.open(tmp_, std::ios::binary | std::ios::trunc);
  if (!out_) throw Error("cannot write the per-sample log " + tmp_);
}

SampleLog::~SampleLog() {
  if (finished_) return;
  out_.close();
  std::error_code ec;
  std::filesystem::remove(tmp_, ec);  // a log cut short is not left behind
}

void SampleLog::add_task(const TaskEvaluation& eval, const AnswerSet* answers) {
  // Written a megabyte at a time: the whole task's lines at once took a copy of every answer and
  // reference (over a gigabyte at 1,000,000 reports) on top of the samples themselves.
  constexpr std::size_t kBatch = std::size_t{1} << 20;
  std::string lines;
  for (std::size_t i = 0; i < eval.samples.size(); ++i) {
    lines += sample_log_entry(eval, i, answers).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    lines += '\n';
    if (lines.size() >= kBatch) {
      out_ << lines;
      lines.clear();
    }
  }
  out_ << lines;
}

void SampleLog::finish() {
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  if (!ok) throw Error("writing the per-sample log " + tmp_ + " failed (disk full?)");
  std::error_code ec;
  std::filesystem::rename(tmp_, path_, ec);
  if (ec) throw Error("cannot rename " + tmp_ + " to " + path_ + ": " + ec.message());
  finished_ = true;
}

}  // namespace imaxbench
