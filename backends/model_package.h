// The model package of the `torchscript` backend (docs/model-package.md): DIR/imaxbench-model.json
// says how to feed the TorchScript file beside it (image geometry and normalisation, tokenizer,
// chat template, stop ids, cache geometry). Torch-free, so the contract is parsed and tested in
// every build; the backend (backends/torch/) checks the module against it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace imaxbench {

class Tokenizer;  // tokenizers/tokenizer.h

struct ModelPackage {
  // Version 2 adds PIL-exact resizes (image.resize "bicubic", "shortest_edge_crop"), the family's
  // answer conventions (answer.box_format) and per-task prompt templates. Version 3 adds
  // position_ids "mrope" (Qwen2-VL) with image.grid, and for the original LLaVA layout image.resize
  // "pad_square_shortest_edge_crop" with image.pad_values and image_token_id. Versions 1 and 2 still load.
  static constexpr int kFormatVersion = 3;
  int format_version = kFormatVersion;
  static constexpr const char* kManifestName = "imaxbench-model.json";

  std::string dir;            // the package folder
  std::string manifest_path;  // dir/imaxbench-model.json
  std::string name;
  std::string module_path;    // dir/<module>
  std::string dtype;          // dtype the weights are stored in: float32, float16 or bfloat16
  std::string decoding;       // "kv_cache" (encode_images, embed, decode) or "full" (encode_images, forward)

  struct Image {
    int width = 0, height = 0, channels = 3;
    std::vector<float> mean, std;  // one per channel
    // "bilinear": stretch to width x height (torch interpolate). "bicubic": stretch with PIL's
    // bicubic on the 8-bit image. "shortest_edge_crop": PIL bicubic so the short side is
    // shortest_edge, then a centre crop to width x height (CLIPImageProcessor).
    std::string resize;
    // "pad_square_shortest_edge_crop" (version 3): LLaVA's expand2square with pad_values[c] (0-255,
    // one per channel), then shortest_edge_crop.
    int shortest_edge = 0;         // shortest_edge_crop and pad_square_shortest_edge_crop
    std::vector<int> pad_values;   // pad_square_shortest_edge_crop only
    int tokens = 0;                // image embeddings per image (N_img)
    int grid_rows = 0, grid_cols = 0;  // position_ids "mrope": the image tokens' layout, rows x cols
  } image;
  // "1d": decode() takes position_ids [B, T], each token's index among its row's real tokens.
  // "mrope": [3, B, T] (time, row, column), as Qwen2-VL's get_rope_index: see mrope_positions().
  std::string position_ids = "1d";

  std::string tokenizer_kind;  // "hf-bpe" | "sentencepiece"
  std::string tokenizer_path;  // dir/<file>
  std::string chat_template;   // holds "{prompt}" once and image_token once
  std::string image_token;
  // Version 3: the id put at the image positions before embed() (their rows are replaced by the
  // image's). Set when image_token is only a placeholder in the template, not a tokenizer token
  // (the original LLaVA splits its prompt at "<image>" and inserts -200); -1: the tokenizer's id.
  std::int32_t image_token_id = -1;
  std::vector<std::string> special_tokens;  // spelled in the template, each one tokenizer id
  std::vector<std::int32_t> eos_token_ids;
  std::int32_t pad_token_id = 0;
  int max_new_tokens = 0;
  std::string family;                  // e.g. "llava", "qwen2_vl": informational, from the converter
  std::string answer_box_format;       // the family's native box convention; empty: none declared
  std::vector<std::pair<std::string, std::string>> prompts;  // task name -> prompt template

  struct Text {
    int hidden_size = 0, vocab_size = 0, layers = 0, kv_heads = 0, head_dim = 0, max_positions = 0;
  } text;
};

// Reads DIR/imaxbench-model.json (DIR may also be the JSON file itself). Throws Error naming the
// file and the field for anything missing, mistyped or out of range, and for a module or
// tokenizer file that does not exist.
ModelPackage load_model_package(const std::string& dir_or_manifest);

// The prompt as token ids: the chat template with {prompt} filled, split at the image token and
// the special tokens (each one id), the text between encoded without special tokens (as Hugging
// Face tokenizers treat added tokens). The image token stays one id at `image_pos`; the backend
// puts the image's N_img embeddings there.
struct PromptIds {
  std::vector<std::int32_t> ids;
  std::size_t image_pos = 0;
};
PromptIds build_prompt_ids(const ModelPackage& package, const Tokenizer& tokenizer, const std::string& prompt);

// Checks the package's token ids against the tokenizer (image token, special tokens, eos, pad,
// vocab size fits the model's). Throws Error naming the field.
void check_package_tokens(const ModelPackage& package, const Tokenizer& tokenizer);

}  // namespace imaxbench
