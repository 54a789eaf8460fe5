#include "tokenizers/tokenizer.h"

#include "core/error.h"

namespace imaxbench {

std::unique_ptr<Tokenizer> load_tokenizer(const std::string& kind, const std::string& path) {
  if (kind == "hf-bpe") return load_hf_bpe_tokenizer(path);
  if (kind == "sentencepiece") return load_sentencepiece_tokenizer(path);
  throw Error(path + ": unknown tokenizer kind '" + kind + "' (known: hf-bpe, sentencepiece)");
}

}  // namespace imaxbench
