// Fuzzes the suite reader (data/suite.h load_suite), then task selection on what loaded. Only
// imaxbench::Error may come out, with a message of one line of UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "data/suite.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static imaxbench::fuzz::MemFile file("suite.json");
  const std::string& path = file.write(data, size);
  try {
    imaxbench::Suite suite = imaxbench::load_suite(path);
    if (!suite.tasks.empty()) imaxbench::select_tasks(suite, suite.tasks.front().task + ",vqa");
  } catch (const imaxbench::Error& e) {
    imaxbench::fuzz::check_message(e.what(), "load_suite");
  }
  return 0;
}
