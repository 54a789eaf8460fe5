// Test-only helper for tests/golden/diff_coco.py and ci/bench_text_vs_reference.py: runs the
// pycocoevalcap-flavoured metrics, or pycocoevalcap's tokenizer, on JSON input; prints JSON.
//
//   imaxbench_coco_text_tool score FILE   {"metrics": ["bleu_4", ...], "threads": 1, "repeat": 1,
//                                          "samples": [{"refs": [..], "hyp": ".." | null}]}
//   imaxbench_coco_text_tool tokens FILE  {"captions": [..], "batch": false}
//
// Scoring follows harness/evaluate.cc: sample_stats and sample_extra per sample (TBB with
// `threads` workers), then score_subset over every index. `seconds` is the best of `repeat` runs
// of all metrics together, tokenization included, JSON input and output excluded. A null hyp is a
// missing prediction. "batch": true tokenizes the captions as one pycocoevalcap call.
// `cpu_seconds`: the process's CPU time (all threads) of the best run; `metric_seconds` splits the
// last run's wall time by metric.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <limits>
#include <numeric>

#include <nlohmann/json.hpp>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "metrics/metric.h"
#include "metrics/text/ptb_tokenizer.h"
#include "tasks/error.h"

namespace imaxbench {
namespace {

using nlohmann::json;

double score_metric(const Metric& metric, const std::vector<Sample>& samples,
                    const std::vector<Prediction>& predictions) {
  MetricRows rows;
  rows.width = metric.num_stats();
  rows.rows.assign(samples.size() * rows.width, 0.0);
  std::vector<std::shared_ptr<const SampleExtra>> extras(samples.size());
  tbb::parallel_for(std::size_t{0}, samples.size(), [&](std::size_t i) {
    metric.sample_stats(samples[i], predictions[i], {rows.rows.data() + i * rows.width, rows.width});
    extras[i] = metric.sample_extra(samples[i], predictions[i]);
  });
  if (std::any_of(extras.begin(), extras.end(), [](const auto& e) { return e != nullptr; }))
    rows.extras = std::move(extras);
  std::vector<std::uint32_t> all(samples.size());
  std::iota(all.begin(), all.end(), 0u);
  return metric.score_subset(rows, all);
}

json run_score(const json& in) {
  const int threads = in.value("threads", 1);
  const int repeat = std::max(1, in.value("repeat", 1));
  std::vector<Sample> samples;
  std::vector<Prediction> predictions;
  for (const json& s : in.at("samples")) {
    Sample sample;
    sample.id = std::to_string(samples.size());
    for (const json& r : s.at("refs")) sample.ref_texts.push_back(r.get<std::string>());
    Prediction p;
    if (!s.at("hyp").is_null()) {
      p.present = p.parsed = true;
      p.text = s.at("hyp").get<std::string>();
    }
    samples.push_back(std::move(sample));
    predictions.push_back(std::move(p));
  }
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  json scores = json::object(), metric_seconds = json::object();
  double best = std::numeric_limits<double>::infinity(), best_cpu = best;
  using Clock = std::chrono::steady_clock;
  for (int r = 0; r < repeat; ++r) {
    const auto start = Clock::now();
    const std::clock_t cpu_start = std::clock();
    for (const json& name : in.at("metrics")) {
      const auto metric_start = Clock::now();
      const auto metric = make_metric(name.get<std::string>(), json::object());
      scores[name.get<std::string>()] = score_metric(*metric, samples, predictions);
      metric_seconds[name.get<std::string>()] =
          std::chrono::duration<double>(Clock::now() - metric_start).count();
    }
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
    best_cpu = std::min(best_cpu, double(std::clock() - cpu_start) / CLOCKS_PER_SEC);
  }
  // metric_seconds: the last run's time per metric, in order (the first metric tokenizes).
  return {{"scores", scores}, {"seconds", best}, {"cpu_seconds", best_cpu},
          {"metric_seconds", metric_seconds}};
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
