// What `inspect` prints for a loaded suite (per task and overall: records, valid, invalid with the
// first errors, images, image-centric density), shared with `import`, which shows it for the suite
// it wrote.
#pragma once

#include "data/suite_loader.h"
#include "harness/image_stats.h"

namespace imaxbench {

// Prints to stdout (a table, or JSON); returns 0 when every record is valid, else 1. `images` has
// counted the suite's valid samples (its splits kept none: load_suite_splits with a visitor).
int print_suite_report(const LoadedSuite& loaded, const ImageCentricCounter& images, int show_errors, bool json);
// The same for a suite whose splits kept their samples.
int print_suite_report(const LoadedSuite& loaded, int show_errors, bool json);

}  // namespace imaxbench
