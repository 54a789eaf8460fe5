// Short, printable quotes of user text for messages. An error names what is wrong; it must not
// echo a 10 MB line back onto the console, into results.json and into a leaderboard row.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace imaxbench {

// Longest quote of user text in a message, in bytes.
inline constexpr std::size_t kExcerptBytes = 80;
// Longest problem description a record message carries (quotes included).
inline constexpr std::size_t kProblemBytes = 400;

// `text` itself when it is at most `max_bytes` of valid UTF-8 without control characters;
// otherwise its first bytes up to a character boundary, invalid bytes and control characters
// written as '?', then "...(N bytes)". Always valid UTF-8, so it can go into JSON.
std::string excerpt(std::string_view text, std::size_t max_bytes = kExcerptBytes);

}  // namespace imaxbench
