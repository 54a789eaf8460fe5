// Test-only helper for tests/golden/diff_text.py and ci/bench_sacrebleu_rouge.py: runs registered
// metrics, or the text metrics' tokenizers, on inputs given as JSON, and prints JSON.
//
//   imaxbench_text_metric_tool score  FILE   {"metrics": [{"name", "params"}], "threads": 1,
//                                             "repeat": 1, "rows": false,
//                                             "samples": [{"refs": [..], "hyp": ".." | null}]}
//   imaxbench_text_metric_tool tokens FILE   {"kind": K, "texts": [..]}
//
// A null hyp is a missing prediction. `seconds` is the best of `repeat` wall-clock timings of
// per-sample statistics plus scoring (TBB with `threads` workers), excluding JSON input and
// output; `cpu_seconds` the best process CPU time of the same (meaningful on a busy machine).
// Token kinds: sacrebleu_13a, sacrebleu_intl (tokenized line), sacrebleu_{13a,intl,none}[_lc]
// (BLEU's words), rouge, rouge_stem, unimed_hyp, unimed_ref, porter, py_lower, py_split.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <limits>

#include <nlohmann/json.hpp>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "metrics/metric.h"
#include "metrics/text/nltk_unimed_tokenizer.h"
#include "metrics/text/porter_stemmer.h"
#include "metrics/text/rouge_score_tokenizer.h"
#include "metrics/text/sacrebleu_tokenizers.h"
#include "core/sacrebleu_unicode.h"
#include "core/error.h"

namespace imaxbench {
namespace {

using nlohmann::json;

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

json run_score(const json& in) {
  const int threads = in.value("threads", 1);
  const int repeat = std::max(1, in.value("repeat", 1));
  const bool want_rows = in.value("rows", false);
  std::vector<Sample> samples;
  std::vector<Prediction> predictions;
  for (const json& s : in.at("samples")) {
    Sample sample;
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
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  json results = json::array();
  for (const json& m : in.at("metrics")) {
    const auto metric = make_metric(m.at("name").get<std::string>(), m.value("params", json::object()));
    MetricRows stats;
    stats.width = metric->num_stats();
    double score = 0, best = std::numeric_limits<double>::infinity(), best_cpu = best;
    for (int r = 0; r < repeat; ++r) {
      const auto start = std::chrono::steady_clock::now();
      const double cpu_start = process_cpu_seconds();
      stats.rows.assign(samples.size() * stats.width, 0.0);
      tbb::parallel_for(std::size_t{0}, samples.size(), [&](std::size_t i) {
        metric->sample_stats(samples[i], predictions[i],
                             std::span<double>(stats.rows.data() + i * stats.width, stats.width));
      });
      std::vector<double> sums(stats.width);
      sum_all_rows(stats, sums);
      score = metric->score(sums);
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      best_cpu = std::min(best_cpu, process_cpu_seconds() - cpu_start);
    }
    json out = {{"name", m.at("name")}, {"score", score}, {"signature", metric->signature()},
                {"seconds", best}, {"cpu_seconds", best_cpu}};
    if (want_rows) {
      json rows = json::array();
      for (std::size_t i = 0; i < stats.size(); ++i) {
        const auto row = stats.row(i);
        rows.push_back(std::vector<double>(row.begin(), row.end()));
      }
      out["rows"] = rows;
    }
    results.push_back(out);
  }
  return {{"results", results}};
}

json to_json(const std::vector<std::string>& words) { return words; }
json to_json(const std::vector<std::string_view>& words) {
  json out = json::array();
  for (auto w : words) out.push_back(std::string(w));
  return out;
}

json tokens_of(const std::string& kind, const std::string& text) {
  if (kind == "sacrebleu_13a") return sacrebleu_tokenize_13a(text);
  if (kind == "sacrebleu_intl") return sacrebleu_tokenize_intl(text);
  if (kind.rfind("sacrebleu_", 0) == 0) {
    const bool lc = kind.size() > 3 && kind.substr(kind.size() - 3) == "_lc";
    const std::string tok = kind.substr(10, kind.size() - 10 - (lc ? 3 : 0));
    const SacreBleuTokenizer t = tok == "13a"    ? SacreBleuTokenizer::k13a
                                 : tok == "intl" ? SacreBleuTokenizer::kIntl
                                 : tok == "none" ? SacreBleuTokenizer::kNone
                                                 : throw Error("unknown token kind '" + kind + "'");
    std::string buffer;
    return to_json(sacrebleu_words(text, t, lc, buffer));
  }
  if (kind == "rouge") return rouge_score_tokens(text, false);
  if (kind == "rouge_stem") return rouge_score_tokens(text, true);
  if (kind == "unimed_hyp") return unimed_hypothesis_words(text);
  if (kind == "unimed_ref") return unimed_reference_words(text);
  if (kind == "porter") return porter_stem(text);
  if (kind == "py_lower") return py_lower(text);
  if (kind == "py_split") return to_json(py_split(text));
  throw Error("unknown token kind '" + kind + "'");
}

int run(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: imaxbench_text_metric_tool score|tokens FILE\n";
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
    out = json::array();
    for (const json& t : in.at("texts")) out.push_back(tokens_of(in.at("kind"), t.get<std::string>()));
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
    std::cerr << "imaxbench_text_metric_tool: " << e.what() << "\n";
    return 1;
  }
}
