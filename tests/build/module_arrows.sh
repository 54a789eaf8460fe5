#!/usr/bin/env bash
# The module arrows (README "Architecture") as the build enforces them: for every pair of modules,
# a file compiled with module M's include root (cmake/modules.cmake) includes a header of module N.
# It must preprocess when M may use N (directly or through another module) and fail with the
# compiler's file-not-found error when it may not. The table below is the README's; a CMake change that opens
# or closes an arrow without the README fails here.
# Usage: module_arrows.sh CXX_COMPILER MODULE_INCLUDES_DIR
set -euo pipefail
cxx="$1"
roots="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# module: the modules it may use (closed under the arrows), as in the README.
declare -A uses=(
  [core]=""
  [metrics]="core"
  [tasks]="core metrics"
  [images]="core"
  [tokenizers]="core"
  [data]="core metrics tasks images"
  [backends]="core images tokenizers"
  [results]="core metrics"
  [harness]="core metrics tasks images tokenizers data backends results"
  [cli]="core metrics tasks images tokenizers data backends results harness"
)
# One header per module to include.
declare -A header=(
  [core]=core/error.h [metrics]=metrics/metric.h [tasks]=tasks/task.h [images]=images/image_decode.h
  [tokenizers]=tokenizers/tokenizer.h [data]=data/suite.h [backends]=backends/backend.h
  [results]=results/result_sink.h [harness]=harness/evaluate.h [cli]=cli/cli_options.h
)

fails=0 checked=0
for m in "${!uses[@]}"; do
  [ -d "$roots/$m" ] || { echo "FAIL: no include root $roots/$m"; exit 1; }
  for n in "${!header[@]}"; do
    [ "$m" = "$n" ] && continue
    allowed=0
    for u in ${uses[$m]}; do [ "$u" = "$n" ] && allowed=1; done
    printf '#include "%s"\n' "${header[$n]}" > "$tmp/probe.cc"
    if "$cxx" -std=c++20 -E -I"$roots/$m" "$tmp/probe.cc" -o /dev/null 2> "$tmp/err"; then
      got=1
    else
      got=0
      if ! grep -qE "No such file or directory|file not found" "$tmp/err"; then  # gcc, clang
        echo "FAIL: $m including ${header[$n]} failed for another reason:"; cat "$tmp/err"; fails=$((fails + 1))
        continue
      fi
    fi
    checked=$((checked + 1))
    if [ "$got" != "$allowed" ]; then
      echo "FAIL: $m -> $n: the README says $([ $allowed = 1 ] && echo allowed || echo forbidden), the build $([ $got = 1 ] && echo compiles it || echo refuses it)"
      [ "$got" = 0 ] && sed -n 1,3p "$tmp/err"
      fails=$((fails + 1))
    fi
  done
done
[ "$fails" = 0 ] || { echo "$fails of $checked module pairs disagree with the README"; exit 1; }
echo "ok: $checked module pairs: every allowed include compiles, every forbidden one is refused"
