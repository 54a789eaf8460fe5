// Stands in for sentencepiece_tokenizer.cc in a build without libsentencepiece-dev.
#include "tasks/error.h"
#include "tokenizers/tokenizer.h"

namespace imaxbench {

std::unique_ptr<Tokenizer> load_sentencepiece_tokenizer(const std::string& path) {
  throw Error(path + ": this build has no SentencePiece support (install libsentencepiece-dev, "
              "ci/install-deps.sh does, and rebuild)");
}

}  // namespace imaxbench
