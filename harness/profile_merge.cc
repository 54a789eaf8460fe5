#include "harness/profile_merge.h"

#include <algorithm>

#include "core/error.h"
#include "core/excerpt.h"

namespace imaxbench {

namespace {

// Shards' backend reuse added up; absent when a shard has none (another backend).
std::optional<BackendReuse> sum_reuse(const std::optional<BackendReuse>& a, const std::optional<BackendReuse>& b) {
  if (!a || !b) return std::nullopt;
  BackendReuse r = *a;
  r.images_encoded += b->images_encoded;
  r.image_encodes_reused += b->image_encodes_reused;
  r.vision_ms += b->vision_ms;
  r.prompt_tokens += b->prompt_tokens;
  r.prefix_tokens_reused += b->prefix_tokens_reused;
  r.prefixes_computed += b->prefixes_computed;
  return r;
}

LatencyHistogram histogram_of(const nlohmann::json& distribution) {
  if (distribution.is_null()) return {};
  return LatencyHistogram::from_json(distribution.at("histogram"));
}

std::optional<std::int64_t> optional_of(const nlohmann::json& v) {
  if (v.is_null()) return std::nullopt;
  return v.get<std::int64_t>();
}

std::optional<std::int64_t> larger(const std::optional<std::int64_t>& a, const std::optional<std::int64_t>& b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

bool same_scenario(const ScenarioOptions& a, const ScenarioOptions& b) {
  return a.scenario == b.scenario && a.batch_size == b.batch_size && a.concurrency == b.concurrency &&
         a.target_qps == b.target_qps && a.warmup_queries == b.warmup_queries && a.min_duration_s == b.min_duration_s &&
         a.min_queries == b.min_queries && a.full_pass == b.full_pass && a.seed == b.seed;
}

}  // namespace

ProfileSummary profile_summary_from_json(const nlohmann::json& doc, const std::string& path) {
  try {
    ProfileSummary s;
    const auto& sc = doc.at("scenario");
    ScenarioOptions& o = s.options;
    o.scenario = parse_scenario(sc.at("name").get<std::string>());
    o.batch_size = sc.at("batch_size").get<std::size_t>();
    o.warmup_queries = sc.at("warmup_queries").get<std::size_t>();
    o.min_duration_s = sc.at("min_duration_s").get<double>();
    o.min_queries = sc.at("min_queries").get<std::size_t>();
    o.full_pass = sc.at("full_pass").get<bool>();
    if (o.scenario == Scenario::kServer) {
      o.target_qps = sc.at("target_qps").get<double>();
      o.seed = sc.at("seed").get<std::uint64_t>();
      o.concurrency = sc.at("concurrency").get<std::size_t>();
      s.workers = sc.at("workers").get<std::size_t>();
    }
    const auto& run = doc.at("run");
    s.wall_s = run.at("wall_s").get<double>();
    s.requests = run.at("requests").get<std::size_t>();
    s.answered = run.at("answered").get<std::size_t>();
    s.failed = run.at("failed").get<std::size_t>();
    s.queries = run.at("queries").get<std::size_t>();
    s.warmup_requests = run.at("warmup_requests").get<std::size_t>();
    s.distinct_samples = run.at("distinct_samples").get<std::size_t>();
    if (!run.at("first_error").is_null()) s.first_error = run.at("first_error").get<std::string>();
    if (run.contains("schedule_span_s")) s.schedule_span_s = run.at("schedule_span_s").get<double>();
    const auto& images = run.at("images");
    s.image_reuse = o.image_reuse = images.at("reuse").get<bool>();
    s.images_prepared = images.at("decoded").get<std::size_t>();
    s.image_reuses = images.at("reused").get<std::size_t>();
    s.image_time_saved_s = images.at("time_saved_s").get<double>();
    if (const auto r = run.find("backend_reuse"); r != run.end() && !r->is_null()) {
      BackendReuse b;
      b.images_encoded = r->at("images_encoded").get<std::size_t>();
      b.image_encodes_reused = r->at("image_encodes_reused").get<std::size_t>();
      b.vision_ms = r->at("vision_s").get<double>() * 1e3;
      b.prompt_tokens = r->at("prompt_tokens").get<std::int64_t>();
      b.prefix_tokens_reused = r->at("prefix_tokens_reused").get<std::int64_t>();
      b.prefixes_computed = r->at("prefixes_computed").get<std::size_t>();
      s.backend_reuse = b;
    }
    const auto& t = doc.at("throughput");
    s.samples_per_s = t.at("samples_per_s").get<double>();
    s.images_per_s = t.at("images_per_s").get<double>();
    s.output_tokens_per_s = t.at("output_tokens_per_s").get<double>();
    s.input_tokens_per_s = t.at("input_tokens_per_s").get<double>();
    s.latency_us = histogram_of(doc.at("latency_ms"));
    s.ttft_us = histogram_of(doc.at("ttft_ms"));
    s.tpot_us = histogram_of(doc.at("tpot_ms"));
    for (const auto& [name, st] : doc.at("stages").items())
      s.stages.push_back({name, st.at("total_s").get<double>(), st.at("per_request_ms").get<double>(),
                          st.at("in_window").get<bool>()});
    const auto& h = doc.at("harness");
    s.harness_overhead_s = h.at("overhead_s").get<double>();
    s.harness_share = h.at("share").get<double>();
    s.scoring_wall_s = h.at("scoring_wall_s").get<double>();
    const auto& m = doc.at("memory");
    s.peak_host_rss_bytes = optional_of(m.at("peak_host_rss_bytes"));
    s.peak_device_memory_bytes = optional_of(m.at("peak_device_memory_bytes"));
    const auto& st = doc.at("stability");
    s.stability.judged = st.at("judged").get<bool>();
    s.stability.stable = st.at("stable").get<bool>();
    s.stability.message = st.at("message").get<std::string>();
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not a profile.json this build reads (" + excerpt(e.what(), 200) + ")");
  }
}

ProfileSummary merge_profile_summaries(const std::vector<ProfileSummary>& shards,
                                       const std::vector<std::string>& names) {
  if (shards.empty()) throw Error("merge: no profiles to merge");
  ProfileSummary out = shards.front();
  out.stages.clear();
  out.stability = {};
  out.stability.judged = out.stability.stable = true;
  double answered = 0, weighted_wall = 0;
  std::vector<std::string> unstable;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const ProfileSummary& s = shards[i];
    if (!same_scenario(s.options, out.options))
      throw Error("merge: " + names[i] + " was profiled under another scenario than " + names.front() +
                  " (name, batch size, durations, arrival rate, seed and warm-up must agree)");
    if (i > 0) {
      out.wall_s = std::max(out.wall_s, s.wall_s);
      out.schedule_span_s = std::max(out.schedule_span_s, s.schedule_span_s);
      out.requests += s.requests;
      out.answered += s.answered;
      out.failed += s.failed;
      out.queries += s.queries;
      out.warmup_requests += s.warmup_requests;
      out.distinct_samples += s.distinct_samples;
      if (out.first_error.empty()) out.first_error = s.first_error;
      out.images_prepared += s.images_prepared;
      out.image_reuses += s.image_reuses;
      out.image_time_saved_s += s.image_time_saved_s;
      out.backend_reuse = sum_reuse(out.backend_reuse, s.backend_reuse);
      out.samples_per_s += s.samples_per_s;
      out.images_per_s += s.images_per_s;
      out.output_tokens_per_s += s.output_tokens_per_s;
      out.input_tokens_per_s += s.input_tokens_per_s;
      out.latency_us.merge(s.latency_us);
      out.ttft_us.merge(s.ttft_us);
      out.tpot_us.merge(s.tpot_us);
      out.harness_overhead_s += s.harness_overhead_s;
      out.scoring_wall_s += s.scoring_wall_s;
      out.peak_host_rss_bytes = larger(out.peak_host_rss_bytes, s.peak_host_rss_bytes);
      out.peak_device_memory_bytes = larger(out.peak_device_memory_bytes, s.peak_device_memory_bytes);
    }
    // Stages: times add; a per-request mean is weighted by the requests it is a mean over.
    for (const StageTotal& st : s.stages) {
      auto it = std::find_if(out.stages.begin(), out.stages.end(), [&](const StageTotal& x) { return x.name == st.name; });
      if (it == out.stages.end()) it = out.stages.insert(out.stages.end(), StageTotal{st.name, 0, 0, st.in_window});
      it->total_s += st.total_s;
      it->per_request_ms += st.per_request_ms * static_cast<double>(s.answered);
    }
    answered += static_cast<double>(s.answered);
    weighted_wall += s.wall_s;
    out.stability.judged = out.stability.judged && s.stability.judged;
    if (!s.stability.stable) unstable.push_back(names[i] + ": " + s.stability.message);
  }
  for (StageTotal& st : out.stages) st.per_request_ms = answered > 0 ? st.per_request_ms / answered : 0.0;
  out.harness_share = weighted_wall > 0 ? out.harness_overhead_s / weighted_wall : 0.0;
  out.stability.stable = unstable.empty();
  if (unstable.empty()) {
    out.stability.message = "stable: every one of the " + std::to_string(shards.size()) + " shards was";
  } else {
    out.stability.message = "NOT STABLE: " + std::to_string(unstable.size()) + " of " + std::to_string(shards.size()) +
                            " shards were not; merged percentiles inherit their doubt. ";
    for (const auto& u : unstable) out.stability.message += u + " ";
    out.stability.message.pop_back();
  }
  return out;
}

}  // namespace imaxbench
