#include "harness/backend_driver.h"

#include <tbb/parallel_for.h>

#include <chrono>
#include <exception>
#include <thread>
#include <utility>

#include "core/error.h"

namespace imaxbench {

namespace {

class SteadyClock : public DriverClock {
 public:
  double now_s() override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
  void sleep_until_s(double t_s) override {
    using D = std::chrono::steady_clock::duration;
    std::this_thread::sleep_until(std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<D>(std::chrono::duration<double>(t_s))));
  }
};

// A backend that answered with the wrong number of responses: a bug in the backend, which profile
// reports as such instead of as failed requests.
struct BrokenContract : Error {
  using Error::Error;
};

std::vector<Response> checked_infer(Backend& backend, std::span<const Request> requests) {
  std::vector<Response> out = backend.infer(requests);
  if (out.size() != requests.size())
    throw BrokenContract("backend '" + backend.name() + "' returned " + std::to_string(out.size()) +
                         " responses for " + std::to_string(requests.size()) + " requests");
  return out;
}

std::string thrown_message() {
  try {
    throw;
  } catch (const std::exception& e) {
    return std::string("backend: ") + e.what();
  } catch (...) {
    return "backend: unknown exception";
  }
}

}  // namespace

DriverClock& steady_driver_clock() {
  static SteadyClock clock;
  return clock;
}

Query::Query(std::vector<Request> r)
    : requests(std::move(r)), responses(requests.size()), harness(requests.size()) {}

BackendDriver::BackendDriver(Backend& backend, bool image_reuse, DriverClock& clock)
    : backend_(backend), clock_(clock),
      images_(backend.image_spec(), image_reuse ? ImageCache::kDefaultBytes : 0) {}

void BackendDriver::prepare(Query& q) {
  if (!backend_.wants_images()) return;
  const double start = clock_.now_s();
  tbb::parallel_for(std::size_t(0), q.requests.size(), [&](std::size_t i) {
    Request& r = q.requests[i];
    bool prepared_here = false;
    const auto p = images_.get(r.image_path, prepared_here);
    if (prepared_here) q.harness[i].image_decode_ms = p->decode_ms, q.harness[i].preprocess_ms = p->preprocess_ms;
    if (!p->error.empty()) {
      q.responses[i].error = p->error;
      return;
    }
    r.image = p->image;
    r.pixels = p->pixels;
  });
  q.prepare_s = clock_.now_s() - start;
}

void BackendDriver::infer(Query& q, OnThrow on_throw) {
  std::vector<std::size_t> live;
  std::vector<Request> batch;
  for (std::size_t i = 0; i < q.requests.size(); ++i)
    if (q.responses[i].error.empty()) live.push_back(i), batch.push_back(std::move(q.requests[i]));
  auto place = [&](std::size_t k, Response r, double call_ms) {
    if (r.latency_ms <= 0) r.latency_ms = call_ms;  // every request waited for the whole call
    q.responses[live[k]] = std::move(r);
  };
  auto failed = [](std::string error) {
    Response r;
    r.error = std::move(error);
    return r;
  };
  q.infer_start_s = clock_.now_s();
  bool retry = false;
  if (!batch.empty()) {
    try {
      auto out = checked_infer(backend_, batch);
      const double ms = 1000 * (clock_.now_s() - q.infer_start_s);
      for (std::size_t k = 0; k < live.size(); ++k) place(k, std::move(out[k]), ms);
    } catch (const BrokenContract&) {
      if (on_throw == OnThrow::kFailQuery) throw;
      retry = true;
    } catch (...) {
      retry = on_throw == OnThrow::kRetryEach;
      if (!retry) {
        const std::string error = thrown_message();
        const double ms = 1000 * (clock_.now_s() - q.infer_start_s);
        for (std::size_t k = 0; k < live.size(); ++k) place(k, failed(error), ms);
      }
    }
  }
  for (std::size_t k = 0; retry && k < live.size(); ++k) {
    const double t1 = clock_.now_s();
    try {
      auto one = checked_infer(backend_, std::span<const Request>(&batch[k], 1));
      place(k, std::move(one[0]), 1000 * (clock_.now_s() - t1));
    } catch (...) {
      place(k, failed(thrown_message()), 1000 * (clock_.now_s() - t1));
    }
  }
  q.infer_end_s = clock_.now_s();
  for (std::size_t k = 0; k < live.size(); ++k) q.requests[live[k]] = std::move(batch[k]);
  for (Request& r : q.requests) r.image.reset(), r.pixels = {};
}

}  // namespace imaxbench
