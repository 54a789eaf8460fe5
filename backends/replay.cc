// `replay`: answers from a predictions file (docs/formats.md §3) or an earlier run's journal, so a
// run's pipeline, journal, resume and scoring can be exercised and re-run without a model. An id
// the file lacks, and a journaled failure, come back as that sample's error.
#include <chrono>
#include <thread>

#include "backends/backend_factories.h"
#include "core/answers.h"
#include "core/sha256.h"
#include "core/error.h"

namespace imaxbench {

namespace {

class ReplayBackend : public Backend {
 public:
  explicit ReplayBackend(const BackendOptions& o)
      : path_(o.model), delay_ms_(o.delay_ms), answers_(read_answers(o.model, false)) {
    if (!answers_.problems.empty())
      throw Error("replay: " + answers_.problems.front() +
                  (answers_.problems.size() > 1
                       ? " (and " + std::to_string(answers_.problems.size() - 1) + " more problems)"
                       : ""));
  }
  std::string name() const override { return "replay"; }
  std::string device() const override { return "none"; }
  std::vector<std::pair<std::string, std::string>> manifest() const override {
    return {{"answers", path_}, {"answers_count", std::to_string(answers_.by_id.size())}};
  }
  std::vector<Response> infer(std::span<const Request> batch) override {
    if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
    std::vector<Response> out(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto it = answers_.by_id.find(batch[i].id);
      if (it == answers_.by_id.end()) {
        out[i].error = "replay: " + path_ + " has no answer for this id";
        continue;
      }
      out[i].text = it->second.text;
      out[i].error = it->second.error;
      if (it->second.output_tokens >= 0) out[i].output_tokens = it->second.output_tokens;
    }
    return out;
  }

 private:
  std::string path_;
  int delay_ms_;
  AnswerSet answers_;
};

}  // namespace

std::unique_ptr<Backend> make_replay_backend(const BackendOptions& options) {
  if (options.model.empty())
    throw UsageError("backend replay needs --model PATH: a predictions JSONL file or a run's samples.jsonl");
  if (options.device != "cpu" && options.device != "none")
    throw UsageError("backend replay runs no model; leave --device at cpu (got '" + options.device + "')");
  return std::make_unique<ReplayBackend>(options);
}

}  // namespace imaxbench
