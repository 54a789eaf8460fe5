// Fuzzes the predictions/journal answers reader (core/answers.h): each input is read leniently
// and with --strict. Only imaxbench::Error may come out, and every message (problems, the error)
// must be one line of UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "core/answers.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static imaxbench::fuzz::MemFile file("predictions.jsonl");
  const std::string& path = file.write(data, size);
  for (bool strict : {false, true}) {
    try {
      const imaxbench::AnswerSet answers = imaxbench::read_answers(path, strict);
      for (const auto& problem : answers.problems) imaxbench::fuzz::check_message(problem, "read_answers");
    } catch (const imaxbench::Error& e) {
      imaxbench::fuzz::check_message(e.what(), "read_answers (strict)");
    }
  }
  return 0;
}
