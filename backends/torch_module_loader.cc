// Finds and opens the LibTorch module (backends/torch_module.h) on first use, as
// tokenizers/sentencepiece_loader.cc does for SentencePiece. Only `run` and `profile` with a torch
// backend (and the tests of those backends) get here; every other command never loads LibTorch.
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <vector>

#include "backends/torch_module.h"
#include "core/error.h"

namespace imaxbench {

namespace {

constexpr const char* kModuleFile = "libimaxbench_torch.so";

// Where the module may be: $IMAXBENCH_TORCH_MODULE alone when set (a path the user chose is never
// silently passed over), else next to the executable (an installed copy), then the build folder
// it was built in (test binaries live in build/tests/).
std::vector<std::string> module_candidates() {
  if (const char* env = std::getenv("IMAXBENCH_TORCH_MODULE"); env && *env) return {env};
  std::vector<std::string> out;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back((exe.parent_path() / kModuleFile).string());
#ifdef IMAXBENCH_TORCH_MODULE
  if (out.empty() || out.front() != IMAXBENCH_TORCH_MODULE) out.emplace_back(IMAXBENCH_TORCH_MODULE);
#endif
  return out;
}

std::string first_present(const std::vector<std::string>& candidates) {
  for (const auto& path : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return path;
  }
  return "";
}

// The build folder this imaxbench came from, where the module belongs.
std::string build_dir() {
#ifdef IMAXBENCH_TORCH_MODULE
  return std::filesystem::path(IMAXBENCH_TORCH_MODULE).parent_path().string();
#else
  return "BUILD_DIR";
#endif
}

std::string how_to_build() {
  return "build it with `cmake --build " + build_dir() + " --target imaxbench_torch` (LibTorch: ci/install-deps.sh "
         "installs libtorch-dev), or set IMAXBENCH_TORCH_MODULE to the path of one";
}

std::string joined(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& p : paths) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// Without RTLD_DEEPBIND, unlike the SentencePiece module: this module must bind to the host's
// imaxbench:: symbols and its allocator, and ASan refuses DEEPBIND anyway. RTLD_LOCAL keeps
// LibTorch's ~300 libraries (and their full libprotobuf) out of the global symbol scope.
const TorchModuleApi* open_module(std::string& problem) {
  static std::once_flag once;
  static const TorchModuleApi* api = nullptr;
  static std::string why;
  std::call_once(once, [] {
    const auto candidates = module_candidates();
    const std::string path = first_present(candidates);
    if (path.empty()) {
      why = "the LibTorch module " + std::string(kModuleFile) + " was not found (looked for " + joined(candidates) +
            "); " + how_to_build();
      return;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      why = "cannot open the LibTorch module " + path + ": " + dlerror() +
            "; it must come from the same build as imaxbench: " + how_to_build();
      return;
    }
    using EntryFn = const TorchModuleApi* (*)();
    auto entry = reinterpret_cast<EntryFn>(dlsym(handle, kTorchModuleEntry));
    const TorchModuleApi* table = entry ? entry() : nullptr;
    if (!table) {
      why = path + " has no " + std::string(kTorchModuleEntry) + " entry point: not an imaxbench LibTorch module";
      return;
    }
    if (table->abi_version != kTorchModuleAbiVersion || table->table_size != sizeof(TorchModuleApi)) {
      why = path + " was built for another version of imaxbench (module interface " +
            std::to_string(table->abi_version) + ", this imaxbench " + std::to_string(kTorchModuleAbiVersion) +
            "): " + how_to_build();
      return;
    }
    api = table;  // the handle stays open for the life of the process
  });
  problem = why;
  return api;
}

}  // namespace

const TorchModuleApi& torch_module() {
  std::string problem;
  const TorchModuleApi* api = open_module(problem);
  if (!api) throw Error(problem);
  return *api;
}

std::string torch_module_status() {
  const auto candidates = module_candidates();
  const std::string path = first_present(candidates);
  if (path.empty())
    return "in the LibTorch module " + std::string(kModuleFile) + ", which is missing (looked for " +
           joined(candidates) + "); " + how_to_build();
  return "in the LibTorch module " + path + " (present)";
}

}  // namespace imaxbench
