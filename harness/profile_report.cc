#include "harness/profile_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "harness/resource_usage.h"

namespace imaxbench {

namespace {

std::int64_t to_us(double ms) { return std::llround(ms * 1000.0); }

nlohmann::json distribution_json(const LatencyHistogram& h) {
  if (h.empty()) return nullptr;
  return {{"count", h.count()},        {"mean", h.mean() / 1e3},           {"p50", h.percentile(0.50) / 1e3},
          {"p90", h.percentile(0.90) / 1e3}, {"p99", h.percentile(0.99) / 1e3}, {"max", double(h.max()) / 1e3},
          {"histogram_unit", "us"},    {"histogram", h.to_json()}};
}

nlohmann::json optional_json(const std::optional<std::int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string fmt(double v, const char* spec = "%.2f") {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

std::string mib(const std::optional<std::int64_t>& bytes, const char* none) {
  return bytes ? fmt(double(*bytes) / (1024.0 * 1024.0), "%.1f MiB") : none;
}

// The encodes reused, at the mean time of those that ran (an estimate, as for image decoding).
double encode_time_saved_s(const BackendReuse& r) {
  return r.images_encoded ? r.vision_ms / 1e3 / double(r.images_encoded) * double(r.image_encodes_reused) : 0.0;
}

}  // namespace

ProfileSummary summarize_profile(const ScenarioRun& run, const ScenarioOptions& options) {
  ProfileSummary s;
  s.options = options;
  s.workers = run.workers;
  s.wall_s = run.wall_s;
  s.requests = run.requests.size();
  s.failed = run.failed;
  s.answered = s.requests - s.failed;
  s.queries = run.queries.size();
  s.warmup_requests = run.warmup_requests;
  s.first_error = run.first_error;
  s.image_reuse = options.image_reuse;
  s.images_prepared = run.images_prepared;
  s.image_reuses = run.image_reuses;
  s.image_time_saved_s =
      run.images_prepared ? run.image_prepared_s / double(run.images_prepared) * double(run.image_reuses) : 0.0;
  s.schedule_span_s = run.schedule_span_s;
  s.backend_reuse = run.backend_reuse;
  std::set<std::size_t> distinct;

  double in_tokens = 0, out_tokens = 0;
  StageTimes per;  // sums over answered requests, ms
  double parse_ms = 0, other_ms = 0;
  // Completion order (concurrent server workers may record a hair out of it).
  std::vector<const TimedRequest*> order;
  for (const TimedRequest& r : run.requests) order.push_back(&r);
  std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->done_s < b->done_s; });
  std::vector<double> done_s, latency_ms;
  for (const TimedRequest* rp : order) {
    const TimedRequest& r = *rp;
    distinct.insert(r.item);
    if (r.failed) continue;
    s.latency_us.record(to_us(r.latency_ms));
    if (r.ttft_ms >= 0) s.ttft_us.record(to_us(r.ttft_ms));
    if (r.tpot_ms >= 0) s.tpot_us.record(to_us(r.tpot_ms));
    in_tokens += double(r.input_tokens);
    out_tokens += double(r.output_tokens);
    per.image_decode_ms += r.stages.image_decode_ms;
    per.preprocess_ms += r.stages.preprocess_ms;
    per.vision_ms += r.stages.vision_ms;
    per.prefill_ms += r.stages.prefill_ms;
    per.decode_ms += r.stages.decode_ms;
    // The infer() call's time not given to a named backend stage.
    other_ms += std::max(0.0, r.infer_ms - (r.backend_preprocess_ms + r.stages.vision_ms + r.stages.prefill_ms +
                                            r.stages.decode_ms));
    parse_ms += r.parse_ms;
    done_s.push_back(r.done_s);
    latency_ms.push_back(r.latency_ms);
  }
  s.distinct_samples = distinct.size();
  if (s.wall_s > 0) {
    s.samples_per_s = double(s.answered) / s.wall_s;
    s.images_per_s = s.samples_per_s;  // one image per IMAX sample
    s.input_tokens_per_s = in_tokens / s.wall_s;
    s.output_tokens_per_s = out_tokens / s.wall_s;
  }

