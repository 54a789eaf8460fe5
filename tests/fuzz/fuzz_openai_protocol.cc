// Fuzzes the OpenAI response readers (backends/openai_protocol.h) on arbitrary bodies: a
// non-streamed response (parse_chat_response), a server error body (server_error_message, which
// must come back as one line), and the body cut at newlines into stream chunks
// (apply_stream_chunk), then redact().
// These parse untrusted network input: nothing may throw.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "backends/openai_protocol.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = imaxbench::fuzz::as_view(data, size);
  const imaxbench::ChatResult full = imaxbench::parse_chat_response(body);
  (void)full;

  const std::string message = imaxbench::server_error_message(body);
  if (message.find('\n') != std::string::npos) {
    std::fprintf(stderr, "server_error_message is not one line\n");
    std::abort();
  }

  imaxbench::ChatResult streamed;
  for (std::size_t begin = 0; begin <= body.size();) {
    std::size_t end = body.find('\n', begin);
    if (end == std::string_view::npos) end = body.size();
    imaxbench::apply_stream_chunk(body.substr(begin, end - begin), streamed);
    begin = end + 1;
  }
  const std::string redacted = imaxbench::redact(std::string(body), body.substr(0, body.size() / 4));
  (void)redacted;
  return 0;
}
