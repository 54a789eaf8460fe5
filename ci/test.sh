#!/usr/bin/env bash
# The README's second command: install what is missing, build everything, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# browser: Debian's chromium, for the test that opens the HTML leaderboard; java: for
# pycocoevalcap in the differential test (each part is skipped without them); sanitize: clang for
# the sanitizer stage below.
IMAXBENCH_DEPS_EXTRA="${IMAXBENCH_DEPS_EXTRA:-browser java sanitize}" ci/install-deps.sh
ci/build.sh
build_dir="${IMAXBENCH_BUILD_DIR:-build}"

# The HIP kernels compile for an AMD target with no GPU present (Debian's hipcc); one build
# holds one GPU runtime, so they get their own small build folder.
if command -v hipcc >/dev/null 2>&1; then
  cmake -S . -B "$build_dir-hip" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIMAXBENCH_WITH_CUDA=OFF \
    -DIMAXBENCH_WITH_HIP=ON -DIMAXBENCH_WITH_TORCH=OFF -DIMAXBENCH_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build_dir-hip" --target imaxbench_hip_kernels
  echo "HIP kernels compiled for $(grep -o 'gfx[0-9a-z]*' "$build_dir-hip/CMakeCache.txt" | head -1)"
fi

ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"

# Sanitizer stage: the unit tests again under ASan+UBSan (clang, build-asan/), then every fuzz
# target for a few seconds (ci/sanitize.sh). IMAXBENCH_SKIP_SANITIZE=1 leaves it out locally.
if [[ "${IMAXBENCH_SKIP_SANITIZE:-0}" != 1 ]]; then
  bash ci/sanitize.sh
fi
