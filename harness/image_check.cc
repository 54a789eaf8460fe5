#include "harness/image_check.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <tbb/parallel_for.h>

#include "images/image_decode.h"
#include "core/error.h"

namespace imaxbench {

std::size_t decode_check_images(LoadedSuite& loaded, bool strict, std::ostream& progress) {
  // Distinct images first: IMAX images serve ~7 entries each, and each is decoded once.
  std::map<std::string, std::string> problems;  // path -> problem ("" when it decodes)
  for (const auto& split : loaded.splits)
    for (const auto& s : split.samples) problems.emplace(s.image_path, std::string());
  std::vector<std::map<std::string, std::string>::iterator> todo;
  for (auto it = problems.begin(); it != problems.end(); ++it) todo.push_back(it);

  progress << "decoding " << todo.size() << " images to check their pixel data...\n";
  const auto start = std::chrono::steady_clock::now();
  tbb::parallel_for(std::size_t(0), todo.size(), [&](std::size_t i) {
    try {
      (void)decode_image(todo[i]->first);
    } catch (const ImageError& e) {
      todo[i]->second = e.problem();
    } catch (const std::exception& e) {
      todo[i]->second = e.what();
    }
  });

  std::size_t broken = 0;
  for (auto& split : loaded.splits) {
    std::vector<Sample> kept;
    for (auto& s : split.samples) {
      const std::string& problem = problems[s.image_path];
      if (problem.empty()) {
        kept.push_back(std::move(s));
        continue;
      }
      DataError e(s.source_file, s.line, s.id, "field 'image': " + problem);
      if (strict) throw e;
      split.invalid.push_back({e.what(), s.id});
    }
    split.samples = std::move(kept);
  }
  for (const auto& [path, problem] : problems) broken += !problem.empty();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress << "decoded " << todo.size() << " images in " << s << " s; " << broken
           << (broken == 1 ? " does" : " do") << " not decode\n";
  return todo.size();
}

}  // namespace imaxbench
