// Small helpers the seven tasks share: text trimming and case folding, the prompt-template choice
// (record prompt > suite template > task default) and reference-text validation.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/record_fields.h"
#include "core/sample.h"
#include "tasks/task.h"

namespace imaxbench {

// Without the ASCII whitespace around it (space, \t, \r, \n, \f, \v); a view into `text`.
std::string_view trim_view(std::string_view text);
std::string trim_copy(std::string_view text);
std::string ascii_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
std::string join(const std::vector<std::string>& items, std::string_view sep);

// The template a prompt is made from: the record's own prompt, else the suite's, else `fallback`.
std::string_view choose_template(const Sample& sample, const TaskOptions& options,
                                 std::string_view fallback);

// Fills `tmpl` from `values` (see fill_template) and returns the prompt.
std::string make_prompt_from(const Sample& sample, const TaskOptions& options,
                             std::string_view fallback,
                             const std::vector<std::pair<std::string_view, std::string>>& values);

// Reads `key` as a string or a non-empty list of strings, none of them blank.
std::vector<std::string> require_reference_texts(const RecordFields& fields, std::string_view key);

// Metrics by name with default parameters, primary first.
std::vector<MetricSpec> metric_list(std::initializer_list<std::string_view> names);

// Why an answer in which the class and label parsers found no word is unparsed: "empty answer" when
// it is blank, else that they read English words (an answer in another script is not empty).
std::string no_words_note(std::string_view text);

// A Prediction holding a trimmed free-text answer; parsed=false (with a note) when blank. The
// answer parser of report_generation and reg: O(n) in the answer's length (two copies and a trim).
Prediction text_prediction(std::string_view raw);

}  // namespace imaxbench
