#include "tasks/class_list.h"

#include <set>

#include "tasks/task_common.h"

namespace imaxbench {

std::vector<std::string> read_class_list(const RecordFields& fields, std::string_view key,
                                         const std::vector<std::string>& fallback) {
  auto list = fields.optional_string_list(key);
  if (!list) return fallback;
  const std::string k(key);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto name = trim_copy((*list)[i]);
    if (name.empty())
      fields.fail("field '" + k + "' item " + std::to_string(i + 1) + " is empty; give every entry a name");
    if (!seen.insert(ascii_lower(name)).second)
      fields.fail("field '" + k + "' lists '" + name + "' twice; names must be distinct");
    (*list)[i] = name;
  }
  return *list;
}

}  // namespace imaxbench
