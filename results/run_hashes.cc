// Comparability hashes of a results document (declared in leaderboard_store.h). Sorted lines, so
// the order tasks and metrics were written in does not matter. Always built, SQLite or not.
#include <algorithm>
#include <string>
#include <vector>

#include "core/sha256.h"
#include "results/leaderboard_store.h"

namespace imaxbench {

namespace {

std::string hash_lines(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return sha256_hex(all);
}

const nlohmann::json& tasks_of(const nlohmann::json& results) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  auto it = results.find("tasks");
  return it != results.end() && it->is_object() ? *it : kEmpty;
}

}  // namespace

std::string splits_hash(const nlohmann::json& results) {
  std::vector<std::string> lines;
  for (const auto& [task, t] : tasks_of(results).items())
    lines.push_back(task + "\t" + t.value("split_sha256", std::string()));
  return hash_lines(std::move(lines));
}

std::string signatures_hash(const nlohmann::json& results) {
  std::vector<std::string> lines;
  for (const auto& [task, t] : tasks_of(results).items()) {
    auto m = t.find("metrics");
    if (m == t.end() || !m->is_object()) continue;
    for (const auto& [id, metric] : m->items())
      lines.push_back(task + "\t" + id + "\t" + metric.value("signature", std::string()));
  }
  return hash_lines(std::move(lines));
}

}  // namespace imaxbench
