#include "core/jsonl.h"

#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "core/json_document.h"
#include "core/text_lines.h"
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
  // `lines_before`: lines of the file before `data` (a file read in pieces), so numbers run on.
  explicit LineCutter(std::string_view data, std::size_t lines_before = 0) : data_(data), line_no_(lines_before) {}
  bool next(LineSpan& out) {
    while (start_ < data_.size()) {
      ++line_no_;
      std::size_t end = line_end(start_);
      const bool terminated = end != std::string_view::npos;
      if (!terminated) end = data_.size();
      std::string_view text = data_.substr(start_, end - start_);
      start_ = end + 1;
      if (terminated && data_[end] == '\r' && start_ < data_.size() && data_[start_] == '\n') ++start_;
      if (line_no_ == 1) text = without_bom(text);
      if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
      out = {text, line_no_, terminated};
      return true;
    }
    return false;
  }
  std::size_t offset() const { return start_; }
  std::size_t lines() const { return line_no_; }  // lines passed so far, blank ones included

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
  std::size_t start_ = 0, line_no_;
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

namespace {

// A block of lines: the text of a block read from a file (empty when the lines are views of the
// caller's text), the lines' places in it, and the lines once parsed.
struct Block {
  std::string text;
  std::vector<LineSpan> spans;
  std::vector<JsonlLine> lines;
};
using BlockSource = std::function<bool(Block&)>;  // fills the next block; false when there is none

// Every line of the blocks `next` gives, from `bytes` of text: parsed and prepared, then taken in
// order. On the calling thread, line by line, below kParallelFrom bytes or on one thread; else
// blocks are cut in order, parsed (and prepared) on any thread, and taken in order, one at a time,
// exactly as the serial loop does (JSON parsing is most of reading a file).
void run_blocks(const BlockSource& next, std::uint64_t bytes, const std::function<void(JsonlLine&)>& prepare,
                const std::function<void(JsonlLine&)>& take) {
  const std::size_t threads = tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  if (bytes < kParallelFrom || threads <= 1) {
    for (Block b; next(b); b = Block{})
      for (const LineSpan& s : b.spans) {
        JsonlLine line = parse_line(s);
        prepare(line);
        take(line);
      }
    return;
  }
  using BlockPtr = std::shared_ptr<Block>;
  auto cut = [&](tbb::flow_control& fc) -> BlockPtr {
    auto b = std::make_shared<Block>();
    if (!next(*b)) fc.stop();
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

// A file cut into blocks of whole lines as it is read, `read_bytes` at a time: the window holds
// what was read and not yet cut, from a line's start. A block ends after a line end that has a
// byte after it, so a CR is never parted from its LF; the file's end closes the last block.
class FileBlocks {
 public:
  FileBlocks(RegularFile& file, std::size_t read_bytes, const std::function<void(std::string_view)>& on_bytes)
      : file_(file), read_bytes_(read_bytes), on_bytes_(on_bytes) {}

  bool next(Block& b) {
    std::size_t end;
    while ((end = cut_point()) == 0 && !eof_) fill();
    if (end == 0) return false;
    b.text.assign(window_, 0, end);
    window_.erase(0, end);
    clean_ = window_.empty() ? 0 : window_.size() - 1;  // no line end before its last byte
    LineCutter cutter(b.text, lines_);
    for (LineSpan span; cutter.next(span);) b.spans.push_back(span);
    lines_ = cutter.lines();
    return true;
  }

 private:
  // Where the next block ends, or 0 when the window holds no line end yet. Only bytes not searched
  // before are searched: a line longer than the window would otherwise be scanned once per read.
  std::size_t cut_point() {
    if (eof_ || window_.size() < 2) return eof_ ? window_.size() : 0;
    // Line ends with a byte after them, past the part known to hold none.
    const std::string_view seen(window_.data() + clean_, window_.size() - 1 - clean_);
    const std::size_t lf = seen.rfind('\n'), cr = seen.rfind('\r');
    std::size_t last = lf == std::string_view::npos ? cr : cr == std::string_view::npos ? lf : std::max(lf, cr);
    if (last == std::string_view::npos) {
      clean_ = window_.size() - 1;
      return 0;
    }
    last += clean_;
    if (window_[last] == '\r' && window_[last + 1] == '\n') ++last;
    return last + 1;
  }
  void fill() {
    const std::size_t had = window_.size();
    window_.resize(had + read_bytes_);
    const std::size_t got = file_.read(window_.data() + had, read_bytes_);
    window_.resize(had + got);
    if (on_bytes_ && got > 0) on_bytes_(std::string_view(window_).substr(had));
    eof_ = got < read_bytes_;
  }

  RegularFile& file_;
  const std::size_t read_bytes_;
  const std::function<void(std::string_view)>& on_bytes_;
  std::string window_;
  std::size_t clean_ = 0;  // window_[0, clean_) holds no line end
  std::size_t lines_ = 0;
  bool eof_ = false;
};

}  // namespace

void for_each_jsonl_line(std::string_view data, const std::function<void(JsonlLine&)>& prepare,
                         const std::function<void(JsonlLine&)>& take) {
  LineCutter cutter(data);
  auto next = [&](Block& b) {
    const std::size_t from = cutter.offset();
    for (LineSpan span; cutter.offset() - from < kBlockBytes && cutter.next(span);) b.spans.push_back(span);
    return !b.spans.empty();
  };
  run_blocks(next, data.size(), prepare, take);
}

void read_jsonl_streamed(const std::string& path, std::string_view what, const std::function<void(JsonlLine&)>& prepare,
                         const std::function<void(JsonlLine&)>& take,
                         const std::function<void(std::string_view)>& on_bytes, std::size_t read_bytes) {
  RegularFile file(path, what);
  FileBlocks blocks(file, std::max<std::size_t>(read_bytes, 1), on_bytes);
  run_blocks([&](Block& b) { return blocks.next(b); }, file.size(), prepare, take);
}

}  // namespace imaxbench
