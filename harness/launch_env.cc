#include "harness/launch_env.h"

#include <charconv>
#include <cstdlib>
#include <ostream>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace imaxbench {

namespace {

// A variable's whole value as a whole number >= 0; nullopt when unset; UsageError when malformed.
std::optional<long> number(const EnvLookup& env, const std::string& name) {
  const auto v = env(name);
  if (!v) return std::nullopt;
  long value = -1;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), value);
  if (v->empty() || ec != std::errc() || end != v->data() + v->size() || value < 0)
    throw UsageError("--shard auto: " + name + "='" + *v + "' is not a whole number >= 0");
  return value;
}

struct Part {
  long index = 0, count = 1;
  std::string source;
};

Part checked(long index, long count, std::string source) {
  if (count < 1 || index >= count)
    throw UsageError("--shard auto: " + source + " is not a place among " + std::to_string(count) +
                     " (index must be below the count)");
  return {index, count, std::move(source)};
}

std::optional<Part> slurm_array(const EnvLookup& env) {
  const auto id = number(env, "SLURM_ARRAY_TASK_ID");
  if (!id) return std::nullopt;
  const auto min = number(env, "SLURM_ARRAY_TASK_MIN"), max = number(env, "SLURM_ARRAY_TASK_MAX"),
             step = number(env, "SLURM_ARRAY_TASK_STEP"), count = number(env, "SLURM_ARRAY_TASK_COUNT");
  if (!min || (!count && !max))
    throw UsageError("--shard auto: SLURM_ARRAY_TASK_ID is set without SLURM_ARRAY_TASK_MIN and "
                     "SLURM_ARRAY_TASK_COUNT (or _MAX); is this a Slurm job array?");
  const long s = step && *step > 0 ? *step : 1;
  if (*id < *min || (*id - *min) % s != 0)
    throw UsageError("--shard auto: SLURM_ARRAY_TASK_ID=" + std::to_string(*id) + " is not in the array " +
                     std::to_string(*min) + "-" + (max ? std::to_string(*max) : "?") + ":" + std::to_string(s));
  const long n = count ? *count : (*max - *min) / s + 1;
  return checked((*id - *min) / s, n,
                 "SLURM_ARRAY_TASK_ID=" + std::to_string(*id) + " (" + std::to_string(n) + " array tasks from " +
                     std::to_string(*min) + (s > 1 ? " step " + std::to_string(s) : "") + ")");
}

std::optional<Part> kubernetes(const EnvLookup& env) {
  const auto index = number(env, "JOB_COMPLETION_INDEX");
  if (!index) return std::nullopt;
  const auto count = number(env, "IMAXBENCH_SHARD_COUNT");
  if (!count)
    throw UsageError("--shard auto: JOB_COMPLETION_INDEX is set but IMAXBENCH_SHARD_COUNT is not; set it in the "
                     "Job's pod template to spec.completions (docs/cluster.md)");
  return checked(*index, *count, "JOB_COMPLETION_INDEX=" + std::to_string(*index) + " of IMAXBENCH_SHARD_COUNT=" +
                                     std::to_string(*count));
}

std::optional<Part> rank_pair(const EnvLookup& env, const std::string& rank_name,
                              const std::vector<std::string>& size_names, bool only_if_several = false) {
  const auto rank = number(env, rank_name);
  if (!rank) return std::nullopt;
  for (const auto& size_name : size_names) {
    const auto size = number(env, size_name);
    if (!size) continue;
    if (only_if_several && *size < 2) return std::nullopt;
    return checked(*rank, *size, rank_name + "=" + std::to_string(*rank) + " of " + size_name + "=" +
                                     std::to_string(*size));
  }
  if (only_if_several) return std::nullopt;
  std::string names;
  for (const auto& n : size_names) names += (names.empty() ? "" : " or ") + n;
  throw UsageError("--shard auto: " + rank_name + " is set without " + names);
}

std::optional<Part> launcher_rank(const EnvLookup& env) {
  if (auto p = rank_pair(env, "OMPI_COMM_WORLD_RANK", {"OMPI_COMM_WORLD_SIZE"})) return p;
  if (auto p = rank_pair(env, "PMIX_RANK", {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})) return p;
  if (auto p = rank_pair(env, "PMI_RANK", {"PMI_SIZE"})) return p;
  if (env("WORLD_SIZE")) return rank_pair(env, "RANK", {"WORLD_SIZE"});
  return rank_pair(env, "SLURM_PROCID", {"SLURM_NTASKS"}, true);
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

LaunchShard shard_from_environment(const EnvLookup& env) {
  std::optional<Part> outer = slurm_array(env);
  if (!outer) outer = kubernetes(env);
  const std::optional<Part> inner = launcher_rank(env);
  if (!outer && !inner)
    throw UsageError(
        "--shard auto: no launcher environment found. Looked for a Slurm job array (SLURM_ARRAY_TASK_ID), a "
        "Kubernetes Indexed Job (JOB_COMPLETION_INDEX with IMAXBENCH_SHARD_COUNT), MPI ranks "
        "(OMPI_COMM_WORLD_RANK, PMIX_RANK, PMI_RANK), torchrun (RANK, WORLD_SIZE) and an srun step of several "
        "tasks (SLURM_PROCID, SLURM_NTASKS); give --shard K/N instead");
  const Part o = outer.value_or(Part{}), i = inner.value_or(Part{});
  const long long n = static_cast<long long>(o.count) * i.count;
  if (n > 1000000) throw UsageError("--shard auto: " + std::to_string(n) + " shards is more than 1,000,000");
  LaunchShard out;
  out.shard.k = static_cast<int>(o.index * i.count + i.index + 1);
  out.shard.n = static_cast<int>(n);
  out.source = outer && inner ? o.source + " x " + i.source : outer ? o.source : i.source;
  return out;
}

LaunchShard resolve_shard(const std::string& text, const EnvLookup& env) {
  if (text == "auto") return shard_from_environment(env);
  return {parse_shard(text), "--shard"};
}

std::string resolve_device(const std::string& device, const EnvLookup& env, std::string& source) {
  source.clear();
  const std::string_view d = device;
  if (d != "cuda:auto" && d != "hip:auto") return device;
  const std::string kind(d.substr(0, d.find(':')));
  for (const char* name : {"LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID"}) {
    const auto v = env(name);
    if (!v) continue;
    long rank = -1;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), rank);
    if (v->empty() || ec != std::errc() || end != v->data() + v->size() || rank < 0 || rank > 4096)
      throw UsageError("--device " + device + ": " + name + "='" + *v + "' is not a device index");
    source = std::string(name) + "=" + *v;
    return kind + ":" + std::to_string(rank);
  }
  source = "no local rank set (LOCAL_RANK, OMPI_COMM_WORLD_LOCAL_RANK, MPI_LOCALRANKID, SLURM_LOCALID): device 0";
  return kind + ":0";
}

LaunchPlace resolve_launch_place(const std::string& shard, std::string& device, std::ostream* log) {
  const EnvLookup env = process_environment();
  const LaunchShard s = resolve_shard(shard, env);
  LaunchPlace out{s.shard, s.source, ""};
  const std::string given = device;
  device = resolve_device(given, env, out.device_source);
  if (log && shard == "auto") *log << "shard " << s.shard.str() << " from " << s.source << "\n";
  if (log && !out.device_source.empty()) *log << "device " << device << " from " << out.device_source << "\n";
  return out;
}

}  // namespace imaxbench
