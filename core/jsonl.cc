#include "core/jsonl.h"

#include "core/json_document.h"
#include "core/regular_file.h"

namespace imaxbench {

std::string record_id_for_message(const nlohmann::json& record) {
  if (record.is_object()) {
    auto it = record.find("id");
    if (it != record.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

void read_jsonl(const std::string& path, const std::function<void(JsonlLine&)>& on_line) {
  for_each_jsonl_line(read_regular_file(path, "file"), on_line);
}

void for_each_jsonl_line(std::string_view data, const std::function<void(JsonlLine&)>& on_line) {
  std::size_t start = 0, line_no = 0;
  while (start < data.size()) {
    ++line_no;
    // Lines end in LF, CRLF or a lone CR (old Mac files): JSON text never holds a raw CR or LF,
    // so each is a line end.
    std::size_t end = data.find_first_of("\r\n", start);
    const bool terminated = end != std::string::npos;
    if (!terminated) end = data.size();
    std::string_view text = data.substr(start, end - start);
    start = end + 1;
    if (terminated && data[end] == '\r' && start < data.size() && data[start] == '\n') ++start;
    if (line_no == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;

    JsonlLine line;
    line.line = line_no;
    JsonProblem problem;
    if (auto value = parse_json(text, problem)) {
      line.value = std::move(*value);
      if (!line.value.is_object())
        line.problem = "each line must be a JSON object {...}, got a JSON " +
                       std::string(line.value.type_name());
    } else {
      line.torn = !terminated;
      problem.line = 0;  // the file's line is already named; keep the column
      line.problem = line.torn
                         ? "last line is cut off (torn write from an interrupted run?); dropped"
                         : "not valid JSON (column " + std::to_string(problem.column) +
                               (problem.path.empty() ? "" : ", at " + problem.path) + ": " +
                               problem.what + "); each line must be one JSON object";
    }
    on_line(line);
  }
}

}  // namespace imaxbench
