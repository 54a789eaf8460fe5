// `torchscript`: a generative vision-language model from a model package (docs/model-package.md),
// run in process on LibTorch with batched greedy decoding. This side owns what the package does
// not: image preprocessing on the device, the tokenizer and chat template, splicing the image
// embeddings at the image token, left padding, position ids, the KV cache, argmax, per-sample
// stopping (eos or max_new_tokens) and per-stage timing.
#include <torch/cuda.h>

#include <chrono>
#include <fstream>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "backends/backend_factories.h"
#include "backends/base64.h"
#include "backends/gpu_preprocess.h"
#include "backends/mrope_positions.h"
#include "backends/torch/libtorch_functions.h"
#include "backends/torch/torch_device.h"
#include "backends/torch/image_feature_cache.h"
#include "backends/torch/prefix_kv.h"
#include "backends/torch/torchscript_model.h"
#include "backends/torchscript.h"
#include "images/image_decode.h"
#include "core/sha256.h"
#include "core/error.h"
#include "tokenizers/tokenizer.h"

namespace imaxbench {

namespace {

using Clock = std::chrono::steady_clock;
double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// One request on its way through generation.
struct Job {
  std::size_t slot = 0;               // index in the batch
  std::vector<std::int64_t> ids;      // prompt with the image token repeated image.tokens times
  std::size_t image_start = 0;        // first image position in `ids`
  std::vector<std::int32_t> out;      // generated tokens
  at::Tensor first_logits;            // [V] of the prefill, kept only for --trace-tokens
  bool done = false;
  Clock::time_point started, first, finished;  // prefill start, first token, stop
};

class TorchScriptBackend : public Backend {
 public:
  TorchScriptBackend(const BackendOptions& o, const TorchScriptSettings& settings)
      : pkg_(load_model_package(o.model)), spec_(parse_device(o.device)), device_(to_torch_device(spec_)),
        tokenizer_(load_tokenizer(pkg_.tokenizer_kind, pkg_.tokenizer_path)),
        max_new_(o.max_new_tokens > 0 ? o.max_new_tokens : pkg_.max_new_tokens),
        eos_(pkg_.eos_token_ids.begin(), pkg_.eos_token_ids.end()),
        features_(o.reuse_image_features ? ImageFeatureCache::kDefaultBytes : 0) {
    check_package_tokens(pkg_, *tokenizer_);
    if (o.check_conventions) o.check_conventions(model_conventions());  // before the weights load
    image_token_id_ = pkg_.image_token_id >= 0 ? pkg_.image_token_id : tokenizer_->token_id(pkg_.image_token);
    dtype_name_ = o.dtype.empty() ? pkg_.dtype : o.dtype;
    const at::ScalarType dtype = parse_dtype(dtype_name_);
    // float32 means float32: cuDNN's TF32 convolutions (on by default) would make GPU answers differ
    // from the CPU's. Process-wide, as LibTorch keeps the setting.
    if (spec_.is_gpu() && dtype == at::kFloat) {
      at::globalContext().setAllowTF32CuDNN(false);
      at::globalContext().setAllowTF32CuBLAS(false);
    }
    model_ = std::make_unique<TorchScriptModel>(pkg_, device_, dtype, settings.use_kv_cache, image_token_id_);
    prefixes_ = std::make_unique<PrefixSharing>(*model_, pkg_, o.reuse_image_features);
    // The CUDA/HIP preprocessing kernels write straight into a device tensor when this build has the
    // kernels for the device's runtime; otherwise the harness resizes on the CPU and normalisation
    // runs here on the device.
    const char* runtime = spec_.kind == DeviceSpec::Kind::kHip ? "hip" : "cuda";
    // The kernels do the bilinear stretch only; PIL's resizes (CLIP-style packages) run on the CPU.
    gpu_kernels_ = spec_.is_gpu() && gpu_preprocess_platform() == runtime && pkg_.image.resize == "bilinear";
    const auto f32 = at::TensorOptions().dtype(at::kFloat);
    const auto c = static_cast<std::int64_t>(pkg_.image.channels);
    mean_ = at::from_blob(pkg_.image.mean.data(), {1, c, 1, 1}, f32).to(device_).clone();
    std_ = at::from_blob(pkg_.image.std.data(), {1, c, 1, 1}, f32).to(device_).clone();
    if (!o.trace_path.empty()) {
      trace_.open(o.trace_path, std::ios::app | std::ios::binary);
      if (!trace_) throw Error(o.trace_path + ": cannot open for --trace-tokens");
    }
    // The peak starts from the loaded model: a float32 copy made while casting to --dtype is gone.
    libtorch::reset_peak_device_memory(spec_);
  }

