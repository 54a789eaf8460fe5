#include "harness/jsonl.h"

#include <fstream>
#include <sstream>

#include "tasks/error.h"

namespace imaxbench {

namespace {

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1, column 5:".
std::string short_parse_message(const std::string& what) {
  auto pos = what.find("column");
  std::string out = pos == std::string::npos ? what : what.substr(pos);
  return "not valid JSON (" + out + "); each line must be one JSON object";
}

}  // namespace

std::string record_id_for_message(const nlohmann::json& record) {
  if (record.is_object()) {
    auto it = record.find("id");
    if (it != record.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

void read_jsonl(const std::string& path, const std::function<void(JsonlLine&)>& on_line) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open file (does it exist and is it readable?)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();

  std::size_t start = 0, line_no = 0;
  while (start < data.size()) {
    ++line_no;
    std::size_t end = data.find('\n', start);
    const bool terminated = end != std::string::npos;
    if (!terminated) end = data.size();
    std::string_view text(data.data() + start, end - start);
    start = end + 1;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (line_no == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;

    JsonlLine line;
    line.line = line_no;
    try {
      line.value = nlohmann::json::parse(text);
      if (!line.value.is_object())
        line.problem = "each line must be a JSON object {...}, got a JSON " +
                       std::string(line.value.type_name());
    } catch (const nlohmann::json::parse_error& e) {
      line.torn = !terminated;
      line.problem = line.torn ? "last line is cut off (torn write from an interrupted run?); dropped"
                               : short_parse_message(e.what());
      if (!line.torn && std::string(e.what()).find("UTF-8") != std::string::npos)
        line.problem = "invalid UTF-8 bytes; save the file as UTF-8";
    } catch (const nlohmann::json::out_of_range&) {
      line.problem = "a number is too large to represent (e.g. 1e999); write finite numbers";
    }
    on_line(line);
  }
}

}  // namespace imaxbench
