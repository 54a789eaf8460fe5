// Where the leaderboard store lives when neither --db nor IMAXBENCH_DB names one: the user's XDG
// data folder, so runs from any working folder share one store and none lands inside a source
// tree. $XDG_DATA_HOME/imaxbench/leaderboard.sqlite when XDG_DATA_HOME is an absolute path (the
// XDG Base Directory rule), else ~/.local/share/imaxbench/leaderboard.sqlite. The folder is made
// on the first write (record_run), never by reading.
#pragma once

#include <string>

namespace imaxbench {

// Empty when neither XDG_DATA_HOME, HOME nor the password database gives a home folder.
std::string default_db_path();

}  // namespace imaxbench
