#include "harness/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/json_document.h"
#include "core/jsonl.h"
#include "core/text_lines.h"
#include "core/regular_file.h"
#include "core/error.h"

namespace imaxbench {

std::string journal_line(const JournalEntry& e) {
  const Response& r = e.response;
  nlohmann::json j = {
      {"id", e.id},
      {"task", e.task},
      {"index", e.index},
      {"prompt", e.prompt},
      {"prediction", r.text},
      {"error", r.error.empty() ? nlohmann::json() : nlohmann::json(r.error)},
      {"latency_ms", r.latency_ms},
      {"input_tokens", r.input_tokens},
      {"output_tokens", r.output_tokens},
      {"stages", {{"image_decode_ms", r.stages.image_decode_ms},
                  {"preprocess_ms", r.stages.preprocess_ms},
                  {"vision_ms", r.stages.vision_ms},
                  {"prefill_ms", r.stages.prefill_ms},
                  {"decode_ms", r.stages.decode_ms}}}};
  if (r.ttft_ms > 0) j["ttft_ms"] = r.ttft_ms;
  // Invalid UTF-8 from a model must not abort the run: replace it, keep the rest of the answer.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

JournalWriter::JournalWriter(std::string path, bool fsync) : path_(std::move(path)), fsync_(fsync) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw Error(path_ + ": cannot open the journal for appending: " + std::strerror(errno));
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void JournalWriter::append(const std::string& lines) {
  const char* p = lines.data();
  std::size_t left = lines.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw Error(path_ + ": journal write failed (" + std::strerror(errno) +
                  "); what was written is kept, --resume continues from it");
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (fsync_ && ::fsync(fd_) != 0)
    throw Error(path_ + ": fsync of the journal failed: " + std::strerror(errno));
}

std::string journal_for_merge(std::string text) {
  // Shards joined one after the other: a byte-order mark would sit inside the merged file, where
  // no reader drops it.
  if (text.starts_with(kUtf8Bom)) text.erase(0, kUtf8Bom.size());
  const std::size_t begin = unterminated_last_line(text).begin;
  if (begin == text.size()) return text;
  JsonProblem problem;
  if (text.find_first_not_of(" \t", begin) == std::string::npos || !parse_json(std::string_view(text).substr(begin), problem))
    text.resize(begin);  // blank, or torn: read_answers drops a torn last line, so the journal does too
  else
    text.push_back('\n');  // a whole line that lacked its end: read_answers keeps it
  return text;
}

JournalState recover_journal(const std::string& path) {
  namespace fs = std::filesystem;
  JournalState state;
  std::error_code ec;
  if (!fs::exists(path, ec)) return state;
  std::string text = read_regular_file(path, "the journal");
  // Lines end as the readers end them (LF, CRLF or a lone CR): a journal saved with CR line ends
  // was taken for one torn line and cut to nothing.
  if (const UnterminatedLine torn = unterminated_last_line(text); torn.begin < text.size()) {
    const std::size_t keep = torn.begin, line = torn.lines_before + 1;
    fs::resize_file(path, keep, ec);
    if (ec) throw Error(path + ": cannot drop the torn last line: " + ec.message());
    state.note = path + ":" + std::to_string(line) + ": dropped a torn last line (" +
                 std::to_string(text.size() - keep) +
                 " bytes, the batch in flight when the run stopped); its samples run again";
    text.resize(keep);
  }
  for_each_jsonl_line(text, [&](JsonlLine& l) {
    std::string id = record_id_for_message(l.value);
    if (!l.problem.empty()) throw DataError(path, l.line, id, l.problem);
    if (id.empty()) throw DataError(path, l.line, "", "journal line has no string 'id'");
    if (!state.answered.insert(id).second)
      throw DataError(path, l.line, id, "id journaled twice; the journal was edited or mixed");
    ++state.lines;
    auto err = l.value.find("error");
    state.failed += err != l.value.end() && err->is_string() && !err->get<std::string>().empty();
  });
  return state;
}

}  // namespace imaxbench
