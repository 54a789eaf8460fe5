// A small CSV reader (RFC 4180) for the importers: fields separated by commas, a field in double
// quotes may hold commas, line breaks (kept as LF) and "" for a quote; lines end in LF, CRLF or a
// lone CR, as for the JSONL readers, so a file reads the same whatever its line ends. Every row knows
// its line number (of the line it starts on) for messages. A quote that never closes, or text after
// a closing quote, is an error naming the line; a header names the columns and each row must have
// as many fields.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace imaxbench {

struct CsvTable {
  std::string path;
  std::vector<std::string> header;
  struct Row {
    std::size_t line = 0;
    std::vector<std::string> fields;
  };
  std::vector<Row> rows;

  // The column's index; throws Error naming the file and the columns it has when there is none.
  std::size_t column(std::string_view name) const;
  bool has_column(std::string_view name) const;
  // "PATH:LINE" of a row, for messages.
  std::string where(const Row& row) const { return path + ":" + std::to_string(row.line); }
};

// Parses CSV text (`path` only names it in messages). Throws DataError for malformed text, naming
// the line; a UTF-8 byte-order mark is dropped; blank lines are skipped.
CsvTable parse_csv(std::string_view text, const std::string& path);
// Reads a regular file (core/regular_file.h) and parses it.
CsvTable read_csv(const std::string& path);

}  // namespace imaxbench
