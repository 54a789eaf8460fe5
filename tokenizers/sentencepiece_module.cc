// SentencePiece .model files through Debian's libsentencepiece, the reference implementation
// itself. Built as a loadable module (imaxbench_sentencepiece), not linked into the binary:
// libsentencepiece brings libprotobuf-lite, and a process that also links Debian's LibTorch (which
// brings the full libprotobuf) crashes in protobuf's static initialisers before main. The core
// opens this module on first use with RTLD_DEEPBIND (tokenizers/sentencepiece_loader.cc), so its
// protobuf stays private to it.
#include <sentencepiece_processor.h>

#include <fstream>

#include "core/error.h"
#include "tokenizers/tokenizer.h"

namespace imaxbench {

namespace {

class SentencePieceTokenizer final : public Tokenizer {
 public:
  explicit SentencePieceTokenizer(const std::string& path) : path_(path) {
    if (!std::ifstream(path, std::ios::binary))
      throw Error(path + ": cannot open the tokenizer file (sentencepiece expects a .model file)");
    const auto status = processor_.Load(path);
    if (!status.ok())
      throw Error(path + ": not a SentencePiece model: " + status.ToString());
  }

  std::vector<std::int32_t> encode(std::string_view text) const override {
    std::vector<int> ids;
    const auto status = processor_.Encode(text, &ids);
    // Encode fails only on an unloaded model, which the constructor rules out.
    if (!status.ok()) throw Error(path_ + ": SentencePiece encode failed: " + status.ToString());
    return {ids.begin(), ids.end()};
  }

  // Runs of ordinary ids are decoded by SentencePiece, which drops control pieces; with
  // skip_special false a control piece is kept as its text between the runs. Ids outside the
  // vocabulary are dropped (a model's output layer may be padded past it).
  std::string decode(std::span<const std::int32_t> ids, bool skip_special) const override {
    std::string out;
    std::vector<int> run;
    auto flush = [&] {
      std::string text;
      const auto status = processor_.Decode(run, &text);
      if (!status.ok()) throw Error(path_ + ": SentencePiece decode failed: " + status.ToString());
      out += text;
      run.clear();
    };
    const int size = processor_.GetPieceSize();
    for (std::int32_t id : ids) {
      if (id < 0 || id >= size) continue;
      if (!skip_special && processor_.IsControl(id)) {
        flush();
        out += processor_.IdToPiece(id);
      } else {
        run.push_back(id);
      }
    }
    flush();
    return out;
  }

  std::int32_t token_id(std::string_view token) const override {
    const int id = processor_.PieceToId(token);
    // PieceToId answers unk_id for an unknown piece; only "<unk>" itself maps there.
    return processor_.IdToPiece(id) == token ? id : -1;
  }

  std::size_t vocab_size() const override {
    return static_cast<std::size_t>(processor_.GetPieceSize());
  }
  std::string kind() const override { return "sentencepiece"; }

 private:
  std::string path_;
  sentencepiece::SentencePieceProcessor processor_;
};

}  // namespace

}  // namespace imaxbench

// The module's one entry point. Errors come back as text: exceptions do not cross the boundary.
extern "C" __attribute__((visibility("default"))) imaxbench::Tokenizer* imaxbench_load_sentencepiece(
    const char* path, std::string* error) {
  try {
    return new imaxbench::SentencePieceTokenizer(path);
  } catch (const std::exception& e) {
    *error = e.what();
    return nullptr;
  }
}
