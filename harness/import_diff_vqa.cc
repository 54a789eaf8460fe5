// Medical-Diff-VQA (PhysioNet; generated from MIMIC-CXR): mimic_pair_questions.csv, one question per
// row with study_id, subject_id, ref_id (the earlier study a difference question compares with),
// question_type (abnormality, presence, view, location, level, type, difference), question and
// answer, and a split column in the released file. IMAX's VQA is about one image: every type but
// `difference` is imported, on the study's image; a yes or no answer makes a closed question.
#include <map>

#include "core/csv.h"
#include "core/error.h"
#include "harness/mimic_studies.h"
#include "tasks/task_common.h"

namespace imaxbench {

void add_diff_vqa(const CsvTable& t, const std::string& split, const MimicStudies& studies) {
  const std::size_t c_subject = t.column("subject_id"), c_study = t.column("study_id"),
                    c_type = t.column("question_type"), c_question = t.column("question"),
                    c_answer = t.column("answer");
  const std::size_t c_split = split.empty() ? 0 : t.column("split");
  ImportReport& report = studies.report();
  std::map<std::string, int> questions_of_study;
  for (const auto& row : t.rows) {
    if (!split.empty() && row.fields[c_split] != split) continue;
    ++report.records;
    const std::string where = t.where(row);
    if (row.fields[c_type] == "difference") {
      report.skip(where, "a difference question compares two studies; IMAX's VQA asks about one image");
      continue;
    }
    const std::string question = trim_copy(row.fields[c_question]), answer = trim_copy(row.fields[c_answer]);
    if (question.empty() || answer.empty()) {
      report.skip(where, "question or answer is blank");
      continue;
    }
    const std::string& study = row.fields[c_study];
    auto rec = studies.record(where, row.fields[c_subject], study, "vqa");
    if (!rec) continue;
    (*rec)["id"] = "s" + study + "-vqa-" + std::to_string(++questions_of_study[study]);
    (*rec)["question"] = question;
    (*rec)["answer_type"] = answer == "yes" || answer == "no" ? "closed" : "open";
    (*rec)["reference"] = answer;
    studies.writer().add("vqa", *rec, report);
  }
}

}  // namespace imaxbench
