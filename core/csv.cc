#include "core/csv.h"

#include "core/error.h"
#include "core/excerpt.h"
#include "core/regular_file.h"
#include "core/text_lines.h"

namespace imaxbench {

std::size_t CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  std::string have;
  for (const std::string& h : header) have += (have.empty() ? "" : ", ") + excerpt(h);
  throw Error(path + ": no column '" + std::string(name) + "' (the header has: " + have + ")");
}

bool CsvTable::has_column(std::string_view name) const {
  for (const std::string& h : header)
    if (h == name) return true;
  return false;
}

CsvTable parse_csv(std::string_view text, const std::string& path) {
  CsvTable t;
  t.path = path;
  text = without_bom(text);
  std::size_t i = 0, line = 1;
  while (i < text.size()) {
    CsvTable::Row row;
    row.line = line;
    std::string field;
    bool quoted = false, row_done = false;
    while (!row_done) {
      if (i < text.size() && text[i] == '"' && field.empty() && !quoted) {
        // A quoted field: up to the closing quote, "" standing for one quote.
        quoted = true;
        const std::size_t start_line = line;
        for (++i;; ++i) {
          if (i >= text.size())
            throw DataError(path, start_line, "", "a quoted field never closes (a \" is missing)");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              ++i;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\r' || text[i] == '\n') {  // a line break: LF in the field, whatever the file's
            if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            ++line;
            field += '\n';
            continue;
          }
          field += text[i];
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          throw DataError(path, line, "", "text after a closing quote (a field is \"...\" and nothing else)");
        continue;
      }
      if (i >= text.size() || text[i] == '\n' || text[i] == '\r') {
        row.fields.push_back(std::move(field));
        if (i < text.size()) i += text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1;
        ++line;
        row_done = true;
      } else if (text[i] == ',') {
        row.fields.push_back(std::move(field));
        field.clear();
        quoted = false;
        ++i;
      } else {
        if (text[i] == '"') throw DataError(path, line, "", "a quote inside an unquoted field (quote the whole field)");
        field += text[i++];
      }
    }
    if (row.fields.size() == 1 && row.fields[0].empty() && !quoted) continue;  // a blank line
    if (t.header.empty()) {
      t.header = std::move(row.fields);
      continue;
    }
    if (row.fields.size() != t.header.size())
      throw DataError(path, row.line, "",
                      "has " + std::to_string(row.fields.size()) + " fields, the header " +
                          std::to_string(t.header.size()));
    t.rows.push_back(std::move(row));
  }
  if (t.header.empty()) throw DataError(path, 1, "", "no header row (a CSV file starts with its column names)");
  return t;
}

CsvTable read_csv(const std::string& path) { return parse_csv(read_regular_file(path, "CSV file"), path); }

}  // namespace imaxbench
