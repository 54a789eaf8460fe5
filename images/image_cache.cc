#include "images/image_cache.h"

#include <chrono>
#include <future>

#include "images/preprocess.h"

namespace imaxbench {

namespace {
double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

struct ImageCache::Slot {
  std::shared_future<std::shared_ptr<const PreparedImage>> value;
  std::list<std::string>::iterator recent;
  std::size_t bytes = 0;  // 0 until the preparation is done (then counted in bytes_)
};

std::size_t PreparedImage::bytes() const {
  return (image ? image->pixels.size() * sizeof(std::uint16_t) : 0) + pixels.size() * sizeof(float) + error.size();
}

ImageCache::ImageCache(std::optional<ImageSpec> spec, std::size_t max_bytes)
    : spec_(std::move(spec)), max_bytes_(max_bytes) {}

std::shared_ptr<const PreparedImage> ImageCache::prepare(const std::string& path) const {
  auto out = std::make_shared<PreparedImage>();
  try {
    const auto t0 = std::chrono::steady_clock::now();
    auto image = std::make_shared<GrayImage>(decode_image(path));
    out->decode_ms = ms_since(t0);
    if (spec_) {
      const auto t1 = std::chrono::steady_clock::now();
      out->pixels.resize(static_cast<std::size_t>(spec_->channels) * spec_->width * spec_->height);
      preprocess_for_spec(*image, *spec_, out->pixels.data());
      out->preprocess_ms = ms_since(t1);
    }
    out->image = std::move(image);
  } catch (const std::exception& e) {
    out->error = std::string("image: ") + e.what();
  }
  return out;
}

std::shared_ptr<const PreparedImage> ImageCache::get(const std::string& path, bool& prepared_here) {
  std::promise<std::shared_ptr<const PreparedImage>> promise;
  std::shared_future<std::shared_ptr<const PreparedImage>> ready;  // another call prepares it
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = slots_.find(path); it != slots_.end()) {
      recent_.splice(recent_.begin(), recent_, it->second->recent);
      ++reuses_;
      ready = it->second->value;
    } else {
      ++preparations_;
      if (max_bytes_ > 0) {
        slot = std::make_shared<Slot>();
        slot->value = promise.get_future().share();
        recent_.push_front(path);
        slot->recent = recent_.begin();
        slots_.emplace(path, slot);
      }
    }
  }
  prepared_here = !ready.valid();
  if (ready.valid()) return ready.get();  // waits while that preparation is in flight
  auto result = prepare(path);
  if (slot) promise.set_value(result);
  std::lock_guard<std::mutex> lock(mu_);
  prepared_ms_ += result->decode_ms + result->preprocess_ms;
  if (!slot) return result;
  if (auto it = slots_.find(path); it != slots_.end() && it->second == slot) {  // not evicted meanwhile
    slot->bytes = result->bytes();
    bytes_ += slot->bytes;
    evict_locked();
  }
  return result;
}

// Least recently used first; entries still being prepared (bytes 0) are not counted yet. A
// waiter holds its own copy of the future, so evicting a slot never leaves one without a value.
void ImageCache::evict_locked() {
  while (bytes_ > max_bytes_ && !recent_.empty()) {
    const std::string victim = recent_.back();
    auto it = slots_.find(victim);
    bytes_ -= it->second->bytes;
    recent_.pop_back();
    slots_.erase(it);
  }
}

std::size_t ImageCache::preparations() const {
  std::lock_guard<std::mutex> lock(mu_);
  return preparations_;
}

double ImageCache::prepared_ms() const {
  std::lock_guard<std::mutex> lock(mu_);
  return prepared_ms_;
}

std::size_t ImageCache::reuses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reuses_;
}

}  // namespace imaxbench
