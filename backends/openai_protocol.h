// The OpenAI chat-completions wire format as the openai backend speaks it, kept apart from the
// transport so it is tested without a server: request bodies, streamed chunks, responses, server
// error bodies (OpenAI, vLLM, TGI and FastAPI shapes), retry delays and redaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/url_display.h"  // url_for_display, for messages

namespace imaxbench {

// ENDPOINT/chat/completions and ENDPOINT/models from a base URL such as http://host:8000/v1. A URL
// that already ends in /chat/completions is taken as the completions URL.
std::string chat_completions_url(std::string_view endpoint);
std::string models_url(std::string_view endpoint);

// What a user sets about each request besides the prompt and the image (--temperature, --top-p,
// --sampling-seed, --max-new-tokens, --system-prompt, --extra-body).
struct ChatSettings {
  double temperature = 0;             // greedy by default: answers a rerun reproduces
  std::optional<double> top_p;        // sent only when set
  std::optional<std::int64_t> seed;   // sent only when set
  int max_tokens = 0;                 // sent only when > 0
  std::string system_prompt;          // a system message before the user's, when not empty
  nlohmann::json extra_body = nlohmann::json::object();  // merged into the body last
};

// Throws UsageError for settings no server can take: temperature < 0, top_p outside (0, 1],
// max_tokens < 0, an --extra-body that is not an object or that sets what imaxbench owns
// ("model": use --model-id; "messages", "stream", "stream_options": the answer's parsing needs them).
void check_chat_settings(const ChatSettings& s);

// {"model", "messages": [system (when set), user: image_url part, text part], "temperature",
// "top_p" and "seed" (when set), "max_tokens" (when > 0), "stream", "stream_options":
// {"include_usage": true} (streaming only)}, then each key of extra_body set over the body.
nlohmann::json chat_request_body(const std::string& model, const std::string& prompt,
                                 const std::string& image_data_url, const ChatSettings& settings, bool stream);

// A header every request carries (--header NAME:VALUE). A VALUE of the form ${VAR} is read from the
// environment variable VAR at request time, never stored, and redacted like the API key.
struct ExtraHeader {
  std::string name;
  std::string value;  // literal; empty when from_env is set
  std::string from_env;
};

// Parses NAME:VALUE (spaces around VALUE trimmed). Throws UsageError for a name that is not an
// HTTP token, a value holding CR, LF or NUL, or a header curl or imaxbench sets itself
// (Content-Type, Content-Length, Host, Transfer-Encoding, X-Imaxbench-Sample-Id).
ExtraHeader parse_extra_header(const std::string& text);

// How the manifest shows a header: ${VAR} for one from the environment, [REDACTED] for a literal
// value under a name that carries secrets (Authorization, Cookie, or holding "key", "token",
// "secret" or "password"), else the value.
std::string header_for_manifest(const ExtraHeader& h);

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
