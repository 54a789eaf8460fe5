#include "core/json_fast.h"

#ifdef IMAXBENCH_HAVE_SIMDJSON
#include <simdjson.h>
#endif

namespace imaxbench {

#ifdef IMAXBENCH_HAVE_SIMDJSON

namespace {

// Whether `text` holds the integer token -0 anywhere (a '-', a '0', then no digit, '.' or exponent):
// nlohmann reads it as a signed 0, simdjson's tape keeps no sign for it.
bool has_minus_zero_integer(std::string_view text) {
  for (std::size_t at = text.find("-0"); at != std::string_view::npos; at = text.find("-0", at + 1)) {
    const char next = at + 2 < text.size() ? text[at + 2] : ' ';
    if (!(next >= '0' && next <= '9') && next != '.' && next != 'e' && next != 'E') return true;
  }
  return false;
}

nlohmann::json to_nlohmann(simdjson::dom::element e, bool& zero_integer) {
  using T = simdjson::dom::element_type;
  switch (e.type()) {
    case T::ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      simdjson::dom::array array;
      if (e.get_array().get(array) == simdjson::SUCCESS)
        for (simdjson::dom::element x : array) out.push_back(to_nlohmann(x, zero_integer));
      return out;
    }
    case T::OBJECT: {
      nlohmann::json out = nlohmann::json::object();
      simdjson::dom::object object;
      // A repeated key: the last one wins, as in nlohmann's parse.
      if (e.get_object().get(object) == simdjson::SUCCESS)
        for (simdjson::dom::key_value_pair kv : object) out[std::string(kv.key)] = to_nlohmann(kv.value, zero_integer);
      return out;
    }
    case T::INT64: {
      const std::int64_t v = e.get_int64().value_unsafe();
      zero_integer = zero_integer || v == 0;
      if (v >= 0) return nlohmann::json(static_cast<std::uint64_t>(v));
      return nlohmann::json(v);
    }
    case T::UINT64: return nlohmann::json(e.get_uint64().value_unsafe());
    case T::DOUBLE: return nlohmann::json(e.get_double().value_unsafe());
    case T::STRING: return nlohmann::json(std::string(e.get_string().value_unsafe()));
    case T::BOOL: return nlohmann::json(e.get_bool().value_unsafe());
    case T::NULL_VALUE: return nlohmann::json(nullptr);
  }
  return nlohmann::json();
}

}  // namespace

std::optional<nlohmann::json> parse_json_fast(std::string_view text) {
  thread_local simdjson::dom::parser parser;  // reuses its buffers line after line
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size(), true).get(root) != simdjson::SUCCESS) return std::nullopt;
  bool zero_integer = false;
  nlohmann::json out = to_nlohmann(root, zero_integer);
  if (zero_integer && has_minus_zero_integer(text)) return std::nullopt;  // rare: let nlohmann say
  return out;
}

#else

std::optional<nlohmann::json> parse_json_fast(std::string_view) { return std::nullopt; }

#endif

}  // namespace imaxbench
