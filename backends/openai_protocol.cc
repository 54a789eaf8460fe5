#include "backends/openai_protocol.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/error.h"

namespace imaxbench {

namespace {

std::string_view trim_slashes(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return s;
}

constexpr std::string_view kChatSuffix = "/chat/completions";

std::int64_t usage_field(const nlohmann::json& usage, const char* key) {
  if (!usage.is_object()) return -1;
  auto it = usage.find(key);
  return it != usage.end() && it->is_number_integer() ? it->get<std::int64_t>() : -1;
}

// The message of an error object inside a 200 body or a streamed chunk; "" when there is none.
std::string embedded_error(const nlohmann::json& j) {
  if (!j.is_object()) return "";
  if (j.contains("error") && !j["error"].is_null()) return server_error_message(j.dump());
  // Not j.value("object", ""): it throws when a server sends "object": null or a list.
  const auto object = j.find("object");
  if (object != j.end() && object->is_string() && *object == "error") return server_error_message(j.dump());
  return "";
}

void read_usage(const nlohmann::json& j, ChatResult& r) {
  auto it = j.find("usage");
  if (it == j.end() || !it->is_object()) return;
  r.prompt_tokens = usage_field(*it, "prompt_tokens");
  r.completion_tokens = usage_field(*it, "completion_tokens");
}

std::string one_line(std::string s, std::size_t max) {
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

// A piece of a body for a message: one line, or "(empty body)".
std::string body_excerpt(std::string_view body) {
  return body.empty() ? "(empty body)" : one_line(std::string(body.substr(0, 201)), 200);
}

void malformed(ChatResult& r, std::string why) {
  if (!r.error.empty()) return;  // the first problem is the one reported
  r.error = std::move(why);
  r.malformed = true;
}

}  // namespace

std::string chat_completions_url(std::string_view endpoint) {
  std::string_view e = trim_slashes(endpoint);
  if (e.ends_with(kChatSuffix)) return std::string(e);
  return std::string(e) + std::string(kChatSuffix);
}

std::string models_url(std::string_view endpoint) {
  std::string_view e = trim_slashes(endpoint);
  if (e.ends_with(kChatSuffix)) e.remove_suffix(kChatSuffix.size());
  return std::string(e) + "/models";
}

void check_chat_settings(const ChatSettings& s) {
  if (!(s.temperature >= 0) || !std::isfinite(s.temperature))
    throw UsageError("--temperature must be a number >= 0");
  if (s.top_p && !(*s.top_p > 0 && *s.top_p <= 1)) throw UsageError("--top-p must be in (0, 1]");
  if (s.max_tokens < 0) throw UsageError("--max-new-tokens must be >= 0");
  if (!s.extra_body.is_object()) throw UsageError("--extra-body must be a JSON object, e.g. '{\"top_k\": 1}'");
  try {
    (void)nlohmann::json(s.system_prompt).dump();
  } catch (const nlohmann::json::exception&) {
    throw UsageError("--system-prompt is not valid UTF-8");
  }
  for (const char* owned : {"model", "messages", "stream", "stream_options"})
    if (s.extra_body.contains(owned))
      throw UsageError(std::string("--extra-body may not set \"") + owned + "\"" +
                       (std::string(owned) == "model" ? " (use --model-id for the served name)"
                                                      : " (imaxbench builds it and parses the answer by it)"));
}

nlohmann::json chat_request_body(const std::string& model, const std::string& prompt,
                                 const std::string& image_data_url, const ChatSettings& settings, bool stream) {
  // Image first, then the question: the order most VLM chat templates were trained on.
  nlohmann::json content = nlohmann::json::array(
      {{{"type", "image_url"}, {"image_url", {{"url", image_data_url}}}}, {{"type", "text"}, {"text", prompt}}});
  nlohmann::json messages = nlohmann::json::array();
  if (!settings.system_prompt.empty()) messages.push_back({{"role", "system"}, {"content", settings.system_prompt}});
  messages.push_back({{"role", "user"}, {"content", content}});
  nlohmann::json body = {{"model", model}, {"messages", std::move(messages)}, {"stream", stream}};
  // An integral temperature goes as an integer (0, not 0.0), as bodies have always carried it.
  if (settings.temperature == std::floor(settings.temperature) && settings.temperature < 1e9)
    body["temperature"] = static_cast<std::int64_t>(settings.temperature);
  else
    body["temperature"] = settings.temperature;
  if (settings.top_p) body["top_p"] = *settings.top_p;
  if (settings.seed) body["seed"] = *settings.seed;
  if (settings.max_tokens > 0) body["max_tokens"] = settings.max_tokens;
  if (stream) body["stream_options"] = {{"include_usage", true}};
  for (const auto& [key, value] : settings.extra_body.items()) body[key] = value;
  return body;
}

namespace {

bool is_token_char(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

ExtraHeader parse_extra_header(const std::string& text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0)
    throw UsageError("--header must be NAME:VALUE (got '" + excerpt(text) + "')");
  ExtraHeader h;
  h.name = text.substr(0, colon);
  if (!std::all_of(h.name.begin(), h.name.end(), [](unsigned char c) { return is_token_char(c); }))
    throw UsageError("--header: '" + excerpt(h.name) + "' is not a header name (letters, digits and !#$%&'*+-.^_`|~)");
  for (const char* owned : {"content-type", "content-length", "host", "transfer-encoding", "x-imaxbench-sample-id"})
    if (lower(h.name) == owned) throw UsageError("--header: imaxbench or curl sets " + h.name + " itself");
  std::string value = text.substr(colon + 1);
  const std::size_t a = value.find_first_not_of(" \t"), b = value.find_last_not_of(" \t");
  value = a == std::string::npos ? "" : value.substr(a, b - a + 1);
  if (value.find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
    throw UsageError("--header " + h.name + ": the value may not hold a line break or NUL");
  if (value.size() > 3 && value.compare(0, 2, "${") == 0 && value.back() == '}') {
    h.from_env = value.substr(2, value.size() - 3);
    if (!std::all_of(h.from_env.begin(), h.from_env.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; }))
      throw UsageError("--header " + h.name + ": ${" + excerpt(h.from_env) + "} is not an environment variable name");
    return h;
  }
  h.value = std::move(value);
  return h;
}

std::string header_for_manifest(const ExtraHeader& h) {
  if (!h.from_env.empty()) return "${" + h.from_env + "}";
  const std::string n = lower(h.name);
  const bool secret = n == "authorization" || n == "proxy-authorization" || n == "cookie" ||
                      n.find("key") != std::string::npos || n.find("token") != std::string::npos ||
                      n.find("secret") != std::string::npos || n.find("password") != std::string::npos;
  return secret ? "[REDACTED]" : h.value;
}

bool apply_stream_chunk(std::string_view data, ChatResult& r) {
  if (data == "[DONE]") {
    r.done = true;
    return false;
  }
  nlohmann::json j = nlohmann::json::parse(data, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    malformed(r, "streamed chunk is not a JSON object: " + body_excerpt(data));
    return false;
  }
  ++r.chunks;
  if (std::string e = embedded_error(j); !e.empty()) {
    if (r.error.empty()) r.error = e;
    return false;
  }
  read_usage(j, r);
  bool first = false;
  auto choices = j.find("choices");
  if (choices != j.end() && choices->is_array() && !choices->empty() && (*choices)[0].is_object()) {
    const auto& c = (*choices)[0];
    r.has_choice = true;
    if (auto fr = c.find("finish_reason"); fr != c.end() && fr->is_string()) r.finish_reason = *fr;
    auto delta = c.find("delta");
    if (delta != c.end() && delta->is_object()) {
      auto content = delta->find("content");
      if (content != delta->end() && content->is_string() && !content->get_ref<const std::string&>().empty()) {
        first = r.content_deltas == 0;
        ++r.content_deltas;
        r.text += content->get_ref<const std::string&>();
      }
    }
  }
  return first;
}

void finish_stream(ChatResult& r, std::string_view head) {
  if (r.chunks == 0 && !r.done)
    malformed(r, "no server-sent event in the body: " + body_excerpt(head));
  else if (!r.has_choice)
    malformed(r, "the stream carried no choices");
  else if (!r.done && r.finish_reason.empty())
    malformed(r, "the stream ended with neither a finish_reason nor [DONE] (cut short)");
}

ChatResult parse_chat_response(std::string_view body) {
  ChatResult r;
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    malformed(r, "the body is not a JSON object: " + body_excerpt(body));
    return r;
  }
  if (std::string e = embedded_error(j); !e.empty()) {
    r.error = e;
    return r;
  }
  read_usage(j, r);
  auto choices = j.find("choices");
  if (choices == j.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object()) {
    malformed(r, "the response has no choices[0]: " + body_excerpt(body));
    return r;
  }
  const auto& c = (*choices)[0];
  if (auto fr = c.find("finish_reason"); fr != c.end() && fr->is_string()) r.finish_reason = *fr;
  auto msg = c.find("message");
  if (msg == c.end() || !msg->is_object()) {
    malformed(r, "the response has no choices[0].message");
    return r;
  }
  auto content = msg->find("content");
  if (content != msg->end() && content->is_string()) r.text = *content;
  // content null (refusal or tool call only) stays an empty answer, scored as unparsed.
  r.done = true;
  return r;
}

std::string server_error_message(std::string_view body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  std::string msg;
  if (!j.is_discarded() && j.is_object()) {
    const auto& e = j.contains("error") ? j["error"] : nlohmann::json();
    if (e.is_object() && e.contains("message") && e["message"].is_string()) msg = e["message"];
    else if (e.is_string()) msg = e;  // TGI
    else if (j.contains("message") && j["message"].is_string()) msg = j["message"];  // vLLM
    else if (j.contains("detail")) msg = j["detail"].is_string() ? j["detail"].get<std::string>() : j["detail"].dump();
  }
  if (msg.empty()) msg = std::string(body);
  if (msg.empty()) msg = "(empty body)";
  return one_line(std::move(msg), 500);
}

std::string redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  static constexpr std::string_view kMark = "[REDACTED]";
  for (std::size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + kMark.size()))
    text.replace(pos, secret.size(), kMark);
  return text;
}

std::uint64_t stable_hash(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

double retry_delay_s(int attempt, double base_s, double max_s, double retry_after_s, std::uint64_t seed) {
  if (retry_after_s >= 0) return std::min(retry_after_s, kMaxRetryAfterS);
  // splitmix64 of (seed, attempt): a uniform draw without shared generator state between threads.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(attempt + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  const double u = static_cast<double>(z >> 11) * 0x1.0p-53;
  const double backoff = std::min(max_s, base_s * std::ldexp(1.0, std::min(attempt, 30)));
  return backoff * (0.5 + 0.5 * u);
}

}  // namespace imaxbench
