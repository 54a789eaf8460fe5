// Fuzzes the split reader (harness/split_reader.h) on arbitrary split files, image checks off.
// The suite task is the first task name written in the input (so seeds are plain split files);
// each input is read leniently and then with --strict. Only imaxbench::Error may come out, and
// every message (invalid records, the error) must be one line of UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "harness/split_reader.h"
#include "tasks/error.h"
#include "tasks/task.h"

namespace {

std::string task_named_first(std::string_view text) {
  std::string best = "calculation";
  std::size_t best_at = std::string_view::npos;
  for (const imaxbench::Task* t : imaxbench::all_tasks()) {
    std::string quoted = "\"" + std::string(t->name()) + "\"";
    std::size_t at = text.find(quoted);
    if (at < best_at) {
      best_at = at;
      best = std::string(t->name());
    }
  }
  return best;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static imaxbench::fuzz::MemFile file("split.jsonl");
  const std::string& path = file.write(data, size);
  const std::string task = task_named_first(imaxbench::fuzz::as_view(data, size));
  for (bool strict : {false, true}) {
    imaxbench::SplitOptions options;
    options.strict = strict;
    options.check_images = false;
    try {
      const imaxbench::SplitData split = imaxbench::read_split(path, task, options);
      for (const auto& bad : split.invalid) imaxbench::fuzz::check_message(bad.message, "read_split");
    } catch (const imaxbench::Error& e) {
      imaxbench::fuzz::check_message(e.what(), "read_split (strict)");
    }
  }
  return 0;
}
