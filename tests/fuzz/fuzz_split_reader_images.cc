// Fuzzes the split reader (data/split_reader.h) with image checks on: the split is written into
// a per-process folder that holds real images (the sample suite's and tests/data/images', good,
// corrupt, truncated and oversized ones), a sub-folder, and a symlink that leaves the folder, so
// path resolution and header checks run on what the records name. The suite task is the first
// task name in the input, as in fuzz_split_reader.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_split_support.h"

namespace {

namespace fs = std::filesystem;

std::string g_dir;

void remove_dir() {
  std::error_code ec;
  fs::remove_all(g_dir, ec);
}

// <tmp>/imaxbench-fuzz-XXXXXX/{split.jsonl, images/*, images/sub/gray8.png, outside.png,
// images/escape.png -> ../outside.png}
std::string make_dir() {
  std::string tmpl = (fs::temp_directory_path() / "imaxbench-fuzz-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) std::abort();
  g_dir = tmpl;
  std::atexit(remove_dir);
  const fs::path src(IMAXBENCH_SOURCE_DIR);
  const fs::path images = fs::path(g_dir) / "images";
  fs::create_directories(images / "sub");
  for (const char* name : {"cxr_000.png", "cxr_003.jpg", "cxr_005.dcm"})
    fs::copy_file(src / "suites/sample/images" / name, images / name);
  for (const auto& entry : fs::directory_iterator(src / "tests/data/images")) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".png" || ext == ".jpg" || ext == ".dcm") fs::copy_file(entry.path(), images / entry.path().filename());
  }
  fs::copy_file(src / "tests/data/images/gray8.png", images / "sub/gray8.png");
  fs::copy_file(src / "tests/data/images/gray8.png", fs::path(g_dir) / "outside.png");
  fs::create_symlink("../outside.png", images / "escape.png");
  return (fs::path(g_dir) / "split.jsonl").string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = make_dir();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) std::abort();
  }
  imaxbench::fuzz::read_split_both_ways(path, imaxbench::fuzz::as_view(data, size), true);
  return 0;
}
