// `imaxbench list`: tasks, metrics with their parameters, and backends.
#include <iostream>

#include "backends/backend.h"
#include "harness/backend_registry.h"
#include "cli/commands.h"
#include "metrics/metric.h"
#include "core/error.h"
#include "tasks/task.h"

namespace imaxbench {

std::function<int()> setup_list_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("list", "List tasks, metrics (with parameters) and backends");
  auto what = std::make_shared<std::string>("all");
  cmd->add_option("what", *what, "tasks, metrics, backends or all")
      ->check(CLI::IsMember({"all", "tasks", "metrics", "backends"}));
  return [what] {
    std::ostream& out = std::cout;
    if (*what == "all" || *what == "tasks") {
      out << "Tasks (default metrics, primary first):\n";
      for (const Task* t : all_tasks()) {
        out << "  " << t->name() << " v" << t->version() << "  " << t->description()
            << "\n    answer: " << answer_kind_name(t->answer_kind()) << "\n    metrics:";
        for (const auto& m : t->default_metrics()) out << " " << (m.id.empty() ? m.name : m.id);
        out << "\n";
      }
    }
    if (*what == "all" || *what == "metrics") {
      out << "Metrics:\n";
      for (const auto& m : all_metrics()) {
        out << "  " << m.name << "  " << m.description << "\n";
        if (!m.params.empty()) out << "    params: " << m.params << "\n";
        // Made before anything is printed: an unavailable metric (meteor) throws, and says why
        // when a suite names it.
        std::string applies;
        try {
          applies = task_names_of_kinds(m.make(nlohmann::json::object())->applies_to());
        } catch (const Error&) {
          continue;
        }
        out << "    applies to: " << applies << "\n";
      }
    }
    if (*what == "all" || *what == "backends") {
      out << "Backends:\n";
      for (const auto& b : all_backends()) {
        out << "  " << b.name << "  " << b.description;
        if (!b.available) out << "  [not built: " << b.why_not << "]";
        if (b.available && b.location) out << "\n    " << b.location();
        out << "\n";
      }
    }
    return 0;
  };
}

}  // namespace imaxbench