  StageTimes total;  // ms, once per query for backend stages
  double decode_s = 0, preprocess_s = 0, infer_s = 0, parse_s = 0, handling_s = 0;
  for (const TimedQuery& q : run.queries) {
    decode_s += q.decode_s;
    preprocess_s += q.preprocess_s;
    infer_s += q.infer_s;
    parse_s += q.parse_s;
    total.preprocess_ms += q.backend.preprocess_ms;
    total.vision_ms += q.backend.vision_ms;
    total.prefill_ms += q.backend.prefill_ms;
    total.decode_ms += q.backend.decode_ms;
    handling_s += q.end_s - q.dispatch_s;
  }
  const double named_backend_s = (total.preprocess_ms + total.vision_ms + total.prefill_ms + total.decode_ms) / 1e3;
  const double n = s.answered ? double(s.answered) : 1.0;
  s.stages = {
      {"image_decode", decode_s, per.image_decode_ms / n, true},
      {"preprocess", preprocess_s + total.preprocess_ms / 1e3, per.preprocess_ms / n, true},
      {"vision_encoder", total.vision_ms / 1e3, per.vision_ms / n, true},
      {"prefill", total.prefill_ms / 1e3, per.prefill_ms / n, true},
      {"decode", total.decode_ms / 1e3, per.decode_ms / n, true},
      {"backend_other", std::max(0.0, infer_s - named_backend_s), other_ms / n, true},
      {"answer_parsing", parse_s, parse_ms / n, true},
  };
  // The harness's own time: everything in the window that is no stage (building requests, batching,
  // bookkeeping, the loop). Closed loop: the rest of the wall time. Server: the rest of the time
  // queries were being handled (waiting for the next arrival is no one's work).
  const double stages_s = decode_s + preprocess_s + infer_s + parse_s;
  const double base_s = run.closed_loop ? s.wall_s : handling_s;
  s.harness_overhead_s = std::max(0.0, base_s - stages_s);
  s.harness_share = base_s > 0 ? s.harness_overhead_s / base_s : 0.0;
  s.stability = check_stability(done_s, latency_ms);
  s.peak_host_rss_bytes = peak_host_rss_bytes();
  return s;
}

void add_metric_statistics(ProfileSummary& s, double total_s, std::size_t samples, double scoring_wall_s) {
  s.stages.push_back({"metric_statistics", total_s, samples ? 1e3 * total_s / double(samples) : 0.0, false});
  s.scoring_wall_s = scoring_wall_s;
}

nlohmann::json profile_json(const ProfileSummary& s) {
  const ScenarioOptions& o = s.options;
  nlohmann::json scenario = {{"name", scenario_name(o.scenario)}, {"batch_size", o.batch_size},
                             {"warmup_queries", o.warmup_queries}, {"min_duration_s", o.min_duration_s},
                             {"min_queries", o.min_queries}, {"full_pass", o.full_pass}};
  if (o.scenario == Scenario::kServer) {
    scenario["target_qps"] = o.target_qps;
    scenario["seed"] = o.seed;
    scenario["concurrency"] = o.concurrency;
    scenario["workers"] = s.workers;
  }
  nlohmann::json run = {{"wall_s", s.wall_s},         {"requests", s.requests},
                        {"answered", s.answered},     {"failed", s.failed},
                        {"queries", s.queries},       {"warmup_requests", s.warmup_requests},
                        {"distinct_samples", s.distinct_samples},
                        {"min_duration_met", s.wall_s >= o.min_duration_s},
                        {"min_queries_met", s.requests >= o.min_queries},
                        {"first_error", s.first_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.first_error)}};
  if (o.scenario == Scenario::kServer) {
    run["schedule_span_s"] = s.schedule_span_s;
    run["scheduled_qps"] = s.schedule_span_s > 0 ? double(s.requests) / s.schedule_span_s : 0.0;
  }
  run["images"] = {{"reuse", s.image_reuse},
                   {"decoded", s.images_prepared},
                   {"reused", s.image_reuses},
                   {"requests_per_decode", s.images_prepared ? nlohmann::json(double(s.images_prepared + s.image_reuses) /
                                                                              double(s.images_prepared))
                                                             : nlohmann::json(nullptr)},
                   {"time_saved_s", s.image_time_saved_s}};
  run["backend_reuse"] = nullptr;
  if (const auto& r = s.backend_reuse) {
    run["backend_reuse"] = {{"images_encoded", r->images_encoded},
                            {"image_encodes_reused", r->image_encodes_reused},
                            {"encode_time_saved_s", encode_time_saved_s(*r)},
                            {"vision_s", r->vision_ms / 1e3},
                            {"prompt_tokens", r->prompt_tokens},
                            {"prefix_tokens_reused", r->prefix_tokens_reused},
                            {"prefix_share", r->prompt_tokens ? nlohmann::json(double(r->prefix_tokens_reused) /
                                                                               double(r->prompt_tokens))
                                                              : nlohmann::json(nullptr)},
                            {"prefixes_computed", r->prefixes_computed}};
  }
  nlohmann::json stages = nlohmann::json::object();
  for (const auto& st : s.stages)
    stages[st.name] = {{"total_s", st.total_s}, {"per_request_ms", st.per_request_ms}, {"in_window", st.in_window}};
  nlohmann::json windows = nlohmann::json::array();
  for (const auto& w : s.stability.windows)
    windows.push_back({{"requests", w.requests}, {"throughput", w.throughput}, {"latency_ms", w.latency_ms}});
  return {{"scenario", scenario},
          {"run", run},
          {"throughput", {{"samples_per_s", s.samples_per_s}, {"images_per_s", s.images_per_s},
                          {"output_tokens_per_s", s.output_tokens_per_s},
                          {"input_tokens_per_s", s.input_tokens_per_s}}},
          {"latency_ms", distribution_json(s.latency_us)},
          {"ttft_ms", distribution_json(s.ttft_us)},
          {"tpot_ms", distribution_json(s.tpot_us)},
          {"stages", stages},
          {"harness", {{"overhead_s", s.harness_overhead_s}, {"share", s.harness_share},
                       {"scoring_wall_s", s.scoring_wall_s}}},
          {"memory", {{"peak_host_rss_bytes", optional_json(s.peak_host_rss_bytes)},
                      {"peak_device_memory_bytes", optional_json(s.peak_device_memory_bytes)}}},
          {"stability", {{"judged", s.stability.judged}, {"stable", s.stability.stable},
                         {"percentile", 0.9}, {"tolerance", 0.1},
                         {"windows", windows}, {"message", s.stability.message}}}};
}

