// Data a command is done with at the end of a run, kept to the process's exit instead of
// destroyed: freeing a large suite's millions of small blocks one by one (a 1,000,000-record
// split's samples, answers and strings) costs seconds after the output is written, where the
// kernel takes the whole heap back at exit at once. Plain data only: nothing whose destructor
// does something (files, locks, threads).
#pragma once

#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

namespace imaxbench {

template <class T>
void keep_until_exit(T&& value) {
  static std::mutex mu;
  // Never destroyed, and reachable to the end: leak checkers count what it holds as kept.
  static auto* const kept = new std::vector<std::shared_ptr<void>>();
  std::lock_guard lock(mu);
  kept->push_back(std::make_shared<std::decay_t<T>>(std::forward<T>(value)));
}

}  // namespace imaxbench
