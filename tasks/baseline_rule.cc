#include "tasks/baseline_rule.h"

#include "metrics/text_normalize.h"
#include "metrics/token_overlap.h"
#include "tasks/task.h"

namespace imaxbench {

namespace {

double text_similarity(const std::string& a, const std::string& b) {
  return token_f1(NormalizedAnswer(a), NormalizedAnswer(b), TokenF1Flavor::kSquad);
}

}  // namespace

GalleryStats gallery_stats(std::span<const GalleryImage> images) {
  std::size_t yes = 0, no = 0;
  for (const auto& img : images)
    for (const Sample* r : img.records) {
      if (r->answer_type != "closed") continue;
      const std::string a = vqa_normalize(first_reference(*r));
      yes += a == "yes";
      no += a == "no";
    }
  GalleryStats s;
  s.closed_majority = yes > no ? "yes" : "no";
  return s;
}

std::optional<GalleryPick> nearest_record(const BaselineQuery& q, const std::function<bool(const Sample&)>& accept) {
  for (std::size_t i : q.ranked)
    for (const Sample* r : q.images[i].records)
      if (r->task == q.task && (!accept || accept(*r))) return GalleryPick{i, r, 1};
  return std::nullopt;
}

std::optional<GalleryPick> best_on_nearest(const BaselineQuery& q, const std::function<double(const Sample&)>& score) {
  for (std::size_t i : q.ranked) {
    std::optional<GalleryPick> best;
    for (const Sample* r : q.images[i].records) {
      if (r->task != q.task) continue;
      const double s = score(*r);
      if (!best || s > best->score) best = GalleryPick{i, r, s};
    }
    if (best) return best;
  }
  return std::nullopt;
}

std::optional<GalleryPick> match_text(const BaselineQuery& q, std::string SampleInputs::*field) {
  const std::string want = vqa_normalize(q.inputs.*field);
  if (auto p = nearest_record(q, [&](const Sample& r) { return vqa_normalize(r.*field) == want; })) return p;
  return best_on_nearest(q, [&](const Sample& r) { return text_similarity(q.inputs.*field, r.*field); });
}

std::string first_reference(const Sample& r) { return r.ref_texts.empty() ? std::string() : r.ref_texts.front(); }

Box scale_box(const Box& b, const std::array<double, 2>& from, const std::array<double, 2>& to) {
  const double sx = from[0] > 0 ? to[0] / from[0] : 1, sy = from[1] > 0 ? to[1] / from[1] : 1;
  return {b.x1 * sx, b.y1 * sy, b.x2 * sx, b.y2 * sy};
}

BaselineAnswer no_gallery_record(const BaselineQuery& q, const std::string& what) {
  BaselineAnswer out;
  out.error = "baseline: the gallery has no " + std::string(q.task) + " record" + what + " to answer from";
  return out;
}

BaselineAnswer answer_from(const GalleryPick& pick, std::string text) {
  BaselineAnswer out;
  out.text = std::move(text);
  out.neighbour = pick.image;
  return out;
}

namespace {

BaselineAnswer no_rule(std::string_view task) {
  BaselineAnswer out;
  out.error = "baseline: task '" + std::string(task) + "' has no baseline rule";
  return out;
}

}  // namespace

BaselineAnswer Task::baseline_answer(const BaselineQuery& q) const { return no_rule(q.task); }

BaselineAnswer baseline_answer(const std::string& task, const SampleInputs& query,
                               const std::array<double, 2>& query_size, const std::string& box_format,
                               std::span<const GalleryImage> images, std::span<const std::size_t> ranked,
                               const GalleryStats& stats) {
  const BaselineQuery q{task, query, query_size, box_format, images, ranked, stats};
  const Task* t = find_task(task);
  return t ? t->baseline_answer(q) : no_rule(task);
}

}  // namespace imaxbench
