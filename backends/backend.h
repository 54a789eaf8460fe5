// The boundary between the harness and a model (MLPerf LoadGen's SUT): requests in, one response
// per request out, same order. Per-sample failures are values (Response::error), not exceptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/model_conventions.h"
#include "core/sample.h"
#include "images/image_spec.h"

namespace imaxbench {

struct GrayImage;  // images/image_decode.h

struct Request {
  std::size_t index = 0;   // position of the sample in the evaluated list
  std::string id;          // sample id
  std::string task;        // task name
  std::string image_path;  // resolved path on disk
  std::string prompt;      // text prompt, template filled
  std::string box_format;  // rec/reg: the resolved box format (suite, else the model's, else "auto")
  // Set by the harness for backends whose wants_images() is true; null otherwise.
  std::shared_ptr<const GrayImage> image;  // decoded, full size
  std::vector<float> pixels;               // preprocessed CHW per image_spec(); empty without one
  // The record's task inputs (the reg box, the vqa question, ...), never its references; a backend
  // that answers from structured inputs (baseline) reads them here.
  SampleInputs inputs;
};

// Time spent per stage for one request, in milliseconds (0 when a backend has no such stage).
struct StageTimes {
  double image_decode_ms = 0, preprocess_ms = 0, vision_ms = 0, prefill_ms = 0, decode_ms = 0;
};

struct Response {
  std::string text;
  std::string error;          // non-empty: this sample failed
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  double latency_ms = 0;      // request latency as the backend saw it
  double ttft_ms = 0;         // time to first token, generative backends
  StageTimes stages;
};

struct BackendOptions {
  std::string model;        // --model
  std::string device = "cpu";
  int batch_size = 1;
  std::string endpoint;     // openai
  std::string api_key_env;  // openai
  int concurrency = 4;      // openai: requests in flight at once
  double timeout_s = 300;   // openai: one HTTP attempt, connect to last byte
  int retries = 3;          // openai: extra attempts after 429, 5xx or a dropped connection
  bool stream = true;       // openai: stream the answer (time to first token) or wait for all of it
  std::int64_t max_answer_bytes = 64 << 20;  // openai: a longer answer fails its sample, streamed or not
  std::string model_id;     // openai: the served model name (default: --model)
  double temperature = 0;   // openai: sampling settings sent with each request
  std::optional<double> top_p;
  std::optional<std::int64_t> sampling_seed;
  std::string system_prompt;
  std::string extra_body;   // openai: a JSON object merged into each request body
  std::vector<std::string> headers;  // openai: NAME:VALUE, VALUE ${VAR} from the environment
  int image_max_side = 0;   // openai: images longer than this are scaled down before sending
  std::string image_format = "auto";  // openai: auto (as they are), png or jpeg
  int max_new_tokens = 0;   // 0: the model's default
  std::string dtype;        // torchscript: float32|float16|bfloat16
  std::string trace_path;   // torchscript: append each sample's model inputs and outputs here (JSONL)
  // torchscript: encode_images once per distinct image, and each image prefix's KV cache computed once
  // for all its questions (--no-image-reuse: neither)
  bool reuse_image_features = true;
  int delay_ms = 0;         // replay: sleep this long per batch (tests of kill and resume)
  // The harness's check of what a model declares (tasks/model_conventions.h), for a backend to run
  // as soon as it knows its conventions: before loading weights, so a bad prompt template in a
  // package fails in a second, not after minutes. Throws Error naming the field. May be empty.
  std::function<void(const ModelConventions&)> check_conventions;
};

// What a backend did not repeat because requests share an image (the torchscript backend):
// vision-tower runs, and prompt tokens whose KV cache came from an earlier request's identical
// prefix (system text, template and image; backends/torch/prefix_kv.h).
struct BackendReuse {
  std::size_t images_encoded = 0, image_encodes_reused = 0;
  double vision_ms = 0;                     // time in encode_images, all calls
  std::int64_t prompt_tokens = 0;           // every request's prompt, image tokens included
  std::int64_t prefix_tokens_reused = 0;    // of those, taken from a cached prefix
  std::size_t prefixes_computed = 0;        // prefixes run through the model on their own
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual std::string device() const = 0;
  // Library versions and settings for the run manifest (e.g. "libtorch": "1.13.1").
  virtual std::vector<std::pair<std::string, std::string>> manifest() const { return {}; }
  // True: the harness decodes each request's image (and preprocesses it when image_spec() is set)
  // in its parallel stage before infer(). A decode failure becomes that sample's error.
  virtual bool wants_images() const { return false; }
  virtual std::optional<ImageSpec> image_spec() const { return std::nullopt; }
  virtual std::vector<Response> infer(std::span<const Request> batch) = 0;
  // Peak device memory held by the CUDA/HIP caching allocator since the backend was made, for
  // `imaxbench profile`; nullopt where there is none or it is unknown.
  virtual std::optional<std::int64_t> peak_device_memory_bytes() const { return std::nullopt; }
  // Image-centric reuse inside the backend since it was made, for `profile` and the run's
  // results; nullopt where the backend has none.
  virtual std::optional<BackendReuse> reuse() const { return std::nullopt; }
  // True when infer() may be called from several threads at once (an HTTP client): `profile
  // --scenario server` then keeps up to --concurrency calls in flight. Otherwise calls are serial.
  virtual bool concurrent_infer() const { return false; }
  // What the model declares about talking to it: its native box format, per-task prompt templates
  // and how it makes its input image (tasks/model_conventions.h). The suite overrides the first
  // two per task; empty: nothing declared.
  virtual ModelConventions model_conventions() const { return {}; }
};

}  // namespace imaxbench
