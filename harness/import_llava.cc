#include "harness/import_llava.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/excerpt.h"
#include "core/json_document.h"
#include "core/jsonl.h"
#include "core/regular_file.h"
#include "images/image_header.h"
#include "tasks/task.h"
#include "tasks/task_common.h"
#include "tasks/vocabulary.h"

namespace imaxbench {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxInstructionBytes = 2000;

struct Rule {
  std::string task;
  std::string pattern;
  std::regex re;
  int phrase_group = 0;            // rec: the capture group holding the phrase (0: the instruction)
  std::string quantity = "ctr";    // calculation
  std::vector<std::string> classes;  // multiclass classes / multilabel labels (empty: the task's)
  std::string box_format = "grid100";  // rec reference, reg input box
  std::string answer_type = "auto";    // vqa: closed, open, auto (closed when the answer is yes/no)
};

std::vector<Rule> read_rules(const std::string& path) {
  const nlohmann::json doc = read_json_document(path, "import rules file");
  if (!doc.is_object() || !doc.contains("rules") || !doc["rules"].is_array() || doc["rules"].empty())
    throw UsageError(path + ": an import rules file is {\"rules\": [{\"task\": ..., \"pattern\": ...}, ...]} "
                     "(docs/import.md)");
  std::vector<Rule> rules;
  for (std::size_t i = 0; i < doc["rules"].size(); ++i) {
    const nlohmann::json& r = doc["rules"][i];
    const std::string where = path + ": rules[" + std::to_string(i) + "]";
    if (!r.is_object()) throw UsageError(where + " must be an object");
    auto text = [&](const char* key, const std::string& fallback) {
      if (!r.contains(key)) return fallback;
      if (!r[key].is_string()) throw UsageError(where + "." + key + " must be a string");
      return r[key].get<std::string>();
    };
    for (const auto& [key, value] : r.items())
      if (key != "task" && key != "pattern" && key != "phrase_group" && key != "quantity" && key != "classes" &&
          key != "box_format" && key != "answer_type")
        throw UsageError(where + ": unknown key '" + excerpt(key) +
                         "' (task, pattern, phrase_group, quantity, classes, box_format, answer_type)");
    Rule rule;
    rule.task = text("task", "");
    if (!find_task(rule.task))
      throw UsageError(where + ".task '" + excerpt(rule.task) + "' is not a task; tasks are: " + task_names_joined());
    rule.pattern = text("pattern", "");
    try {
      rule.re = std::regex(rule.pattern, std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error& e) {
      throw UsageError(where + ".pattern '" + excerpt(rule.pattern) + "' is not a regular expression: " + e.what());
    }
    if (r.contains("phrase_group")) {
      if (!r["phrase_group"].is_number_integer() || r["phrase_group"].get<int>() < 0 ||
          r["phrase_group"].get<std::size_t>() > rule.re.mark_count())
        throw UsageError(where + ".phrase_group must name one of the pattern's " +
                         std::to_string(rule.re.mark_count()) + " capture groups (0: the whole instruction)");
      rule.phrase_group = r["phrase_group"].get<int>();
    }
    rule.quantity = text("quantity", "ctr");
    if (rule.quantity != "ctr" && rule.quantity != "cpar") throw UsageError(where + ".quantity must be ctr or cpar");
    if (r.contains("classes")) {
      if (!r["classes"].is_array() || r["classes"].empty()) throw UsageError(where + ".classes must be a list of names");
      for (const auto& c : r["classes"]) {
        if (!c.is_string() || c.get<std::string>().empty()) throw UsageError(where + ".classes must be names");
        rule.classes.push_back(c.get<std::string>());
      }
    }
    rule.box_format = text("box_format", "grid100");
    rule.answer_type = text("answer_type", "auto");
    if (rule.answer_type != "auto" && rule.answer_type != "closed" && rule.answer_type != "open")
      throw UsageError(where + ".answer_type must be auto, closed or open");
    rules.push_back(std::move(rule));
  }
  return rules;
}

// The conversations of the input, each with where it came from for messages.
struct Conversation {
  std::string where;  // FILE:line or FILE: record N
  nlohmann::json value;
  std::string problem;  // a JSONL line that is not a JSON object: why
};

std::vector<Conversation> read_conversations(const std::string& path) {
  std::vector<Conversation> out;
  const std::string data = read_regular_file(path, "conversation file");
  const auto first = data.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first != std::string::npos && data[first] == '[') {
    const nlohmann::json doc = parse_json_document(data, path, "conversation file");
    for (std::size_t i = 0; i < doc.size(); ++i) out.push_back({path + ": record " + std::to_string(i + 1), doc[i], ""});
    return out;
  }
  for_each_jsonl_line(data, [&](JsonlLine& line) {
    const std::string where = path + ":" + std::to_string(line.line);
    out.push_back({where, std::move(line.value), line.problem});
  });
  return out;
}

// The instruction without the <image> token LLaVA data puts before (or after) it.
std::string instruction_of(std::string human) {
  for (std::size_t at; (at = human.find("<image>")) != std::string::npos;) human.erase(at, 7);
  return trim_copy(human);
}

class Importer {
 public:
  Importer(const LlavaImportOptions& o, std::vector<Rule> rules) : rules_(std::move(rules)), writer_(o.out) {
    images_ = fs::absolute(o.image_folder.empty() ? fs::path(o.input).parent_path() : fs::path(o.image_folder))
                  .lexically_normal();
  }

