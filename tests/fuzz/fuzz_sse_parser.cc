// Fuzzes the server-sent-events parser (backends/sse_parser.h). The first input byte seeds how the
// rest, a byte stream, is cut into pieces (1 to 32 bytes each). Checked: the events do not depend
// on the cutting (the stream fed whole, then in pieces, then byte by byte, gives the same events),
// as the parser promises for bytes arriving from a socket. A parser with a 16-byte line cap runs
// on the same pieces for the overflow path, and every event's data goes through the OpenAI stream
// chunk reader (backends/openai_protocol.h) as the backend does.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "backends/openai_protocol.h"
#include "backends/sse_parser.h"
#include "fuzz_support.h"

namespace {

bool same(const std::vector<imaxbench::SseEvent>& a, const std::vector<imaxbench::SseEvent>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].event != b[i].event || a[i].data != b[i].data) return false;
  return true;
}

template <class Cut>
std::vector<imaxbench::SseEvent> parse(std::string_view stream, Cut next_size, std::size_t max_line) {
  imaxbench::SseParser parser(max_line);
  std::vector<imaxbench::SseEvent> events;
  for (std::size_t i = 0, k = 0; i < stream.size(); ++k) {
    const std::size_t n = std::min(next_size(k), stream.size() - i);
    parser.feed(stream.substr(i, n), events);
    i += n;
  }
  parser.finish(events);
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const unsigned seed = imaxbench::fuzz::take_byte(data, size);
  const std::string_view stream = imaxbench::fuzz::as_view(data, size);
  const std::size_t big = std::size_t{64} << 20;
  auto pieces = [seed](std::size_t k) { return 1 + (seed * 2654435761u * (k + 1) >> 7) % 32; };

  const auto whole = parse(stream, [&](std::size_t) { return stream.size(); }, big);
  const auto cut = parse(stream, pieces, big);
  const auto bytes = parse(stream, [](std::size_t) { return std::size_t{1}; }, big);
  if (!same(whole, cut) || !same(whole, bytes)) {
    std::fprintf(stderr, "SSE events depend on how the stream is cut: whole %zu, pieces %zu, bytes %zu\n",
                 whole.size(), cut.size(), bytes.size());
    std::abort();
  }
  const auto capped = parse(stream, pieces, 16);
  (void)capped;

  imaxbench::ChatResult r;
  for (const imaxbench::SseEvent& e : whole) imaxbench::apply_stream_chunk(e.data, r);
  return 0;
}