void print_profile_table(const ProfileSummary& s, std::ostream& out) {
  const ScenarioOptions& o = s.options;
  out << "scenario " << scenario_name(o.scenario) << "  batch " << o.batch_size;
  if (o.scenario == Scenario::kServer)
    out << "  target " << fmt(o.target_qps) << " qps (seed " << o.seed << ", " << s.workers << " worker"
        << (s.workers == 1 ? "" : "s") << ")";
  out << "\n" << s.requests << " timed requests (" << s.distinct_samples << " distinct samples, " << s.failed
      << " failed) in " << s.queries << " queries over " << fmt(s.wall_s, "%.3f") << " s; " << s.warmup_requests
      << " warm-up requests not counted\n";
  if (o.scenario == Scenario::kServer && s.schedule_span_s > 0)
    out << "arrivals     " << s.requests << " scheduled over " << fmt(s.schedule_span_s, "%.3f") << " s ("
        << fmt(double(s.requests) / s.schedule_span_s) << " qps); latency counts from the scheduled arrival\n";
  out << "\n";
  out << "throughput   " << fmt(s.samples_per_s) << " samples/s   " << fmt(s.images_per_s) << " images/s   "
      << fmt(s.output_tokens_per_s, "%.1f") << " output tokens/s   " << fmt(s.input_tokens_per_s, "%.1f")
      << " input tokens/s\n\n";
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-22s %10s %10s %10s %10s %10s\n", "ms", "mean", "p50", "p90", "p99", "max");
  out << buf;
  auto row = [&](const char* name, const LatencyHistogram& h) {
    if (h.empty()) return;
    std::snprintf(buf, sizeof buf, "%-22s %10.3f %10.3f %10.3f %10.3f %10.3f\n", name, h.mean() / 1e3,
                  h.percentile(0.5) / 1e3, h.percentile(0.9) / 1e3, h.percentile(0.99) / 1e3, double(h.max()) / 1e3);
    out << buf;
  };
  row("latency", s.latency_us);
  row("time to first token", s.ttft_us);
  row("time per output token", s.tpot_us);
  std::snprintf(buf, sizeof buf, "\n%-22s %12s %14s %8s\n", "stage", "total s", "per request ms", "% wall");
  out << buf;
  for (const auto& st : s.stages) {
    const std::string share = st.in_window && s.wall_s > 0 ? fmt(100 * st.total_s / s.wall_s, "%.1f") : "after";
    std::snprintf(buf, sizeof buf, "%-22s %12.4f %14.4f %8s\n", st.name.c_str(), st.total_s, st.per_request_ms,
                  share.c_str());
    out << buf;
  }
  std::snprintf(buf, sizeof buf, "%-22s %12.4f %14s %8s\n", "harness (not a stage)", s.harness_overhead_s, "",
                fmt(100 * s.harness_share, "%.2f").c_str());
  out << buf;
  if (o.scenario == Scenario::kServer) out << "  (server: harness share of the time requests were being handled)\n";
  if (s.images_prepared + s.image_reuses > 0) {
    out << "\nimages       " << s.images_prepared << " decoded, " << s.image_reuses << " reused";
    if (!s.image_reuse)
      out << " (--no-image-reuse: every request decoded its own)";
    else if (s.images_prepared)
      out << " (" << fmt(double(s.images_prepared + s.image_reuses) / double(s.images_prepared)) << " requests per "
          << "decode; ~" << fmt(s.image_time_saved_s, "%.3f") << " s of decoding and preprocessing not repeated)";
    out << "\n";
  }
  if (const auto& r = s.backend_reuse; r && r->images_encoded + r->image_encodes_reused > 0) {
    out << "vision tower " << r->images_encoded << " encodes, " << r->image_encodes_reused << " reused";
    if (r->image_encodes_reused)
      out << " (~" << fmt(encode_time_saved_s(*r), "%.3f") << " s of encode_images not repeated)";
    out << "\nprompts      " << r->prompt_tokens << " tokens, " << r->prefix_tokens_reused
        << " of them from a cached image prefix";
    if (r->prompt_tokens) out << " (" << fmt(100.0 * double(r->prefix_tokens_reused) / double(r->prompt_tokens), "%.1f") << "%)";
    if (s.image_reuse && !r->prefix_tokens_reused && !r->prefixes_computed)
      out << "; no prefix sharing (run's manifest: prefix_kv_reuse)";
    out << "\n";
  }
  out << "\nmemory       peak host RSS " << mib(s.peak_host_rss_bytes, "n/a") << ", peak device "
      << mib(s.peak_device_memory_bytes, "n/a (none reported by the backend)") << "\n";
  out << "stability    " << s.stability.message << "\n";
  if (!s.first_error.empty()) out << "first failure: " << s.first_error << "\n";
}

}  // namespace imaxbench
