// Test-only helper for tests/golden/diff_coco.py and ci/bench_text_vs_reference.py: runs the
// pycocoevalcap-flavoured metrics, or pycocoevalcap's tokenizer, on JSON input; prints JSON.
//
//   imaxbench_coco_text_tool score FILE   {"metrics": ["bleu_4", ...], "threads": 1, "repeat": 1,
//                                          "samples": [{"refs": [..], "hyp": ".." | null}]}
//   imaxbench_coco_text_tool tokens FILE  {"captions": [..], "batch": false}
//
// Scoring follows harness/evaluate.cc: compute_metric_rows (TBB with `threads` workers), then
// score_subset over every index. `seconds` is the best of `repeat` runs of all metrics together,
// tokenization included, JSON input and output excluded. A null hyp is a missing prediction.
// "batch": true tokenizes the captions as one pycocoevalcap call. `cpu_seconds`: the process's
// CPU time (all threads) of the best run.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <limits>
#include <numeric>

#include <nlohmann/json.hpp>
#include <tbb/global_control.h>

#include "metrics/metric.h"
#include "metrics/text/ptb_tokenizer.h"
#include "core/error.h"

namespace imaxbench {
namespace {

using nlohmann::json;

// The scores of `names`, as harness/evaluate.cc computes them: compute_metric_rows, then
// score_subset over every index.
json score_all(const json& names, const std::vector<const Sample*>& samples,
               const std::vector<Prediction>& predictions) {
  std::vector<std::unique_ptr<Metric>> owned;
  std::vector<const Metric*> metrics;
  for (const json& name : names) {
    owned.push_back(make_metric(name.get<std::string>(), json::object()));
    metrics.push_back(owned.back().get());
  }
  const std::vector<MetricRows> rows = compute_metric_rows(metrics, samples, predictions);
  std::vector<std::uint32_t> all(samples.size());
  std::iota(all.begin(), all.end(), 0u);
  json scores = json::object();
  for (std::size_t m = 0; m < metrics.size(); ++m)
    scores[names[m].get<std::string>()] = metrics[m]->score_subset(rows[m], all);
  return scores;
}

json run_score(const json& in) {
  const int threads = in.value("threads", 1);
  const int repeat = std::max(1, in.value("repeat", 1));
  std::vector<Sample> samples;
  std::vector<Prediction> predictions;
  for (const json& s : in.at("samples")) {
    Sample sample;
    sample.id = std::to_string(samples.size());
    sample.kind = AnswerKind::kText;
    for (const json& r : s.at("refs")) sample.ref_texts.push_back(r.get<std::string>());
    Prediction p;
    if (!s.at("hyp").is_null()) {
      p.present = p.parsed = true;
      p.text = s.at("hyp").get<std::string>();
    }
    samples.push_back(std::move(sample));
    predictions.push_back(std::move(p));
  }
  std::vector<const Sample*> sample_ptrs;
  for (const Sample& sample : samples) sample_ptrs.push_back(&sample);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  json scores;
  double best = std::numeric_limits<double>::infinity(), best_cpu = best;
  using Clock = std::chrono::steady_clock;
  for (int r = 0; r < repeat; ++r) {
    const auto start = Clock::now();
    const std::clock_t cpu_start = std::clock();
    scores = score_all(in.at("metrics"), sample_ptrs, predictions);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
    best_cpu = std::min(best_cpu, double(std::clock() - cpu_start) / CLOCKS_PER_SEC);
  }
  return {{"scores", scores}, {"seconds", best}, {"cpu_seconds", best_cpu}};
}

int run(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: imaxbench_coco_text_tool score|tokens FILE\n";
    return 2;
  }
  std::ifstream file(argv[2]);
  if (!file) throw Error(std::string("cannot open ") + argv[2]);
  const json in = json::parse(file);
  const std::string command = argv[1];
  json out;
  if (command == "score") {
    out = run_score(in);
  } else if (command == "tokens") {
    const auto captions = in.at("captions").get<std::vector<std::string>>();
    if (in.value("batch", false)) {
      out = coco_tokenize_batch(captions);
    } else {
      out = json::array();
      for (const auto& c : captions) out.push_back(coco_tokenize(c));
    }
  } else {
    std::cerr << "unknown command '" << command << "'\n";
    return 2;
  }
  std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  return 0;
}

}  // namespace
}  // namespace imaxbench

int main(int argc, char** argv) {
  try {
    return imaxbench::run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "imaxbench_coco_text_tool: " << e.what() << "\n";
    return 1;
  }
}
