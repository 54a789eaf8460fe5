#include "cli/commands.h"

#include <map>
#include <string>

namespace imaxbench {

// Each defined in its cmd_<name>.cc: adds the subcommand to `app`, returns its runner.
std::function<int()> setup_score_command(CLI::App& app);
std::function<int()> setup_inspect_command(CLI::App& app);
std::function<int()> setup_list_command(CLI::App& app);
std::function<int()> setup_run_command(CLI::App& app);
std::function<int()> setup_merge_command(CLI::App& app);
std::function<int()> setup_compare_command(CLI::App& app);
std::function<int()> setup_leaderboard_command(CLI::App& app);
std::function<int()> setup_profile_command(CLI::App& app);
std::function<int()> setup_import_command(CLI::App& app);

namespace {

using Setup = std::function<int()> (*)(CLI::App&);
const Setup kCommands[] = {
    setup_score_command, setup_inspect_command, setup_list_command,
    setup_run_command, setup_merge_command,
    setup_compare_command, setup_leaderboard_command,
    setup_profile_command, setup_import_command,
};

std::map<const CLI::App*, std::function<int()>>& runners() {
  static std::map<const CLI::App*, std::function<int()>> r;
  return r;
}

}  // namespace

void register_commands(CLI::App& app) {
  for (Setup setup : kCommands) {
    auto runner = setup(app);
    auto after = app.get_subcommands({});
    runners()[after.back()] = std::move(runner);
  }
}

int run_selected_command(CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    auto it = runners().find(sub);
    if (it != runners().end()) return it->second();
  }
  return 2;
}

}  // namespace imaxbench
