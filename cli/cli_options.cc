#include "cli/cli_options.h"

#include <iostream>

#include <tbb/global_control.h>

#include "core/error.h"

namespace imaxbench {

void add_common_options(CLI::App& cmd, CommonOptions& o, bool scoring) {
  cmd.add_option("--suite", o.suite, "Suite file (JSON, DESIGN.md §3.3)")->required()->check(CLI::ExistingFile);
  cmd.add_option("--tasks", o.tasks, "Only these tasks, comma-separated (default: all in the suite)");
  cmd.add_flag("--strict", o.split.strict, "Stop at the first invalid record (exit 1) instead of counting it");
  cmd.add_flag("--allow-external-images", o.split.allow_external_images,
               "Allow image paths outside the split's folder (absolute or ../)");
  cmd.add_option("--threads", o.threads, "Worker threads (0 = all cores); results do not depend on it")
      ->envname("IMAXBENCH_THREADS")->check(CLI::NonNegativeNumber);
  if (!scoring) return;
  cmd.add_option("--bootstrap", o.bootstrap.resamples, "Bootstrap resamples for 95% CIs (0 = none)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd.add_option("--seed", o.bootstrap.seed, "Bootstrap seed")->capture_default_str();
  cmd.add_flag("--no-cluster{false}", o.bootstrap.cluster_by_image,
               "Resample samples independently instead of whole images (image_id clusters)");
}

void add_backend_options(CLI::App& cmd, BackendOptions& o) {
  cmd.add_option("--max-new-tokens", o.max_new_tokens, "Answer length cap in tokens (0: the model's default)");
  cmd.add_option("--dtype", o.dtype, "torchscript: float32, float16 or bfloat16");
  cmd.add_option("--trace-tokens", o.trace_path,
                 "torchscript: append each sample's prompt ids, generated ids, first-step logits and input "
                 "pixels to FILE (JSONL, large) to check a conversion against transformers");
  const char* server = "OpenAI-compatible server";
  cmd.add_option("--endpoint", o.endpoint, "openai: server base URL, e.g. http://localhost:8000/v1")->group(server);
  cmd.add_option("--api-key-env", o.api_key_env,
                 "openai: NAME of the environment variable holding the API key (never the key itself)")
      ->group(server);
  cmd.add_option("--timeout-s", o.timeout_s, "openai: limit per HTTP attempt, seconds")
      ->capture_default_str()->group(server);
  cmd.add_option("--retries", o.retries, "openai: extra attempts after 429, 5xx or a dropped connection")
      ->capture_default_str()->group(server);
  cmd.add_flag("--no-stream", [&o](std::int64_t) { o.stream = false; },
               "openai: wait for whole answers (no time to first token)")
      ->group(server);
  cmd.add_option("--max-answer-bytes", o.max_answer_bytes,
                 "openai: an answer longer than this many bytes, streamed or not, fails its sample")
      ->capture_default_str()->check(CLI::PositiveNumber)->group(server);
}

std::shared_ptr<void> limit_threads(int threads) {
  if (threads <= 0) return nullptr;
  return std::make_shared<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<std::size_t>(threads));
}

}  // namespace imaxbench
