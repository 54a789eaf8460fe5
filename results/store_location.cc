#include "results/store_location.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace imaxbench {

std::string default_db_path() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  std::string data;
  if (xdg && xdg[0] == '/') {
    data = xdg;  // a relative XDG_DATA_HOME is invalid by the spec and ignored
  } else {
    const char* home = std::getenv("HOME");
    std::string home_dir = home && home[0] ? home : "";
    if (home_dir.empty())
      if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir && pw->pw_dir[0]) home_dir = pw->pw_dir;
    if (home_dir.empty()) return "";
    data = home_dir + "/.local/share";
  }
  if (data.size() > 1 && data.back() == '/') data.pop_back();
  return data + "/imaxbench/leaderboard.sqlite";
}

}  // namespace imaxbench
