// `baseline`: nearest-neighbour retrieval, the standard floor of radiology report generation. Each
// query image is embedded (backends/image_index.h) on the run's device, the gallery image nearest
// to it is found, and the sample is answered from that neighbour's annotations by its task's rule
// (Task::baseline_answer, tasks/baseline_rule.h). --model is the gallery's suite file;
// docs/baseline.md has details. It lives in the harness, not backends/: it reads the gallery
// suite's references, which no backend may see (README "Architecture"). Its image index is in
// the LibTorch module.
#ifdef IMAXBENCH_HAVE_TORCH

#include <tbb/parallel_for.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "backends/image_index.h"
#include "backends/torch/device_memory.h"
#include "backends/torch_module.h"
#include "images/image_decode.h"
#include "images/preprocess.h"
#include "data/suite_loader.h"
#include "core/error.h"
#include "tasks/baseline_rule.h"
#include "harness/baseline_backend.h"

namespace imaxbench {

namespace {

class BaselineBackend : public Backend {
 public:
  explicit BaselineBackend(const BackendOptions& o)
      : device_(parse_device(o.device)), embedding_(make_tiny_image_embedding()) {
    SplitOptions split;
    split.strict = true;  // a bad gallery record is an error, never a silently smaller gallery
    gallery_ = load_suite_splits(o.model, "", split);
    std::map<std::string, std::size_t> by_path;
    for (const auto& data : gallery_.splits)
      for (const Sample& s : data.samples) {
        auto [it, added] = by_path.emplace(s.image_path, images_.size());
        if (added) images_.push_back({s.image_path, s.image_size.value_or(std::array<double, 2>{0, 0}), {}});
        images_[it->second].records.push_back(&s);
      }
    if (images_.empty()) throw Error(o.model + ": the gallery suite has no records");
    stats_ = gallery_stats(images_);
    const std::size_t in = static_cast<std::size_t>(embedding_.side) * embedding_.side;
    std::vector<float> pixels(images_.size() * in);
    tbb::parallel_for(std::size_t(0), images_.size(), [&](std::size_t i) {
      GrayImage img = decode_image(images_[i].image_path);  // ImageError names the file
      if (images_[i].size[0] <= 0) images_[i].size = {double(img.width), double(img.height)};
      preprocess_gray_to_chw(img, embedding_.side, embedding_.side, 0.f, 1.f, 1, pixels.data() + i * in);
    });
    index_ = make_torch_image_index(device_, embedding_, pixels, images_.size());
    reset_peak_device_memory(device_);  // the peak starts from the gallery embeddings on the device
    gallery_path_ = o.model;
  }

  std::string name() const override { return "baseline"; }
  std::string device() const override { return device_.str(); }
  bool wants_images() const override { return true; }
  std::optional<std::int64_t> peak_device_memory_bytes() const override {
    return imaxbench::peak_device_memory_bytes(device_);
  }
  std::optional<ImageSpec> image_spec() const override {
    ImageSpec spec;
    spec.width = spec.height = embedding_.side;  // one gray channel, values in [0, 1]
    return spec;
  }
  std::vector<std::pair<std::string, std::string>> manifest() const override {
    auto v = index_->versions();
    v.emplace_back("embedding", embedding_.signature());
    v.emplace_back("gallery_suite", gallery_.suite.name);
    v.emplace_back("gallery_suite_sha256", gallery_.suite.sha256);
    for (std::size_t i = 0; i < gallery_.suite.tasks.size(); ++i)
      v.emplace_back("gallery_split_sha256." + gallery_.suite.tasks[i].task, gallery_.splits[i].sha256);
    v.emplace_back("gallery_images", std::to_string(images_.size()));
    return v;
  }

  std::vector<Response> infer(std::span<const Request> batch) override {
    const std::size_t in = static_cast<std::size_t>(embedding_.side) * embedding_.side;
    std::vector<float> queries;
    queries.reserve(batch.size() * in);
    for (const Request& r : batch) {
      if (r.pixels.size() != in)
        throw Error("baseline: request '" + r.id + "' came without its preprocessed image");
      queries.insert(queries.end(), r.pixels.begin(), r.pixels.end());
    }
    std::vector<float> sims = index_->similarities(queries, batch.size());
    const std::size_t g = images_.size();
    std::vector<Response> out(batch.size());
    std::vector<std::size_t> ranked(g);
    for (std::size_t b = 0; b < batch.size(); ++b) {
      const float* row = sims.data() + b * g;
      std::iota(ranked.begin(), ranked.end(), std::size_t(0));
      std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t x, std::size_t y) { return row[x] > row[y]; });
      const Request& r = batch[b];
      std::array<double, 2> size = r.inputs.image_size.value_or(std::array<double, 2>{0, 0});
      if (size[0] <= 0 && r.image) size = {double(r.image->width), double(r.image->height)};
      BaselineAnswer a = baseline_answer(r.task, r.inputs, size, r.box_format, images_, ranked, stats_);
      out[b].text = std::move(a.text);
      out[b].error = std::move(a.error);
      out[b].output_tokens = 0;
    }
    return out;
  }

 private:
  DeviceSpec device_;
  TinyImageEmbedding embedding_;
  LoadedSuite gallery_;
  std::vector<GalleryImage> images_;
  GalleryStats stats_;
  std::unique_ptr<ImageIndex> index_;
  std::string gallery_path_;
};

}  // namespace

std::unique_ptr<Backend> make_baseline_backend(const BackendOptions& options) {
  if (options.model.empty())
    throw UsageError("backend baseline needs --model GALLERY.json: the gallery's suite file "
                     "(the sample suite ships suites/sample/gallery/suite.json)");
  torch_module();  // its index runs on LibTorch: a missing module is named before the gallery is read
  return std::make_unique<BaselineBackend>(options);
}

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_TORCH
