#!/usr/bin/env bash
# The long fuzzing campaign: builds the sanitizer build (ci/sanitize.sh) and runs every fuzz target
# (or the named ones) for RUNS executions (default 1000000) over a copy of its seed corpus, then
# prints the executions per target. Crash inputs land in build-asan/fuzz-artifacts/.
#   ci/fuzz.sh [RUNS] [TARGET...]      e.g. ci/fuzz.sh 100000 split_reader box_parser
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1000000}"
shift || true
exec bash ci/sanitize.sh --fuzz-runs "$runs" "$@"
