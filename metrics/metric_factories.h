// Factory functions of every registered metric, one per metric file; the registry lists them.
#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "metrics/metric.h"

namespace imaxbench {

using MetricParams = nlohmann::json;

// Classification, regression and box metrics.
// (declarations added here)
std::unique_ptr<Metric> make_mae(const MetricParams& params);                     // calculation_metrics.cc
std::unique_ptr<Metric> make_rmse(const MetricParams& params);                    // calculation_metrics.cc
std::unique_ptr<Metric> make_acc_within(const MetricParams& params);              // calculation_metrics.cc
std::unique_ptr<Metric> make_cardiomegaly_agreement(const MetricParams& params);  // calculation_metrics.cc
std::unique_ptr<Metric> make_accuracy(const MetricParams& params);                // match_metrics.cc
std::unique_ptr<Metric> make_exact_match(const MetricParams& params);             // match_metrics.cc
std::unique_ptr<Metric> make_f1_macro(const MetricParams& params);                // f1_metrics.cc
std::unique_ptr<Metric> make_f1_micro(const MetricParams& params);                // f1_metrics.cc
std::unique_ptr<Metric> make_f1_samples(const MetricParams& params);              // f1_metrics.cc
std::unique_ptr<Metric> make_kappa_quadratic(const MetricParams& params);         // kappa_metric.cc
std::unique_ptr<Metric> make_acc_iou(const MetricParams& params);                 // box_metrics.cc
std::unique_ptr<Metric> make_miou(const MetricParams& params);                    // box_metrics.cc
std::unique_ptr<Metric> make_closed_accuracy(const MetricParams& params);         // vqa_metrics.cc
std::unique_ptr<Metric> make_closed_accuracy_contains(const MetricParams& params);  // vqa_metrics.cc
std::unique_ptr<Metric> make_open_token_f1(const MetricParams& params);           // vqa_metrics.cc
std::unique_ptr<Metric> make_open_recall(const MetricParams& params);             // vqa_metrics.cc
std::unique_ptr<Metric> make_token_f1(const MetricParams& params);                // vqa_metrics.cc

// Text metrics.
std::unique_ptr<Metric> make_meteor_unavailable(const MetricParams& params);
// (declarations added here)
std::unique_ptr<Metric> make_sacrebleu(const MetricParams& params);        // text/sacrebleu_bleu.cc
std::unique_ptr<Metric> make_sentence_bleu_1(const MetricParams& params);  // text/nltk_sentence_bleu.cc
std::unique_ptr<Metric> make_sentence_bleu_2(const MetricParams& params);  // text/nltk_sentence_bleu.cc
std::unique_ptr<Metric> make_sentence_bleu_3(const MetricParams& params);  // text/nltk_sentence_bleu.cc
std::unique_ptr<Metric> make_sentence_bleu_4(const MetricParams& params);  // text/nltk_sentence_bleu.cc
std::unique_ptr<Metric> make_rouge_1(const MetricParams& params);          // text/rouge_score_rouge.cc
std::unique_ptr<Metric> make_rouge_2(const MetricParams& params);          // text/rouge_score_rouge.cc
std::unique_ptr<Metric> make_rouge_l(const MetricParams& params);          // text/rouge_score_rouge.cc
std::unique_ptr<Metric> make_coco_bleu_1(const MetricParams& params);      // text/coco_bleu.cc
std::unique_ptr<Metric> make_coco_bleu_2(const MetricParams& params);      // text/coco_bleu.cc
std::unique_ptr<Metric> make_coco_bleu_3(const MetricParams& params);      // text/coco_bleu.cc
std::unique_ptr<Metric> make_coco_bleu_4(const MetricParams& params);      // text/coco_bleu.cc
std::unique_ptr<Metric> make_rouge_l_coco(const MetricParams& params);     // text/coco_rouge.cc
std::unique_ptr<Metric> make_cider_d(const MetricParams& params);          // text/coco_cider.cc

}  // namespace imaxbench
