// What this binary is, for --version, results contexts and run manifests. Defined in the
// generated build_info.cc (cmake/build_info.cc.in).
#pragma once

namespace imaxbench {

extern const char* const kToolVersion;  // project version, e.g. "0.1.0"
extern const char* const kGitSha;       // 12-digit commit at configure time, or "unknown"
extern const char* const kBuildType;    // CMAKE_BUILD_TYPE, e.g. "Release"

}  // namespace imaxbench
