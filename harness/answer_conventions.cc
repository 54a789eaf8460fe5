#include "harness/answer_conventions.h"

#include "tasks/model_conventions.h"
#include "tasks/task.h"

namespace imaxbench {

void apply_model_conventions(Suite& suite, const ModelConventions& model) {
  check_model_conventions(model);
  for (auto& st : suite.tasks) st.options = resolve_task_options(*find_task(st.task), st.options, model);
}

nlohmann::json conventions_json(const Suite& suite) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& st : suite.tasks) {
    const Task& task = *find_task(st.task);
    nlohmann::json j = {{"prompt_from", st.options.prompt_from}};
    if (task_uses_boxes(task)) {
      j["box_format"] = st.options.box_format;
      j["box_format_from"] = st.options.box_format_from;
      if (const auto& in = st.options.model_input) {
        j["model_input"] = {{"width", in->width}, {"height", in->height}, {"shortest_edge", in->shortest_edge}};
        if (in->pad_square) j["model_input"]["pad_square"] = true;  // written only when set: older runs read alike
      }
    }
    out[st.task] = std::move(j);
  }
  return out;
}

void apply_recorded_conventions(Suite& suite, const nlohmann::json& manifest_settings) {
  const auto all = manifest_settings.find("answer_conventions");
  if (all == manifest_settings.end() || !all->is_object()) return;
  for (auto& st : suite.tasks) {
    const auto it = all->find(st.task);
    if (it == all->end() || !it->is_object()) continue;
    const auto in = it->find("model_input");
    if (in != it->end() && in->is_object() && !st.options.model_input)
      st.options.model_input =
          ModelInput{in->value("width", 0), in->value("height", 0), in->value("shortest_edge", 0),
                     in->value("pad_square", false)};
    const auto format = it->find("box_format");
    const auto from = it->find("box_format_from");
    if (st.options.box_format_from == "suite" || from == it->end() || *from != "model" ||
        format == it->end() || !format->is_string())
      continue;
    st.options.box_format = format->get<std::string>();
    st.options.box_format_from = "model";
  }
}

}  // namespace imaxbench
