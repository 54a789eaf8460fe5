// Reads a Hugging Face tokenizer.json into an HfBpeTokenizer. Everything that would change the
// ids and is not implemented is refused with an Error naming the field, so a tokenizer that loads
// is one that encodes as the reference does. Ignored because they cannot change encode/decode as
// this interface uses them: truncation, padding, post_processor (special tokens are never added
// here) and the decoder's and pre-tokenizer's offset settings (trim_offsets).

#include <nlohmann/json.hpp>

#include "core/json_document.h"
#include "core/regular_file.h"
#include "core/error.h"
#include "tokenizers/hf_bpe_tokenizer.h"

namespace imaxbench {

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw Error(path + ": " + what);
}

std::string type_of(const json& node) {
  auto it = node.find("type");
  return it != node.end() && it->is_string() ? it->get<std::string>() : "";
}

bool flag(const json& node, const char* key, bool fallback) {
  auto it = node.find(key);
  return it == node.end() || it->is_null() ? fallback : it->get<bool>();
}

bool set_string(const json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && !it->is_null() && !(it->is_string() && it->get<std::string>().empty());
}

// Flattens a node that is null, one step, or a Sequence of steps (under `list_key`).
std::vector<json> steps(const json& node, const char* list_key) {
  if (node.is_null()) return {};
  if (type_of(node) != "Sequence") return {node};
  std::vector<json> out;
  for (const json& child : node.at(list_key)) {
    auto inner = steps(child, list_key);
    out.insert(out.end(), inner.begin(), inner.end());
  }
  return out;
}

void read_normalizer(const std::string& path, const json& spec, HfBpeConfig& config) {
  for (const json& step : steps(spec.value("normalizer", json()), "normalizers")) {
    if (type_of(step) != "NFC")
      fail(path, "normalizer '" + type_of(step) + "' is not supported (supported: NFC)");
    config.nfc = true;
  }
}

void read_pre_tokenizer(const std::string& path, const json& spec, HfBpeConfig& config) {
  bool byte_level = false;
  for (const json& step : steps(spec.value("pre_tokenizer", json()), "pretokenizers")) {
    const std::string type = type_of(step);
    if (byte_level) fail(path, "pre_tokenizer '" + type + "' after ByteLevel is not supported");
    if (type == "ByteLevel") {
      byte_level = true;
      config.byte_level_regex = flag(step, "use_regex", true);
      config.add_prefix_space = flag(step, "add_prefix_space", true);
    } else if (type == "Split") {
      const json& pattern = step.at("pattern");
      if (!pattern.contains("Regex"))
        fail(path, "Split pre_tokenizer with a String pattern is not supported");
      const std::string regex = pattern.at("Regex").get<std::string>();
      auto known = find_split_pattern(regex);
      if (!known)
        fail(path, "Split regex '" + regex +
                       "' is not supported (supported: the GPT-2, LLaMA-3 and Qwen2 patterns)");
      const std::string behavior = step.value("behavior", "Isolated");
      if (behavior != "Isolated" || flag(step, "invert", false))
        fail(path, "Split behavior '" + behavior + "'" +
                       (flag(step, "invert", false) ? " with invert" : "") +
                       " is not supported (supported: Isolated, invert false)");
      config.splits.push_back(*known);
    } else {
      fail(path, "pre_tokenizer '" + type + "' is not supported (supported: ByteLevel, Split)");
    }
  }
  if (!byte_level) fail(path, "pre_tokenizer has no ByteLevel step: not a byte-level BPE tokenizer");
}

void read_decoder(const std::string& path, const json& spec) {
  const auto decoders = steps(spec.value("decoder", json()), "decoders");
  if (decoders.size() == 1 && type_of(decoders[0]) == "ByteLevel") return;
  std::string found = "none";
  if (!decoders.empty()) found = type_of(decoders[0]) + (decoders.size() > 1 ? " and more" : "");
  fail(path, "decoder must be ByteLevel (found " + found + ")");
}

