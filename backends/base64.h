// Base64 (RFC 4648 §4, standard alphabet, '=' padding) for image data URLs sent to HTTP backends.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace imaxbench {

std::string base64_encode(std::span<const unsigned char> bytes);
inline std::string base64_encode(std::string_view bytes) {
  return base64_encode(std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(bytes.data()),
                                                      bytes.size()));
}

}  // namespace imaxbench
