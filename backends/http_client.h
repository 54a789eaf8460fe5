// A small blocking HTTP client over one libcurl easy handle (keep-alive connections are reused
// between calls on the same object). Not thread-safe: use one object per thread; the openai
// backend keeps a pool. Nothing here logs: headers (the Authorization key) never leave the call.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace imaxbench {

struct HttpResponse {
  long status = 0;          // HTTP status; 0 when no response came (see error)
  std::string body;         // the body, unless a 2xx body went to the sink (capped, see below)
  std::string content_type; // the Content-Type header, verbatim
  std::string retry_after;  // the Retry-After header, verbatim
  std::string error;        // transport failure (libcurl's message); empty when the exchange finished
  bool timed_out = false;   // the request hit its timeout
  bool connected = false;   // a connection was established (false: nothing reached the server)
  bool transient = false;   // a failure worth retrying: refused or reset connection, empty reply
  bool too_large = false;   // the body passed its cap; the transfer was stopped there
};

class HttpClient {
 public:
  // Receives each piece of a 2xx body as it arrives; return false to abort the transfer.
  using BodySink = std::function<bool(std::string_view)>;

  static constexpr std::size_t kDefaultMaxBody = 64u << 20;

  // A 2xx body kept in HttpResponse::body is cut at `max_body` bytes (an error body at 1 MiB).
  explicit HttpClient(std::size_t max_body = kDefaultMaxBody);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `method` is "GET" or "POST" (with `body`). `headers` are "Name: value" lines. The whole
  // exchange is bounded by `timeout_ms`; connecting by min(timeout_ms, 10 s). A body over its cap
  // stops the transfer, with `too_large` and `error` set.
  HttpResponse request(const std::string& method, const std::string& url,
                       const std::vector<std::string>& headers, const std::string& body,
                       long timeout_ms, const BodySink& sink = {});

 private:
  void* curl_;  // CURL*, kept out of the header so callers need no curl include
  std::size_t max_body_;
};

// libcurl's version, for the run manifest.
std::string http_library_version();

// Seconds to wait from a Retry-After value: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
// Negative when the value is empty or unparseable; a date in the past gives 0.
double parse_retry_after(std::string_view value);

}  // namespace imaxbench
