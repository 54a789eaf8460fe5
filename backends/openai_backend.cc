#include "backends/openai_backend.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "backends/backend_factories.h"
#include "backends/http_client.h"
#include "backends/openai_protocol.h"
#include "backends/sse_parser.h"
#include "core/error.h"

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

constexpr std::size_t kHeadKeep = 4096;  // a stream's first bytes, quoted when it is not a stream

// The most one piece of a response may hold while it arrives (a non-streamed body, one streamed
// event): the cap plus room for the JSON around the answer, so memory stays near the cap.
constexpr std::size_t kEnvelope = 64u << 10;
std::size_t piece_limit(std::size_t cap) { return std::min(cap, SIZE_MAX - kEnvelope) + kEnvelope; }

std::string too_large(std::size_t cap, bool piece) {
  return std::string(piece ? "the response passed " : "the answer passed ") + "--max-answer-bytes " +
         std::to_string(cap) + (piece ? " (plus 64 KiB for its JSON)" : "") +
         "; the transfer was stopped (raise the flag for longer answers)";
}

bool is_2xx(long status) { return status >= 200 && status < 300; }

}  // namespace

struct OpenAIBackend::Attempt {
  HttpResponse http;
  ChatResult chat;
  double ttft_ms = 0;
  std::string capped;  // non-empty: the answer passed --max-answer-bytes (the message)
};

OpenAIBackend::OpenAIBackend(OpenAIConfig c) : config_(std::move(c)), images_(config_.image) {
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
  check_chat_settings(config_.chat);
  check_data_url_options(config_.image);
  for (const ExtraHeader& h : config_.headers) {
    if (h.from_env.empty()) continue;
    const char* v = std::getenv(h.from_env.c_str());
    if (!v || !*v)
      throw UsageError("--header " + h.name + ": environment variable " + h.from_env + " is not set or empty");
  }
  if (config_.max_answer_bytes < 1) throw UsageError("--max-answer-bytes must be >= 1");
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
  const ChatSettings& c = config_.chat;
  std::vector<std::pair<std::string, std::string>> m = {
      {"api", "openai chat.completions"},
      {"url", display_url_},
      {"served_model", config_.model},
      {"stream", config_.stream ? "true" : "false"},
      {"temperature", nlohmann::json(chat_request_body("", "", "", c, false)["temperature"]).dump()},
      {"top_p", c.top_p ? nlohmann::json(*c.top_p).dump() : "unset"},
      {"seed", c.seed ? std::to_string(*c.seed) : "unset"},
      {"max_tokens", c.max_tokens > 0 ? std::to_string(c.max_tokens) : "unset"},
      {"system_prompt", c.system_prompt},
      {"extra_body", c.extra_body.dump()},
      {"image_max_side", config_.image.max_side > 0 ? std::to_string(config_.image.max_side) : "unset"},
      {"image_format", config_.image.format},
      {"api_key_env", config_.api_key_env},
      {"libcurl", http_library_version()}};
  for (const ExtraHeader& h : config_.headers) m.emplace_back("header." + h.name, header_for_manifest(h));
  std::vector<std::string> secrets;
  std::string missing;
  extra_header_lines(secrets, missing);
  secrets.push_back(key());  // in case a key was pasted where a name belongs
  for (auto& [name, value] : m)
    for (const std::string& secret : secrets) value = redact(std::move(value), secret);
  return m;
}

std::vector<std::string> OpenAIBackend::extra_header_lines(std::vector<std::string>& secrets,
                                                           std::string& missing) const {
  std::vector<std::string> lines;
  for (const ExtraHeader& h : config_.headers) {
    if (h.from_env.empty()) {
      lines.push_back(h.name + ": " + h.value);
      continue;
    }
    const char* v = std::getenv(h.from_env.c_str());
    if (!v || !*v) {
      missing = h.from_env;
      continue;
    }
    lines.push_back(h.name + ": " + v);
    secrets.emplace_back(v);
  }
  return lines;
}

