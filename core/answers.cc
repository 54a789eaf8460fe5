#include "core/answers.h"

#include <cmath>
#include <filesystem>

#include "core/jsonl.h"
#include "core/error.h"
#include "core/memory_available.h"
#include "core/record_fields.h"

namespace imaxbench {

namespace {

Answer parse_answer(const nlohmann::json& rec, const RecordFields& f) {
  Answer a;
  if (auto it = rec.find("error"); it != rec.end() && !it->is_null()) {
    if (!it->is_string()) f.fail("field 'error' must be a string, got " + json_type_name(*it));
    a.error = it->get<std::string>();
  }
  auto it = rec.find("prediction");
  if (it == rec.end() || it->is_null()) {
    if (a.error.empty()) f.fail("missing field 'prediction' (the model's raw text)");
  } else if (!it->is_string()) {
    f.fail("field 'prediction' must be a string (the model's raw text), got " + json_type_name(*it));
  } else {
    a.text = it->get<std::string>();
  }
  if (auto lt = rec.find("latency_ms"); lt != rec.end() && !lt->is_null()) {
    if (!lt->is_number() || !std::isfinite(lt->get<double>()) || lt->get<double>() < 0)
      f.fail("field 'latency_ms' must be a number >= 0");
    a.latency_ms = lt->get<double>();
  }
  if (auto pt = rec.find("prompt"); pt != rec.end() && !pt->is_null()) {
    if (!pt->is_string()) f.fail("field 'prompt' must be a string (the prompt as sent), got " + json_type_name(*pt));
    a.prompt = pt->get<std::string>();
  }
  if (auto ot = rec.find("output_tokens"); ot != rec.end() && !ot->is_null()) {
    if (!ot->is_number_integer() || ot->get<std::int64_t>() < 0)
      f.fail("field 'output_tokens' must be a whole number >= 0");
    a.output_tokens = ot->get<std::int64_t>();
  }
  return a;
}

}  // namespace

AnswerSet read_answers(const std::string& path, bool strict) {
  // An answer takes more memory than its line (a map node, its id and text), so a file past half
  // the memory available cannot be read: refused now, rather than killed by the OOM killer halfway
  // (the splits get the same check, data/suite_loader.cc). A file that cannot be sized (a FIFO)
  // is reported when it is read.
  std::error_code ec;
  const std::uint64_t bytes = std::filesystem::file_size(path, ec);
  if (const auto available = ec ? std::nullopt : memory_short_for_reading(bytes))
    throw Error(path + ": it holds " + human_bytes(bytes) + " of answers; reading them takes at least " +
                human_bytes(2 * bytes) + " of memory and " + human_bytes(*available) +
                " is available (MemAvailable, within any cgroup limit). Score the answers in parts, "
                "each against a suite of its samples");
  AnswerSet out;
  out.path = path;
  read_jsonl(path, [&](JsonlLine& line) {
    std::string id = record_id_for_message(line.value);
    try {
      if (!line.problem.empty()) throw DataError(path, line.line, id, line.problem);
      RecordFields early(line.value, path, line.line, id);
      id = early.require_string("id");
      RecordFields f(line.value, path, line.line, id);
      Answer a = parse_answer(line.value, f);
      a.line = line.line;
      if (!out.by_id.emplace(id, std::move(a)).second)
        f.fail("duplicate id; the first answer (line " + std::to_string(out.by_id[id].line) +
               ") is kept");
    } catch (const DataError& e) {
      if (strict && !line.torn) throw;
      out.problems.push_back(e.what());
    }
  });
  return out;
}

}  // namespace imaxbench
