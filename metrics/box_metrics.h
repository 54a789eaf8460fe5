// Intersection over union of pixel boxes, for the rec task's acc_iou_0.5 and miou.
#pragma once

#include <string_view>

#include "core/sample.h"

namespace imaxbench {

enum class IouConvention {
  // Coordinates name pixels, both ends included: width = x2 - x1 + 1, intersection side
  // max(0, min(x2) - max(x1) + 1), as Uni-Med's computeIoU (and MiniGPT-v2's RefCOCO
  // evaluation) computes it, on the same unrounded pixel coordinates.
  kPixelInclusive,
  // Coordinates are continuous: width = x2 - x1 (COCO, torchvision box_iou).
  kContinuous,
};

IouConvention parse_iou_convention(std::string_view name);  // "pixel_inclusive" | "continuous"
std::string_view iou_convention_name(IouConvention convention);

// IoU of a predicted box against a reference box. A predicted box that is not a box (a
// coordinate not finite, x2 < x1 or y2 < y1) and a zero union give 0.
double box_iou(const Box& predicted, const Box& reference, IouConvention convention);

}  // namespace imaxbench