void OpenAIBackend::preflight() const {
  const std::string k = key(), url = models_url(config_.endpoint);
  std::vector<std::string> headers;
  if (!k.empty()) headers.push_back("Authorization: Bearer " + k);
  std::vector<std::string> secrets;
  std::string missing;
  for (std::string& line : extra_header_lines(secrets, missing)) headers.push_back(std::move(line));
  HttpClient client;
  const long timeout_ms = static_cast<long>(std::min(config_.timeout_s, 30.0) * 1000);
  HttpResponse r = client.request("GET", url, headers, "", timeout_ms);
  const std::string where = "openai: GET " + url_for_display(url);
  if (r.status == 0)
    throw Error(redact(where + ": cannot reach the server: " + r.error +
                       "; is it running and is --endpoint right (scheme, host, port, /v1)?", k));
  if (r.status == 401 || r.status == 403)
    throw Error(redact(where + ": HTTP " + std::to_string(r.status) + ": " + server_error_message(redact(r.body, k)) +
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
  std::cerr << redact("note: " + url_for_display(url) + " lists [" + served + "], not '" + config_.model +
                          "'; a server that checks the name will fail every request\n", k);
}

std::unique_ptr<HttpClient> OpenAIBackend::take_client() {
  std::unique_lock lock(mu_);
  slot_free_.wait(lock, [&] { return in_flight_ < config_.concurrency; });
  ++in_flight_;
  if (idle_.empty()) return std::make_unique<HttpClient>(piece_limit(config_.max_answer_bytes));
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
                                              const std::vector<std::string>& headers, double t0_ms,
                                              const std::string& key) const {
  if (config_.stream) return attempt_stream(client, body, headers, t0_ms, key);
  Attempt a;
  const std::size_t cap = config_.max_answer_bytes;
  a.http = client.request("POST", url_, headers, body, static_cast<long>(config_.timeout_s * 1000));
  // Redacted before any message quotes a piece of it: a quote cut short could keep half a key.
  a.http.body = redact(std::move(a.http.body), key);
  if (is_2xx(a.http.status) && a.http.too_large) {
    a.capped = too_large(cap, true);
  } else if (is_2xx(a.http.status) && a.http.error.empty()) {
    a.chat = parse_chat_response(a.http.body);
    std::string().swap(a.http.body);
    if (a.chat.text.size() > cap) {
      a.chat = ChatResult{};
      a.capped = too_large(cap, false);
    }
  }
  return a;
}

OpenAIBackend::Attempt OpenAIBackend::attempt_stream(HttpClient& client, const std::string& body,
                                                     const std::vector<std::string>& headers, double t0_ms,
                                                     const std::string& key) const {
  Attempt a;
  const std::size_t cap = config_.max_answer_bytes, limit = piece_limit(cap);
  SseParser parser(limit);
  std::vector<SseEvent> events;
  // A server that ignores "stream": true sends one JSON body. It starts with '{', which no line of
  // an event stream does, so the first byte that is not white space tells which it is.
  enum class Body { unknown, events, json } kind = Body::unknown;
  std::string head;  // the first kHeadKeep bytes of a stream; the whole body when it is JSON
  auto stop = [&](bool piece) {  // false from the sink aborts the transfer: nothing more is read
    a.capped = too_large(cap, piece);
    return false;
  };
  auto apply = [&] {
    for (auto& e : events)
      if (apply_stream_chunk(redact(std::move(e.data), key), a.chat)) a.ttft_ms = now_ms() - t0_ms;
    events.clear();
  };
  a.http = client.request("POST", url_, headers, body, static_cast<long>(config_.timeout_s * 1000),
                          [&](std::string_view piece) {
    if (kind == Body::unknown) {
      const auto p = piece.find_first_not_of(" \t\r\n");
      if (p != std::string_view::npos) kind = piece[p] == '{' ? Body::json : Body::events;
    }
    if (kind == Body::json) {
      if (head.size() + piece.size() > limit) return stop(true);
      head.append(piece);
      return true;
    }
    if (head.size() < kHeadKeep) head.append(piece.substr(0, kHeadKeep - head.size()));
    if (!parser.feed(piece, events)) return stop(true);
    apply();
    if (a.chat.text.size() > cap) return stop(false);
    return true;
  });
  if (!a.capped.empty()) {
    a.chat = ChatResult{};  // the partial answer is dropped at once: memory stays near the cap
    return a;
  }
  if (kind != Body::json) {
    parser.finish(events);
    apply();
  }
  a.http.body = redact(std::move(a.http.body), key);  // a non-2xx body, quoted in the error
  if (is_2xx(a.http.status) && a.http.error.empty()) {
    if (kind == Body::json)
      a.chat = parse_chat_response(redact(std::move(head), key));
    else
      finish_stream(a.chat, redact(std::move(head), key));
    if (a.chat.text.size() > cap) {
      a.chat = ChatResult{};
      a.capped = too_large(cap, false);
    }
  }
  return a;
}

Response OpenAIBackend::complete(const Request& request) {
  const std::string k = key();
  std::vector<std::string> secrets;
  std::string missing;
  const std::vector<std::string> extra = extra_header_lines(secrets, missing);
  Response r;
  try {
    if (!missing.empty()) throw Error("environment variable " + missing + " (--header) is no longer set");
    r = complete_unchecked(request, k, extra);
  } catch (const std::exception& e) {
    r = Response{};
    r.error = std::string("openai: ") + e.what();
  }
  for (const std::string& secret : secrets) {  // what the extra headers carried, as for the key
    r.text = redact(std::move(r.text), secret);
    r.error = redact(std::move(r.error), secret);
  }
  // Everything an answer carries out of the backend passes here, so the journal, results, the
  // leaderboard store and stderr only ever see the key as [REDACTED]: a server may echo it in an
  // answer (split over streamed chunks) as well as in an error.
  r.text = redact(std::move(r.text), k);
  r.error = redact(std::move(r.error), k);
  return r;
}

Response OpenAIBackend::complete_unchecked(const Request& request, const std::string& k,
                                           const std::vector<std::string>& extra_headers) {
  Response out;
  if (!config_.api_key_env.empty() && k.empty()) {
    out.error = "openai: environment variable " + config_.api_key_env + " (--api-key-env) is no longer set";
    return out;
  }
  const double t_image = now_ms();
  std::shared_ptr<const DataUrl> image;
  try {
    image = images_.get(request.image_path);
  } catch (const std::exception& e) {
    out.error = e.what();
    return out;
  }
  out.stages.preprocess_ms = now_ms() - t_image;  // read, convert, base64 (the harness owns image_decode_ms)
  const std::string body =
      chat_request_body(config_.model, request.prompt, image->url, config_.chat, config_.stream).dump();
  std::vector<std::string> headers = {"Content-Type: application/json"};
  if (!k.empty()) headers.push_back("Authorization: Bearer " + k);
  // Lets server logs be matched with journal lines; servers ignore headers they do not know.
  if (header_safe(request.id)) headers.push_back("X-Imaxbench-Sample-Id: " + request.id);
  headers.insert(headers.end(), extra_headers.begin(), extra_headers.end());

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
    Attempt a = attempt(*client, body, headers, t0, k);
    const long s = a.http.status;
    bool retry = false;
    if (!a.capped.empty()) {
      why = a.capped;  // not retried: at temperature 0 the same answer would come again
    } else if (is_2xx(s) && a.http.error.empty()) {
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
      // A body that is not the protocol (a proxy's error page, an empty or cut-short body) is
      // retried like a 5xx; an error the server reported itself is final, like a 4xx.
      retry = a.chat.malformed;
      why = "the server answered " + std::to_string(s);
      if (a.chat.malformed)
        why += " (" + (a.http.content_type.empty() ? "no Content-Type" : a.http.content_type) +
               ") with no chat completion: " + a.chat.error;
      else
        why += " with an error: " + a.chat.error;
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
      out.error = "openai: POST " + display_url_ + ": " + why;
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
  c.model = o.model_id.empty() ? o.model : o.model_id;
  c.chat.max_tokens = o.max_new_tokens;
  c.chat.temperature = o.temperature;
  c.chat.top_p = o.top_p;
  c.chat.seed = o.sampling_seed;
  c.chat.system_prompt = o.system_prompt;
  if (!o.extra_body.empty()) {
    c.chat.extra_body = nlohmann::json::parse(o.extra_body, nullptr, false);
    if (c.chat.extra_body.is_discarded())
      throw UsageError("--extra-body is not valid JSON: " + excerpt(o.extra_body));
  }
  for (const std::string& h : o.headers) c.headers.push_back(parse_extra_header(h));
  c.image.max_side = o.image_max_side;
  c.image.format = o.image_format;
  c.timeout_s = o.timeout_s;
  c.retries = o.retries;
  c.stream = o.stream;
  if (o.max_answer_bytes < 1) throw UsageError("--max-answer-bytes must be >= 1");
  c.max_answer_bytes = static_cast<std::size_t>(o.max_answer_bytes);
  return std::make_unique<OpenAIBackend>(std::move(c));
}

}  // namespace imaxbench
