// Applies what a backend declares about its model (Backend::model_conventions: native box format,
// per-task prompt templates, input image geometry) to a loaded suite before `run` or `profile`
// makes a prompt, and says per task what was chosen, for the run manifest. A backend's
// image_spec() is not used as the input geometry: it describes preprocessing (the baseline's
// embedding size), not the frame an answer's box is written in.
#pragma once

#include <nlohmann/json.hpp>

#include "data/suite.h"
#include "tasks/model_conventions.h"

namespace imaxbench {

// Checks `model` (throws Error naming its source and field) and completes every task's options
// from it; the suite's explicit choices stay.
void apply_model_conventions(Suite& suite, const ModelConventions& model);

// {"rec": {"box_format": "qwen2_vl", "box_format_from": "model", "prompt_from": "default"}, ...}:
// box_format (and the model input geometry, when known) for the tasks that read or write boxes
// (rec, reg), prompt_from for all.
nlohmann::json conventions_json(const Suite& suite);

// Re-scoring a run without its model (merge, score --journal): the box format and input geometry
// the run's manifest recorded as the model's (settings.answer_conventions, see conventions_json)
// are used for each task whose suite entry names no box_format. A manifest without them (older
// runs, other backends) changes nothing.
void apply_recorded_conventions(Suite& suite, const nlohmann::json& manifest_settings);

}  // namespace imaxbench
