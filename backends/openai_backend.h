// `openai`: a model behind an OpenAI-compatible /v1/chat/completions server (vLLM, SGLang, TGI,
// llama.cpp server, ...), over libcurl. Each request carries the image as a base64 data URL and
// the prompt, at temperature 0 unless set otherwise; requests run concurrently up to a limit, each with a timeout and
// retries with backoff on 429, 5xx, dropped connections and 200s that are not the protocol.
// Streaming measures time to first token. Answers, streamed or not, are capped in size. The API
// key is read from an environment variable at request time and appears in nothing the backend
// returns: no answer, message, manifest or result. docs/openai-backend.md is the user's guide.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/image_data_url.h"
#include "backends/openai_protocol.h"

namespace imaxbench {

class HttpClient;

struct OpenAIConfig {
  std::string endpoint;     // base URL, e.g. http://localhost:8000/v1
  std::string model;        // the served model name
  std::string api_key_env;  // environment variable holding the key; empty: no Authorization
  int concurrency = 4;
  ChatSettings chat;        // temperature, top_p, seed, max_tokens, system prompt, extra body
  std::vector<ExtraHeader> headers;  // sent with every request, after imaxbench's own
  DataUrlOptions image;     // down-scaling and format of the images sent
  double timeout_s = 300;
  int retries = 3;
  bool stream = true;
  std::size_t max_answer_bytes = 64u << 20;  // a longer answer fails its sample, streamed or not
  double backoff_base_s = 0.5, backoff_max_s = 30;
  bool preflight = true;    // GET ENDPOINT/models once at construction (reachability, key)
};

class OpenAIBackend : public Backend {
 public:
  // Throws UsageError for bad settings or an unset key variable, Error when the server cannot
  // be reached or refuses the key (preflight).
  explicit OpenAIBackend(OpenAIConfig config);
  ~OpenAIBackend() override;

  std::string name() const override { return "openai"; }
  std::string device() const override { return "remote"; }
  std::vector<std::pair<std::string, std::string>> manifest() const override;
  // The batch's requests run on up to `concurrency` threads; responses come back in order.
  std::vector<Response> infer(std::span<const Request> batch) override;

  // One request, from any thread; blocks while `concurrency` requests are already in flight (the
  // limit holds across threads, e.g. an open-loop load generator). Never throws: failures are
  // Response::error. latency_ms and ttft_ms count from the moment a slot is free, retries and
  // their waits included; reading and encoding the image is stages.preprocess_ms. The key is
  // redacted from the text and the error here, the one exit of every answer.
  Response complete(const Request& request);

 private:
  struct Attempt;
  Attempt attempt(HttpClient& client, const std::string& body, const std::vector<std::string>& headers,
                  double t0_ms, const std::string& key) const;
  Attempt attempt_stream(HttpClient& client, const std::string& body, const std::vector<std::string>& headers,
                         double t0_ms, const std::string& key) const;
  Response complete_unchecked(const Request& request, const std::string& key,
                              const std::vector<std::string>& extra_headers);
  void preflight() const;
  std::string key() const;  // "" when no variable is named
  // The extra headers' lines with values from the environment read now, and those values (to
  // redact); an unset variable is `missing`.
  std::vector<std::string> extra_header_lines(std::vector<std::string>& secrets, std::string& missing) const;
  std::unique_ptr<HttpClient> take_client();
  void give_back(std::unique_ptr<HttpClient> client);

  OpenAIConfig config_;
  std::string url_, display_url_;
  DataUrlCache images_;
  std::mutex mu_;
  std::condition_variable slot_free_;
  int in_flight_ = 0;
  std::vector<std::unique_ptr<HttpClient>> idle_;  // easy handles with their warm connections
};

}  // namespace imaxbench
