#include "backends/baseline_answers.h"

#include <cstdio>
#include <optional>

#include "metrics/box_metrics.h"
#include "metrics/text_normalize.h"
#include "metrics/token_overlap.h"
#include "tasks/box_parser.h"

namespace imaxbench {

namespace {

struct Pick {
  std::size_t image = 0;
  const Sample* record = nullptr;
  double score = 0;
};

// The nearest image with a record of the query's task that `accept` takes (first such record).
template <class Accept>
std::optional<Pick> nearest(std::span<const GalleryImage> images, std::span<const std::size_t> ranked,
                            const std::string& task, Accept accept) {
  for (std::size_t i : ranked)
    for (const Sample* r : images[i].records)
      if (r->task == task && accept(*r)) return Pick{i, r, 1};
  return std::nullopt;
}

// On the nearest image of the task, its record with the highest `score` (first on ties).
template <class Score>
std::optional<Pick> best_on_nearest(std::span<const GalleryImage> images, std::span<const std::size_t> ranked,
                                    const std::string& task, Score score) {
  for (std::size_t i : ranked) {
    std::optional<Pick> best;
    for (const Sample* r : images[i].records) {
      if (r->task != task) continue;
      double s = score(*r);
      if (!best || s > best->score) best = Pick{i, r, s};
    }
    if (best) return best;
  }
  return std::nullopt;
}

double text_similarity(const std::string& a, const std::string& b) {
  auto ta = vqa_tokens(a), tb = vqa_tokens(b);
  return token_f1(ta, tb, TokenF1Flavor::kSquad);
}

// Exact (normalised) match of `key` anywhere in rank order, else the most similar on the nearest.
std::optional<Pick> match_text(std::span<const GalleryImage> images, std::span<const std::size_t> ranked,
                               const Sample& q, std::string Sample::*field) {
  const std::string want = vqa_normalize(q.*field);
  if (auto p = nearest(images, ranked, q.task, [&](const Sample& r) { return vqa_normalize(r.*field) == want; }))
    return p;
  return best_on_nearest(images, ranked, q.task,
                         [&](const Sample& r) { return text_similarity(q.*field, r.*field); });
}

std::string first_text(const Sample& r) { return r.ref_texts.empty() ? std::string() : r.ref_texts.front(); }

}  // namespace

Box scale_box(const Box& b, const std::array<double, 2>& from, const std::array<double, 2>& to) {
  const double sx = from[0] > 0 ? to[0] / from[0] : 1, sy = from[1] > 0 ? to[1] / from[1] : 1;
  return {b.x1 * sx, b.y1 * sy, b.x2 * sx, b.y2 * sy};
}

GalleryStats gallery_stats(std::span<const GalleryImage> images) {
  std::size_t yes = 0, no = 0;
  for (const auto& img : images)
    for (const Sample* r : img.records) {
      if (r->task != "vqa" || r->answer_type != "closed") continue;
      const std::string a = vqa_normalize(first_text(*r));
      yes += a == "yes";
      no += a == "no";
    }
  GalleryStats s;
  s.closed_majority = yes > no ? "yes" : "no";
  return s;
}

BaselineAnswer baseline_answer(const Sample& q, const std::array<double, 2>& query_size,
                               const std::string& box_format, std::span<const GalleryImage> images,
                               std::span<const std::size_t> ranked, const GalleryStats& stats) {
  BaselineAnswer out;
  auto none = [&](const std::string& what) {
    out.error = "baseline: the gallery has no " + q.task + " record" + what + " to answer from";
    return out;
  };
  auto any = [](const Sample&) { return true; };
  std::optional<Pick> p;
  if (q.task == "calculation") {
    p = nearest(images, ranked, q.task, [&](const Sample& r) { return r.quantity == q.quantity; });
    if (!p) return none(" of quantity '" + q.quantity + "'");
    char buf[96];
    std::snprintf(buf, sizeof buf, "The %s is %.3f.",
                  q.quantity == "cpar" ? "cardiopulmonary area ratio" : "cardiothoracic ratio", p->record->ref_number);
    out.text = buf;
  } else if (q.task == "report_generation") {
    if (!(p = nearest(images, ranked, q.task, any))) return none("");
    out.text = first_text(*p->record);
  } else if (q.task == "multiclass_classification") {
    if (!(p = nearest(images, ranked, q.task, any))) return none("");
    const Sample& r = *p->record;
    out.text = r.ref_class >= 0 && r.ref_class < static_cast<int>(r.classes.size()) ? r.classes[r.ref_class] : "";
  } else if (q.task == "multilabel_classification") {
    if (!(p = nearest(images, ranked, q.task, any))) return none("");
    const Sample& r = *p->record;
    for (std::size_t i = 0; i < r.ref_labels.size() && i < r.classes.size(); ++i)
      if (r.ref_labels[i]) out.text += (out.text.empty() ? "" : ", ") + r.classes[i];
    if (out.text.empty()) out.text = "none";
  } else if (q.task == "rec") {
    if (!(p = match_text(images, ranked, q, &Sample::phrase))) return none("");
    auto format = box_format_from_name(box_format);
    if (!format) {
      out.error = "baseline: unknown box_format '" + box_format + "'";
      return out;
    }
    out.text = format_box(scale_box(p->record->ref_box, images[p->image].size, query_size), *format, query_size);
  } else if (q.task == "reg") {
    const Box want = q.box.value_or(Box{});
    auto overlap = [&](std::size_t img, const Sample& r) {
      return r.box ? box_iou(scale_box(*r.box, images[img].size, query_size), want, IouConvention::kContinuous) : 0.0;
    };
    // The nearest image with a described region overlapping the query box, its best overlap.
    for (std::size_t i : ranked) {
      for (const Sample* r : images[i].records)
        if (r->task == q.task && (!p || p->image == i) && overlap(i, *r) > (p ? p->score : 0.0))
          p = Pick{i, r, overlap(i, *r)};
      if (p) break;
    }
    if (!p && !(p = nearest(images, ranked, q.task, any))) return none("");
    out.text = first_text(*p->record);
  } else if (q.task == "vqa") {
    if (!(p = match_text(images, ranked, q, &Sample::question))) return none("");
    out.text = p->score == 0 && q.answer_type == "closed" ? stats.closed_majority : first_text(*p->record);
  } else {
    out.error = "baseline: task '" + q.task + "' has no baseline rule";
    return out;
  }
  out.neighbour = p->image;
  return out;
}

}  // namespace imaxbench
