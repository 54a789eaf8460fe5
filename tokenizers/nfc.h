// Unicode Normalization Form C (canonical decomposition, canonical ordering, canonical
// composition), the "NFC" normalizer of Hugging Face tokenizer.json files (Qwen2's among them).
#pragma once

#include <string>
#include <string_view>

namespace imaxbench {

// NFC of UTF-8 text. Bytes that are not valid UTF-8 pass through unchanged and block composition
// across them, like any character of combining class 0 that composes with nothing.
std::string nfc_normalize(std::string_view text);

}  // namespace imaxbench
