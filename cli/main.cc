// imaxbench: one binary, subcommands (README "Commands"). Errors are caught here once and mapped to
// exit codes: 0 success, 1 failure, 2 usage, 3 regression gate.
#include <iostream>

#include <CLI/CLI.hpp>

#include "core/build_info.h"
#include "cli/commands.h"
#include "core/error.h"

int main(int argc, char** argv) {
  using namespace imaxbench;
  CLI::App app{"imaxbench: evaluate medical multimodal LLMs on the seven IMAX chest X-ray tasks"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(kToolVersion) + " (" + kGitSha + ")");
  register_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  }
  try {
    return run_selected_command(app);
  } catch (const UsageError& e) {
    std::cerr << "imaxbench: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kUsage);
  } catch (const Error& e) {
    std::cerr << "imaxbench: error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kFailure);
  } catch (const std::exception& e) {
    std::cerr << "imaxbench: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kFailure);
  }
}
