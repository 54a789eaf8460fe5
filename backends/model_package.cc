#include "backends/model_package.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "core/json_document.h"
#include "core/regular_file.h"
#include "core/error.h"
#include "tokenizers/tokenizer.h"

namespace imaxbench {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Reads fields of one JSON object; every error names the manifest and the dotted field path.
class Fields {
 public:
  Fields(const json& obj, std::string file, std::string prefix)
      : obj_(obj), file_(std::move(file)), prefix_(std::move(prefix)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw Error(file_ + ": field '" + prefix_ + key + "' " + problem + " (see docs/model-package.md)");
  }
  const json* find(const std::string& key, bool required) const {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) {
      if (required) fail(key, "is missing");
      return nullptr;
    }
    return &*it;
  }
  std::string str(const std::string& key, bool required = true, std::string fallback = "") const {
    const json* v = find(key, required);
    if (!v) return fallback;
    if (!v->is_string()) fail(key, "must be a string, got " + v->dump());
    return v->get<std::string>();
  }
  int integer(const std::string& key, int lo, int hi, bool required = true, int fallback = 0) const {
    const json* v = find(key, required);
    if (!v) return fallback;
    if (!v->is_number_integer()) fail(key, "must be a whole number, got " + v->dump());
    const auto x = v->get<std::int64_t>();
    if (x < lo || x > hi)
      fail(key, "is " + std::to_string(x) + "; it must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return static_cast<int>(x);
  }
  std::vector<float> floats(const std::string& key, std::size_t n) const {
    const json* v = find(key, true);
    if (!v->is_array() || v->size() != n)
      fail(key, "must be a list of " + std::to_string(n) + " numbers (one per channel), got " + v->dump());
    std::vector<float> out;
    for (const json& x : *v) {
      if (!x.is_number()) fail(key, "must hold numbers, got " + x.dump());
      out.push_back(x.get<float>());
    }
    return out;
  }
  std::vector<std::int32_t> ids(const std::string& key, const std::string& what = "token ids") const {
    const json* v = find(key, true);
    if (!v->is_array() || v->empty()) fail(key, "must be a non-empty list of " + what + ", got " + v->dump());
    std::vector<std::int32_t> out;
    for (const json& x : *v) {
      if (!x.is_number_integer() || x.get<std::int64_t>() < 0 || x.get<std::int64_t>() > INT32_MAX)
        fail(key, "must hold " + what + " (whole numbers >= 0), got " + x.dump());
      out.push_back(x.get<std::int32_t>());
    }
    return out;
  }
  std::vector<std::string> strings(const std::string& key) const {
    const json* v = find(key, false);
    std::vector<std::string> out;
    if (!v) return out;
    if (!v->is_array()) fail(key, "must be a list of strings, got " + v->dump());
    for (const json& x : *v) {
      if (!x.is_string() || x.get<std::string>().empty()) fail(key, "must hold non-empty strings, got " + x.dump());
      out.push_back(x.get<std::string>());
    }
    return out;
  }
  Fields object(const std::string& key) const {
    const json* v = find(key, true);
    if (!v->is_object()) fail(key, "must be an object, got " + v->dump());
    return Fields(*v, file_, prefix_ + key + ".");
  }
  std::string one_of(const std::string& key, std::initializer_list<const char*> allowed, const char* fallback) const {
    std::string v = str(key, fallback == nullptr, fallback ? fallback : "");
    std::string list;
    for (const char* a : allowed) {
      if (v == a) return v;
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    fail(key, "is '" + v + "'; it must be one of: " + list);
  }
  std::string file_in_package(const std::string& key, const fs::path& dir) const {
    std::string name = str(key);
    fs::path p = fs::path(name);
    if (name.empty() || p.is_absolute() || name.find("..") != std::string::npos)
      fail(key, "must name a file inside the package folder, got '" + name + "'");
    p = dir / p;
    if (!fs::is_regular_file(p)) fail(key, "names " + p.string() + ", which does not exist");
    return p.string();
  }

 private:
  const json& obj_;
  std::string file_, prefix_;
};

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

}  // namespace

ModelPackage load_model_package(const std::string& dir_or_manifest) {
  ModelPackage pkg;
  fs::path path(dir_or_manifest);
  if (fs::is_directory(path)) path /= ModelPackage::kManifestName;
  pkg.dir = path.parent_path().empty() ? "." : path.parent_path().string();
  pkg.manifest_path = path.string();
  std::string problem;
  RegularFile in(pkg.manifest_path, "the model package manifest", problem);
  if (!in.is_open())
    throw Error(pkg.manifest_path + ": " + problem + "; --model must be a package folder "
                "holding " + ModelPackage::kManifestName + " (models/export_demo_vlm.py writes one)");
  JsonProblem bad;
  auto parsed = parse_json(in.read_all(), bad);
  if (!parsed) throw Error(pkg.manifest_path + ": not valid JSON: " + bad.describe());
  const json doc = std::move(*parsed);
  if (!doc.is_object()) throw Error(pkg.manifest_path + ": must hold one JSON object");
  const Fields f(doc, pkg.manifest_path, "");

  if (f.str("format") != "imaxbench-model") f.fail("format", "must be \"imaxbench-model\"");
  const int version = f.integer("format_version", 1, 1 << 20);
  if (version > ModelPackage::kFormatVersion)
    f.fail("format_version", "is " + std::to_string(version) + "; this imaxbench reads versions 1 to " +
                                 std::to_string(ModelPackage::kFormatVersion));
  pkg.format_version = version;
  pkg.name = f.str("name", false, fs::path(pkg.dir).filename().string());
  pkg.module_path = f.file_in_package("module", pkg.dir);
  pkg.dtype = f.one_of("dtype", {"float32", "float16", "bfloat16"}, "float32");
  pkg.decoding = f.one_of("decoding", {"kv_cache", "full"}, "kv_cache");

  const Fields img = f.object("image");
  pkg.image.width = img.integer("width", 1, 16384);
  pkg.image.height = img.integer("height", 1, 16384);
  pkg.image.channels = img.integer("channels", 1, 4);
  pkg.image.mean = img.floats("mean", static_cast<std::size_t>(pkg.image.channels));
  pkg.image.std = img.floats("std", static_cast<std::size_t>(pkg.image.channels));
  for (float s : pkg.image.std)
    if (!(s > 0)) img.fail("std", "must hold positive numbers");
  pkg.image.resize =
      version >= 3   ? img.one_of("resize", {"bilinear", "bicubic", "shortest_edge_crop", "pad_square_shortest_edge_crop"},
                                  "bilinear")
      : version >= 2 ? img.one_of("resize", {"bilinear", "bicubic", "shortest_edge_crop"}, "bilinear")
                     : img.one_of("resize", {"bilinear"}, "bilinear");
  if (pkg.image.resize == "pad_square_shortest_edge_crop") {
    for (std::int32_t v : img.ids("pad_values", "8-bit pad values, one per channel")) {
      if (v > 255) img.fail("pad_values", "must hold 8-bit values (0-255), got " + std::to_string(v));
      pkg.image.pad_values.push_back(v);
    }
    if (pkg.image.pad_values.size() != static_cast<std::size_t>(pkg.image.channels))
      img.fail("pad_values", "must hold one value per channel (" + std::to_string(pkg.image.channels) + ")");
  }
  if (pkg.image.resize == "shortest_edge_crop" || pkg.image.resize == "pad_square_shortest_edge_crop") {
    pkg.image.shortest_edge = img.integer("shortest_edge", 1, 16384);
    if (pkg.image.shortest_edge < std::min(pkg.image.width, pkg.image.height))
      img.fail("shortest_edge", "is smaller than the crop (image.width x image.height)");
  }
  pkg.image.tokens = img.integer("tokens", 1, 1 << 20);
  pkg.position_ids = version >= 3 ? f.one_of("position_ids", {"1d", "mrope"}, "1d") : "1d";
  if (pkg.position_ids == "mrope") {
    const auto grid = img.ids("grid", "image token counts [rows, cols]");
    if (grid.size() != 2 || grid[0] < 1 || grid[1] < 1) img.fail("grid", "must be [rows, cols] of image tokens");
    pkg.image.grid_rows = grid[0], pkg.image.grid_cols = grid[1];
    if (static_cast<std::int64_t>(grid[0]) * grid[1] != pkg.image.tokens)
      img.fail("grid", "is " + std::to_string(grid[0]) + " x " + std::to_string(grid[1]) + ", not image.tokens " +
                           std::to_string(pkg.image.tokens) + " tokens");
  }

  const Fields tok = f.object("tokenizer");
  pkg.tokenizer_kind = tok.one_of("kind", {"hf-bpe", "sentencepiece"}, nullptr);
  pkg.tokenizer_path = tok.file_in_package("file", pkg.dir);

  pkg.image_token = f.str("image_token");
  if (pkg.image_token.empty()) f.fail("image_token", "must not be empty");
  pkg.chat_template = f.str("chat_template");
  if (count(pkg.chat_template, "{prompt}") != 1) f.fail("chat_template", "must hold \"{prompt}\" exactly once");
  if (count(pkg.chat_template, pkg.image_token) != 1)
    f.fail("chat_template", "must hold the image_token \"" + pkg.image_token + "\" exactly once");
  pkg.special_tokens = f.strings("special_tokens");
  if (version >= 3) pkg.image_token_id = f.integer("image_token_id", 0, INT32_MAX, false, -1);
  pkg.eos_token_ids = f.ids("eos_token_ids");
  pkg.pad_token_id = f.integer("pad_token_id", 0, INT32_MAX, false, pkg.eos_token_ids.front());
  pkg.max_new_tokens = f.integer("max_new_tokens", 1, 1 << 20);
  if (version >= 2) {
    pkg.family = f.str("family", false);
    if (doc.contains("answer")) pkg.answer_box_format = f.object("answer").str("box_format", false);
    if (const auto it = doc.find("prompts"); it != doc.end() && !it->is_null()) {
      if (!it->is_object()) f.fail("prompts", "must be an object of task name -> prompt template");
      for (const auto& [task, text] : it->items()) {
        if (!text.is_string()) f.fail("prompts." + task, "must be a string, got " + text.dump());
        pkg.prompts.emplace_back(task, text.get<std::string>());
      }
    }
  }

  const Fields text = f.object("text");
  pkg.text.hidden_size = text.integer("hidden_size", 1, 1 << 20);
  pkg.text.vocab_size = text.integer("vocab_size", 1, INT32_MAX);
  pkg.text.layers = text.integer("layers", 1, 1 << 12);
  pkg.text.kv_heads = text.integer("kv_heads", 1, 1 << 12);
  pkg.text.head_dim = text.integer("head_dim", 1, 1 << 14);
  pkg.text.max_positions = text.integer("max_positions", 2, INT32_MAX);
  for (std::int32_t id : pkg.eos_token_ids)
    if (id >= pkg.text.vocab_size)
      f.fail("eos_token_ids", "holds " + std::to_string(id) + ", not below text.vocab_size " +
                                  std::to_string(pkg.text.vocab_size));
  if (pkg.pad_token_id >= pkg.text.vocab_size) f.fail("pad_token_id", "is not below text.vocab_size");
  if (pkg.image_token_id >= pkg.text.vocab_size) f.fail("image_token_id", "is not below text.vocab_size");
  return pkg;
}

void check_package_tokens(const ModelPackage& pkg, const Tokenizer& tokenizer) {
  auto fail = [&](const std::string& field, const std::string& problem) {
    throw Error(pkg.manifest_path + ": field '" + field + "' " + problem + " (tokenizer " + pkg.tokenizer_path + ")");
  };
  if (tokenizer.vocab_size() > static_cast<std::size_t>(pkg.text.vocab_size))
    fail("text.vocab_size", "is " + std::to_string(pkg.text.vocab_size) + " but the tokenizer has " +
                                std::to_string(tokenizer.vocab_size()) + " tokens");
  if (pkg.image_token_id < 0 && tokenizer.token_id(pkg.image_token) < 0)
    fail("image_token", "\"" + pkg.image_token + "\" is not one token of the tokenizer (a placeholder that is not "
                        "one needs image_token_id, format_version 3)");
  for (const std::string& s : pkg.special_tokens)
    if (tokenizer.token_id(s) < 0) fail("special_tokens", "holds \"" + s + "\", which is not one token of the tokenizer");
}

PromptIds build_prompt_ids(const ModelPackage& pkg, const Tokenizer& tokenizer, const std::string& prompt) {
  std::string text = pkg.chat_template;
  const std::size_t p0 = text.find("{prompt}"), p1 = p0 + prompt.size();
  text.replace(p0, 8, prompt);
  // Split points: the template's image token and special tokens, earliest (then longest) first.
  // Matches inside the user's prompt are left to the text: a prompt cannot forge a turn or an image.
  std::vector<std::string> marks = pkg.special_tokens;
  marks.push_back(pkg.image_token);
  auto next_mark = [&](const std::string& m, std::size_t from) {
    std::size_t at = text.find(m, from);
    while (at != std::string::npos && at >= p0 && at < p1) at = text.find(m, at + 1);
    return at;
  };
  PromptIds out;
  std::size_t pos = 0;
  for (;;) {
    std::size_t best = std::string::npos, best_len = 0;
    for (const std::string& m : marks) {
      const std::size_t at = next_mark(m, pos);
      if (at != std::string::npos && (at < best || (at == best && m.size() > best_len))) best = at, best_len = m.size();
    }
    const std::size_t end = best == std::string::npos ? text.size() : best;
    if (end > pos) {
      auto piece = tokenizer.encode(std::string_view(text).substr(pos, end - pos));
      out.ids.insert(out.ids.end(), piece.begin(), piece.end());
    }
    if (best == std::string::npos) break;
    const std::string mark = text.substr(best, best_len);
    if (mark == pkg.image_token) out.image_pos = out.ids.size();  // the template holds it exactly once
    out.ids.push_back(mark == pkg.image_token && pkg.image_token_id >= 0 ? pkg.image_token_id
                                                                          : tokenizer.token_id(mark));
    pos = best + best_len;
  }
  return out;
}

}  // namespace imaxbench
