// Every task's answer parser on 10 MB adversarial answers (issue 12, item 11: a 1.1 MB multiclass
// answer took 21 s). The parsers are linear in the answer (see the bound in each tasks/*_parser.h,
// mention_finder.h and short_answer.h), so each test here takes a second or two; on the quadratic
// parsers they replaced, the multiclass, multilabel and both vqa tests each need over an hour.
// No time is measured (timings belong in tests/bench/parser_bench.cc): a parser that goes
// super-linear again shows up as a test that runs into ctest's timeout. Each answer's result is
// checked too, so the work cannot be skipped. Answers are built one at a time (10 MB each).
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "tasks/task.h"
#include "task_test_support.h"

namespace imaxbench {
namespace {

using testing::sample_from;

constexpr std::size_t kBytes = 10'000'000;

// An answer: `unit` repeated to kBytes (the last copy cut short), between `before` and `after`.
struct Shape {
  std::string_view unit, before, after;
  std::string text() const {
    std::string out(before);
    out.reserve(before.size() + kBytes + unit.size() + after.size());
    while (out.size() < before.size() + kBytes) out += unit;
    out.resize(before.size() + kBytes);
    out += after;
    return out;
  }
};

Shape answer(std::string_view unit, std::string_view before = "", std::string_view after = "") {
  return Shape{unit, before, after};
}

const Task& task(std::string_view name) { return *find_task(name); }

Prediction parse(const Sample& s, const std::string& text) { return task(s.task).parse_output(s, text, {}); }

TEST(ParserLinear, Multiclass) {
  const Sample s = sample_from(task("multiclass_classification"), {{"reference", "none"}});
  struct Case {
    Shape shape;
    int expected;  // class index, -1: unparsed
  };
  const Case cases[] = {
      {answer("none "), 0},                        // a mention every token, one comma segment
      {answer("none ", "no "), 0},                 // ... each inheriting the first one's negation
      {answer("alveolar "), 3},
      {answer("vascular congestion "), 1},
      {answer("interstitial edema, "), 2},
      {answer("no alveolar edema "), 0},           // all negated: the "nothing found" class
      {answer("no edema, but "), 0},
      {answer("no "), -1},                         // deeply repeated "no no no"
      {answer("grade is "), -1},
      {answer("a"), -1},                           // one 10 MB word
      {answer("1"), -1},
      {answer(","), -1},
      {answer("and "), -1},
      {answer(" ", "", "interstitial edema"), 2},  // whitespace run
      {answer("\n", "", "Grade 2"), 2},
      {answer("\xff\xfe\x80"), -1},                // invalid UTF-8
      {answer("(["), -1},
  };
  for (const auto& c : cases) {
    const std::string text = c.shape.text();
    SCOPED_TRACE(text.substr(0, 40));
    const Prediction p = parse(s, text);
    EXPECT_EQ(p.parsed, c.expected >= 0) << p.note;
    EXPECT_EQ(p.class_index, c.expected) << p.note;
  }
}

TEST(ParserLinear, Multilabel) {
  const Sample s = sample_from(task("multilabel_classification"), {{"reference", nlohmann::json::array()}});
  auto label = [&](std::string_view name) {
    for (std::size_t i = 0; i < s.classes.size(); ++i)
      if (s.classes[i] == name) return i;
    ADD_FAILURE() << name;
    return std::size_t{0};
  };
  struct Case {
    Shape shape;
    bool parsed;
    std::vector<std::string_view> positive;
  };
  const Case cases[] = {
      {answer("ptx "), true, {"Pneumothorax"}},  // a mention every 4 bytes, one comma segment
      {answer("effusion "), true, {"Pleural Effusion"}},
      {answer("normal "), true, {"No Finding"}},
      {answer("no effusion, "), true, {"No Finding"}},
      {answer("no pneumothorax, effusion, or consolidation "), true, {"No Finding"}},
      {answer("effusion is absent "), true, {"No Finding"}},
      {answer("- effusion\n"), true, {"Pleural Effusion"}},
      {answer("no no "), false, {}},
      {answer("and "), false, {}},
      {answer("pleural "), false, {}},
      {answer("*"), false, {}},
      {answer("\t", "", "cardiomegaly"), true, {"Cardiomegaly"}},
      {answer("\xc3\x28\xa0\xa1"), false, {}},
  };
  for (const auto& c : cases) {
    const std::string text = c.shape.text();
    SCOPED_TRACE(text.substr(0, 40));
    const Prediction p = parse(s, text);
    EXPECT_EQ(p.parsed, c.parsed) << p.note;
    std::vector<std::uint8_t> expected(s.classes.size(), 0);
    for (auto name : c.positive) expected[label(name)] = 1;
    EXPECT_EQ(p.labels, expected) << p.note;
  }
}

TEST(ParserLinear, Calculation) {
  const Sample s = sample_from(task("calculation"), {{"quantity", "ctr"}, {"reference", 0.5}});
  struct Case {
    Shape shape;
    double expected;  // < 0: unparsed
  };
  const Case cases[] = {
      {answer("9 "), -1},                     // 5 million numbers, none plausible
      {answer("1"), -1},                      // one 10-million-digit number
      {answer("0", "0."), 0},                 // ... and one with 10 million decimals
      {answer("1", "0.", "/2"), 1.0 / 18},
      {answer("1,234"), 1.2341},  // "1,2341,2341,...": decimal commas
      {answer("1,"), 1.1},
      {answer("1/"), 1},
      {answer("52 percent "), 0.52},
      {answer("ctr cpar "), -1},
      {answer("ctr 9, cpar 0.4, ", "", "ctr 0.5"), 0.4},
      {answer("actr"), -1},
      {answer("-"), -1},
      {answer("."), -1},
      {answer(" ", "", "0.52"), 0.52},
      {answer("\xff"), -1},
  };
  for (const auto& c : cases) {
    const std::string text = c.shape.text();
    SCOPED_TRACE(text.substr(0, 40));
    const Prediction p = parse(s, text);
    EXPECT_EQ(p.parsed, c.expected >= 0) << p.note.substr(0, 200);
    if (c.expected >= 0) {
      EXPECT_DOUBLE_EQ(p.number, c.expected);
    }
  }
}

TEST(ParserLinear, Rec) {
  const Sample s = sample_from(task("rec"), {{"phrase", "x"}, {"image_size", {1000, 800}}, {"reference", {1, 2, 3, 4}}});
  struct Case {
    Shape shape;
    bool parsed;
    int n_boxes;
  };
  const Case cases[] = {
      {answer("{<1><2><3><4>}"), true, 714285},  // huge numbers of boxes
      {answer("[0.1, 0.2, 0.3, 0.4] "), true, 476190},
      {answer("<box>(1,2),(3,4)</box>"), true, 454545},
      {answer("(1,2),"), true, 833333},
      {answer("<"), false, 0},
      {answer("{"), false, 0},
      {answer("("), false, 0},
      {answer("["), false, 0},
      {answer("{< "), false, 0},
      {answer("[1 "), false, 0},
      {answer("1", "<", "><2><3><4>"), false, 0},  // a 10-million-digit coordinate
      {answer(" ", "{<", "1><2><3><4>}"), false, 0},
      {answer(" ", "", "{<1><2><3><4>}"), true, 1},
      {answer("\x80"), false, 0},
  };
  for (const auto& c : cases) {
    const std::string text = c.shape.text();
    SCOPED_TRACE(text.substr(0, 40));
    const Prediction p = parse(s, text);
    EXPECT_EQ(p.parsed, c.parsed) << p.note;
    EXPECT_EQ(p.n_boxes, c.n_boxes) << p.note;
  }
}

TEST(ParserLinear, VqaClosed) {
  const Sample s = sample_from(task("vqa"), {{"question", "Is there an effusion?"},
                                             {"answer_type", "closed"},
                                             {"reference", "yes"}});
  struct Case {
    Shape shape;
    const char* expected;  // nullptr: unparsed; "" : the long text itself
  };
  const Case cases[] = {
      {answer(":", "Answer"), nullptr},  // a wrapper followed by 10 million ':'
      {answer("-", "A:"), nullptr},
      {answer("a:"), nullptr},           // 5 million "A:" wrappers
      {answer("answer: ", "", "yes"), "yes"},
      {answer("yes, "), "yes"},
      {answer(", ", "", "no"), "no"},
      {answer("no no "), "no"},
      {answer("\n", "", "Yes"), "yes"},
      {answer(" "), nullptr},
      {answer("a"), ""},
      {answer("\xff\xfe"), ""},
  };
  for (const auto& c : cases) {
    const std::string text = c.shape.text();
    SCOPED_TRACE(text.substr(0, 40));
    const Prediction p = parse(s, text);
    EXPECT_EQ(p.parsed, c.expected != nullptr) << p.note;
    if (c.expected && *c.expected) {
      EXPECT_EQ(p.text, c.expected);
    } else if (c.expected) {
      EXPECT_EQ(p.text.size(), kBytes);
    }
  }
}

TEST(ParserLinear, VqaOpen) {
  const Sample s = sample_from(task("vqa"), {{"question", "Where is the lesion?"},
                                             {"answer_type", "open"},
                                             {"reference", "right lower lobe"}});
  struct Case {
    Shape shape;
    const char* expected;  // nullptr: unparsed
  };
  const Case cases[] = {
      {answer(":", "Answer"), nullptr},
      {answer("-", "A:"), nullptr},
      {answer("answer: ", "", "right lower lobe"), "right lower lobe"},
      {answer("a:", "", "RLL"), "RLL"},
      {answer("\n", "", " left "), "left"},
      {answer(" \t"), nullptr},
  };
  for (const auto& c : cases) {
    const std::string text = c.shape.text();
    SCOPED_TRACE(text.substr(0, 40));
    const Prediction p = parse(s, text);
    EXPECT_EQ(p.parsed, c.expected != nullptr) << p.note;
    EXPECT_EQ(p.text, c.expected ? c.expected : "");
  }
}

TEST(ParserLinear, FreeText) {
  for (std::string_view name : {"report_generation", "reg"}) {
    SCOPED_TRACE(name);
    const Sample s = name == "reg" ? sample_from(task(name), {{"box", {1, 2, 3, 4}}, {"reference", "opacity"}})
                                   : sample_from(task(name), {{"reference", "The lungs are clear."}});
    EXPECT_EQ(parse(s, answer("a").text()).text.size(), kBytes);
    EXPECT_FALSE(parse(s, answer(" \n\t").text()).parsed);
    EXPECT_EQ(parse(s, answer(" ", "", "clear").text()).text, "clear");
    EXPECT_EQ(parse(s, answer("\xff ").text()).text.size(), kBytes - 1);
  }
}

}  // namespace
}  // namespace imaxbench
