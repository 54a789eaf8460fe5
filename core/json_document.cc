#include "core/json_document.h"

#include <vector>

#include "core/json_fast.h"
#include "core/text_lines.h"
#include "core/regular_file.h"
#include "core/error.h"
#include "core/excerpt.h"

namespace imaxbench {

namespace {

// A SAX consumer that builds nothing and only follows where the parser is, so that when parsing
// fails the path of the value being read is known. Run only after a parse has failed.
class PathTracker : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(true); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    if (!frames_.empty()) {
      frames_.back().key = excerpt(k, 40);
      frames_.back().has_key = true;
    }
    return true;
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception&) override {
    position_ = position;
    return false;
  }

  std::size_t position() const { return position_; }
  std::string path() const {
    std::string out;
    for (const Frame& f : frames_) {
      if (f.array) out += "[" + std::to_string(f.index) + "]";
      else if (f.has_key) out += (out.empty() ? "" : ".") + f.key;
    }
    return out;
  }

 private:
  struct Frame {
    bool array = false;
    std::size_t index = 0;  // of the element being read
    bool has_key = false;
    std::string key;  // of the member being read
  };
  // A finished value moves its array on to the next index; an object keeps the key until the
  // next one, so an error right after a value still names it.
  bool value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }
  bool open(bool array) {
    frames_.push_back({array, 0, false, {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return value();
  }

  std::vector<Frame> frames_;
  std::size_t position_ = 0;
};

// nlohmann's message less its "[json.exception...] parse error at line 1, column 5: " prefix,
// with the quoted input cut short.
std::string clean_message(const std::string& what) {
  std::string text = what;
  if (auto close = text.find("] "); text.rfind("[json.exception", 0) == 0 && close != std::string::npos)
    text = text.substr(close + 2);
  if (text.rfind("parse error at line", 0) == 0)
    if (auto colon = text.find(": "); colon != std::string::npos) text = text.substr(colon + 2);
  if (text.find("number overflow") != std::string::npos)
    text = "number too large to represent (" + text + "); write a finite number";
  if (text.find("UTF-8") != std::string::npos) text += "; save the file as UTF-8";
  return excerpt(text, 200);
}

}  // namespace

std::string JsonProblem::describe() const {
  std::string out = "line " + std::to_string(line) + ", column " + std::to_string(column);
  if (!path.empty()) out += ", at " + path;
  return out + ": " + what;
}

std::optional<nlohmann::json> parse_json(std::string_view text, JsonProblem& problem) {
  if (auto fast = parse_json_fast(text)) return fast;
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    PathTracker tracker;
    nlohmann::json::sax_parse(text, &tracker);
    // The position counts bytes read, the last of which is where parsing stopped.
    const std::size_t stop = std::min(tracker.position() > 0 ? tracker.position() - 1 : 0, text.size());
    // Lines end in LF, CRLF or a lone CR, as an editor shows them; a byte-order mark, which the
    // parser skips, takes no column.
    const LinePosition at = line_at(text, stop);
    const std::size_t line_start =
        at.start == 0 && text.starts_with(kUtf8Bom) ? std::min(kUtf8Bom.size(), stop) : at.start;
    problem.line = at.line;
    problem.column = stop - line_start + 1;
    problem.path = tracker.path();
    problem.what = clean_message(e.what());
    return std::nullopt;
  }
}

nlohmann::json parse_json_document(std::string_view text, const std::string& file,
                                   std::string_view what_it_is) {
  JsonProblem problem;
  auto doc = parse_json(text, problem);
  if (!doc)
    throw Error(file + ": " + std::string(what_it_is) + " is not valid JSON: " + problem.describe());
  return std::move(*doc);
}

nlohmann::json read_json_document(const std::string& file, std::string_view what_it_is) {
  return parse_json_document(read_regular_file(file, what_it_is), file, what_it_is);
}

}  // namespace imaxbench
