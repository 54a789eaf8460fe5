// The --device string, parsed in one place: cpu, cuda:N or hip:N. A ROCm build of LibTorch
// exposes HIP devices as its "cuda" devices, so hip:N maps to torch's cuda device N there; the
// manifest keeps the name the user gave.
#pragma once

#include <string>
#include <string_view>

namespace imaxbench {

struct DeviceSpec {
  enum class Kind { kCpu, kCuda, kHip };
  Kind kind = Kind::kCpu;
  int index = 0;
  std::string str() const;  // "cpu", "cuda:0", "hip:1"
  bool is_gpu() const { return kind != Kind::kCpu; }
};

// Throws UsageError for anything but cpu, cuda, cuda:N, hip, hip:N (N a whole number >= 0).
DeviceSpec parse_device(std::string_view text);

}  // namespace imaxbench
