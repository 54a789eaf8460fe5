#!/usr/bin/env bash
# The sanitizer stage: one clang build with AddressSanitizer + UndefinedBehaviorSanitizer (and
# libFuzzer coverage) into build-asan/, then
#   1. every `unit` test (GoogleTest and tests/cli/*.sh, which run the sanitized binary), with any
#      sanitizer report fatal;
#   2. every fuzz target (tests/fuzz/) for IMAXBENCH_FUZZ_SECONDS (default 10) over a scratch copy
#      of its committed seed corpus; a crash, leak, hang or sanitizer report fails the stage.
# LibTorch is off (not worth instrumenting; the tests that need it skip themselves), so are the
# GPU kernels and the benchmarks. ci/test.sh runs this after the normal ctest.
#
#   ci/sanitize.sh                          build, unit tests, short fuzzing
#   ci/sanitize.sh --fuzz-runs N [TARGET..] build, then each (or each named) target for N
#                                           executions, printing the counts (ci/fuzz.sh)
# A fuzzer's crash input is kept in $IMAXBENCH_FUZZ_ARTIFACTS (default build-asan/fuzz-artifacts);
# reproduce it with build-asan/tests/fuzz/fuzz_<target> <file>.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir="${IMAXBENCH_ASAN_BUILD_DIR:-build-asan}"
mode=ci
runs=0
targets=()
if [[ "${1:-}" == "--fuzz-runs" ]]; then
  mode=campaign
  runs="${2:?--fuzz-runs needs a number of executions}"
  shift 2
  targets=("$@")
fi

IMAXBENCH_DEPS_EXTRA=sanitize ci/install-deps.sh
cc="$(command -v clang-14 || command -v clang || true)"
cxx="$(command -v clang++-14 || command -v clang++ || true)"
if [[ -z "$cc" || -z "$cxx" ]]; then
  echo "sanitize: clang is missing (ci/install-deps.sh installs clang-14 and libclang-rt-14-dev)" >&2
  exit 1
fi

start=$SECONDS
# -O1 with line tables: readable stacks at a fraction of -g's cost; assertions stay on.
CC="$cc" CXX="$cxx" cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
  -DIMAXBENCH_SANITIZE=address,undefined -DIMAXBENCH_FUZZ=ON -DIMAXBENCH_WITH_TORCH=OFF \
  -DIMAXBENCH_WITH_CUDA=OFF -DIMAXBENCH_WITH_HIP=OFF -DIMAXBENCH_BUILD_BENCH=OFF >/dev/null

# Any report is fatal and aborts (exit 134), so a test that expects the binary to exit 1 on bad
# input cannot mistake a sanitizer's exit status for its own. Leak checking is on (ASan's default).
symbolizer="$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)"
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_init_order=1:check_initialization_order=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$PWD/ci/lsan.supp:print_suppressions=0"
if [[ -n "$symbolizer" ]]; then export ASAN_SYMBOLIZER_PATH="$symbolizer"; fi

# What `ctest -L unit` runs (the unit tests, the binary and the tools tests/cli/*.sh call) and the
# fuzz targets; the golden, property and gpu test binaries are left out. gtest_discover_tests runs
# each test binary at build time, so the options above apply there too.
cmake --build "$build_dir" -j"$(nproc)" --target imaxbench imaxbench_unit_tests \
  imaxbench_text_metric_tool imaxbench_coco_text_tool imaxbench_fuzz
echo "sanitize: built in $((SECONDS - start)) s"

fuzzers=()
for f in "$build_dir"/tests/fuzz/fuzz_*; do
  if [[ -x "$f" && ! -d "$f" ]]; then fuzzers+=("$(basename "$f")"); fi
done
if [[ ${#targets[@]} -gt 0 ]]; then
  fuzzers=()
  for t in "${targets[@]}"; do fuzzers+=("fuzz_${t#fuzz_}"); done
fi
if [[ ${#fuzzers[@]} -eq 0 ]]; then
  echo "sanitize: no fuzz targets were built (clang with -DIMAXBENCH_FUZZ=ON)" >&2
  exit 1
fi

if [[ "$mode" == ci ]]; then
  # The differential test pip-installs the reference implementations into the build folder; reuse
  # the normal build's venv when ci/test.sh has made one rather than installing them twice.
  normal_venv="${IMAXBENCH_BUILD_DIR:-build}/reference-venv"
  if [[ -x "$normal_venv/bin/python" && ! -e "$build_dir/reference-venv" ]]; then
    ln -s "$PWD/$normal_venv" "$build_dir/reference-venv"
  fi
  t0=$SECONDS
  ctest --test-dir "$build_dir" -L unit --output-on-failure -j"$(nproc)"
  echo "sanitize: unit tests under ASan+UBSan took $((SECONDS - t0)) s"
fi

artifacts="${IMAXBENCH_FUZZ_ARTIFACTS:-$PWD/$build_dir/fuzz-artifacts}"
mkdir -p "$artifacts"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
seconds="${IMAXBENCH_FUZZ_SECONDS:-10}"
failed=()
summary=()
for fuzzer in "${fuzzers[@]}"; do
  target="${fuzzer#fuzz_}"
  corpus="$scratch/$target"
  mkdir -p "$corpus"
  # A copy: what the fuzzer adds stays out of the repository's corpus.
  if [[ -d "tests/fuzz/corpus/$target" ]]; then cp -R "tests/fuzz/corpus/$target/." "$corpus/"; fi
  limit=(-max_total_time="$seconds")
  if [[ "$mode" == campaign ]]; then limit=(-runs="$runs"); fi
  log="$scratch/$target.log"
  t0=$SECONDS
  set +e
  "$build_dir/tests/fuzz/$fuzzer" "${limit[@]}" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$target-" "$corpus" >"$log" 2>&1
  rc=$?
  set -e
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  line="$(printf '%-22s %10s execs %5d s  exit %d' "$target" "${execs:-?}" $((SECONDS - t0)) "$rc")"
  summary+=("$line")
  echo "fuzz: $line"
  if [[ $rc -ne 0 ]]; then
    failed+=("$target")
    echo "---- $fuzzer output (last 60 lines) ----"
    tail -60 "$log"
    echo "----"
  fi
done

echo "fuzz summary:"
printf '  %s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "sanitize: fuzz targets found problems: ${failed[*]} (inputs in $artifacts)" >&2
  exit 1
fi
echo "sanitize: done in $((SECONDS - start)) s"
