#include "cli/cli_options.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <tbb/global_control.h>

#include "core/error.h"

namespace imaxbench {

void add_common_options(CLI::App& cmd, CommonOptions& o, bool scoring) {
  cmd.add_option("--suite", o.suite, "Suite file (JSON, docs/formats.md §2)")->required()->check(CLI::ExistingFile);
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
  cmd.add_option("--max-new-tokens,--max-tokens", o.max_new_tokens,
                 "Answer length cap in tokens (0: the model's default; openai: max_tokens)");
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
  cmd.add_option("--model-id", o.model_id,
                 "openai: the name the server serves the model under, when --model names something else "
                 "(a checkpoint path for the leaderboard); default: --model")
      ->group(server);
  cmd.add_option("--temperature", o.temperature, "openai: sampling temperature of every request (0: greedy)")
      ->capture_default_str()->group(server);
  cmd.add_option("--top-p", o.top_p, "openai: nucleus sampling top_p, sent only when given")->group(server);
  cmd.add_option("--sampling-seed", o.sampling_seed,
                 "openai: the request's seed, sent only when given (--seed is the bootstrap's)")
      ->group(server);
  cmd.add_option("--system-prompt", o.system_prompt, "openai: a system message sent before each prompt")
      ->group(server);
  cmd.add_option("--header", o.headers,
                 "openai: NAME:VALUE sent with every request (repeatable); VALUE ${VAR} is read from the "
                 "environment variable VAR, redacted everywhere, never stored")
      ->group(server);
  cmd.add_option("--extra-body", o.extra_body,
                 "openai: a JSON object merged into every request body last, e.g. '{\"top_k\": 1}'")
      ->group(server);
  cmd.add_option("--image-max-side", o.image_max_side,
                 "openai: scale images whose longer side is larger down to this many pixels (PIL bicubic) "
                 "before sending (0: as they are)")
      ->capture_default_str()->check(CLI::NonNegativeNumber)->group(server);
  cmd.add_option("--image-format", o.image_format,
                 "openai: auto (PNG and JPEG as they are, anything else as PNG), png or jpeg (quality 90)")
      ->capture_default_str()->check(CLI::IsMember({"auto", "png", "jpeg"}))->group(server);
}

bool RecordOptions::db_explicit() const {
  return (db_option && db_option->count() > 0) || std::getenv("IMAXBENCH_DB") != nullptr;
}

void add_progress_option(CLI::App& cmd, std::string& mode, const std::string& work) {
  cmd.add_option("--progress", mode,
                 "auto (a line redrawn on a terminal, else a line every 10 s once " + work +
                     " takes that long), bar, lines, off")
      ->check(CLI::IsMember({"auto", "bar", "lines", "off"}))
      ->capture_default_str();
}

void add_record_options(CLI::App& cmd, RecordOptions& o, const std::string& name_flags, const std::string& name_help) {
  cmd.add_flag("--no-record", o.no_record, "Do not add the result to the leaderboard store");
  o.db_option = cmd.add_option("--db", o.db, "Leaderboard store")->envname("IMAXBENCH_DB")->capture_default_str();
  cmd.add_option(name_flags, o.name, name_help);
  cmd.add_option("--tag", o.tags, "Leaderboard tag (repeatable), e.g. nightly");
}

LeaderboardSinkOptions leaderboard_options(const RecordOptions& r, bool quiet) {
  LeaderboardSinkOptions o;
  o.db = r.db;
  o.db_explicit = r.db_explicit();
  o.out = quiet ? nullptr : &std::cout;
  o.info.model_name = r.name;
  o.info.tags = r.tags;
  return o;
}

std::string default_model_name(const std::string& backend, const std::string& model) {
  return model.empty() ? backend : backend + ":" + std::filesystem::path(model).filename().string();
}

std::shared_ptr<void> limit_threads(int threads) {
  if (threads <= 0) return nullptr;
  return std::make_shared<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<std::size_t>(threads));
}

}  // namespace imaxbench