  const SuiteWriter& writer() const { return writer_; }

  void add(const Conversation& c, LlavaImportReport& report) {
    ++report.records;
    const nlohmann::json& v = c.value;
    if (!c.problem.empty()) {
      report.skip(c.where, c.problem);
      return;
    }
    if (!v.is_object() || !v.contains("conversations") || !v["conversations"].is_array() ||
        !v.contains("image") || !v["image"].is_string()) {
      report.skip(c.where, "not a conversation record (needs \"image\" and a \"conversations\" list)");
      return;
    }
    std::string id = v.contains("id") && v["id"].is_string()    ? v["id"].get<std::string>()
                     : v.contains("id") && v["id"].is_number() ? v["id"].dump()
                                                               : "";
    const std::string where = c.where + (id.empty() ? "" : " (id '" + excerpt(id) + "')");
    if (id.empty()) {
      report.skip(where, "no \"id\"");
      return;
    }
    const auto& turns = v["conversations"];
    int k = 0;
    auto is_turn = [](const nlohmann::json& turn, const char* from) {
      return turn.is_object() && turn.value("from", "") == from && turn.contains("value") && turn["value"].is_string();
    };
    for (std::size_t t = 0; t < turns.size(); ++t) {
      if (!is_turn(turns[t], "human")) continue;  // a system turn, or an answer already taken
      ++report.turns;
      if (t + 1 >= turns.size() || !is_turn(turns[t + 1], "gpt")) {
        report.skip(where, "a human turn without a gpt answer after it");
        continue;
      }
      ++k;
      const std::string sample_id = k == 1 ? id : id + "-" + std::to_string(k);
      import_turn(report, where, sample_id, v["image"].get<std::string>(),
                  instruction_of(turns[t]["value"].get<std::string>()), trim_copy(turns[t + 1]["value"].get<std::string>()));
      ++t;
    }
  }

