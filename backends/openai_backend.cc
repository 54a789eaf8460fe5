#include "backends/openai_backend.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "backends/backend_factories.h"
#include "backends/http_client.h"
#include "backends/openai_protocol.h"
#include "backends/sse_parser.h"
#include "tasks/error.h"

namespace imaxbench {

namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A sample id goes into a header only when it cannot break the header line.
bool header_safe(const std::string& s) {
  return !s.empty() && s.size() <= 200 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

std::string fmt_s(double s) {
  std::string t = std::to_string(s);
  t.erase(t.find_last_not_of('0') + 1);
  if (!t.empty() && t.back() == '.') t.pop_back();
  return t;
}

constexpr std::size_t kRawKeep = 1u << 20;  // streamed bytes kept in case the server did not stream

}  // namespace

struct OpenAIBackend::Attempt {
  HttpResponse http;
  ChatResult chat;
  double ttft_ms = 0;
};

OpenAIBackend::OpenAIBackend(OpenAIConfig c) : config_(std::move(c)) {
  const auto& e = config_.endpoint;
  if (e.empty())
    throw UsageError("backend openai needs --endpoint URL: the server's base URL, e.g. http://localhost:8000/v1");
  if (!e.starts_with("http://") && !e.starts_with("https://"))
    throw UsageError("--endpoint must start with http:// or https:// (got '" + url_for_display(e) + "')");
  if (config_.model.empty())
    throw UsageError("backend openai needs --model NAME: the name the server serves the model under "
                     "(GET " + url_for_display(models_url(e)) + " lists them)");
  if (config_.concurrency < 1) throw UsageError("--concurrency must be >= 1");
  if (!(config_.timeout_s > 0)) throw UsageError("--timeout-s must be > 0");
  if (config_.retries < 0) throw UsageError("--retries must be >= 0");
  if (config_.max_new_tokens < 0) throw UsageError("--max-new-tokens must be >= 0");
  if (!config_.api_key_env.empty()) {
    const char* v = std::getenv(config_.api_key_env.c_str());
    if (!v || !*v)
      throw UsageError("--api-key-env " + config_.api_key_env + ": that environment variable is not set or "
                       "empty; export it with the server's API key (the key itself never goes on the command line)");
  }
  url_ = chat_completions_url(e);
  display_url_ = url_for_display(url_);
  if (config_.preflight) preflight();
}

OpenAIBackend::~OpenAIBackend() = default;

std::string OpenAIBackend::key() const {
  if (config_.api_key_env.empty()) return "";
  const char* v = std::getenv(config_.api_key_env.c_str());
  return v ? v : "";
}

std::vector<std::pair<std::string, std::string>> OpenAIBackend::manifest() const {
  // Identity of the answers only: timeouts, retries and concurrency change no answer.
  return {{"api", "openai chat.completions"},
          {"url", display_url_},
          {"served_model", config_.model},
          {"stream", config_.stream ? "true" : "false"},
          {"temperature", "0"},
          {"api_key_env", config_.api_key_env},
          {"libcurl", http_library_version()}};
}

void OpenAIBackend::preflight() const {
  const std::string k = key(), url = models_url(config_.endpoint);
  std::vector<std::string> headers;
  if (!k.empty()) headers.push_back("Authorization: Bearer " + k);
  HttpClient client;
  const long timeout_ms = static_cast<long>(std::min(config_.timeout_s, 30.0) * 1000);
  HttpResponse r = client.request("GET", url, headers, "", timeout_ms);
  const std::string where = "openai: GET " + url_for_display(url);
  if (r.status == 0)
    throw Error(redact(where + ": cannot reach the server: " + r.error +
                       "; is it running and is --endpoint right (scheme, host, port, /v1)?", k));
  if (r.status == 401 || r.status == 403)
    throw Error(redact(where + ": HTTP " + std::to_string(r.status) + ": " + server_error_message(r.body) +
                       (k.empty() ? "; the server wants an API key: pass --api-key-env NAME"
                                  : "; the key in $" + config_.api_key_env + " was refused"), k));
  if (r.status != 200) return;  // not every server lists models; the first request will tell
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.contains("data") || !j["data"].is_array()) return;
  std::string served;
  for (const auto& m : j["data"]) {
    if (!m.is_object() || !m.contains("id") || !m["id"].is_string()) continue;
    if (m["id"] == config_.model) return;
    served += (served.empty() ? "" : ", ") + m["id"].get<std::string>();
  }
  // Some servers (llama.cpp, TGI) answer whatever model name is asked for, so this only warns.
  std::cerr << "note: " << url_for_display(url) << " lists [" << served << "], not '" << config_.model
            << "'; a server that checks the name will fail every request\n";
}

std::unique_ptr<HttpClient> OpenAIBackend::take_client() {
  std::unique_lock lock(mu_);
  slot_free_.wait(lock, [&] { return in_flight_ < config_.concurrency; });
  ++in_flight_;
  if (idle_.empty()) return std::make_unique<HttpClient>();
  auto c = std::move(idle_.back());
  idle_.pop_back();
  return c;
}

void OpenAIBackend::give_back(std::unique_ptr<HttpClient> client) {
  {
    std::lock_guard lock(mu_);
    --in_flight_;
    if (client) idle_.push_back(std::move(client));
  }
  slot_free_.notify_one();
}

