// `imaxbench import llava FILE --rules RULES.json --out DIR`: a suite folder from LLaVA-style
// conversation data (harness/import_llava.h, docs/import.md), then inspect's summary of it.
#include <algorithm>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli_options.h"
#include "cli/commands.h"
#include "cli/suite_report.h"
#include "core/error.h"
#include "harness/import_llava.h"

namespace imaxbench {

namespace {

struct ImportArgs {
  LlavaImportOptions llava;
  int show_errors = 5;
};

int run_import_llava(const ImportArgs& a) {
  const LlavaImportReport r = import_llava(a.llava);
  std::cout << "import llava: " << r.records << " conversation records, " << r.turns << " question turns; "
            << r.imported << " samples imported";
  for (const auto& [task, n] : r.per_task) std::cout << (task == r.per_task.begin()->first ? " (" : ", ") << task << " " << n;
  std::cout << (r.per_task.empty() ? "" : ")") << "\n";
  std::size_t skipped = 0;
  for (const auto& [reason, n] : r.skipped_by_reason) skipped += n;
  if (skipped) {
    std::cout << skipped << " not imported (question turns, or records with none to read), by reason:\n";
    std::vector<std::pair<std::size_t, std::string>> reasons;
    for (const auto& [reason, n] : r.skipped_by_reason) reasons.emplace_back(n, reason);
    std::sort(reasons.begin(), reasons.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    for (const auto& [n, reason] : reasons) std::cout << "  " << n << "  " << reason << "\n";
    std::cout << "first of them:\n";
    for (const auto& [where, reason] : r.skipped_examples) std::cout << "  " << where << ": " << reason << "\n";
  }
  if (r.suite_path.empty())
    throw Error(a.llava.input + ": no conversation turn was imported (the reasons are above); nothing written");
  if (r.images_outside)
    std::cout << "note: some images lie outside " << a.llava.out
              << "; pass --allow-external-images to every command that reads this suite, or write the suite "
                 "into a folder above the images\n";
  std::cout << "\nwrote " << r.suite_path << "\n\n";
  LoadedSuite loaded;
  {
    SplitOptions split;
    split.allow_external_images = r.images_outside;
    loaded = load_suite_splits(r.suite_path, "", split);
  }
  return print_suite_report(loaded, a.show_errors, false);
}

}  // namespace

std::function<int()> setup_import_command(CLI::App& app) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand("import", "Build a suite folder (splits + suite.json) from other data formats");
  cmd->require_subcommand(1);
  auto* llava = cmd->add_subcommand(
      "llava", "LLaVA-style conversation JSON/JSONL ({\"id\", \"image\", \"conversations\": [human, gpt, ...]}): a "
               "rules file maps instructions to tasks; each gpt answer is read by that task's answer parser");
  llava->add_option("file", args->llava.input, "Conversations: a JSON array or JSONL")->required()->check(CLI::ExistingFile);
  llava->add_option("--rules", args->llava.rules, "Rules file (JSON; docs/import.md, example docs/import/llava-rules.json)")
      ->required()->check(CLI::ExistingFile);
  llava->add_option("--out", args->llava.out, "Suite folder to write: one split per task and suite.json")->required();
  llava->add_option("--image-folder", args->llava.image_folder,
                    "Where the records' image paths start (default: the conversation file's folder)");
  llava->add_option("--name", args->llava.name, "Suite name (default: the --out folder's name)");
  llava->add_option("--show-errors", args->show_errors, "Invalid records to show per task")->capture_default_str();
  llava->footer("Exit status: 0 every imported record valid, 1 some invalid or nothing imported, 2 usage.\n"
                "The format and the rules: docs/import.md.");
  return [args] { return run_import_llava(*args); };
}

}  // namespace imaxbench
