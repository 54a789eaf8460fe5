// Fuzzes the importers' CSV reader (core/csv.h) on arbitrary text: it either parses, with every row
// as wide as the header and line numbers that only grow, or throws DataError; nothing else.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "core/csv.h"
#include "core/error.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const imaxbench::CsvTable t = imaxbench::parse_csv(imaxbench::fuzz::as_view(data, size), "fuzz.csv");
    std::size_t last = 0;
    for (const auto& row : t.rows) {
      if (row.fields.size() != t.header.size() || row.line <= last) {
        std::fprintf(stderr, "a row of the wrong width, or out of line order\n");
        std::abort();
      }
      last = row.line;
    }
  } catch (const imaxbench::DataError&) {
  }
  return 0;
}
