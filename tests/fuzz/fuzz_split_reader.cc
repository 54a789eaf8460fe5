// Fuzzes the split reader (data/split_reader.h) on arbitrary split files, image checks off.
// The suite task is the first task name written in the input (so seeds are plain split files);
// each input is read leniently and then with --strict. Only imaxbench::Error may come out, and
// every message (invalid records, the error) must be one line of UTF-8.
#include <cstddef>
#include <cstdint>

#include "fuzz_split_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static imaxbench::fuzz::MemFile file("split.jsonl");
  imaxbench::fuzz::read_split_both_ways(file.write(data, size), imaxbench::fuzz::as_view(data, size), false);
  return 0;
}
