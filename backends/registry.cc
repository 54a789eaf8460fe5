// The backend registry: adding a backend is one line in kBackends and its own file pair.
#include "backends/backend.h"
#include "backends/backend_factories.h"
#include "tasks/error.h"

namespace imaxbench {

namespace {

const BackendInfo kBackends[] = {
    // (entries added here)
    {"replay", "answers from a predictions file or an earlier run's journal (--model PATH)", true, "",
     make_replay_backend},
#ifdef IMAXBENCH_HAVE_TORCH
    {"baseline", "nearest-neighbour retrieval floor on LibTorch (--model GALLERY/suite.json)", true, "",
     make_baseline_backend},
    {"torchscript", "generative VLM from a TorchScript model package, greedy decoding (--model DIR); models/convert_hf.py converts LlavaForConditionalGeneration checkpoints (Llama, Mistral or Qwen2 text model, CLIP tower); Qwen2-VL, Qwen2.5-VL and the original LLaVA layout not yet", true, "",
     make_torchscript_backend},
#else
    {"baseline", "nearest-neighbour retrieval floor on LibTorch (--model GALLERY/suite.json)", false,
     "built without LibTorch (IMAXBENCH_WITH_TORCH=OFF or find_package(Torch) failed)", nullptr},
    {"torchscript", "generative VLM from a TorchScript model package, greedy decoding (--model DIR); models/convert_hf.py converts LlavaForConditionalGeneration checkpoints (Llama, Mistral or Qwen2 text model, CLIP tower); Qwen2-VL, Qwen2.5-VL and the original LLaVA layout not yet", false,
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
      return b.make(options);
    }
    known += (known.empty() ? "" : ", ") + std::string(b.name);
  }
  throw UsageError("unknown backend '" + std::string(name) + "'; known backends: " + known);
}

}  // namespace imaxbench
