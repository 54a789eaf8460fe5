#include "metrics/text/coco_rouge.h"

#include "metrics/metric_factories.h"
#include "metrics/params.h"
#include "metrics/text/coco_sample.h"

namespace imaxbench {

double coco_rouge_l(std::string_view candidate, const std::vector<std::string>& refs) {
  const CocoCaption hyp = coco_caption_of_tokens(candidate);
  std::vector<CocoCaption> captions;
  for (const std::string& ref : refs) captions.push_back(coco_caption_of_tokens(ref));
  std::vector<const CocoCaption*> pointers;
  for (const CocoCaption& c : captions) pointers.push_back(&c);
  return coco_rouge_l(hyp, pointers);
}

bool CocoRougeL::applies(const Sample& sample) const { return coco_applies(sample); }

double CocoRougeL::value(const Sample& sample, const Prediction& prediction) const {
  return coco_sample_rouge_l(sample, prediction);
}

std::unique_ptr<Metric> make_rouge_l_coco(const MetricParams& params) {
  ParamReader("rouge_l_coco", params, {});
  return std::make_unique<CocoRougeL>();
}

}  // namespace imaxbench
