// Incremental parser for server-sent events (WHATWG HTML §9.2 "event stream interpretation"),
// the framing of OpenAI-style streaming responses: `data: {json}` lines, events ended by a blank
// line, `:` comment lines (keep-alives). Bytes arrive in arbitrary pieces from the socket; the
// parser keeps the partial line between calls, including a CR whose LF is in the next piece.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

struct SseEvent {
  std::string event;  // the `event:` field; empty means "message"
  std::string data;   // `data:` lines joined by '\n'
};

class SseParser {
 public:
  explicit SseParser(std::size_t max_bytes = 64u << 20) : max_(max_bytes) {}

  // Appends every event completed by `bytes` to `out`. Returns false (and ignores the rest of the
  // stream) once a line, or the data of one event, grows past max_bytes: a stream that is not SSE,
  // or an event that never ends, must not eat memory.
  bool feed(std::string_view bytes, std::vector<SseEvent>& out);
  // End of stream. The spec drops an event whose blank line never came; servers that close the
  // connection right after their last `data:` line are common enough that it is dispatched.
  void finish(std::vector<SseEvent>& out);
  bool overflowed() const { return overflow_; }

 private:
  void line(std::string_view l, std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);

  std::size_t max_;
  std::string partial_;
  bool after_cr_ = false;  // the previous piece ended in CR: a leading LF belongs to that line end
  bool overflow_ = false;
  bool has_data_ = false;
  SseEvent pending_;
};

}  // namespace imaxbench
