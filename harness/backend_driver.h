// How `run` and `profile` drive a backend: one query (the requests handed to infer() together) at
// a time, in two steps.
//   prepare()  each request's image decoded and preprocessed, in parallel across the query, each
//              file once while it stays in the bounded cache (images/image_cache.h);
//   infer()    Backend::infer on the requests whose image is ready, its contract checked (one
//              response per request), a throwing call failing its requests or retried one request
//              at a time, a response without its own latency given the call's.
// `run` puts the steps in different pipeline stages so that decoding overlaps inference; `profile`
// runs them in turn and times each on its (possibly virtual) clock.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "images/image_cache.h"

namespace imaxbench {

// The drivers' time source: steady_clock in a run or profile; a virtual clock in tests, so that
// latency and throughput accounting can be checked exactly.
class DriverClock {
 public:
  virtual ~DriverClock() = default;
  virtual double now_s() = 0;                  // monotonic seconds
  virtual void sleep_until_s(double t_s) = 0;  // returns at once when t_s has passed
};
DriverClock& steady_driver_clock();

struct Query {
  std::vector<Request> requests;
  std::vector<Response> responses;  // one per request; an image that failed is its error
  std::vector<StageTimes> harness;  // per request: decode and preprocess (ms) the harness spent on
                                    // it (0 for an image another request of the run prepared)
  double prepare_s = 0;             // wall time of prepare()
  double infer_start_s = 0, infer_end_s = 0;  // clock readings around the infer() call(s)

  explicit Query(std::vector<Request> r);
};

// What infer() does when Backend::infer throws (or breaks its contract):
//   kRetryEach  the requests are retried one at a time; a request that still fails carries the
//               error (run: a bad sample costs only itself);
//   kFailQuery  the query's requests fail with the error, and a broken contract is thrown as Error
//               (profile: every request of a timed query is the query's).
enum class OnThrow { kRetryEach, kFailQuery };

class BackendDriver {
 public:
  // image_reuse false: every request decodes its file afresh (a per-sample measurement).
  BackendDriver(Backend& backend, bool image_reuse, DriverClock& clock = steady_driver_clock());

  void prepare(Query& q);
  // Leaves the requests without their images (memory freed before answers are parsed or written).
  void infer(Query& q, OnThrow on_throw);

  const ImageCache& images() const { return images_; }

 private:
  Backend& backend_;
  DriverClock& clock_;
  ImageCache images_;
};

}  // namespace imaxbench
