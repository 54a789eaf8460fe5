// `imaxbench import llava|mimic-cxr|chexmask|vindr-cxr ...`: a suite folder from other data formats (docs/import.md),
// then what was not imported and why, and inspect's summary of what was.
#include <algorithm>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli_options.h"
#include "cli/commands.h"
#include "cli/suite_report.h"
#include "core/error.h"
#include "harness/import_chexmask.h"
#include "harness/import_llava.h"
#include "harness/import_mimic.h"
#include "harness/import_vindr.h"

namespace imaxbench {

namespace {

struct ImportArgs {
  LlavaImportOptions llava;
  MimicImportOptions mimic;
  ChexmaskImportOptions chexmask;
  VindrImportOptions vindr;
  std::string views = "PA,AP";
  int show_errors = 5;
};

int finish_import(const ImportReport& r, const std::string& input, const std::string& out, int show_errors) {
  std::cout << r.imported << " samples imported";
  for (const auto& [task, n] : r.per_task) std::cout << (task == r.per_task.begin()->first ? " (" : ", ") << task << " " << n;
  std::cout << (r.per_task.empty() ? "" : ")") << "\n";
  std::size_t skipped = 0;
  for (const auto& [reason, n] : r.skipped_by_reason) skipped += n;
  if (skipped) {
    std::cout << skipped << " not imported, by reason:\n";
    std::vector<std::pair<std::size_t, std::string>> reasons;
    for (const auto& [reason, n] : r.skipped_by_reason) reasons.emplace_back(n, reason);
    std::sort(reasons.begin(), reasons.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    for (const auto& [n, reason] : reasons) std::cout << "  " << n << "  " << reason << "\n";
    std::cout << "first of them:\n";
    for (const auto& [where, reason] : r.skipped_examples) std::cout << "  " << where << ": " << reason << "\n";
  }
  if (r.suite_path.empty()) throw Error(input + ": nothing was imported (the reasons are above); nothing written");
  if (r.images_outside)
    std::cout << "note: some images lie outside " << out
              << "; pass --allow-external-images to every command that reads this suite, or write the suite "
                 "into a folder above the images\n";
  std::cout << "\nwrote " << r.suite_path << "\n\n";
  SplitOptions split;
  split.allow_external_images = r.images_outside;
  return print_suite_report(load_suite_splits(r.suite_path, "", split), show_errors, false);
}

int run_import_llava(const ImportArgs& a) {
  const LlavaImportReport r = import_llava(a.llava);
  std::cout << "import llava: " << r.records << " conversation records, " << r.turns << " question turns; ";
  return finish_import(r, a.llava.input, a.llava.out, a.show_errors);
}

int run_import_mimic(ImportArgs a) {
  a.mimic.views.clear();
  std::stringstream views(a.views);
  for (std::string v; std::getline(views, v, ',');)
    if (!v.empty()) a.mimic.views.push_back(v);
  const ImportReport r = import_mimic_cxr(a.mimic);
  std::cout << "import mimic-cxr: " << r.records << " label rows and reports read; ";
  return finish_import(r, a.mimic.metadata, a.mimic.out, a.show_errors);
}

int run_import_chexmask(const ImportArgs& a) {
  const ImportReport r = import_chexmask(a.chexmask);
  std::cout << "import chexmask: " << r.records << " mask rows read; ";
  return finish_import(r, a.chexmask.masks, a.chexmask.out, a.show_errors);
}

int run_import_vindr(const ImportArgs& a) {
  const ImportReport r = import_vindr(a.vindr);
  std::cout << "import vindr-cxr: " << r.records << " annotation rows read; ";
  return finish_import(r, a.vindr.annotations, a.vindr.out, a.show_errors);
}

}  // namespace

std::function<int()> setup_import_command(CLI::App& app) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand("import", "Build a suite folder (splits + suite.json) from other data formats");
  cmd->require_subcommand(1);
  cmd->footer("Exit status: 0 every imported record valid, 1 some invalid or nothing imported, 2 usage.\n"
              "Formats and options: docs/import.md.");

  // Every importer writes a suite folder: --out, --name, --show-errors.
  auto add_output_options = [args](CLI::App* sub, std::string& out, std::string& name) {
    sub->add_option("--out", out, "Suite folder to write: one split per task and suite.json")->required();
    sub->add_option("--name", name, "Suite name (default: the --out folder's name)");
    sub->add_option("--show-errors", args->show_errors, "Invalid records to show per task")->capture_default_str();
  };

  auto* llava = cmd->add_subcommand(
      "llava", "LLaVA-style conversation JSON/JSONL ({\"id\", \"image\", \"conversations\": [human, gpt, ...]}): a "
               "rules file maps instructions to tasks; each gpt answer is read by that task's answer parser");
  llava->add_option("file", args->llava.input, "Conversations: a JSON array or JSONL")->required()->check(CLI::ExistingFile);
  llava->add_option("--rules", args->llava.rules, "Rules file (JSON; docs/import.md, example docs/import/llava-rules.json)")
      ->required()->check(CLI::ExistingFile);
  add_output_options(llava, args->llava.out, args->llava.name);
  llava->add_option("--image-folder", args->llava.image_folder,
                    "Where the records' image paths start (default: the conversation file's folder)");

