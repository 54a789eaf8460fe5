#include "harness/run_manifest.h"

#include <tbb/version.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "harness/answer_conventions.h"
#include "core/build_info.h"
#include "core/json_document.h"
#include "core/regular_file.h"
#include "core/sha256.h"
#include "core/url_display.h"
#include "core/error.h"

namespace imaxbench {

namespace {

const char* const kIdentity[] = {"schema_version", "build", "suite", "backend", "settings"};

std::string now_utc() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return date;
}

void diff(const nlohmann::json& a, const nlohmann::json& b, const std::string& path,
          const std::vector<std::string>& ignore, std::vector<std::string>& out) {
  for (const auto& skip : ignore)
    if (skip == path) return;
  if (a.is_object() && b.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it)
      diff(it.value(), b.contains(it.key()) ? b[it.key()] : nlohmann::json(), path + "." + it.key(), ignore, out);
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key())) diff(nlohmann::json(), it.value(), path + "." + it.key(), ignore, out);
    return;
  }
  if (a != b) out.push_back(path + ": " + a.dump() + " vs " + b.dump());
}

}  // namespace

std::string model_sha256(const std::string& path) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec)) return "";
  return sha256_file(path);
}

nlohmann::json make_manifest(const LoadedSuite& loaded, const Backend& backend,
                             const RunSettings& s) {
  nlohmann::json splits = nlohmann::json::object();
  for (std::size_t i = 0; i < loaded.suite.tasks.size(); ++i)
    splits[loaded.suite.tasks[i].task] = {{"split", loaded.suite.tasks[i].split},
                                          {"sha256", loaded.splits[i].sha256}};
  nlohmann::json info = nlohmann::json::object();
  for (const auto& [k, v] : backend.manifest()) info[k] = v;
  const BackendOptions& o = s.backend_options;
  std::error_code ec;
  std::string suite_abs = std::filesystem::absolute(loaded.suite.path, ec).lexically_normal().string();
  return {
      {"schema_version", kManifestSchemaVersion},
      {"created", now_utc()},
      {"build", {{"tool_version", kToolVersion}, {"git_sha", kGitSha},
                 {"build_type", kBuildType},
                 {"libraries", {{"tbb", TBB_VERSION_STRING},
                                {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                                      std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                                      std::to_string(NLOHMANN_JSON_VERSION_PATCH)}}}}},
      {"suite", {{"name", loaded.suite.name}, {"sha256", loaded.suite.sha256}, {"splits", splits}}},
      {"suite_path", suite_abs},
      {"backend", {{"name", s.backend}, {"device", backend.device()}, {"model", o.model},
                   {"model_sha256", model_sha256(o.model)}, {"info", info}}},
      {"settings", {{"tasks", s.tasks}, {"limit", s.limit}, {"shard", s.shard.str()},
                    {"batch_size", o.batch_size}, {"max_new_tokens", o.max_new_tokens},
                    {"dtype", o.dtype}, {"endpoint", url_for_display(o.endpoint)}, {"strict", s.split.strict},
                    {"allow_external_images", s.split.allow_external_images},
                    {"bootstrap", s.bootstrap.resamples}, {"seed", s.bootstrap.seed},
                    {"cluster_by_image", s.bootstrap.cluster_by_image},
                    {"answer_conventions", conventions_json(loaded.suite)}}},
      // How answers are fetched, not what they are: free to change on --resume.
      {"runtime", {{"threads", s.threads}, {"max_fail_rate", s.max_fail_rate}, {"fsync", s.fsync},
                   {"concurrency", o.concurrency}, {"timeout_s", o.timeout_s}, {"retries", o.retries},
                   {"stream", o.stream}, {"max_answer_bytes", o.max_answer_bytes},
                   {"api_key_env", o.api_key_env}, {"delay_ms", o.delay_ms},
                   {"shard_source", s.shard_source}, {"device_source", s.device_source}}}};
}

std::vector<std::string> manifest_differences(const nlohmann::json& a, const nlohmann::json& b,
                                              const std::vector<std::string>& ignore) {
  std::vector<std::string> out;
  for (const char* key : kIdentity)
    diff(a.contains(key) ? a[key] : nlohmann::json(), b.contains(key) ? b[key] : nlohmann::json(), key,
         ignore, out);
  return out;
}

nlohmann::json read_manifest(const std::string& path) {
  std::string problem;
  RegularFile in(path, "the run manifest", problem);
  if (!in.is_open()) throw Error(path + ": " + problem + " (is this a run's output folder?)");
  nlohmann::json j = parse_json_document(in.read_all(), path, "the run manifest");
  if (!j.is_object() || !j.contains("schema_version") || !j.contains("settings"))
    throw Error(path + ": not an imaxbench run manifest (no schema_version/settings)");
  if (j["schema_version"] != kManifestSchemaVersion)
    throw Error(path + ": manifest schema_version " + j["schema_version"].dump() + ", this build reads " +
                std::to_string(kManifestSchemaVersion));
  return j;
}

}  // namespace imaxbench
