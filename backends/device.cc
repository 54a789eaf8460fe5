#include "backends/device.h"

#include <charconv>

#include "core/error.h"

namespace imaxbench {

std::string DeviceSpec::str() const {
  switch (kind) {
    case Kind::kCpu: return "cpu";
    case Kind::kCuda: return "cuda:" + std::to_string(index);
    case Kind::kHip: return "hip:" + std::to_string(index);
  }
  return "cpu";
}

DeviceSpec parse_device(std::string_view text) {
  auto bad = [&] {
    return UsageError("--device '" + std::string(text) +
                      "' is not a device; write cpu, cuda:N or hip:N (N = 0, 1, ...)");
  };
  DeviceSpec d;
  if (text == "cpu") return d;
  std::string_view kind = text.substr(0, text.find(':'));
  if (kind == "cuda") d.kind = DeviceSpec::Kind::kCuda;
  else if (kind == "hip") d.kind = DeviceSpec::Kind::kHip;
  else throw bad();
  if (kind.size() == text.size()) return d;  // "cuda" alone means device 0
  std::string_view num = text.substr(kind.size() + 1);
  auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), d.index);
  if (num.empty() || ec != std::errc() || end != num.data() + num.size() || d.index < 0) throw bad();
  return d;
}

}  // namespace imaxbench