  // The package's answer conventions; its image geometry maps boxes in the input's frame.
  ModelConventions model_conventions() const override {
    const bool pad = pkg_.image.resize == "pad_square_shortest_edge_crop";
    const bool crop = pad || pkg_.image.resize == "shortest_edge_crop";
    return {pkg_.manifest_path, pkg_.answer_box_format, pkg_.prompts,
            ModelInput{pkg_.image.width, pkg_.image.height, crop ? pkg_.image.shortest_edge : 0, pad}};
  }

  std::string name() const override { return "torchscript"; }
  std::string device() const override { return spec_.str(); }
  bool wants_images() const override { return true; }
  std::optional<std::int64_t> peak_device_memory_bytes() const override {
    return libtorch::peak_device_memory_bytes(spec_);
  }
  std::optional<BackendReuse> reuse() const override {
    BackendReuse r = reuse_;
    r.images_encoded = features_.encoded();
    r.image_encodes_reused = features_.reused();
    return r;
  }
  std::optional<ImageSpec> image_spec() const override {
    if (gpu_kernels_) return std::nullopt;
    ImageSpec spec;  // resize only (channels 1, mean 0, std 1); normalised here
    spec.width = pkg_.image.width;
    spec.height = pkg_.image.height;
    if (pkg_.image.resize == "bicubic") spec.resize = ImageSpec::Resize::kPilBicubic;
    if (pkg_.image.resize == "shortest_edge_crop") {
      spec.resize = ImageSpec::Resize::kPilShortestEdgeCrop;
      spec.shortest_edge = pkg_.image.shortest_edge;
    }
    if (pkg_.image.resize == "pad_square_shortest_edge_crop") {  // one plane per channel (the pad's colour)
      spec.resize = ImageSpec::Resize::kPilPadSquareShortestEdgeCrop;
      spec.shortest_edge = pkg_.image.shortest_edge;
      spec.channels = pkg_.image.channels;
      spec.pad_values = pkg_.image.pad_values;
    }
    return spec;
  }

  std::vector<std::pair<std::string, std::string>> manifest() const override {
    std::vector<std::pair<std::string, std::string>> v{
        {"libtorch", TORCH_VERSION},
        {"package", pkg_.name},
        {"package_manifest_sha256", sha256_file(pkg_.manifest_path)},
        {"module_sha256", sha256_file(pkg_.module_path)},
        {"tokenizer", pkg_.tokenizer_kind},
        {"tokenizer_sha256", sha256_file(pkg_.tokenizer_path)},
        {"dtype", dtype_name_},
        {"decoding", model_->uses_kv_cache() ? "greedy, kv_cache" : "greedy, full recomputation"},
        {"max_new_tokens", std::to_string(max_new_)},
        {"image_feature_reuse", features_.enabled() ? "on (encode_images once per distinct image)" : "off"},
        {"prefix_kv_reuse", prefixes_->on() ? "on (an image's prompt prefix prefilled once for all its questions)"
                            : features_.enabled() ? "off (the chat template puts the question before the image, "
                                                    "or decoding is full recomputation)"
                                                  : "off"},
        {"preprocess", gpu_kernels_ ? gpu_preprocess_platform() + " kernels" : "cpu resize (" + pkg_.image.resize + "), device normalise"}};
    if (spec_.is_gpu()) v.emplace_back("gpu_count", std::to_string(torch::cuda::device_count()));
    return v;
  }

