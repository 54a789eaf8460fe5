#!/usr/bin/env bash
# The README's first command: install what is missing, build in Release, and run the main job on
# the bundled sample suite: the nearest-neighbour `baseline` backend, live on the CPU (journal,
# results and manifest in out/sample/), then the bundled predictions scored without a model.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
ci/build.sh
build_dir="${IMAXBENCH_BUILD_DIR:-build}"
"$build_dir/imaxbench" inspect --suite suites/sample/suite.json
echo
rm -rf out/sample
"$build_dir/imaxbench" run --suite suites/sample/suite.json --backend baseline \
  --model suites/sample/gallery/suite.json --device cpu --out out/sample --name baseline-nn \
  --tag sample
echo
"$build_dir/imaxbench" score --suite suites/sample/suite.json \
  --predictions suites/sample/predictions.jsonl --out out/sample-predictions/results.json
