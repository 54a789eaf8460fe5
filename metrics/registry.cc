// The metric registry: adding a metric is one line in kMetrics and its own file pair.
#include <array>

#include "metrics/metric.h"
#include "metrics/metric_factories.h"
#include "core/error.h"

namespace imaxbench {

namespace {

const MetricInfo kMetrics[] = {
    // Classification, regression and box metrics.
    // (entries added here)
    {"mae", "calculation: mean absolute error; unparsed = worst error in [0,1]", "", make_mae},
    {"rmse", "calculation: root mean squared error; unparsed = worst error in [0,1]", "", make_rmse},
    {"acc_within", "calculation: fraction with |pred-ref| <= tolerance", "tolerance=0.05", make_acc_within},
    {"cardiomegaly_agreement", "calculation: (pred > t) == (ref > t)", "threshold=0.5", make_cardiomegaly_agreement},
    {"accuracy", "multiclass/multilabel: exact class or exact label row", "", make_accuracy},
    {"exact_match", "classes: exact; text: VQAv2-normalized answer equals a reference", "", make_exact_match},
    {"f1_macro", "sklearn f1_score average=macro (multiclass or multilabel)", "", make_f1_macro},
    {"f1_micro", "sklearn f1_score average=micro (multiclass or multilabel)", "", make_f1_micro},
    {"f1_samples", "sklearn f1_score average=samples (multilabel; multiclass one-hot)", "", make_f1_samples},
    {"kappa_quadratic", "multiclass: Cohen's kappa, quadratic weights, ordinal classes", "", make_kappa_quadratic},
    {"acc_iou_0.5", "rec: fraction with IoU > threshold", "threshold=0.5, iou_convention=pixel_inclusive|continuous", make_acc_iou},
    {"miou", "rec: mean IoU", "iou_convention=pixel_inclusive|continuous", make_miou},
    {"closed_accuracy", "vqa closed: normalized answer equals a reference", "", make_closed_accuracy},
    {"closed_accuracy_contains", "vqa closed: normalized reference inside the answer (Uni-Med)", "", make_closed_accuracy_contains},
    {"open_token_f1", "vqa open: token F1, best reference", "flavor=squad|unimed", make_open_token_f1},
    {"open_recall", "vqa open: fraction of reference tokens in the answer", "", make_open_recall},
    {"token_f1", "text: token F1 on VQAv2-normalized tokens, best reference", "flavor=squad|unimed", make_token_f1},
    // Text metrics.
    // (entries added here)
    {"sacrebleu", "sacreBLEU 2.5.1 corpus BLEU (smooth exp), /100", "tokenize=13a|intl|none, lowercase=false", make_sacrebleu},
    {"sentence_bleu_1", "nltk sentence_bleu, weights 1..1 uniform, mean over samples (Uni-Med REG)", "smoothing=none|method1, tokenize=unimed|lower_split|split", make_sentence_bleu_1},
    {"sentence_bleu_2", "nltk sentence_bleu, weights 1..2 uniform, mean over samples (Uni-Med REG)", "smoothing=none|method1, tokenize=unimed|lower_split|split", make_sentence_bleu_2},
    {"sentence_bleu_3", "nltk sentence_bleu, weights 1..3 uniform, mean over samples (Uni-Med REG)", "smoothing=none|method1, tokenize=unimed|lower_split|split", make_sentence_bleu_3},
    {"sentence_bleu_4", "nltk sentence_bleu, weights 1..4 uniform, mean over samples (Uni-Med REG)", "smoothing=none|method1, tokenize=unimed|lower_split|split", make_sentence_bleu_4},
    {"rouge_1", "rouge-score 0.1.2 ROUGE-1 F, best reference, mean over samples", "use_stemmer=true", make_rouge_1},
    {"rouge_2", "rouge-score 0.1.2 ROUGE-2 F, best reference, mean over samples", "use_stemmer=true", make_rouge_2},
    {"rouge_l", "rouge-score 0.1.2 ROUGE-L F, best reference, mean over samples", "use_stemmer=true", make_rouge_l},
    {"bleu_1", "pycocoevalcap 1.2 Bleu(4) corpus BLEU-1 after its PTBTokenizer", "", make_coco_bleu_1},
    {"bleu_2", "pycocoevalcap 1.2 Bleu(4) corpus BLEU-2 after its PTBTokenizer", "", make_coco_bleu_2},
    {"bleu_3", "pycocoevalcap 1.2 Bleu(4) corpus BLEU-3 after its PTBTokenizer", "", make_coco_bleu_3},
    {"bleu_4", "pycocoevalcap 1.2 Bleu(4) corpus BLEU-4 after its PTBTokenizer", "", make_coco_bleu_4},
    {"rouge_l_coco", "pycocoevalcap 1.2 Rouge (ROUGE-L, beta 1.2), mean over samples", "", make_rouge_l_coco},
    {"cider_d", "pycocoevalcap 1.2 Cider (CIDEr-D, df over the scored set), corpus level", "", make_cider_d},
    {"meteor", "UNAVAILABLE: pycocoevalcap METEOR 1.5 is not ported (asking for it says why)", "", make_meteor_unavailable},
};

}  // namespace

std::span<const MetricInfo> all_metrics() { return kMetrics; }

std::unique_ptr<Metric> make_metric(std::string_view name, const nlohmann::json& params) {
  if (!params.is_object())
    throw Error("metric '" + std::string(name) + "': params must be a JSON object");
  for (const auto& info : kMetrics)
    if (info.name == name) return info.make(params);
  std::string known;
  for (const auto& info : kMetrics) known += (known.empty() ? "" : ", ") + std::string(info.name);
  throw Error("unknown metric '" + std::string(name) + "'; known metrics: " + known);
}

}  // namespace imaxbench
