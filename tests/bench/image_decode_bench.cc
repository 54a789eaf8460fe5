// Images per second for decoding each supported format at radiograph sizes (from memory, so disk
// speed is left out), and for the CPU preprocessing reference. items_per_second is images/s.
//   build-*/tests/bench/imaxbench_bench --benchmark_filter='Decode|Preprocess'
#include <benchmark/benchmark.h>

#include <map>
#include <utility>

#include "images/image_decode.h"
#include "images/preprocess.h"
#include "tests/bench/image_encode.h"

namespace imaxbench {
namespace {

enum class Kind { kPng8, kPng16, kJpeg, kDicom, kDicomJpegLossless };

// Encoded inputs are cached per (kind, size): encoding a 2048^2 PNG takes longer than decoding it.
const std::vector<unsigned char>& encoded(Kind kind, int size) {
  static std::map<std::pair<Kind, int>, std::vector<unsigned char>> cache;
  auto key = std::make_pair(kind, size);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::vector<unsigned char> bytes;
  switch (kind) {
    case Kind::kPng8: bytes = bench::encode_png(bench::synthetic_xray(size, 255), size, 8); break;
    case Kind::kPng16: bytes = bench::encode_png(bench::synthetic_xray(size, 65535), size, 16); break;
    case Kind::kJpeg: bytes = bench::encode_jpeg(bench::synthetic_xray(size, 255), size, 95); break;
#ifdef IMAXBENCH_HAVE_DICOM
    case Kind::kDicom: bytes = bench::encode_dicom(bench::synthetic_xray(size, 4095), size, false); break;
    case Kind::kDicomJpegLossless: bytes = bench::encode_dicom(bench::synthetic_xray(size, 4095), size, true); break;
#else
    default: break;
#endif
  }
  return cache.emplace(key, std::move(bytes)).first->second;
}

void decode_benchmark(benchmark::State& state, Kind kind) {
  const int size = static_cast<int>(state.range(0));
  const std::vector<unsigned char>& bytes = encoded(kind, size);
  if (bytes.empty()) {
    state.SkipWithError("format not built (IMAXBENCH_WITH_DICOM=OFF)");
    return;
  }
  for (auto _ : state) {
    GrayImage img = decode_image_bytes(bytes, "bench");
    benchmark::DoNotOptimize(img.pixels.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
  state.counters["file_kB"] = double(bytes.size()) / 1024.0;
}

void BM_DecodePng8(benchmark::State& s) { decode_benchmark(s, Kind::kPng8); }
void BM_DecodePng16(benchmark::State& s) { decode_benchmark(s, Kind::kPng16); }
void BM_DecodeJpeg(benchmark::State& s) { decode_benchmark(s, Kind::kJpeg); }
void BM_DecodeDicom(benchmark::State& s) { decode_benchmark(s, Kind::kDicom); }
void BM_DecodeDicomJpegLossless(benchmark::State& s) { decode_benchmark(s, Kind::kDicomJpegLossless); }
BENCHMARK(BM_DecodePng8)->Arg(1024)->Arg(2048)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodePng16)->Arg(1024)->Arg(2048)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeJpeg)->Arg(1024)->Arg(2048)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeDicom)->Arg(1024)->Arg(2048)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeDicomJpegLossless)->Arg(1024)->Arg(2048)->Unit(benchmark::kMillisecond);

// A 2048^2 16-bit image to the model's input size, three channels (CLIP-style 336, DINOv2 518).
void BM_PreprocessCpu(benchmark::State& state) {
  GrayImage img;
  img.width = img.height = 2048;
  img.max_value = 65535;
  img.pixels = bench::synthetic_xray(2048, 65535);
  const int out = static_cast<int>(state.range(0));
  std::vector<float> tensor(3 * std::size_t(out) * out);
  for (auto _ : state) {
    preprocess_gray_to_chw(img, out, out, 0.5f, 0.25f, 3, tensor.data());
    benchmark::DoNotOptimize(tensor.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PreprocessCpu)->Arg(224)->Arg(336)->Arg(518)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace imaxbench
