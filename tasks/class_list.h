// Reading a record's class list (multiclass `classes`, multilabel `labels`): optional, defaulting
// to the task's list; names must be non-blank and distinct (case-insensitively).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/record_fields.h"

namespace imaxbench {

std::vector<std::string> read_class_list(const RecordFields& fields, std::string_view key,
                                         const std::vector<std::string>& fallback);

}  // namespace imaxbench
