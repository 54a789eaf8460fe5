// Fuzzes the importers' CSV reader (core/csv.h) on arbitrary text: it either parses, with every row
// as wide as the header and line numbers that only grow, or throws DataError; nothing else; and
// the text with CRLF or CR for its LFs reads the same. The
// same text as a CheXmask run-length mask (harness/import_chexmask.h): an extent inside the grid,
// or a problem named; never a throw. And as one CSV field read as a number (harness/import_common.h):
// finite when read; and as a VinDr-CXR finding name made a phrase.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/csv.h"
#include "core/error.h"
#include "harness/import_chexmask.h"
#include "harness/import_common.h"
#include "harness/import_vindr.h"
#include "fuzz_support.h"
#include "tests/line_ends.h"

namespace {

// The table as text, or the error: what must not depend on the line ends.
std::string read_as_text(std::string_view text) {
  try {
    const imaxbench::CsvTable t = imaxbench::parse_csv(text, "fuzz.csv");
    std::string out;
    std::size_t last = 0;
    for (const auto& row : t.rows) {
      if (row.fields.size() != t.header.size() || row.line <= last) {
        std::fprintf(stderr, "a row of the wrong width, or out of line order\n");
        std::abort();
      }
      last = row.line;
      out += std::to_string(row.line) + ":";
      for (const auto& f : row.fields) out += std::to_string(f.size()) + "=" + f + ",";
    }
    return out;
  } catch (const imaxbench::DataError& e) {
    return std::string("error ") + e.what();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = imaxbench::fuzz::as_view(data, size);
  const std::string lf = read_as_text(text);
  // Lines end in LF, CRLF or a lone CR alike (core/csv.h): the same text with its LFs made either
  // reads the same rows, fields and line numbers, or fails at the same line.
  if (text.find('\r') == std::string_view::npos)
    for (const std::string_view end : {std::string_view("\r\n"), std::string_view("\r")}) {
      if (read_as_text(imaxbench::line_ends::with_line_ends(text, end)) != lf) {
        std::fprintf(stderr, "the text reads otherwise with %s line ends\n", end.size() == 2 ? "CRLF" : "CR");
        std::abort();
      }
    }
  std::string problem;
  if (const auto e = imaxbench::rle_column_extent(imaxbench::fuzz::as_view(data, size), 64, 48, problem)) {
    if (e->left < 0 || e->right >= 48 || e->left > e->right) {
      std::fprintf(stderr, "a mask extent outside the grid\n");
      std::abort();
    }
  } else if (problem.empty()) {
    std::fprintf(stderr, "no extent and no problem\n");
    std::abort();
  }
  const std::string field(imaxbench::fuzz::as_view(data, size));
  if (const auto v = imaxbench::field_number(field); v && !std::isfinite(*v)) {
    std::fprintf(stderr, "a number that is not finite\n");
    std::abort();
  }
  (void)imaxbench::vindr_phrase(field);
  return 0;
}
