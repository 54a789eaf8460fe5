// The OpenAI chat-completions wire format as the openai backend speaks it, kept apart from the
// transport so it is tested without a server: request bodies, streamed chunks, responses, server
// error bodies (OpenAI, vLLM, TGI and FastAPI shapes), retry delays and redaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/url_display.h"  // url_for_display, for messages

namespace imaxbench {

// ENDPOINT/chat/completions and ENDPOINT/models from a base URL such as http://host:8000/v1. A URL
// that already ends in /chat/completions is taken as the completions URL.
std::string chat_completions_url(std::string_view endpoint);
std::string models_url(std::string_view endpoint);

// {"model", "messages": [user: image_url part, text part], "temperature": 0, "max_tokens" (only
// when > 0), "stream", "stream_options": {"include_usage": true} (streaming only)}.
nlohmann::json chat_request_body(const std::string& model, const std::string& prompt,
                                 const std::string& image_data_url, int max_tokens, bool stream);

// What came back for one request, streamed or not.
struct ChatResult {
  std::string text;
  std::string error;               // non-empty: the server reported an error, or the body is not a completion
  bool malformed = false;          // the error is a body that is not the protocol (worth a retry),
                                   // not an error the server reported
  std::int64_t prompt_tokens = -1;      // usage.prompt_tokens; -1 when the server sent no usage
  std::int64_t completion_tokens = -1;  // usage.completion_tokens; -1 likewise
  std::int64_t content_deltas = 0;      // streamed chunks with non-empty content
  std::int64_t chunks = 0;              // streamed JSON chunks
  bool has_choice = false;         // a chunk carried choices[0]
  std::string finish_reason;
  bool done = false;               // `data: [DONE]` seen (streaming)
};

// Applies one SSE `data:` payload. Returns true when it carried the first non-empty content
// (the moment time-to-first-token is taken).
bool apply_stream_chunk(std::string_view data, ChatResult& r);

// After the last chunk of a stream that ended without a transport error: a stream that held no
// chunk at all (an HTML page, an empty or garbage body), no choice, or that stopped before its
// finish_reason or [DONE] (cut short) is not an answer. `head`, the body's first bytes, goes into
// the message. An empty answer with a finish_reason is an answer.
void finish_stream(ChatResult& r, std::string_view head);

// Parses a non-streamed response body.
ChatResult parse_chat_response(std::string_view body);

// The message of a non-2xx body: error.message, message, error (string) or detail, else the body
// itself, one line, at most 500 characters.
std::string server_error_message(std::string_view body);

// Every occurrence of `secret` replaced by "[REDACTED]" (nothing when secret is empty).
std::string redact(std::string text, std::string_view secret);

// Seconds before retry number `attempt` (0-based): base * 2^attempt capped at max, times a jitter
// factor in [0.5, 1) drawn from `seed` and `attempt` (so a run's waits are reproducible). A
// Retry-After the server sent (retry_after_s >= 0) wins, capped at kMaxRetryAfterS.
constexpr double kMaxRetryAfterS = 120;
double retry_delay_s(int attempt, double base_s, double max_s, double retry_after_s, std::uint64_t seed);

// FNV-1a of a string: the jitter seed of a sample id, stable across runs and platforms.
std::uint64_t stable_hash(std::string_view s);

}  // namespace imaxbench
