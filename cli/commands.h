// Subcommand registration. Each command lives in its own cmd_<name>.cc and adds itself to the
// table in commands.cc; main only parses and dispatches.
#pragma once

#include <functional>
#include <string_view>

#include <CLI/CLI.hpp>

namespace imaxbench {

struct Command {
  std::string_view name;
  // Adds the subcommand and its options; returns the function that runs it after parsing.
  std::function<std::function<int()>(CLI::App& app)> setup;
};

void register_commands(CLI::App& app);
// Runs the subcommand the user chose; returns the exit code.
int run_selected_command(CLI::App& app);

}  // namespace imaxbench
