#!/usr/bin/env bash
# Configures and builds imaxbench in Release into ${IMAXBENCH_BUILD_DIR:-build}. Extra CMake
# arguments pass through, e.g. ci/build.sh -DIMAXBENCH_WITH_TORCH=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${IMAXBENCH_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