  std::vector<Response> infer(std::span<const Request> batch) override {
    c10::InferenceMode guard;
    const auto t0 = Clock::now();
    std::vector<Response> out(batch.size());
    std::vector<Job> jobs;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      std::string error = prepare(batch[i], i, jobs);
      if (!error.empty()) out[i].error = std::move(error);
    }
    if (jobs.empty()) return out;
    const auto t_pre = Clock::now();
    at::Tensor pixels = batch_pixels(batch, jobs);
    sync();
    const auto t_vis = Clock::now();
    const std::vector<std::uint64_t> keys = image_keys(batch, jobs);
    at::Tensor image = features_.features(pixels, keys, [&](const at::Tensor& p) { return model_->encode_images(p); });
    sync();
    const auto t_vis_end = Clock::now();
    reuse_.vision_ms += ms_between(t_vis, t_vis_end);
    for (const Job& j : jobs) reuse_.prompt_tokens += static_cast<std::int64_t>(j.ids.size());
    if (model_->uses_kv_cache()) {
      generate_cached(jobs, image, keys);
    } else {
      for (std::size_t j = 0; j < jobs.size(); ++j) generate_full(jobs[j], image.narrow(0, j, 1));
    }
    if (trace_.is_open()) write_trace(batch, jobs, pixels);
    for (const Job& job : jobs) {
      Response& r = out[job.slot];
      std::vector<std::int32_t> text = job.out;
      if (!text.empty() && eos_.count(text.back())) text.pop_back();
      r.text = tokenizer_->decode(text, true);
      r.input_tokens = static_cast<std::int64_t>(job.ids.size());
      r.output_tokens = static_cast<std::int64_t>(job.out.size());
      r.stages.preprocess_ms = ms_between(t_pre, t_vis);
      r.stages.vision_ms = ms_between(t_vis, t_vis_end);
      r.stages.prefill_ms = ms_between(job.started, job.first);
      r.stages.decode_ms = ms_between(job.first, job.finished);
      r.ttft_ms = ms_between(t0, job.first);
      r.latency_ms = ms_between(t0, job.finished);
    }
    return out;
  }

