// Fuzzes the run journal (harness/journal.h): recover_journal on arbitrary files (it also cuts a
// torn last line off the file), and the round trip journal_line -> recover_journal for an entry
// made of the input (id = first line, prediction = the rest), which must read back as one answered
// sample whatever bytes the model produced. Only imaxbench::Error may come out of the first part.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "harness/journal.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static imaxbench::fuzz::MemFile file("samples.jsonl");
  const std::string& path = file.write(data, size);
  try {
    const imaxbench::JournalState state = imaxbench::recover_journal(path);
    if (!state.note.empty()) imaxbench::fuzz::check_message(state.note, "recover_journal note");
  } catch (const imaxbench::Error& e) {
    imaxbench::fuzz::check_message(e.what(), "recover_journal");
  }

  const std::string_view text = imaxbench::fuzz::as_view(data, size);
  const std::size_t nl = text.find('\n');
  imaxbench::JournalEntry entry;
  entry.id = std::string(text.substr(0, nl));
  if (entry.id.empty()) return 0;
  entry.task = "vqa";
  entry.prompt = "Is there a pleural effusion?";
  if (nl != std::string_view::npos) entry.response.text = std::string(text.substr(nl + 1));
  const std::string line = imaxbench::journal_line(entry);
  file.write(reinterpret_cast<const std::uint8_t*>(line.data()), line.size());
  imaxbench::JournalState state;
  try {
    state = imaxbench::recover_journal(path);
  } catch (const imaxbench::Error& e) {
    std::fprintf(stderr, "journal_line wrote a line recover_journal refuses: %s\n", e.what());
    std::abort();
  }
  if (state.lines != 1 || state.answered.size() != 1) {
    std::fprintf(stderr, "journal round trip: %zu lines, %zu ids\n", state.lines, state.answered.size());
    std::abort();
  }
  return 0;
}
