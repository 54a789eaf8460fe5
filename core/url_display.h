// A URL as imaxbench may print or store it: credentials in the authority (user:password@) are
// dropped, so an --endpoint given with them never reaches logs, manifests or results.
#pragma once

#include <string>
#include <string_view>

namespace imaxbench {

// The URL with any user:password@ removed.
std::string url_for_display(std::string_view url);

}  // namespace imaxbench
