#include "core/url_display.h"

namespace imaxbench {

std::string url_for_display(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const std::size_t host = scheme + 3;
  const auto end = url.find_first_of("/?#", host);
  const auto at = url.substr(host, end == std::string_view::npos ? url.npos : end - host).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, host)) + std::string(url.substr(host + at + 1));
}

}  // namespace imaxbench
