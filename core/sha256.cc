// SHA-256 of every split, suite and model file a run names. OpenSSL's where the build has it (it
// uses the CPU's SHA instructions: hashing was a fifth of `inspect` on a 76 MB split with the
// portable code); a small FIPS 180-4 implementation otherwise, which the tests hold to OpenSSL's.
#include "core/sha256.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "core/error.h"
#include "core/regular_file.h"

#if IMAXBENCH_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

namespace imaxbench {

namespace {

constexpr std::array<std::uint32_t, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

class Sha256 {
 public:
  void update(const unsigned char* data, std::size_t n) {
    total_ += n;
    while (n > 0) {
      std::size_t take = std::min(n, 64 - fill_);
      std::copy(data, data + take, block_.begin() + fill_);
      fill_ += take;
      data += take;
      n -= take;
      if (fill_ == 64) {
        compress();
        fill_ = 0;
      }
    }
  }

  std::string hex() {
    std::uint64_t bits = total_ * 8;
    unsigned char pad = 0x80;
    update(&pad, 1);
    unsigned char zero = 0;
    while (fill_ != 56) update(&zero, 1);
    unsigned char len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(bits >> (56 - 8 * i));
    update(len, 8);
    std::string out;
    char buf[9];
    for (std::uint32_t v : state_) {
      std::snprintf(buf, sizeof buf, "%08x", v);
      out += buf;
    }
    return out;
  }

 private:
  void compress() {
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = (std::uint32_t(block_[4 * i]) << 24) | (std::uint32_t(block_[4 * i + 1]) << 16) |
             (std::uint32_t(block_[4 * i + 2]) << 8) | std::uint32_t(block_[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
      std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto [a, b, c, d, e, f, g, h] = state_;
    for (int i = 0; i < 64; ++i) {
      std::uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                         kRoundConstants[i] + w[i];
      std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    const std::uint32_t add[8] = {a, b, c, d, e, f, g, h};
    for (int i = 0; i < 8; ++i) state_[i] += add[i];
  }

  std::array<std::uint32_t, 8> state_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::array<unsigned char, 64> block_{};
  std::size_t fill_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace

namespace {

// A file hashed in 64 KiB reads by either implementation (update(bytes, n), hex()).
template <class Hasher>
std::string hash_file(const std::string& path) {
  RegularFile in(path, "file to hash");
  Hasher h;
  std::vector<unsigned char> buf(1 << 16);
  while (std::size_t n = in.read(buf.data(), buf.size())) h.update(buf.data(), n);
  return h.hex();
}

}  // namespace

std::string sha256_hex_portable(std::string_view data) {
  Sha256 h;
  h.update(reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return h.hex();
}

#if IMAXBENCH_HAVE_OPENSSL

namespace {

std::string hex_of(const unsigned char* digest, unsigned n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) out += kHex[digest[i] >> 4], out += kHex[digest[i] & 15];
  return out;
}

// One EVP context, freed however the hashing ends.
struct Digest {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Digest() {
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) throw Error("SHA-256: OpenSSL failed to start");
  }
  ~Digest() { EVP_MD_CTX_free(ctx); }
  void update(const void* data, std::size_t n) {
    if (EVP_DigestUpdate(ctx, data, n) != 1) throw Error("SHA-256: OpenSSL failed to hash");
  }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (EVP_DigestFinal_ex(ctx, digest, &n) != 1) throw Error("SHA-256: OpenSSL failed to finish");
    return hex_of(digest, n);
  }
};

}  // namespace

std::string sha256_hex(std::string_view data) {
  Digest d;
  d.update(data.data(), data.size());
  return d.hex();
}

std::string sha256_file(const std::string& path) { return hash_file<Digest>(path); }

struct Sha256Stream::State : Digest {
  void add(std::string_view bytes) { update(bytes.data(), bytes.size()); }
};

#else

std::string sha256_hex(std::string_view data) { return sha256_hex_portable(data); }

std::string sha256_file(const std::string& path) { return hash_file<Sha256>(path); }

struct Sha256Stream::State : Sha256 {
  void add(std::string_view bytes) { update(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()); }
};

#endif

Sha256Stream::Sha256Stream() : state_(std::make_unique<State>()) {}
Sha256Stream::~Sha256Stream() = default;
void Sha256Stream::update(std::string_view bytes) { state_->add(bytes); }
std::string Sha256Stream::hex() { return state_->hex(); }

}  // namespace imaxbench