  auto* mimic = cmd->add_subcommand(
      "mimic-cxr", "MIMIC-CXR-JPG images with its CheXpert labels (multilabel), the edema severity grades "
                   "(multiclass), MIMIC-CXR's reports (report generation), MS-CXR's phrase boxes (rec, reg) and "
                   "Medical-Diff-VQA's questions (vqa), one image per study");
  mimic->add_option("--root", args->mimic.root, "MIMIC-CXR-JPG folder (holds files/pXX/...)")->required()->check(CLI::ExistingDirectory);
  mimic->add_option("--metadata", args->mimic.metadata, "mimic-cxr-2.0.0-metadata.csv")->required()->check(CLI::ExistingFile);
  mimic->add_option("--chexpert", args->mimic.chexpert, "mimic-cxr-2.0.0-chexpert.csv (or -negbio.csv)")->check(CLI::ExistingFile);
  mimic->add_option("--edema", args->mimic.edema,
                    "An edema severity CSV of 'Pulmonary Edema Severity Grades Based on MIMIC-CXR' (regex, expert or "
                    "consensus)")->check(CLI::ExistingFile);
  mimic->add_option("--reports", args->mimic.reports, "MIMIC-CXR reports folder (holds files/pXX/pSUBJECT/sSTUDY.txt)")
      ->check(CLI::ExistingDirectory);
  mimic->add_option("--ms-cxr", args->mimic.ms_cxr, "MS-CXR's MS_CXR_Local_Alignment_v1.x.0.csv (phrase boxes)")
      ->check(CLI::ExistingFile);
  mimic->add_option("--diff-vqa", args->mimic.diff_vqa, "Medical-Diff-VQA's mimic_pair_questions.csv")
      ->check(CLI::ExistingFile);
  mimic->add_option("--diff-vqa-split", args->mimic.diff_vqa_split,
                    "Only the --diff-vqa questions whose split column is this (e.g. test)");
  add_output_options(mimic, args->mimic.out, args->mimic.name);
  mimic->add_option("--views", args->views, "ViewPosition values an image may have, preferred first")->capture_default_str();
  mimic->add_option("--uncertain", args->mimic.uncertain,
                    "A CheXpert -1.0 (uncertain) label: skip the study, or count it positive or negative")
      ->capture_default_str()->check(CLI::IsMember({"skip", "positive", "negative"}));

  auto* chexmask = cmd->add_subcommand(
      "chexmask", "Cardiothoracic ratios (calculation) from CheXmask's heart and lung masks: heart width over the "
                  "width of both lungs, each its mask's horizontal extent");
  auto& c = args->chexmask;
  chexmask->add_option("masks", c.masks, "A CheXmask CSV (decompressed: gunzip the .csv.gz first)")
      ->required()->check(CLI::ExistingFile);
  chexmask->add_option("--images", c.images, "Folder the images are under")->required()->check(CLI::ExistingDirectory);
  chexmask->add_option("--id-column", c.id_column, "The CSV's image id column (dicom_id for MIMIC-CXR-JPG, image_id "
                                                   "for VinDr-CXR)")->capture_default_str();
  chexmask->add_option("--image-suffix", c.image_suffix, "Image file = --images/ID + this")->capture_default_str();
  chexmask->add_option("--mimic-metadata", c.mimic_metadata,
                       "mimic-cxr-2.0.0-metadata.csv: images are MIMIC-CXR-JPG's files/pXX/pSUBJECT/sSTUDY/ID.jpg")
      ->check(CLI::ExistingFile);
  chexmask->add_option("--min-dice", c.min_dice, "Leave out masks whose \"Dice RCA (Mean)\" is lower")
      ->capture_default_str();
  add_output_options(chexmask, c.out, c.name);

  auto* vindr = cmd->add_subcommand(
      "vindr-cxr", "VinDr-CXR's box annotations (rec, reg): each image's boxes of one finding, the finding's name "
                   "as the phrase");
  auto& v = args->vindr;
  vindr->add_option("annotations", v.annotations, "annotations_test.csv (consensus) or annotations_train.csv")
      ->required()->check(CLI::ExistingFile);
  vindr->add_option("--images", v.images, "Folder of the images (VinDr-CXR's test/ or train/)")
      ->required()->check(CLI::ExistingDirectory);
  vindr->add_option("--image-suffix", v.image_suffix, "Image file = --images/IMAGE_ID + this")->capture_default_str();
  vindr->add_option("--radiologist", v.radiologist, "Only this rad_id's boxes (the training set has three readers)");
  add_output_options(vindr, v.out, v.name);

  return [args, llava, mimic, chexmask, vindr] {
    if (llava->parsed()) return run_import_llava(*args);
    if (mimic->parsed()) return run_import_mimic(*args);
    if (chexmask->parsed()) return run_import_chexmask(*args);
    if (vindr->parsed()) return run_import_vindr(*args);
    return 2;
  };
}

}  // namespace imaxbench
