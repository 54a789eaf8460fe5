// `imaxbench inspect`: validate every split of a suite and print, per task and overall, records,
// valid/invalid counts with the first errors, images, and the image-centric density; or, with
// --answers, what a run's answers came to (results/answer_report.h).
#include <cstdio>
#include <iostream>

#include "cli/cli_options.h"
#include "cli/commands.h"
#include "cli/suite_report.h"
#include "core/keep_until_exit.h"
#include "harness/image_check.h"
#include "harness/image_stats.h"
#include "harness/score_suite.h"
#include "results/answer_report.h"

namespace imaxbench {

namespace {

struct InspectArgs {
  CommonOptions common;
  std::string answers;  // --answers RUN_DIR|FILE
  int show_errors = 5;
  bool json = false;
  bool decode = false;
};

nlohmann::json stats_json(const ImageCentricStats& s) {
  return {{"entries", s.entries}, {"images", s.images}, {"tasks_per_image", s.tasks_per_image},
          {"entries_per_image", s.entries_per_image}};
}

int run_inspect(const InspectArgs& a) {
  auto threads = limit_threads(a.common.threads);
  if (!a.answers.empty()) {
    const AnswerReport report = read_answer_report(a.answers);
    if (a.json) std::cout << answer_report_json(report).dump(2) << "\n";
    else print_answer_report(report, std::cout);
    return 0;
  }
  if (a.common.suite.empty()) throw UsageError("inspect: give --suite SUITE.json, or --answers RUN_DIR");
  if (a.decode) {  // decoding needs every sample's image path at once
    LoadedSuite loaded = load_suite_splits(a.common.suite, a.common.tasks, a.common.split);
    decode_check_images(loaded, a.common.split.strict, std::cerr);
    const int rc = print_suite_report(loaded, a.show_errors, a.json);
    keep_until_exit(std::move(loaded));
    return rc;
  }
  // Else each record is counted as it is read and dropped: a split's text is the most held at once.
  ImageCentricCounter images;
  const LoadedSuite loaded =
      load_suite_splits(a.common.suite, a.common.tasks, a.common.split, [&](const Sample& s) { images.add(s); });
  return print_suite_report(loaded, images, a.show_errors, a.json);
}

}  // namespace

int print_suite_report(const LoadedSuite& loaded, int show_errors, bool json) {
  // One count over all splits gives the overall figures and each task's.
  std::size_t samples = 0;
  for (const auto& split : loaded.splits) samples += split.samples.size();
  ImageCentricCounter counter;
  counter.reserve(samples);
  for (const auto& split : loaded.splits)
    for (const auto& s : split.samples) counter.add(s);
  return print_suite_report(loaded, counter, show_errors, json);
}

int print_suite_report(const LoadedSuite& loaded, const ImageCentricCounter& counter, int show_errors, bool json) {
  std::size_t records = 0, invalid = 0;
  nlohmann::json report = {{"suite", loaded.suite.name}, {"suite_sha256", loaded.suite.sha256},
                           {"tasks", nlohmann::json::object()}};
  if (!json)
    std::printf("suite %s: %zu tasks\n\n%-26s %8s %8s %8s %8s %12s %14s\n", loaded.suite.name.c_str(),
                loaded.suite.tasks.size(), "task", "records", "valid", "invalid", "images",
                "tasks/image", "entries/image");
  for (std::size_t i = 0; i < loaded.suite.tasks.size(); ++i) {
    const auto& split = loaded.splits[i];
    const auto st = counter.stats(loaded.suite.tasks[i].task);
    std::size_t n = split.valid() + split.invalid.size();
    records += n;
    invalid += split.invalid.size();
    nlohmann::json errors = nlohmann::json::array();
    for (std::size_t k = 0; k < split.invalid.size() && int(k) < show_errors; ++k)
      errors.push_back(split.invalid[k].message);
    report["tasks"][loaded.suite.tasks[i].task] = {
        {"split", split.path},           {"split_sha256", split.sha256},
        {"records", n},                  {"valid", split.valid()},
        {"invalid", split.invalid.size()}, {"first_errors", errors},
        {"image_centric", stats_json(st)}};
    if (!json) {
      std::printf("%-26s %8zu %8zu %8zu %8zu %12.2f %14.2f\n", loaded.suite.tasks[i].task.c_str(), n,
                  split.valid(), split.invalid.size(), st.images, st.tasks_per_image,
                  st.entries_per_image);
      for (const auto& e : errors) std::printf("    invalid: %s\n", e.get<std::string>().c_str());
    }
  }
  auto st = counter.stats();
  report["overall"] = {{"records", records}, {"valid", records - invalid}, {"invalid", invalid},
                       {"image_centric", stats_json(st)}};
  if (json) {
    std::cout << report.dump(2) << "\n";
  } else {
    std::printf("%-26s %8zu %8zu %8zu %8zu %12.2f %14.2f\n", "overall", records, records - invalid,
                invalid, st.images, st.tasks_per_image, st.entries_per_image);
    std::printf("\nImage-centric density: %.2f tasks and %.2f entries per image "
                "(IMAX reports 4.10 and 7.46; decentralized data is near 1).\n",
                st.tasks_per_image, st.entries_per_image);
  }
  return invalid == 0 ? 0 : 1;
}

std::function<int()> setup_inspect_command(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  auto* cmd = app.add_subcommand("inspect", "Validate a suite's splits and print image-centric statistics");
  add_common_options(*cmd, args->common, false);
  cmd->add_option("--show-errors", args->show_errors, "Invalid records to show per task")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  cmd->add_flag("--decode", args->decode,
                "Also decode every image (in parallel) to find truncated or corrupt pixel data; "
                "without it only headers are read (format, size, pixel cap)");
  cmd->add_option("--answers", args->answers,
                  "Instead of a suite: sum up a run's answers (RUN_DIR/scored.jsonl, or a file from score "
                  "--log-samples) per task: scored, unparsed, failed, missing, and the unparsed and failed "
                  "ones by reason with examples and the markup they used");
  cmd->get_option("--suite")->required(false);
  cmd->footer("Exit status: 0 every record valid (or --answers read), 1 some record invalid or unreadable "
              "input, 2 usage.");
  return [args] { return run_inspect(*args); };
}

}  // namespace imaxbench
