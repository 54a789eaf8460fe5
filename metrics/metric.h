// A Metric follows sacrebleu's contract: per-sample sufficient statistics, summed, then scored.
// Summing in sample order makes results independent of thread count, lets shards merge exactly
// and makes bootstrap resampling cheap (no re-tokenization per resample).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/sample.h"

namespace imaxbench {

class ResampleScorer;  // metrics/resample_scorer.h

// Per-sample data a corpus-level metric keeps beside its numeric row (e.g. CIDEr-D n-gram
// counts, from which document frequencies are recomputed over whatever subset is scored).
struct SampleExtra {
  virtual ~SampleExtra() = default;
};

// The statistics of one metric over an evaluated set: `rows` is n x width, row-major.
struct MetricRows {
  std::size_t width = 0;
  // Per sample: 1 when the metric applies() to it (else its row is zero). Empty: every sample
  // applies (rows built by hand, e.g. in tests).
  std::vector<std::uint8_t> applies;
  std::vector<double> rows;
  std::vector<std::shared_ptr<const SampleExtra>> extras;  // empty unless the metric uses them
  std::size_t size() const { return width == 0 ? 0 : rows.size() / width; }
  std::span<const double> row(std::size_t i) const { return {rows.data() + i * width, width}; }
  std::size_t eligible() const;  // samples the metric applies to
};

class Metric {
 public:
  virtual ~Metric() = default;

  // The answer kinds this metric scores; a suite naming it for a task of another kind is refused.
  virtual AnswerKinds applies_to() const = 0;
  // Whether `sample` counts for this metric (its kind, and e.g. the question type for the VQA
  // metrics). Samples it does not apply to keep a zero row and are not eligible: a metric with no
  // eligible sample has no score (null), never 0.
  virtual bool applies(const Sample& sample) const { return applies_to().contains(sample.kind); }

  virtual std::size_t num_stats() const = 0;
  // Writes this sample's statistics into `row` (num_stats() values, zero-filled on entry); called
  // only for samples it applies() to. Must not throw for any prediction, parsed or not, present or not.
  virtual void sample_stats(const Sample& sample, const Prediction& prediction,
                            std::span<double> row) const = 0;
  // The score from statistics summed over samples.
  virtual double score(std::span<const double> sums) const = 0;
  // Every setting that changes the number, e.g. "bleu4|tok:ptb|flavor:coco|nrefs:var|v1".
  virtual std::string signature() const = 0;
  virtual bool higher_is_better() const { return true; }
  // True when the score is a fraction in [0, 1] (accuracy, F1, IoU); false for errors (MAE).
  virtual bool bounded() const { return true; }
  // Why score() may be NaN although samples were eligible (e.g. kappa with one class only).
  virtual std::string undefined_reason() const { return "the metric is undefined on these samples"; }

  // Corpus-level metrics override these two; the defaults serve every summed metric.
  virtual std::shared_ptr<const SampleExtra> sample_extra(const Sample&, const Prediction&) const {
    return nullptr;
  }
  // Score of the samples at `indices` (repeats allowed, as in a bootstrap resample). The default
  // sums their rows in the order given and calls score().
  virtual double score_subset(const MetricRows& stats, std::span<const std::uint32_t> indices) const;
  // Scores many resamples of `stats` (bootstrap, paired bootstrap), each equal bit for bit to
  // score_if_eligible() on it. The default scores them one by one; a corpus-level metric lays its
  // per-sample data out once here and scores several resamples per pass. `stats` must outlive it.
  virtual std::unique_ptr<ResampleScorer> resample_scorer(const MetricRows& stats) const;

  // The sample's own value of the metric, from its row (the per-sample log shows it): set by the
  // metrics whose score is a mean of per-sample values; nullopt for corpus-level ones (BLEU,
  // CIDEr-D, F1 over counts), whose score is no mean of anything per sample.
  virtual std::optional<double> sample_value(std::span<const double> /*row*/) const { return std::nullopt; }

  // Optional extra table for results (e.g. per-label precision/recall/F1); null when none.
  virtual nlohmann::json details(std::span<const double> /*sums*/) const { return nullptr; }
};

// Registry entry; parameters are documented for `imaxbench list`.
struct MetricInfo {
  std::string_view name;
  std::string_view description;
  std::string_view params;  // "iou_convention=pixel_inclusive|continuous" etc.; empty when none
  std::unique_ptr<Metric> (*make)(const nlohmann::json& params);
};

std::span<const MetricInfo> all_metrics();
// Throws Error for an unknown name or bad parameters, naming what is accepted.
std::unique_ptr<Metric> make_metric(std::string_view name, const nlohmann::json& params);

// Every metric's rows (and extras) over `samples`, in parallel over samples: all metrics of a sample
// run together on one thread, so work they share (tokenizing a report once for bleu_1..4,
// rouge_l_coco and cider_d) stays in that thread's cache. Each sample writes only its own slots,
// so any thread count gives identical rows.
std::vector<MetricRows> compute_metric_rows(std::span<const Metric* const> metrics,
                                            std::span<const Sample* const> samples,
                                            std::span<const Prediction> predictions);

// metric.score_subset(stats, indices), or NaN when none of the samples at `indices` is one the
// metric applies to: a metric with no eligible sample has no score, whatever its formula gives
// on all-zero statistics (BLEU's smoothing constants would give a number near 0).
double score_if_eligible(const Metric& metric, const MetricRows& stats,
                         std::span<const std::uint32_t> indices);

// Sums rows in index order into `sums` (width values).
void sum_rows(const MetricRows& stats, std::span<const std::uint32_t> indices, std::span<double> sums);
void sum_all_rows(const MetricRows& stats, std::span<double> sums);

}  // namespace imaxbench
