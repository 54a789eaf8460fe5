#include "tasks/vocabulary.h"

#include <map>

#include "tasks/task_common.h"

namespace imaxbench {
namespace {

struct Synonyms {
  std::vector<std::string_view> strong;
  std::vector<std::string_view> weak;  // used only when no stronger finding is mentioned
};

// Keyed by lower-cased class name. Plurals of the last word are matched automatically.
const std::map<std::string, Synonyms>& edema_synonyms() {
  static const std::map<std::string, Synonyms> kMap = {
      {"none",
       {{"no edema", "no pulmonary edema", "no evidence of edema", "no evidence of pulmonary edema",
         "no signs of edema", "no sign of edema", "without edema", "normal", "no congestion"},
        {}}},
      {"vascular congestion",
       {{"pulmonary vascular congestion", "congestion", "venous congestion", "pulmonary venous congestion",
         "cephalization", "cephalisation", "vascular redistribution", "redistribution",
         "pulmonary venous hypertension", "vascular engorgement"},
        {}}},
      {"interstitial edema",
       {{"interstitial", "interstitial pulmonary edema", "kerley b lines", "kerley lines", "septal lines",
         "septal thickening", "peribronchial cuffing"},
        {}}},
      {"alveolar edema",
       {{"alveolar", "alveolar pulmonary edema", "pulmonary alveolar edema", "pulmonary edema alveolar",
         "airspace edema", "air space edema", "alveolar flooding"},
        {}}},
  };
  return kMap;
}

const std::map<std::string, Synonyms>& chexpert_synonyms() {
  static const std::map<std::string, Synonyms> kMap = {
      {"no finding",
       {{"no findings", "no acute findings", "no abnormality", "no acute abnormality",
         "no acute cardiopulmonary process", "no acute cardiopulmonary abnormality",
         "no acute cardiopulmonary disease", "no acute intrathoracic process", "no acute process",
         "no acute disease"},
        {"normal", "normal chest", "normal study", "unremarkable", "none", "nothing"}}},
      {"enlarged cardiomediastinum",
       {{"widened mediastinum", "mediastinal widening", "widening of the mediastinum", "enlarged mediastinum",
         "mediastinal enlargement", "cardiomediastinal enlargement", "enlarged cardiomediastinal silhouette",
         "widened cardiomediastinal silhouette"},
        {}}},
      {"cardiomegaly",
       {{"enlarged heart", "heart enlargement", "cardiac enlargement", "enlarged cardiac silhouette",
         "enlargement of the cardiac silhouette", "heart is enlarged", "heart size is enlarged",
         "enlarged heart size", "heart appears enlarged", "cardiac silhouette is enlarged",
         "enlarged cardiac size"},
        {}}},
      {"lung opacity",
       {{"opacity", "opacification", "pulmonary opacity", "airspace opacity", "airspace disease",
         "infiltrate", "infiltration", "haziness", "hazy opacity"},
        {}}},
      {"lung lesion",
       {{"lesion", "nodule", "pulmonary nodule", "lung nodule", "mass", "lung mass", "pulmonary mass",
         "tumor", "tumour", "neoplasm", "nodular opacity", "cavitary lesion", "granuloma"},
        {}}},
      {"edema",
       {{"pulmonary edema", "interstitial edema", "alveolar edema", "vascular congestion",
         "pulmonary vascular congestion", "fluid overload", "congestive heart failure", "chf",
         "heart failure", "kerley b lines", "septal lines"},
        {}}},
      {"consolidation", {{"consolidative opacity", "airspace consolidation", "consolidated"}, {}}},
      {"pneumonia", {{"bronchopneumonia", "infection", "infectious process", "pneumonitis"}, {}}},
      {"atelectasis",
       {{"atelectatic", "atelectatic change", "collapse", "lung collapse", "lobar collapse", "volume loss"},
        {}}},
      {"pneumothorax", {{"ptx"}, {}}},
      {"pleural effusion",
       {{"effusion", "pleural fluid", "hydrothorax", "hemothorax", "blunting of the costophrenic angle",
         "costophrenic angle blunting", "blunted costophrenic angle"},
        {}}},
      {"pleural other",
       {{"pleural thickening", "pleural scarring", "pleural plaque", "fibrothorax", "pleural calcification",
         "pleural abnormality"},
        {}}},
      {"fracture", {{"fractured", "rib fracture", "broken rib"}, {}}},
      {"support devices",
       {{"support device", "device", "pacemaker", "line", "tube", "catheter", "picc", "picc line",
         "central line", "central venous catheter", "endotracheal tube", "et tube", "ett",
         "nasogastric tube", "ng tube", "og tube", "chest tube", "tracheostomy", "tracheostomy tube",
         "defibrillator", "icd", "aicd", "sternotomy wire", "wire", "port", "stent", "clip",
         "surgical clip", "hardware", "drain", "prosthetic valve"},
        {}}},
  };
  return kMap;
}

std::vector<Phrase> phrases_for(const std::vector<std::string>& names,
                                const std::map<std::string, Synonyms>& synonyms) {
  std::vector<Phrase> out;
  // Names first so that at equal length a class's own name wins over another's synonym.
  for (std::size_t i = 0; i < names.size(); ++i) out.push_back(make_phrase(names[i], int(i)));
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto it = synonyms.find(ascii_lower(trim_copy(names[i])));
    if (it == synonyms.end()) continue;
    for (auto s : it->second.strong) out.push_back(make_phrase(s, int(i)));
    for (auto s : it->second.weak) out.push_back(make_phrase(s, int(i), true));
  }
  return out;
}

}  // namespace

const std::vector<std::string>& default_edema_classes() {
  static const std::vector<std::string> kClasses = {"none", "vascular congestion", "interstitial edema",
                                                    "alveolar edema"};
  return kClasses;
}

const std::vector<std::string>& default_chexpert_labels() {
  static const std::vector<std::string> kLabels = {
      "No Finding", "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity", "Lung Lesion",
      "Edema", "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax", "Pleural Effusion",
      "Pleural Other", "Fracture", "Support Devices"};
  return kLabels;
}

bool is_edema_grade_scale(const std::vector<std::string>& classes) {
  const auto& d = default_edema_classes();
  if (classes.size() != d.size()) return false;
  for (std::size_t i = 0; i < d.size(); ++i)
    if (!iequals(trim_copy(classes[i]), d[i])) return false;
  return true;
}

bool is_null_class_name(std::string_view name) {
  const auto n = ascii_lower(trim_copy(name));
  return n == "none" || n == "normal" || n == "no finding" || n == "no edema" || n == "negative";
}

std::vector<Phrase> class_phrases(const std::vector<std::string>& classes) {
  return phrases_for(classes, edema_synonyms());
}

std::vector<Phrase> label_phrases(const std::vector<std::string>& labels) {
  return phrases_for(labels, chexpert_synonyms());
}

std::vector<Phrase> nothing_found_phrases(int target) {
  std::vector<Phrase> out{make_phrase("no finding", target, true)};
  const auto& syn = chexpert_synonyms().at("no finding");
  for (auto s : syn.strong) out.push_back(make_phrase(s, target, true));
  for (auto s : syn.weak) out.push_back(make_phrase(s, target, true));
  return out;
}

}  // namespace imaxbench
