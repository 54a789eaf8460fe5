// Opens the SentencePiece module (tokenizers/sentencepiece_module.cc) on first use. It is a
// separate shared object so that libsentencepiece's libprotobuf-lite never meets the full
// libprotobuf of Debian's LibTorch in one symbol scope; RTLD_DEEPBIND keeps its symbols its own.
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <vector>

#include "core/error.h"
#include "tokenizers/tokenizer.h"

namespace imaxbench {

namespace {

// RTLD_DEEPBIND would let the module bypass the sanitizer runtime's malloc/free interceptors, so
// ASan and TSan refuse to dlopen with it (github.com/google/sanitizers/issues/611). Sanitizer
// builds (ci/sanitize.sh) have no LibTorch, hence no second libprotobuf to keep apart.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kDeepBind = 0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
constexpr int kDeepBind = 0;
#else
constexpr int kDeepBind = RTLD_DEEPBIND;
#endif
#else
constexpr int kDeepBind = RTLD_DEEPBIND;
#endif

using LoadFn = Tokenizer* (*)(const char*, std::string*);

// Where the module may be: $IMAXBENCH_SENTENCEPIECE_MODULE, next to the executable, the build tree.
std::vector<std::string> module_candidates() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("IMAXBENCH_SENTENCEPIECE_MODULE")) out.emplace_back(env);
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back((exe.parent_path() / "libimaxbench_sentencepiece.so").string());
#ifdef IMAXBENCH_SENTENCEPIECE_MODULE
  out.emplace_back(IMAXBENCH_SENTENCEPIECE_MODULE);
#endif
  return out;
}

LoadFn open_module(std::string& problem) {
  static std::once_flag once;
  static LoadFn fn = nullptr;
  static std::string why;
  std::call_once(once, [] {
    for (const auto& path : module_candidates()) {
      if (!std::filesystem::exists(path)) continue;
      void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | kDeepBind);
      if (!handle) {
        why = "cannot open " + path + ": " + dlerror();
        continue;
      }
      fn = reinterpret_cast<LoadFn>(dlsym(handle, "imaxbench_load_sentencepiece"));
      if (fn) return;
      why = path + " has no imaxbench_load_sentencepiece entry point";
    }
    if (why.empty())
      why = "the SentencePiece module (libimaxbench_sentencepiece.so) was not built or not found; "
            "install libsentencepiece-dev (ci/install-deps.sh does) and rebuild, or set "
            "IMAXBENCH_SENTENCEPIECE_MODULE";
  });
  problem = why;
  return fn;
}

}  // namespace

std::unique_ptr<Tokenizer> load_sentencepiece_tokenizer(const std::string& path) {
  std::string problem;
  LoadFn load = open_module(problem);
  if (!load) throw Error(path + ": cannot load a SentencePiece tokenizer: " + problem);
  std::string error;
  Tokenizer* t = load(path.c_str(), &error);
  if (!t) throw Error(error);
  return std::unique_ptr<Tokenizer>(t);
}

}  // namespace imaxbench
