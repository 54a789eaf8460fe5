// GPT-2's byte-level alphabet: each of the 256 byte values stands for one printable code point
// (printable Latin-1 bytes for themselves, the rest for U+0100 upwards), so any byte string is a
// string of vocabulary characters. Plus the lossy UTF-8 decoding the ByteLevel decoder ends with.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace imaxbench {

// The code point byte b stands for.
char32_t byte_to_unicode(std::uint8_t b);
// The byte code point cp stands for, or -1 when cp is not in the alphabet.
int unicode_to_byte(char32_t cp);

// The alphabet characters of bytes, as UTF-8 (what the ByteLevel pre-tokenizer produces).
std::string bytes_to_alphabet(std::string_view bytes);
// The bytes behind token (alphabet characters, UTF-8), appended to out. False, leaving out
// unchanged, when token holds a character outside the alphabet.
bool alphabet_to_bytes(std::string_view token, std::string& out);

// Rust's String::from_utf8_lossy: every maximal invalid subpart becomes one U+FFFD.
std::string utf8_lossy(std::string_view bytes);

}  // namespace imaxbench
