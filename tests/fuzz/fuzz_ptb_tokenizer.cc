// Fuzzes the PTB tokenizer (metrics/text/ptb_tokenizer.h): ptb_tokenize_lines and coco_tokenize
// on the whole input, coco_tokenize_batch on the input cut at NUL bytes into captions, and
// coco_clean_line on every line. Every output must be valid UTF-8 (invalid input bytes become
// U+FFFD, which the lexer deletes), and the batch gives one result per caption.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "metrics/text/ptb_tokenizer.h"

namespace {

void check(std::string_view out, const char* what) {
  if (!imaxbench::fuzz::valid_utf8(out)) {
    std::fprintf(stderr, "%s returned invalid UTF-8 (%zu bytes)\n", what, out.size());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = imaxbench::fuzz::as_view(data, size);
  for (const std::string& line : imaxbench::ptb_tokenize_lines(text)) {
    check(line, "ptb_tokenize_lines");
    check(imaxbench::coco_clean_line(line), "coco_clean_line");
  }
  check(imaxbench::coco_tokenize(text), "coco_tokenize");

  std::vector<std::string> captions;
  for (std::size_t begin = 0;;) {
    const std::size_t end = text.find('\0', begin);
    captions.emplace_back(text.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
  const std::vector<std::string> batch = imaxbench::coco_tokenize_batch(captions);
  if (batch.size() != captions.size()) {
    std::fprintf(stderr, "coco_tokenize_batch: %zu results for %zu captions\n", batch.size(), captions.size());
    std::abort();
  }
  for (const std::string& b : batch) check(b, "coco_tokenize_batch");
  return 0;
}
