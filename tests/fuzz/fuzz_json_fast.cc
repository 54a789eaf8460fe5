// Differential fuzzing of the JSON fast path (core/json_fast.h) against nlohmann/json, the reader
// of record: whenever simdjson accepts a text, nlohmann must accept it too and give the same
// value, number types and all (a non-negative whole number unsigned, a negative one signed,
// floats with the same bits); what simdjson refuses is nlohmann's to judge.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/json_fast.h"
#include "fuzz_support.h"

namespace {

bool same(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it)
      if (!b.contains(it.key()) || !same(it.value(), b.at(it.key()))) return false;
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  }
  return a.dump() == b.dump();  // floats: -0.0 and 0.0 differ here, as they should
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = imaxbench::fuzz::as_view(data, size);
  const auto fast = imaxbench::parse_json_fast(text);
  if (!fast) return 0;
  nlohmann::json reference;
  try {
    reference = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "simdjson accepted what nlohmann refuses: %s\n", e.what());
    std::abort();
  }
  if (!same(*fast, reference)) {
    std::fprintf(stderr, "different values:\n  fast      %s\n  nlohmann  %s\n", fast->dump().c_str(),
                 reference.dump().c_str());
    std::abort();
  }
  return 0;
}