std::vector<std::pair<std::string, std::string>> read_merges(const std::string& path,
                                                             const json& merges) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(merges.size());
  for (std::size_t i = 0; i < merges.size(); ++i) {
    const json& m = merges[i];
    if (m.is_string()) {  // legacy "left right"
      const std::string text = m.get<std::string>();
      const auto space = text.find(' ');
      if (space == std::string::npos)
        fail(path, "model.merges[" + std::to_string(i) + "] '" + text + "' has no space");
      out.emplace_back(text.substr(0, space), text.substr(space + 1));
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      out.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
    } else {
      fail(path, "model.merges[" + std::to_string(i) + "] is neither \"a b\" nor [\"a\", \"b\"]");
    }
  }
  return out;
}

BpeModel read_model(const std::string& path, const json& spec) {
  if (!spec.contains("model") || !spec["model"].is_object()) fail(path, "no \"model\" object");
  const json& model = spec["model"];
  const std::string type = type_of(model);
  if (type.empty() ? !model.contains("merges") : type != "BPE")
    fail(path, "model type '" + type + "' is not supported (supported: BPE)");
  if (model.contains("dropout") && !model["dropout"].is_null() && model["dropout"].get<double>() != 0.0)
    fail(path, "model.dropout is not supported (BPE dropout is random)");
  if (set_string(model, "continuing_subword_prefix"))
    fail(path, "model.continuing_subword_prefix is not supported");
  if (set_string(model, "end_of_word_suffix")) fail(path, "model.end_of_word_suffix is not supported");
  if (flag(model, "byte_fallback", false)) fail(path, "model.byte_fallback is not supported");
  if (!model.contains("vocab") || !model["vocab"].is_object()) fail(path, "model.vocab is not an object");
  std::unordered_map<std::string, std::int32_t> vocab;
  vocab.reserve(model["vocab"].size());
  for (const auto& [token, id] : model["vocab"].items()) vocab.emplace(token, id.get<std::int32_t>());
  BpeOptions options;
  options.fuse_unk = flag(model, "fuse_unk", false);
  options.ignore_merges = flag(model, "ignore_merges", false);
  if (set_string(model, "unk_token")) {
    const std::string unk = model["unk_token"].get<std::string>();
    auto it = vocab.find(unk);
    if (it == vocab.end()) fail(path, "model.unk_token '" + unk + "' is not in the vocabulary");
    options.unk_id = it->second;
  }
  return BpeModel(std::move(vocab), read_merges(path, model.value("merges", json::array())),
                  options, path);
}

std::vector<AddedToken> read_added_tokens(const std::string& path, const json& spec) {
  std::vector<AddedToken> out;
  for (const json& t : spec.value("added_tokens", json::array())) {
    AddedToken token;
    token.content = t.at("content").get<std::string>();
    token.id = t.at("id").get<std::int32_t>();
    token.special = flag(t, "special", false);
    token.normalized = flag(t, "normalized", !token.special);
    token.lstrip = flag(t, "lstrip", false);
    token.rstrip = flag(t, "rstrip", false);
    if (flag(t, "single_word", false))
      fail(path, "added token '" + token.content + "' has single_word, which is not supported");
    if (token.content.empty()) fail(path, "added token " + std::to_string(token.id) + " is empty");
    out.push_back(std::move(token));
  }
  return out;
}

}  // namespace

std::unique_ptr<Tokenizer> load_hf_bpe_tokenizer(const std::string& path) {
  std::string problem;
  RegularFile in(path, "the tokenizer file", problem);
  if (!in.is_open()) fail(path, problem + " (hf-bpe expects a tokenizer.json)");
  JsonProblem bad;
  auto parsed = parse_json(in.read_all(), bad);
  if (!parsed) fail(path, "not valid JSON: " + bad.describe());
  const json spec = std::move(*parsed);
  if (!spec.is_object()) fail(path, "not a tokenizer.json (top level is not an object)");
  try {
    HfBpeConfig config;
    read_normalizer(path, spec, config);
    read_pre_tokenizer(path, spec, config);
    read_decoder(path, spec);
    config.added_tokens = read_added_tokens(path, spec);
    BpeModel model = read_model(path, spec);
    return std::make_unique<HfBpeTokenizer>(std::move(model), std::move(config));
  } catch (const json::exception& e) {
    fail(path, std::string("unexpected tokenizer.json structure: ") + e.what());
  }
}

}  // namespace imaxbench
