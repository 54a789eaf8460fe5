// Fuzzes the OpenAI response readers (backends/openai_protocol.h) on arbitrary bodies: a
// non-streamed response (parse_chat_response), a server error body (server_error_message, which
// must come back as one line), and the body cut at newlines into stream chunks
// (apply_stream_chunk), then redact(). The request side too: the first line as a --header (refused
// with UsageError, or a header with no line break or NUL anywhere: no header injection) and the
// body as an --extra-body (refused with UsageError, or merged into a body that serialises).
// The response readers parse untrusted network input: nothing may throw.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "backends/openai_protocol.h"
#include "core/error.h"
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

  const std::string first_line(body.substr(0, body.find('\n')));
  try {
    const imaxbench::ExtraHeader h = imaxbench::parse_extra_header(first_line);
    const std::string line = h.name + ": " + h.value;
    if (line.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
      std::fprintf(stderr, "an accepted --header holds a line break or NUL\n");
      std::abort();
    }
  } catch (const imaxbench::UsageError&) {
  }
  imaxbench::ChatSettings settings;
  settings.extra_body = nlohmann::json::parse(body, nullptr, false);
  settings.system_prompt = first_line;
  if (!settings.extra_body.is_discarded()) {
    try {
      imaxbench::check_chat_settings(settings);
      const std::string dumped = imaxbench::chat_request_body("m", "q", "u", settings, true).dump();
      (void)dumped;
    } catch (const imaxbench::UsageError&) {
    }
  }
  return 0;
}
