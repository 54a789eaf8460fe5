// The backend registry: adding a backend is one line in kBackends and its own file pair.
#include "harness/backend_registry.h"

#include "backends/backend_factories.h"
#include "core/error.h"
#include "harness/baseline_backend.h"
#include "tasks/model_conventions.h"
#ifdef IMAXBENCH_HAVE_TORCH
#include "backends/torch_module.h"
#endif

namespace imaxbench {

namespace {

// Which checkpoints models/convert_hf.py turns into a package (docs/model-package.md §4).
constexpr const char* kTorchscriptAbout =
    "generative VLM from a TorchScript model package, greedy decoding (--model DIR); models/convert_hf.py converts "
    "Hugging Face LlavaForConditionalGeneration (Llama, Mistral or Qwen2 text model, CLIP tower), the original "
    "LLaVA / LLaVA-Med v1.5 layout (LlavaLlamaForCausalLM, LlavaMistralForCausalLM) and "
    "Qwen2VLForConditionalGeneration (one fixed input size); Qwen2.5-VL not yet";

const BackendInfo kBackends[] = {
    // (entries added here)
    {"replay", "answers from a predictions file or an earlier run's journal (--model PATH)", true, "",
     make_replay_backend},
#ifdef IMAXBENCH_HAVE_TORCH
    {"baseline", "nearest-neighbour retrieval floor on LibTorch (--model GALLERY/suite.json)", true, "",
     make_baseline_backend, torch_module_status},
    {"torchscript", kTorchscriptAbout, true, "",
     make_torchscript_backend, torch_module_status},
#else
    {"baseline", "nearest-neighbour retrieval floor on LibTorch (--model GALLERY/suite.json)", false,
     "built without LibTorch (IMAXBENCH_WITH_TORCH=OFF or find_package(Torch) failed)", nullptr},
    {"torchscript", kTorchscriptAbout, false,
     "built without LibTorch (IMAXBENCH_WITH_TORCH=OFF or find_package(Torch) failed)", nullptr},
#endif
#ifdef IMAXBENCH_HAVE_HTTP
    {"openai", "OpenAI-compatible chat-completions server: vLLM, SGLang, TGI, llama.cpp (--endpoint URL --model NAME)",
     true, "", make_openai_backend},
#else
    {"openai", "OpenAI-compatible chat-completions server: vLLM, SGLang, TGI, llama.cpp (--endpoint URL --model NAME)",
     false, "built without libcurl (IMAXBENCH_WITH_HTTP=OFF or libcurl4-openssl-dev not found)", nullptr},
#endif
};

}  // namespace

std::span<const BackendInfo> all_backends() { return kBackends; }

std::unique_ptr<Backend> make_backend(std::string_view name, const BackendOptions& options) {
  std::string known;
  for (const auto& b : kBackends) {
    if (b.name == name) {
      if (!b.available || !b.make)
        throw Error("backend '" + std::string(name) + "' is not available in this build: " +
                    std::string(b.why_not));
      BackendOptions o = options;
      if (!o.check_conventions) o.check_conventions = check_model_conventions;
      return b.make(o);
    }
    known += (known.empty() ? "" : ", ") + std::string(b.name);
  }
  throw UsageError("unknown backend '" + std::string(name) + "'; known backends: " + known);
}

}  // namespace imaxbench
