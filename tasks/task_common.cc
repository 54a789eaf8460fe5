#include "tasks/task_common.h"

#include <algorithm>
#include <cctype>

namespace imaxbench {

std::string_view trim_view(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

std::string trim_copy(std::string_view text) { return std::string(trim_view(text)); }

std::string no_words_note(std::string_view text) {
  if (trim_view(text).empty()) return "empty answer";
  return "no word to read (the parser reads English words, letters a-z)";
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ascii_lower(a) == ascii_lower(b);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::string_view choose_template(const Sample& sample, const TaskOptions& options,
                                 std::string_view fallback) {
  if (!sample.prompt.empty()) return sample.prompt;
  if (!options.prompt_template.empty()) return options.prompt_template;
  return fallback;
}

std::string make_prompt_from(const Sample& sample, const TaskOptions& options,
                             std::string_view fallback,
                             const std::vector<std::pair<std::string_view, std::string>>& values) {
  return fill_template(choose_template(sample, options, fallback), values);
}

std::vector<std::string> require_reference_texts(const RecordFields& fields, std::string_view key) {
  auto texts = fields.require_text_or_list(key);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (trim_copy(texts[i]).empty()) {
      if (texts.size() == 1) fields.fail("field '" + std::string(key) + "' is empty; give the reference text");
      fields.fail("field '" + std::string(key) + "' item " + std::to_string(i + 1) +
                  " is empty; remove it or give the reference text");
    }
  }
  return texts;
}

std::vector<MetricSpec> metric_list(std::initializer_list<std::string_view> names) {
  std::vector<MetricSpec> out;
  for (auto n : names) out.push_back(MetricSpec{std::string(n), nlohmann::json::object(), ""});
  return out;
}

Prediction text_prediction(std::string_view raw) {
  Prediction p;
  p.text = trim_copy(raw);
  p.parsed = !p.text.empty();
  if (!p.parsed) p.note = "empty answer";
  return p;
}

}  // namespace imaxbench
