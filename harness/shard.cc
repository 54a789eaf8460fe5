#include "harness/shard.h"

#include <charconv>

#include "core/error.h"

namespace imaxbench {

ShardSpec parse_shard(std::string_view text) {
  auto bad = [&] {
    return UsageError("--shard '" + std::string(text) + "' is not K/N; write e.g. 2/4 (1 <= K <= N)");
  };
  auto slash = text.find('/');
  if (slash == std::string_view::npos) throw bad();
  ShardSpec s;
  auto parse = [&](std::string_view part, int& value) {
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size()) throw bad();
  };
  parse(text.substr(0, slash), s.k);
  parse(text.substr(slash + 1), s.n);
  if (s.n < 1 || s.k < 1 || s.k > s.n) throw bad();
  return s;
}

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool in_shard(std::string_view id, const ShardSpec& shard) {
  return fnv1a64(id) % static_cast<std::uint64_t>(shard.n) == static_cast<std::uint64_t>(shard.k - 1);
}

void select_samples(LoadedSuite& loaded, std::size_t limit, const ShardSpec& shard) {
  for (auto& split : loaded.splits) {
    if (limit > 0 && split.samples.size() > limit) split.samples.resize(limit);
    if (shard.n == 1) continue;
    std::vector<Sample> kept;
    for (auto& s : split.samples)
      if (in_shard(s.id, shard)) kept.push_back(std::move(s));
    split.samples = std::move(kept);
  }
}

}  // namespace imaxbench