 private:
  void import_turn(LlavaImportReport& report, const std::string& where, const std::string& id,
                   const std::string& image, const std::string& instruction, const std::string& answer) {
    // libstdc++'s std::regex recurses per character matched: a pattern like (.+?) over a very long
    // text can exhaust the stack. Instructions are sentences; longer ones are not matched.
    if (instruction.size() > kMaxInstructionBytes) {
      report.skip(where, "instruction longer than " + std::to_string(kMaxInstructionBytes) + " bytes; not matched");
      return;
    }
    const Rule* rule = nullptr;
    std::smatch m;
    for (const Rule& r : rules_)
      if (std::regex_search(instruction, m, r.re)) {
        rule = &r;
        break;
      }
    if (!rule) {
      report.skip(where, "no rule matched the instruction");
      return;
    }
    const Task& task = *find_task(rule->task);
    const fs::path image_path = (images_ / image).lexically_normal();
    const std::string image_field = writer_.image_field(image_path, report);

    Sample s;
    s.id = id;
    s.task = rule->task;
    s.kind = task.answer_kind();
    s.image = image_field;
    s.quantity = rule->quantity;
    const bool multilabel = rule->task == "multilabel_classification";
    s.classes = !rule->classes.empty() ? rule->classes
                : multilabel            ? default_chexpert_labels()
                                        : default_edema_classes();
    if (rule->task == "rec" || rule->task == "reg") {
      std::string problem;
      const auto header = read_image_header(image_path.string(), problem);
      if (!header) {
        report.skip(where, "image: " + problem);
        return;
      }
      s.image_size = std::array<double, 2>{double(header->width), double(header->height)};
    }
    TaskOptions options;
    options.box_format = rule->box_format;
    nlohmann::ordered_json rec = {{"id", id}, {"task", rule->task}, {"image", s.image}, {"image_id", image}};
    if (rule->task == "reg") {
      // The region comes in the instruction, in the rule's box format; rec's parser reads it.
      const Prediction box = find_task("rec")->parse_output(s, instruction, options);
      if (!box.parsed) {
        report.skip(where, "reg: no input box in the instruction: " + box.note);
        return;
      }
      rec["box"] = {box.box.x1, box.box.y1, box.box.x2, box.box.y2};
      rec["reference"] = answer;
      if (answer.empty()) return report.skip(where, "empty answer");
      writer_.add(rule->task, rec, report);
      return;
    }
    if (rule->task == "vqa") {
      // Closed when the answer reads as yes or no (the closed-question parser's judgement), unless
      // the rule says which; a closed reference is that yes or no, an open one the whole answer.
      std::string type = rule->answer_type, reference = answer;
      if (type != "open") {
        s.answer_type = "closed";
        const Prediction c = task.parse_output(s, answer, options);
        if (c.parsed && (c.text == "yes" || c.text == "no")) {
          type = "closed";
          reference = c.text;
        } else if (type == "closed") {
          return report.skip(where, "vqa: no yes or no in a closed question's answer" + (c.note.empty() ? "" : ": " + c.note));
        } else {
          type = "open";
        }
      }
      if (reference.empty()) return report.skip(where, "vqa: empty answer");
      rec["question"] = instruction;
      rec["answer_type"] = type;
      rec["reference"] = reference;
      writer_.add(rule->task, rec, report);
      return;
    }
    const Prediction p = task.parse_output(s, answer, options);
    if (!p.parsed) {
      report.skip(where, rule->task + ": reference not read: " + p.note);
      return;
    }
    if (rule->task == "calculation") {
      rec["quantity"] = rule->quantity;
      rec["reference"] = p.number;
    } else if (rule->task == "multiclass_classification") {
      if (!rule->classes.empty()) rec["classes"] = rule->classes;
      rec["reference"] = s.classes[static_cast<std::size_t>(p.class_index)];
    } else if (multilabel) {
      if (!rule->classes.empty()) rec["labels"] = rule->classes;
      nlohmann::ordered_json labels = nlohmann::ordered_json::array();
      for (std::size_t i = 0; i < p.labels.size(); ++i)
        if (p.labels[i]) labels.push_back(s.classes[i]);
      rec["reference"] = labels;
    } else if (rule->task == "rec") {
      std::string phrase = rule->phrase_group > 0 ? trim_copy(m[rule->phrase_group].str()) : instruction;
      if (phrase.empty()) return report.skip(where, "rec: the phrase group matched nothing");
      rec["phrase"] = phrase;
      rec["reference"] = {p.box.x1, p.box.y1, p.box.x2, p.box.y2};
    } else {  // report_generation
      rec["reference"] = answer;
    }
    writer_.add(rule->task, rec, report);
  }

  std::vector<Rule> rules_;
  SuiteWriter writer_;
  fs::path images_;
};

}  // namespace

LlavaImportReport import_llava(const LlavaImportOptions& o) {
  if (o.input.empty() || o.rules.empty() || o.out.empty())
    throw UsageError("import llava needs FILE, --rules RULES.json and --out DIR");
  Importer importer(o, read_rules(o.rules));
  LlavaImportReport report;
  for (const Conversation& c : read_conversations(o.input)) importer.add(c, report);
  report.suite_path = importer.writer().write(o.name);
  return report;
}

}  // namespace imaxbench
