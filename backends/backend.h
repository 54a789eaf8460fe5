// The boundary between the harness and a model (MLPerf LoadGen's SUT): requests in, one response
// per request out, same order. Per-sample failures are values (Response::error), not exceptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tasks/model_conventions.h"

namespace imaxbench {

struct GrayImage;  // harness/image_decode.h
struct Sample;     // tasks/sample.h

// How a backend wants its images prepared by the harness (resize, normalise, channels), so that
// decoding and preprocessing run in the harness's parallel stage, overlapping inference.
struct ImageSpec {
  // How the image reaches width x height (harness/preprocess.h, harness/pil_resize.h).
  enum class Resize {
    kBilinear,             // torch interpolate (align_corners=false, no antialias) of pixel / max_value
    kPilBicubic,           // PIL bicubic stretch of the 8-bit image, then v / 255 (fixed-grid processors)
    kPilShortestEdgeCrop,  // CLIPImageProcessor: PIL bicubic to shortest_edge, centre crop, v / 255
    // LLaVA's image_aspect_ratio "pad": padded to a square with pad_values[c], then as above; one
    // plane per channel, as the pad's colour differs per channel.
    kPilPadSquareShortestEdgeCrop,
  };
  int width = 0, height = 0;  // output size (the crop size for kPilShortestEdgeCrop)
  int channels = 1;           // the gray value repeated per channel
  float mean = 0, std = 1;    // (resized value in [0, 1] - mean) / std
  Resize resize = Resize::kBilinear;
  int shortest_edge = 0;  // kPilShortestEdgeCrop: the short side before cropping (> 0)
  std::vector<int> pad_values;  // kPilPadSquareShortestEdgeCrop: the pad's 8-bit value, one per channel
};

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
  // The validated record the request came from (outlives the call); lets backends that answer from
  // annotations (baseline) read structured inputs such as the reg box or the vqa question.
  const Sample* sample = nullptr;
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
  int max_new_tokens = 0;   // 0: the model's default
  std::string dtype;        // torchscript: float32|float16|bfloat16
  std::string trace_path;   // torchscript: append each sample's model inputs and outputs here (JSONL)
  bool reuse_image_features = true;  // torchscript: encode_images once per distinct image (--no-image-reuse)
  int delay_ms = 0;         // replay: sleep this long per batch (tests of kill and resume)
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
  // True when infer() may be called from several threads at once (an HTTP client): `profile
  // --scenario server` then keeps up to --concurrency calls in flight. Otherwise calls are serial.
  virtual bool concurrent_infer() const { return false; }
  // What the model declares about talking to it: its native box format, per-task prompt templates
  // and how it makes its input image (tasks/model_conventions.h). The suite overrides the first
  // two per task; empty: nothing declared.
  virtual ModelConventions model_conventions() const { return {}; }
};

struct BackendInfo {
  std::string_view name;
  std::string_view description;
  bool available;            // compiled in
  std::string_view why_not;  // when unavailable
  std::unique_ptr<Backend> (*make)(const BackendOptions& options);
  // Set for backends built into a module rather than imaxbench itself: where, and whether it is
  // there (`list backends`). Must not open the module.
  std::string (*location)() = nullptr;
};

std::span<const BackendInfo> all_backends();
// Throws UsageError naming the known backends, or Error when the backend is not compiled in.
std::unique_ptr<Backend> make_backend(std::string_view name, const BackendOptions& options);

}  // namespace imaxbench