 private:
  // Each job's image as a cache key: its path and the exact pixels the vision tower sees (the
  // preprocessed ones, or the decoded image where the GPU kernels preprocess), hashed.
  std::vector<std::uint64_t> image_keys(std::span<const Request> batch, const std::vector<Job>& jobs) const {
    std::vector<std::uint64_t> keys;
    for (const Job& j : jobs) {
      const Request& r = batch[j.slot];
      const auto bytes = gpu_kernels_ ? std::string_view(reinterpret_cast<const char*>(r.image->pixels.data()),
                                                         r.image->pixels.size() * sizeof(std::uint16_t))
                                      : std::string_view(reinterpret_cast<const char*>(r.pixels.data()),
                                                         r.pixels.size() * sizeof(float));
      const std::uint64_t h = std::hash<std::string_view>{}(bytes);
      keys.push_back(h ^ (std::hash<std::string>{}(r.image_path) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
    }
    return keys;
  }

  // Tokenizes one request into a Job; a problem with this request alone is returned as its error.
  std::string prepare(const Request& r, std::size_t slot, std::vector<Job>& jobs) const {
    if (gpu_kernels_ ? !r.image : r.pixels.size() != std::size_t(cpu_planes()) * pkg_.image.width * pkg_.image.height)
      return "torchscript: request came without its decoded image";
    PromptIds p;
    try {
      p = build_prompt_ids(pkg_, *tokenizer_, r.prompt);
    } catch (const std::exception& e) {
      return std::string("torchscript: tokenizing the prompt failed: ") + e.what();
    }
    Job job;
    job.slot = slot;
    job.ids.assign(p.ids.begin(), p.ids.begin() + static_cast<std::ptrdiff_t>(p.image_pos));
    job.image_start = job.ids.size();
    job.ids.insert(job.ids.end(), static_cast<std::size_t>(pkg_.image.tokens), image_token_id_);
    job.ids.insert(job.ids.end(), p.ids.begin() + static_cast<std::ptrdiff_t>(p.image_pos) + 1, p.ids.end());
    const std::size_t need = job.ids.size() + static_cast<std::size_t>(max_new_);
    if (need > static_cast<std::size_t>(pkg_.text.max_positions))
      return "torchscript: the prompt is " + std::to_string(job.ids.size()) + " tokens (" +
             std::to_string(pkg_.image.tokens) + " of them image) + max_new_tokens " + std::to_string(max_new_) +
             " > text.max_positions " + std::to_string(pkg_.text.max_positions) + " of the model";
    jobs.push_back(std::move(job));
    return "";
  }

  // Planes per image the harness prepares on the CPU: one gray plane repeated into every channel,
  // or one per channel where a coloured pad makes them differ.
  std::int64_t cpu_planes() const {
    return pkg_.image.resize == "pad_square_shortest_edge_crop" ? pkg_.image.channels : 1;
  }

  // The jobs' images as one normalised [B,C,H,W] tensor on the device, in the model's dtype.
  at::Tensor batch_pixels(std::span<const Request> batch, const std::vector<Job>& jobs) const {
    const auto n = static_cast<std::int64_t>(jobs.size());
    const std::int64_t c = pkg_.image.channels, h = pkg_.image.height, w = pkg_.image.width;
    at::Tensor x;
    if (gpu_kernels_) {
      std::vector<const GrayImage*> images;
      for (const Job& j : jobs) images.push_back(batch[j.slot].image.get());
      GpuPreprocessSpec gs{pkg_.image.width, pkg_.image.height, pkg_.image.channels, pkg_.image.mean,
                           pkg_.image.std, spec_.index};
      x = at::empty({n, c, h, w}, at::TensorOptions().dtype(at::kFloat).device(device_));
      gpu_preprocess_batch(images, gs, x.data_ptr<float>());
    } else {
      x = at::empty({n, cpu_planes(), h, w}, at::TensorOptions().dtype(at::kFloat));
      float* dst = x.data_ptr<float>();
      for (const Job& j : jobs) dst = std::copy(batch[j.slot].pixels.begin(), batch[j.slot].pixels.end(), dst);
      // (v - mean[c]) / std[c] in float32: the same arithmetic as images/preprocess_math.h.
      x = (x.to(device_).expand({n, c, h, w}) - mean_) / std_;
    }
    return x.to(model_->dtype());
  }

  // Batched greedy decoding with the package's KV cache; every job stops on its own (eos or
  // max_new_tokens) and the batch ends when all have. The cache's slots: a region for shared
  // prefixes (row b's, P_b tokens from PrefixSharing, right-aligned in it), then the rest of each
  // prompt, left-padded, then the generated tokens. Without shared prefixes (P_b = 0 for all) this
  // is plain left padding. Positions count each row's own tokens from 0, as if it ran alone.
  void generate_cached(std::vector<Job>& jobs, const at::Tensor& image, const std::vector<std::uint64_t>& keys) {
    const auto n = static_cast<std::int64_t>(jobs.size());
    const auto started = Clock::now();
    std::vector<PromptLayout> prompts;
    for (const Job& j : jobs) prompts.push_back({j.ids, j.image_start});
    const std::vector<PrefixKv> prefix = prefixes_->prefixes(prompts, image, keys, reuse_);
    auto prefix_len = [&](std::int64_t b) { return prefix[b].tokens; };
    std::int64_t head = 0, t = 0;  // the prefix region's width; the prefill's
    for (std::int64_t b = 0; b < n; ++b) {
      head = std::max(head, prefix_len(b));
      t = std::max(t, static_cast<std::int64_t>(jobs[b].ids.size()) - prefix_len(b));
    }
    const std::int64_t slots = head + t + max_new_;
    // position ids: [n, t], or [3, n, t] for M-RoPE (planes time, row, column); padding stays 0
    const std::int64_t planes = mrope_ ? 3 : 1;
    std::vector<std::int64_t> ids(static_cast<std::size_t>(n * t), pkg_.pad_token_id), pos(planes * n * t, 0), step0(n);
    std::vector<std::uint8_t> mask(static_cast<std::size_t>(n * slots), 0);
    for (std::int64_t b = 0; b < n; ++b) {
      const auto& p = jobs[b].ids;
      const std::int64_t skip = prefix_len(b), pad = t - (static_cast<std::int64_t>(p.size()) - skip);
      std::fill_n(mask.begin() + b * slots + head - skip, skip, 1);
      for (std::int64_t k = pad; k < t; ++k) {
        ids[b * t + k] = p[skip + k - pad];
        pos[b * t + k] = skip + k - pad;
        mask[b * slots + head + k] = 1;
      }
      step0[b] = static_cast<std::int64_t>(p.size());  // position of the first generated token
      if (mrope_) {
        const MropePositions m =
            mrope_positions(p.size(), jobs[b].image_start, pkg_.image.grid_rows, pkg_.image.grid_cols);
        for (std::int64_t plane = 0; plane < 3; ++plane)
          std::copy(m.planes[plane].begin() + skip, m.planes[plane].end(), pos.begin() + (plane * n + b) * t + pad);
        step0[b] = m.next;
      }
    }
    const auto i64 = at::TensorOptions().dtype(at::kLong);
    auto dev = [&](std::vector<std::int64_t>& v, at::IntArrayRef shape) {
      return at::from_blob(v.data(), shape, i64).to(device_);
    };
    at::Tensor key_mask = at::from_blob(mask.data(), {n, slots}, at::TensorOptions().dtype(at::kBool)).to(device_);
    at::Tensor embeds = model_->embed(dev(ids, {n, t}));
    auto [k_cache, v_cache] = model_->make_caches(n, slots);
    for (std::int64_t b = 0; b < n; ++b) {
      if (const std::int64_t p = prefix[b].tokens; p > 0) {  // the image is in it: keys and values as they are
        k_cache.select(1, b).narrow(2, head - p, p).copy_(prefix[b].k);
        v_cache.select(1, b).narrow(2, head - p, p).copy_(prefix[b].v);
        continue;
      }
      const std::int64_t at_pos = t - static_cast<std::int64_t>(jobs[b].ids.size()) +
                                  static_cast<std::int64_t>(jobs[b].image_start);
      embeds[b].narrow(0, at_pos, pkg_.image.tokens).copy_(image[b]);
    }
    const at::Tensor prefill_pos = mrope_ ? dev(pos, {3, n, t}) : dev(pos, {n, t});
    at::Tensor logits = model_->decode(embeds, prefill_pos, at::arange(head, head + t, i64.device(device_)), key_mask,
                                       k_cache, v_cache);
    const at::Tensor first_pos = dev(step0, {n, 1});
    for (std::int64_t step = 0;; ++step) {
      at::Tensor next = logits.argmax(-1);
      const at::Tensor host = next.to(at::kCPU);
      const auto now = Clock::now();
      bool all_done = true;
      for (std::int64_t b = 0; b < n; ++b) {
        Job& j = jobs[b];
        if (step == 0 && trace_.is_open()) j.first_logits = logits[b].to(at::kCPU, at::kFloat);
        if (step == 0) j.started = started, j.first = now;
        if (j.done) continue;
        j.out.push_back(static_cast<std::int32_t>(host.data_ptr<std::int64_t>()[b]));
        if (eos_.count(j.out.back()) || static_cast<int>(j.out.size()) >= max_new_) j.done = true, j.finished = now;
        all_done = all_done && j.done;
      }
      if (all_done) break;
      const std::int64_t slot = head + t + step;
      key_mask.select(1, slot).fill_(true);
      logits = model_->decode(model_->embed(next.view({n, 1})), model_->text_positions(first_pos + step),
                              at::full({1}, slot, i64.device(device_)), key_mask, k_cache, v_cache);
    }
  }

  // One request by full recomputation through forward(): no cache, no padding.
  void generate_full(Job& job, const at::Tensor& image) {
    job.started = Clock::now();
    at::Tensor ids = at::tensor(job.ids, at::TensorOptions().dtype(at::kLong)).view({1, -1}).to(device_);
    while (!job.done) {
      const at::Tensor logits = model_->forward(ids, image);
      if (job.out.empty() && trace_.is_open()) job.first_logits = logits[0].to(at::kCPU, at::kFloat);
      at::Tensor next = logits.argmax(-1);
      const auto token = static_cast<std::int32_t>(next.item<std::int64_t>());
      const auto now = Clock::now();
      if (job.out.empty()) job.first = now;
      job.out.push_back(token);
      if (eos_.count(token) || static_cast<int>(job.out.size()) >= max_new_) job.done = true, job.finished = now;
      ids = at::cat({ids, next.view({1, 1})}, 1);
    }
  }

  // --trace-tokens: what went into the model and what came out, exactly (floats as base64 of their
  // float32 little-endian bytes), so tests/tools/hf_equivalence.py can hold a converted package to
  // transformers sample by sample.
  void write_trace(std::span<const Request> batch, const std::vector<Job>& jobs, const at::Tensor& pixels) {
    auto floats = [](const at::Tensor& t) {
      const at::Tensor c = t.to(at::kCPU, at::kFloat).contiguous();
      return base64_encode(std::string_view(reinterpret_cast<const char*>(c.data_ptr<float>()),
                                            static_cast<std::size_t>(c.numel()) * sizeof(float)));
    };
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      const Job& job = jobs[j];
      const Request& r = batch[job.slot];
      nlohmann::json line = {{"id", r.id}, {"task", r.task}, {"image", r.image_path}, {"prompt", r.prompt},
                             {"prompt_ids", job.ids}, {"image_start", job.image_start}, {"output_ids", job.out},
                             {"pixels_shape", pixels[static_cast<std::int64_t>(j)].sizes().vec()},
                             {"pixels_f32", floats(pixels[static_cast<std::int64_t>(j)])},
                             {"first_logits_f32", job.first_logits.defined() ? floats(job.first_logits) : ""}};
      trace_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    trace_.flush();
  }

  // Timings must see the device's work finished; the CPU needs nothing.
  void sync() const {
    if (spec_.is_gpu()) torch::cuda::synchronize(spec_.index);
  }

  ModelPackage pkg_;
  DeviceSpec spec_;
  at::Device device_;
  std::unique_ptr<Tokenizer> tokenizer_;
  int max_new_;
  std::string dtype_name_;
  std::unordered_set<std::int32_t> eos_;
  std::int32_t image_token_id_ = 0;
  bool mrope_ = pkg_.position_ids == "mrope";
  std::unique_ptr<TorchScriptModel> model_;
  ImageFeatureCache features_;
  std::unique_ptr<PrefixSharing> prefixes_;  // made once the model is loaded
  BackendReuse reuse_;
  bool gpu_kernels_ = false;
  at::Tensor mean_, std_;
  std::ofstream trace_;
};

}  // namespace

std::unique_ptr<Backend> libtorch::make_torchscript_backend(const BackendOptions& options,
                                                           const TorchScriptSettings& settings) {
  if (options.model.empty())
    throw UsageError("backend torchscript needs --model DIR: a model package folder holding imaxbench-model.json "
                     "(python3 models/export_demo_vlm.py --out DIR writes a demo one; docs/model-package.md)");
  return std::make_unique<TorchScriptBackend>(options, settings);
}

int libtorch::gpu_count() { return static_cast<int>(torch::cuda::device_count()); }

}  // namespace imaxbench
