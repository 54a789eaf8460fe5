#include "results/run_source.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/json_document.h"
#include "results/leaderboard_store.h"
#include "core/error.h"

namespace imaxbench {

namespace fs = std::filesystem;

namespace {

nlohmann::json read_json_file(const fs::path& path, const std::string& what) {
  nlohmann::json j = read_json_document(path.string(), what);
  if (!j.is_object()) throw Error(path.string() + ": not a JSON object (" + what + ")");
  return j;
}

// A path written in a results or manifest file: as given when it exists from here, else
// relative to the folder the file sits in.
std::string resolve_written_path(const std::string& written, const fs::path& base) {
  if (written.empty()) return "";
  fs::path p(written);
  if (fs::exists(p)) return p.string();
  if (p.is_relative() && fs::exists(base / p)) return (base / p).string();
  return "";
}

std::string string_at(const nlohmann::json& j, std::initializer_list<const char*> keys) {
  const nlohmann::json* cur = &j;
  for (const char* k : keys) {
    if (!cur->is_object()) return "";
    auto it = cur->find(k);
    if (it == cur->end()) return "";
    cur = &*it;
  }
  return cur->is_string() ? cur->get<std::string>() : "";
}

// Where a run says its suite file is, from the places `run` and `score` write it.
std::string suite_from_files(const nlohmann::json& results, const nlohmann::json& manifest, const fs::path& base) {
  for (const std::string& candidate :
       {string_at(manifest, {"suite_path"}), string_at(manifest, {"suite", "path"}),
        string_at(manifest, {"suite"}), string_at(results, {"context", "config", "suite_path"}),
        string_at(results, {"context", "config", "suite"})}) {
    std::string found = resolve_written_path(candidate, base);
    if (!found.empty() && fs::is_regular_file(found)) return found;
  }
  return "";
}

std::optional<std::int64_t> parse_run_id(const std::string& ref) {
  std::string digits = ref.starts_with("#") ? ref.substr(1) : ref;
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
    return std::nullopt;
  return std::stoll(digits);
}

RunSource from_store(const std::string& ref, std::int64_t id, const RunSourceOptions& o) {
  auto run = find_run(o.db_path, id);
  if (!run) throw Error(o.db_path + ": no run with id " + std::to_string(id) + " (named as '" + ref + "')");
  RunSource s;
  s.label = "run " + std::to_string(id) + " (" + run->model + ")";
  s.run_id = id;
  s.model = run->model;
  s.results = stored_results(o.db_path, id);
  if (o.results_only) return s;
  s.answers = o.answers_override.empty() ? stored_answers(o.db_path, id) : read_answers(o.answers_override, false);
  s.suite_path = !o.suite_override.empty() ? o.suite_override : run->suite_path;
  if (s.suite_path.empty() || !fs::is_regular_file(s.suite_path))
    throw Error(s.label + ": its suite file '" + run->suite_path + "' is not there any more; pass --suite FILE");
  return s;
}

}  // namespace

std::string suite_name_of(const RunSource& source) {
  return string_at(source.results, {"context", "suite"});
}

RunSource load_run_source(const std::string& ref, const RunSourceOptions& o) {
  if (ref.starts_with("tag:")) {
    const std::string tag = ref.substr(4);
    auto run = newest_with_tag(o.db_path, tag, o.suite_name);
    if (!run)
      throw Error(o.db_path + ": no run is tagged '" + tag + "'" +
                  (o.suite_name.empty() ? "" : " on suite '" + o.suite_name + "'") +
                  "; tag one with `imaxbench leaderboard --add-tag ID=" + tag + "`");
    return from_store(ref, run->id, o);
  }
  const fs::path path(ref);
  if (!fs::exists(path)) {
    if (auto id = parse_run_id(ref)) return from_store(ref, *id, o);
    throw Error(ref + ": no such run folder, results file or leaderboard run id");
  }
  RunSource s;
  s.label = ref;
  nlohmann::json manifest = nlohmann::json::object();
  fs::path base;
  std::string answers;
  if (fs::is_directory(path)) {
    base = path;
    if (!fs::exists(path / "results.json"))
      throw Error(ref + ": a run folder needs results.json (written when a run finishes); re-score "
                  "its journal with `imaxbench score --journal " + (path / "samples.jsonl").string() +
                  " --out " + (path / "results.json").string() + "`");
    s.results = read_json_file(path / "results.json", "the run's results");
    if (fs::exists(path / "manifest.json")) manifest = read_json_file(path / "manifest.json", "the run manifest");
    if (fs::exists(path / "samples.jsonl")) answers = (path / "samples.jsonl").string();
  } else {
    base = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    s.results = read_json_file(path, "a results file");
  }
  if (!s.results.contains("tasks") || !s.results.contains("context"))
    throw Error(ref + ": not a results document (no \"context\"/\"tasks\", docs/formats.md §5)");
  if (o.results_only) return s;
  if (answers.empty()) answers = resolve_written_path(string_at(s.results, {"context", "config", "answers"}), base);
  if (!o.answers_override.empty()) answers = o.answers_override;
  if (answers.empty())
    throw Error(ref + ": cannot find the run's answers (no samples.jsonl, and context.config.answers "
                "names no existing file); pass --answers-a/--answers-b FILE");
  s.answers = read_answers(answers, false);
  s.suite_path = o.suite_override.empty() ? suite_from_files(s.results, manifest, base) : o.suite_override;
  if (s.suite_path.empty())
    throw Error(ref + ": cannot tell which suite file the run used (its manifest and results name "
                "none that exists); pass --suite FILE");
  return s;
}

}  // namespace imaxbench
