// NFC after UAX #15: full canonical decomposition (table entries are one level deep, so they are
// applied recursively; Hangul syllables algorithmically), a stable sort of each run of non-zero
// combining classes, then the composition pass with the "blocked" rule.
#include "tokenizers/nfc.h"

#include <algorithm>
#include <span>

#include "core/sacrebleu_unicode.h"
#include "tokenizers/unicode_tables.h"

namespace imaxbench {

namespace {

constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr char32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;
constexpr char32_t kNone = 0xFFFFFFFF;

const CanonicalDecomposition* find_decomposition(char32_t cp) {
  std::span<const CanonicalDecomposition> table{kDecompositions, kDecompositionsSize};
  auto it = std::lower_bound(table.begin(), table.end(), cp,
                             [](const CanonicalDecomposition& d, char32_t c) { return d.cp < c; });
  return it != table.end() && it->cp == cp ? &*it : nullptr;
}

void decompose(char32_t cp, std::u32string& out) {
  if (cp >= kSBase && cp < kSBase + kSCount) {
    const char32_t s = cp - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount != 0) out.push_back(kTBase + s % kTCount);
    return;
  }
  const CanonicalDecomposition* d = cp >= 0xC0 && cp <= 0x2FA1D ? find_decomposition(cp) : nullptr;
  if (d == nullptr) {
    out.push_back(cp);
    return;
  }
  decompose(d->first, out);
  if (d->second != 0) decompose(d->second, out);
}

char32_t compose(char32_t first, char32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount)
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 &&
      second > kTBase && second < kTBase + kTCount)
    return first + (second - kTBase);
  std::span<const PrimaryComposite> table{kComposites, kCompositesSize};
  auto it = std::lower_bound(table.begin(), table.end(), std::pair{first, second},
                             [](const PrimaryComposite& p, std::pair<char32_t, char32_t> key) {
                               return std::pair{p.first, p.second} < key;
                             });
  return it != table.end() && it->first == first && it->second == second ? it->composite : kNone;
}

void canonical_order(std::u32string& s) {
  for (std::size_t i = 0; i < s.size();) {
    if (canonical_combining_class(s[i]) == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && canonical_combining_class(s[j]) != 0) ++j;
    std::stable_sort(s.begin() + static_cast<std::ptrdiff_t>(i),
                     s.begin() + static_cast<std::ptrdiff_t>(j), [](char32_t a, char32_t b) {
                       return canonical_combining_class(a) < canonical_combining_class(b);
                     });
    i = j;
  }
}

void canonical_compose(std::u32string& s) {
  if (s.empty()) return;
  std::size_t starter = 0;
  // A leading non-starter can take part in no composition until the next starter.
  int last_class = canonical_combining_class(s[0]) == 0 ? 0 : 256;
  std::size_t out = 1;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char32_t c = s[i];
    const int cls = canonical_combining_class(c);
    const char32_t composite = last_class == 256 ? kNone : compose(s[starter], c);
    if (composite != kNone && (last_class < cls || last_class == 0)) {
      s[starter] = composite;
      continue;
    }
    if (cls == 0) {
      starter = out;
    }
    last_class = cls;
    s[out++] = c;
  }
  s.resize(out);
}

}  // namespace

std::string nfc_normalize(std::string_view text) {
  // Every code point below U+0300 is NFC-stable and composes with nothing that precedes it, so
  // text without one at or above U+0300 is already NFC. Its UTF-8 lead bytes are below 0xCC.
  bool plain = true;
  for (char ch : text) {
    if (static_cast<unsigned char>(ch) >= 0xCC) {
      plain = false;
      break;
    }
  }
  if (plain) return std::string(text);
  std::u32string decomposed;
  decomposed.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) decompose(utf8_next(text, i), decomposed);
  canonical_order(decomposed);
  canonical_compose(decomposed);
  return utf8_encode(decomposed);
}

}  // namespace imaxbench
