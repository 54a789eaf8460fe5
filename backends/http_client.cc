#include "backends/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <mutex>

#include "core/error.h"

namespace imaxbench {

namespace {

constexpr std::size_t kMaxErrorBody = 1u << 20;
constexpr long kMaxConnectMs = 10'000;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error("libcurl: curl_global_init failed");
  });
}

struct Transfer {
  CURL* curl = nullptr;
  const HttpClient::BodySink* sink = nullptr;
  HttpResponse* out = nullptr;
  std::size_t max_body = 0;
};

bool is_2xx(CURL* curl) {
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  return code >= 200 && code < 300;
}

std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  const bool ok = is_2xx(t->curl);
  if (ok && t->sink && *t->sink) return (*t->sink)(std::string_view(data, len)) ? len : 0;
  const std::size_t cap = ok ? t->max_body : kMaxErrorBody;
  if (t->out->body.size() + len > cap) {
    t->out->too_large = true;
    return 0;
  }
  t->out->body.append(data, len);
  return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  std::string_view line(data, len);
  if (line.starts_with("HTTP/")) {  // a new response (after 100 Continue)
    t->out->retry_after.clear();
    t->out->content_type.clear();
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name == "retry-after" || name == "content-type") {
      std::string_view v = line.substr(colon + 1);
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
      (name == "retry-after" ? t->out->retry_after : t->out->content_type).assign(v);
    }
  }
  return len;
}

bool transient_code(CURLcode c) {
  switch (c) {
    case CURLE_COULDNT_CONNECT: case CURLE_COULDNT_RESOLVE_HOST: case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR: case CURLE_GOT_NOTHING: case CURLE_PARTIAL_FILE: case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace

HttpClient::HttpClient(std::size_t max_body) : max_body_(max_body) {
  global_init();
  curl_ = curl_easy_init();
  if (!curl_) throw Error("libcurl: curl_easy_init failed");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpClient::request(const std::string& method, const std::string& url,
                                 const std::vector<std::string>& headers, const std::string& body,
                                 long timeout_ms, const BodySink& sink) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);  // keeps the connection cache, drops the previous call's options
  HttpResponse out;
  Transfer t{c, &sink, &out, max_body_};
  char errbuf[CURL_ERROR_SIZE] = {0};

  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  // No "Expect: 100-continue" round trip before large image bodies.
  list = curl_slist_append(list, "Expect:");

  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: safe in threads
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, std::max(1L, timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::clamp(timeout_ms, 1L, kMaxConnectMs));
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else if (method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(list);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  double connect_s = 0;
  curl_easy_getinfo(c, CURLINFO_CONNECT_TIME, &connect_s);
  out.connected = connect_s > 0 || out.status != 0;
  if (rc != CURLE_OK) {
    if (out.too_large)
      out.error = "response body larger than " + std::to_string(is_2xx(c) ? max_body_ : kMaxErrorBody) + " bytes";
    else if (rc == CURLE_WRITE_ERROR)
      out.error = "transfer aborted by the reader";
    else
      out.error = errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
    out.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    out.transient = transient_code(rc) || (out.timed_out && !out.connected);
  }
  return out;
}

std::string http_library_version() { return curl_version_info(CURLVERSION_NOW)->version; }

double parse_retry_after(std::string_view value) {
  if (value.empty()) return -1;
  if (std::all_of(value.begin(), value.end(), [](unsigned char ch) { return std::isdigit(ch); })) {
    if (value.size() > 9) return 1e9;
    return std::stod(std::string(value));
  }
  const std::string s(value);
  const time_t when = curl_getdate(s.c_str(), nullptr);
  if (when < 0) return -1;
  return std::max(0.0, std::difftime(when, std::time(nullptr)));
}

}  // namespace imaxbench
