#include "backends/sse_parser.h"

namespace imaxbench {

bool SseParser::feed(std::string_view bytes, std::vector<SseEvent>& out) {
  if (overflow_) return false;
  std::size_t i = 0;
  if (after_cr_ && !bytes.empty() && bytes[0] == '\n') i = 1;  // CRLF split across two pieces
  after_cr_ = false;
  while (i < bytes.size()) {
    const std::size_t end = bytes.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      partial_.append(bytes.substr(i));
      if (partial_.size() > max_) overflow_ = true;
      break;
    }
    if (partial_.empty()) {
      line(bytes.substr(i, end - i), out);
    } else {
      partial_.append(bytes.substr(i, end - i));
      line(partial_, out);
      partial_.clear();
    }
    if (overflow_) break;
    i = end + 1;
    if (bytes[end] == '\r') {
      if (i < bytes.size() && bytes[i] == '\n')
        ++i;
      else if (i == bytes.size())
        after_cr_ = true;
    }
  }
  if (overflow_) {  // free what was held; the stream is abandoned
    partial_ = std::string();
    pending_ = SseEvent{};
    has_data_ = false;
    return false;
  }
  return true;
}

void SseParser::finish(std::vector<SseEvent>& out) {
  if (overflow_) return;
  if (!partial_.empty()) {
    std::string last;
    last.swap(partial_);
    line(last, out);
    if (overflow_) return;
  }
  dispatch(out);
}

void SseParser::line(std::string_view l, std::vector<SseEvent>& out) {
  if (l.empty()) {
    dispatch(out);
    return;
  }
  if (l[0] == ':') return;  // comment
  std::string_view field = l, value;
  if (const auto colon = l.find(':'); colon != std::string_view::npos) {
    field = l.substr(0, colon);
    value = l.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (pending_.data.size() + (has_data_ ? 1 : 0) + value.size() > max_) {
      overflow_ = true;
      return;
    }
    if (has_data_) pending_.data += '\n';
    pending_.data.append(value);
    has_data_ = true;
  } else if (field == "event") {
    pending_.event.assign(value);
  }
  // `id` and `retry` serve reconnection, which a completion stream never does; others are ignored.
}

void SseParser::dispatch(std::vector<SseEvent>& out) {
  if (has_data_) out.push_back(std::move(pending_));
  pending_ = SseEvent{};
  has_data_ = false;
}

}  // namespace imaxbench
