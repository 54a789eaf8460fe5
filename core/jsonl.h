// Line-numbered JSONL reading. Every record a caller sees knows its file and line; a line that is
// not JSON becomes a message naming both. A last line without a newline that fails to parse is a
// torn write (a killed run) and is reported as such rather than as corrupt data.
#pragma once

#include <any>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace imaxbench {

struct JsonlLine {
  std::size_t line = 0;    // 1-based
  nlohmann::json value;    // an object when ok
  std::string problem;     // non-empty: what is wrong with this line
  bool torn = false;       // the unterminated last line did not parse
  std::any prepared;       // what a two-step reader's `prepare` made of the line
};

// Calls `on_line` for every non-blank line, in order; lines end in LF, CRLF or CR. Throws Error
// when the file cannot be read or is not a regular file (a FIFO or device is refused, not read).
void read_jsonl(const std::string& path, const std::function<void(JsonlLine&)>& on_line);
// The same over a file's content already in memory. A file of 1 MiB or more is parsed in blocks of
// lines on all threads; `on_line` still sees the lines in order, one call at a time.
void for_each_jsonl_line(std::string_view data, const std::function<void(JsonlLine&)>& on_line);
// In two steps: `prepare` runs on any thread, on lines of one block after another (it must be safe
// to call concurrently); `take` then gets each line, in order, one call at a time. What `prepare`
// works out travels in the line's `prepared`.
void for_each_jsonl_line(std::string_view data, const std::function<void(JsonlLine&)>& prepare,
                         const std::function<void(JsonlLine&)>& take);

// The same over a file, read as it goes and never whole: blocks of whole lines, `read_bytes` at a
// time, are cut, parsed (on all threads for a file of 1 MiB or more) and taken in order, with the
// lines, numbers and messages for_each_jsonl_line gives for the file's content. `on_bytes` (may be
// empty) sees every byte of the file, in order, as it is read (for its hash). Throws Error as
// read_jsonl does.
void read_jsonl_streamed(const std::string& path, std::string_view what, const std::function<void(JsonlLine&)>& prepare,
                         const std::function<void(JsonlLine&)>& take,
                         const std::function<void(std::string_view)>& on_bytes = {},
                         std::size_t read_bytes = std::size_t{256} << 10);

// The "id" of a record if it has a string one, for messages; empty otherwise.
std::string record_id_for_message(const nlohmann::json& record);

}  // namespace imaxbench
