// Benchmark inputs made on the fly: a synthetic chest-X-ray-like frame (smooth anatomy-scale
// shading plus seeded noise, so it compresses like a radiograph rather than a flat test card),
// encoded to PNG, JPEG and DICOM in memory with the same libraries the decoder uses.
#pragma once

#include <jpeglib.h>
#include <png.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#ifdef IMAXBENCH_HAVE_DICOM
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#endif

namespace imaxbench::bench {

// Values 0..max_value: two "lung fields", a brighter mediastinum, ribs as a slow ripple, noise.
inline std::vector<std::uint16_t> synthetic_xray(int size, std::uint16_t max_value, std::uint32_t seed = 7) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.015);
  std::vector<std::uint16_t> out(std::size_t(size) * size);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      double u = double(x) / size - 0.5, v = double(y) / size - 0.5;
      double lungs = std::exp(-((std::abs(u) - 0.2) * (std::abs(u) - 0.2) / 0.02 + v * v / 0.08));
      double ribs = 0.05 * std::sin(v * 60.0 + std::abs(u) * 8.0);
      double value = 0.75 - 0.45 * lungs + ribs + 0.1 * std::exp(-u * u / 0.004) + noise(rng);
      value = std::fmin(1.0, std::fmax(0.0, value));
      out[std::size_t(y) * size + x] = static_cast<std::uint16_t>(std::lround(value * max_value));
    }
  }
  return out;
}

inline void png_write_to_vector(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::vector<unsigned char>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + length);
}

inline std::vector<unsigned char> encode_png(const std::vector<std::uint16_t>& pixels, int size, int bit_depth) {
  // Every C++ object exists before setjmp, so a libpng longjmp back here skips no constructor.
  std::vector<unsigned char> out;
  const int bytes = bit_depth / 8;
  std::vector<unsigned char> row(std::size_t(size) * bytes);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) throw std::runtime_error("libpng failed to encode");
  png_set_write_fn(png, &out, png_write_to_vector, nullptr);
  png_set_IHDR(png, info, size, size, bit_depth, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      std::uint16_t v = pixels[std::size_t(y) * size + x];
      if (bytes == 2) {
        row[2 * x] = static_cast<unsigned char>(v >> 8);
        row[2 * x + 1] = static_cast<unsigned char>(v & 0xFF);
      } else {
        row[x] = static_cast<unsigned char>(v);
      }
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

inline std::vector<unsigned char> encode_jpeg(const std::vector<std::uint16_t>& pixels, int size, int quality) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr err{};
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long length = 0;
  jpeg_mem_dest(&cinfo, &buffer, &length);
  cinfo.image_width = JDIMENSION(size);
  cinfo.image_height = JDIMENSION(size);
  cinfo.input_components = 1;
  cinfo.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<unsigned char> row(static_cast<std::size_t>(size));
  while (cinfo.next_scanline < cinfo.image_height) {
    for (int x = 0; x < size; ++x) row[x] = static_cast<unsigned char>(pixels[std::size_t(cinfo.next_scanline) * size + x]);
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&cinfo, &r, 1);
  }
  jpeg_finish_compress(&cinfo);
  std::vector<unsigned char> out(buffer, buffer + length);
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  return out;
}

#ifdef IMAXBENCH_HAVE_DICOM
// 16 bits allocated, 12 stored, MONOCHROME2 with a window; optionally JPEG lossless (process 14).
inline std::vector<unsigned char> encode_dicom(const std::vector<std::uint16_t>& pixels12, int size, bool jpeg_lossless) {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, "1.2.840.10008.5.1.4.1.1.1.1");
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.9");
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertUint16(DCM_Rows, Uint16(size));
  ds->putAndInsertUint16(DCM_Columns, Uint16(size));
  ds->putAndInsertUint16(DCM_BitsAllocated, 16);
  ds->putAndInsertUint16(DCM_BitsStored, 12);
  ds->putAndInsertUint16(DCM_HighBit, 11);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  ds->putAndInsertString(DCM_WindowCenter, "2048");
  ds->putAndInsertString(DCM_WindowWidth, "3500");
  ds->putAndInsertUint16Array(DCM_PixelData, pixels12.data(), pixels12.size());
  E_TransferSyntax xfer = EXS_LittleEndianExplicit;
  if (jpeg_lossless) {
    DJEncoderRegistration::registerCodecs();
    DJ_RPLossless params(6, 0);
    xfer = EXS_JPEGProcess14SV1;
    if (ds->chooseRepresentation(xfer, &params).bad()) throw std::runtime_error("DCMTK could not encode");
  }
  const std::string path = "/tmp/imaxbench_bench_" + std::to_string(size) + (jpeg_lossless ? "_jpll" : "") + ".dcm";
  if (file.saveFile(path.c_str(), xfer).bad()) throw std::runtime_error("DCMTK could not save " + path);
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> out{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::remove(path.c_str());
  return out;
}
#endif

}  // namespace imaxbench::bench
