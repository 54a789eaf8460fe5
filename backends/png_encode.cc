#include "backends/png_encode.h"

#include <zlib.h>

#include <algorithm>
#include <vector>

#include "images/image_decode.h"
#include "core/error.h"

namespace imaxbench {

namespace {

void put_be32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

// length, type, data, CRC-32 over type and data (PNG spec §5.3).
void put_chunk(std::string& out, const char type[4], const std::string& data) {
  put_be32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = out.size();
  out.append(type, 4);
  out += data;
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(out.data() + start), static_cast<uInt>(out.size() - start));
  put_be32(out, static_cast<std::uint32_t>(crc));
}

}  // namespace

std::string encode_png_gray8(int width, int height, std::span<const std::uint8_t> pixels) {
  if (width <= 0 || height <= 0 ||
      pixels.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height))
    throw Error("encode_png_gray8: " + std::to_string(width) + "x" + std::to_string(height) +
                " image with " + std::to_string(pixels.size()) + " pixels");
  // Each scanline is prefixed by its filter type; 0 (None) keeps the encoder trivial, and zlib
  // still compresses the flat regions of an X-ray well.
  std::vector<Bytef> raw;
  raw.reserve(pixels.size() + static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);
    const auto row = pixels.subspan(static_cast<std::size_t>(y) * static_cast<std::size_t>(width),
                                    static_cast<std::size_t>(width));
    raw.insert(raw.end(), row.begin(), row.end());
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, raw.data(),
                static_cast<uLong>(raw.size()), 6) != Z_OK)
    throw Error("encode_png_gray8: zlib compress2 failed");
  packed.resize(packed_size);

  std::string ihdr;
  put_be32(ihdr, static_cast<std::uint32_t>(width));
  put_be32(ihdr, static_cast<std::uint32_t>(height));
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // bit depth 8, gray, deflate, filter 0, no interlace

  std::string out = "\x89PNG\r\n\x1a\n";
  put_chunk(out, "IHDR", ihdr);
  put_chunk(out, "IDAT", packed);
  put_chunk(out, "IEND", "");
  return out;
}

std::string encode_png_gray8(const GrayImage& image) {
  const std::uint32_t max = image.max_value == 0 ? 1 : image.max_value;
  std::vector<std::uint8_t> px(image.pixels.size());
  for (std::size_t i = 0; i < px.size(); ++i) {
    const std::uint32_t v = std::min<std::uint32_t>(image.pixels[i], max);
    px[i] = static_cast<std::uint8_t>((v * 255u + max / 2) / max);
  }
  return encode_png_gray8(image.width, image.height, px);
}

}  // namespace imaxbench
