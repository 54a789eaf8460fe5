// The driver `run` and `profile` share (harness/backend_driver.h), with a backend double: a throwing
// batch retried one request at a time (run) or failing the query (profile), a wrong response count
// retried (run) or thrown (profile), an image that cannot be read failing only its request and
// never reaching infer(), and a response without its own latency given the call's.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "core/error.h"
#include "harness/backend_driver.h"

namespace imaxbench {
namespace {

// Clock that moves only when the backend says so, so latencies are exact.
class StepClock : public DriverClock {
 public:
  double t = 100;
  double now_s() override { return t; }
  void sleep_until_s(double until) override { t = std::max(t, until); }
};

// Answers "ok <id>" after 0.5 s of clock; a batch of more than one holding a `poison` id throws;
// a batch of `short_for` requests gets one response too few.
class Double : public Backend {
 public:
  explicit Double(StepClock& c) : clock(c) {}
  StepClock& clock;
  std::set<std::string> poison;
  std::size_t short_for = 0;
  bool images = false;
  std::vector<std::size_t> calls;  // batch sizes seen

  std::string name() const override { return "double"; }
  std::string device() const override { return "cpu"; }
  bool wants_images() const override { return images; }
  std::vector<Response> infer(std::span<const Request> batch) override {
    calls.push_back(batch.size());
    clock.t += 0.5;
    for (const Request& r : batch) {
      if (images) EXPECT_NE(r.image, nullptr) << r.id;
      if (batch.size() > 1 && poison.count(r.id)) throw std::runtime_error("batch broke on " + r.id);
    }
    std::vector<Response> out(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) out[i].text = "ok " + batch[i].id;
    if (batch.size() == short_for) out.pop_back();
    return out;
  }
};

Query query_of(std::vector<std::string> ids, std::vector<std::string> paths = {}) {
  std::vector<Request> reqs;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Request r;
    r.id = ids[i];
    r.image_path = i < paths.size() ? paths[i] : "";
    reqs.push_back(r);
  }
  return Query(std::move(reqs));
}

TEST(BackendDriver, ThrowingBatchIsRetriedOneByOneInRun) {
  StepClock clock;
  Double b(clock);
  b.poison = {"b"};
  BackendDriver d(b, true, clock);
  Query q = query_of({"a", "b", "c"});
  d.infer(q, OnThrow::kRetryEach);
  EXPECT_EQ(b.calls, (std::vector<std::size_t>{3, 1, 1, 1}));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(q.responses[i].error, "");
    EXPECT_EQ(q.responses[i].text, "ok " + q.requests[i].id);
    EXPECT_DOUBLE_EQ(q.responses[i].latency_ms, 500);  // its own call, not the failed batch
  }
  EXPECT_DOUBLE_EQ(q.infer_end_s - q.infer_start_s, 2.0);
}

TEST(BackendDriver, ThrowingBatchFailsItsQueryInProfile) {
  StepClock clock;
  Double b(clock);
  b.poison = {"b"};
  BackendDriver d(b, true, clock);
  Query q = query_of({"a", "b", "c"});
  d.infer(q, OnThrow::kFailQuery);
  EXPECT_EQ(b.calls, (std::vector<std::size_t>{3}));
  for (const Response& r : q.responses) {
    EXPECT_EQ(r.error, "backend: batch broke on b");
    EXPECT_DOUBLE_EQ(r.latency_ms, 500);
  }
}

TEST(BackendDriver, WrongResponseCountIsRetriedInRunAndThrownInProfile) {
  StepClock clock;
  Double b(clock);
  b.short_for = 2;
  BackendDriver d(b, true, clock);
  Query run = query_of({"a", "b"});
  d.infer(run, OnThrow::kRetryEach);
  EXPECT_EQ(run.responses[0].text, "ok a");
  EXPECT_EQ(run.responses[1].text, "ok b");
  Query profile = query_of({"a", "b"});
  try {
    d.infer(profile, OnThrow::kFailQuery);
    FAIL() << "a broken contract must be thrown";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "backend 'double' returned 1 responses for 2 requests");
  }
}

TEST(BackendDriver, UnreadableImageFailsOnlyItsRequest) {
  StepClock clock;
  Double b(clock);
  b.images = true;
  BackendDriver d(b, true, clock);
  const std::string image = std::string(IMAXBENCH_SOURCE_DIR) + "/suites/sample/images/cxr_000.png";
  Query q = query_of({"a", "b", "c"}, {image, "/nonexistent/missing.png", image});
  d.prepare(q);
  EXPECT_EQ(q.responses[0].error, "");
  EXPECT_NE(q.responses[1].error.find("missing.png"), std::string::npos) << q.responses[1].error;
  EXPECT_EQ(d.images().preparations(), 2u);  // cxr_000.png once for both its requests
  EXPECT_EQ(d.images().reuses(), 1u);
  EXPECT_GT(q.harness[0].image_decode_ms + q.harness[2].image_decode_ms, 0);
  EXPECT_EQ(q.harness[0].image_decode_ms * q.harness[2].image_decode_ms, 0);  // one of them decoded it
  d.infer(q, OnThrow::kRetryEach);
  EXPECT_EQ(b.calls, (std::vector<std::size_t>{2}));  // the failed request never reaches infer()
  EXPECT_EQ(q.responses[0].text, "ok a");
  EXPECT_EQ(q.responses[2].text, "ok c");
  for (const Request& r : q.requests) EXPECT_EQ(r.image, nullptr);  // released after infer()
  EXPECT_EQ(q.requests[1].id, "b");  // requests keep their ids for the journal
}

}  // namespace
}  // namespace imaxbench
