#include "core/jsonl.h"

#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>

#include <cstring>
#include <memory>
#include <vector>

#include "core/json_document.h"
#include "core/regular_file.h"

namespace imaxbench {

namespace {

// One non-blank line's place in the data, before parsing.
struct LineSpan {
  std::string_view text;
  std::size_t line = 0;
  bool terminated = true;
};

// Walks `data` line by line: lines end in LF, CRLF or a lone CR (old Mac files); JSON text never
// holds a raw CR or LF, so each is a line end. Blank lines are skipped; a UTF-8 BOM is dropped.
class LineCutter {
 public:
  explicit LineCutter(std::string_view data) : data_(data) {}
  bool next(LineSpan& out) {
    while (start_ < data_.size()) {
      ++line_no_;
      std::size_t end = line_end(start_);
      const bool terminated = end != std::string_view::npos;
      if (!terminated) end = data_.size();
      std::string_view text = data_.substr(start_, end - start_);
      start_ = end + 1;
      if (terminated && data_[end] == '\r' && start_ < data_.size() && data_[start_] == '\n') ++start_;
      if (line_no_ == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
      if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
      out = {text, line_no_, terminated};
      return true;
    }
    return false;
  }
  std::size_t offset() const { return start_; }

 private:
  // The first CR or LF from `from`, by two memchr scans (find_first_of calls memchr per byte).
  std::size_t line_end(std::size_t from) const {
    const char* begin = data_.data() + from;
    const std::size_t n = data_.size() - from;
    const void* lf = std::memchr(begin, '\n', n);
    const std::size_t lf_at = lf ? static_cast<const char*>(lf) - begin : n;
    const void* cr = std::memchr(begin, '\r', lf_at);
    if (cr) return from + (static_cast<const char*>(cr) - begin);
    return lf ? from + lf_at : std::string_view::npos;
  }

  std::string_view data_;
  std::size_t start_ = 0, line_no_ = 0;
};

JsonlLine parse_line(const LineSpan& span) {
  JsonlLine line;
  line.line = span.line;
  JsonProblem problem;
  if (auto value = parse_json(span.text, problem)) {
    line.value = std::move(*value);
    if (!line.value.is_object())
      line.problem = "each line must be a JSON object {...}, got a JSON " + std::string(line.value.type_name());
  } else {
    line.torn = !span.terminated;
    problem.line = 0;  // the file's line is already named; keep the column
    line.problem = line.torn ? "last line is cut off (torn write from an interrupted run?); dropped"
                             : "not valid JSON (column " + std::to_string(problem.column) +
                                   (problem.path.empty() ? "" : ", at " + problem.path) + ": " + problem.what +
                                   "); each line must be one JSON object";
  }
  return line;
}

// Below this many bytes a file is parsed on the calling thread: a pipeline's start-up would cost
// more than it saves.
constexpr std::size_t kParallelFrom = std::size_t{1} << 20;
// Lines are parsed in blocks of about this many bytes; the blocks in flight bound the memory.
constexpr std::size_t kBlockBytes = std::size_t{256} << 10;

}  // namespace

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
  for_each_jsonl_line(data, [](JsonlLine&) {}, on_line);
}

void for_each_jsonl_line(std::string_view data, const std::function<void(JsonlLine&)>& prepare,
                         const std::function<void(JsonlLine&)>& take) {
  LineCutter cutter(data);
  LineSpan span;
  const std::size_t threads = tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  if (data.size() < kParallelFrom || threads <= 1) {
    while (cutter.next(span)) {
      JsonlLine line = parse_line(span);
      prepare(line);
      take(line);
    }
    return;
  }
  // JSON parsing is most of reading a file: blocks of lines are cut in order, parsed (and
  // prepared) on any thread, and taken in order, one at a time, exactly as the serial loop does.
  struct Block {
    std::vector<LineSpan> spans;
    std::vector<JsonlLine> lines;
  };
  using BlockPtr = std::shared_ptr<Block>;
  auto cut = [&](tbb::flow_control& fc) -> BlockPtr {
    auto b = std::make_shared<Block>();
    const std::size_t from = cutter.offset();
    while (cutter.offset() - from < kBlockBytes && cutter.next(span)) b->spans.push_back(span);
    if (b->spans.empty()) fc.stop();
    return b;
  };
  auto parse = [&](BlockPtr b) {
    b->lines.reserve(b->spans.size());
    for (const LineSpan& s : b->spans) {
      b->lines.push_back(parse_line(s));
      prepare(b->lines.back());
    }
    return b;
  };
  auto deliver = [&](BlockPtr b) {
    for (JsonlLine& line : b->lines) take(line);
    return b;
  };
  // What `take` left in the lines (a sample a visitor was shown: data/split_reader.h) is freed on
  // any thread, not in the ordered stage every line waits for.
  auto release = [](BlockPtr) {};
  tbb::parallel_pipeline(2 * threads + 2,
                         tbb::make_filter<void, BlockPtr>(tbb::filter_mode::serial_in_order, cut) &
                             tbb::make_filter<BlockPtr, BlockPtr>(tbb::filter_mode::parallel, parse) &
                             tbb::make_filter<BlockPtr, BlockPtr>(tbb::filter_mode::serial_in_order, deliver) &
                             tbb::make_filter<BlockPtr, void>(tbb::filter_mode::parallel, release));
}

}  // namespace imaxbench