OpenAIBackend::Attempt OpenAIBackend::attempt(HttpClient& client, const std::string& body,
                                              const std::vector<std::string>& headers, double t0_ms) const {
  Attempt a;
  const long timeout_ms = static_cast<long>(config_.timeout_s * 1000);
  if (!config_.stream) {
    a.http = client.request("POST", url_, headers, body, timeout_ms);
    if (a.http.status >= 200 && a.http.status < 300 && a.http.error.empty()) a.chat = parse_chat_response(a.http.body);
    return a;
  }
  SseParser parser;
  std::vector<SseEvent> events;
  std::string raw;
  std::size_t seen = 0;
  auto handle = [&] {
    for (const auto& e : events)
      if (apply_stream_chunk(e.data, a.chat)) a.ttft_ms = now_ms() - t0_ms;
    seen += events.size();
    events.clear();
  };
  a.http = client.request("POST", url_, headers, body, timeout_ms, [&](std::string_view piece) {
    if (raw.size() < kRawKeep) raw.append(piece.substr(0, kRawKeep - raw.size()));
    const bool ok = parser.feed(piece, events);
    handle();
    return ok;
  });
  parser.finish(events);
  handle();
  if (parser.overflowed()) a.chat.error = "the stream is not server-sent events (a line passed 64 MiB)";
  // A server that ignores "stream": true answers with one JSON body; take it as such.
  if (seen == 0 && a.http.error.empty() && raw.starts_with("{")) a.chat = parse_chat_response(raw);
  return a;
}

Response OpenAIBackend::complete(const Request& request) {
  try {
    return complete_unchecked(request);
  } catch (const std::exception& e) {
    Response r;
    r.error = redact(std::string("openai: ") + e.what(), key());
    return r;
  }
}

Response OpenAIBackend::complete_unchecked(const Request& request) {
  Response out;
  const std::string k = key();
  if (!config_.api_key_env.empty() && k.empty()) {
    out.error = "openai: environment variable " + config_.api_key_env + " (--api-key-env) is no longer set";
    return out;
  }
  const double t_image = now_ms();
  std::shared_ptr<const DataUrl> image;
  try {
    image = images_.get(request.image_path);
  } catch (const std::exception& e) {
    out.error = redact(e.what(), k);
    return out;
  }
  out.stages.preprocess_ms = now_ms() - t_image;  // read, convert, base64 (the harness owns image_decode_ms)
  const std::string body =
      chat_request_body(config_.model, request.prompt, image->url, config_.max_new_tokens, config_.stream).dump();
  std::vector<std::string> headers = {"Content-Type: application/json"};
  if (!k.empty()) headers.push_back("Authorization: Bearer " + k);
  // Lets server logs be matched with journal lines; servers ignore headers they do not know.
  if (header_safe(request.id)) headers.push_back("X-Imaxbench-Sample-Id: " + request.id);

  std::unique_ptr<HttpClient> client = take_client();
  struct Release {  // the slot is held for the whole request, retry waits included (backpressure)
    OpenAIBackend* self;
    std::unique_ptr<HttpClient>& c;
    ~Release() { self->give_back(std::move(c)); }
  } release{this, client};

  const double t0 = now_ms();
  const std::uint64_t seed = stable_hash(request.id);
  std::string why;
  for (int n = 0;; ++n) {
    Attempt a = attempt(*client, body, headers, t0);
    const long s = a.http.status;
    const bool got_2xx = s >= 200 && s < 300;
    bool retry = false;
    if (got_2xx && a.http.error.empty()) {
      if (a.chat.error.empty()) {
        out.text = std::move(a.chat.text);
        out.latency_ms = now_ms() - t0;
        out.ttft_ms = a.ttft_ms;
        out.input_tokens = std::max<std::int64_t>(0, a.chat.prompt_tokens);
        // Without a usage block, each streamed content delta counts as one token (servers send
        // about one token per delta); a non-streamed answer without usage counts 0.
        out.output_tokens = a.chat.completion_tokens >= 0 ? a.chat.completion_tokens : a.chat.content_deltas;
        return out;
      }
      why = "the server answered 200 with an error: " + a.chat.error;
    } else if (!a.http.error.empty()) {
      retry = a.http.transient;
      why = a.http.timed_out && a.http.connected
                ? "no complete answer within --timeout-s " + fmt_s(config_.timeout_s) + " (" + a.http.error + ")"
                : a.http.error;
    } else {
      retry = s == 429 || s >= 500;
      why = "HTTP " + std::to_string(s) + ": " + server_error_message(a.http.body);
    }
    if (!retry || n >= config_.retries) {
      if (retry) why += " (gave up after " + std::to_string(n + 1) + " attempts)";
      out.error = redact("openai: POST " + display_url_ + ": " + why, k);
      out.latency_ms = now_ms() - t0;
      return out;
    }
    const double wait = retry_delay_s(n, config_.backoff_base_s, config_.backoff_max_s,
                                      parse_retry_after(a.http.retry_after), seed);
    std::this_thread::sleep_for(std::chrono::duration<double>(wait));
  }
}

std::vector<Response> OpenAIBackend::infer(std::span<const Request> batch) {
  std::vector<Response> out(batch.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < batch.size();) out[i] = complete(batch[i]);
  };
  const std::size_t workers = std::min<std::size_t>(batch.size(), static_cast<std::size_t>(config_.concurrency));
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
    work();
  }  // joined here, before `out` is returned
  return out;
}

std::unique_ptr<Backend> make_openai_backend(const BackendOptions& o) {
  if (o.device != "cpu" && o.device != "none")
    throw UsageError("backend openai runs the model on the server; leave --device at cpu (got '" + o.device + "')");
  OpenAIConfig c;
  c.endpoint = o.endpoint;
  c.model = o.model;
  c.api_key_env = o.api_key_env;
  c.concurrency = o.concurrency;
  c.max_new_tokens = o.max_new_tokens;
  c.timeout_s = o.timeout_s;
  c.retries = o.retries;
  c.stream = o.stream;
  return std::make_unique<OpenAIBackend>(std::move(c));
}

}  // namespace imaxbench
