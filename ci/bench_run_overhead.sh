#!/usr/bin/env bash
# Harness overhead of `imaxbench run` on the sample suite with the baseline backend: the fraction
# of the pipeline's wall time not spent decoding/preprocessing images or inside Backend::infer
# (prompts, batching, the TBB pipeline, journal writes, progress). Measured at --threads 1, where
# every stage runs in turn so the stage times add up to the wall time exactly; the target is < 5%.
# Also prints the --threads 2 wall time, where decoding overlaps inference.
# Usage: ci/bench_run_overhead.sh [REPEATS]   (IMAXBENCH_BUILD_DIR picks the build, default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${IMAXBENCH_BUILD_DIR:-build}/imaxbench"
reps="${1:-5}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for threads in 1 2; do
  for i in $(seq 1 "$reps"); do
    "$bin" run --suite suites/sample/suite.json --backend baseline \
      --model suites/sample/gallery/suite.json --device cpu --threads "$threads" --bootstrap 0 \
      --progress off --quiet --no-record --out "$out/t$threads-$i"
  done
done
python3 - "$out" "$reps" <<'PY'
import json, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
def timings(threads):
    return [json.load(open("%s/t%d-%d/results.json" % (out, threads, i)))["context"]["timing"]
            for i in range(1, reps + 1)]
t1, t2 = timings(1), timings(2)
med = lambda xs: statistics.median(xs)
n = t1[0]["samples_run"]
wall1 = med([t["pipeline_wall_s"] for t in t1])
print("samples per run:          %d (%d repeats each)" % (n, reps))
print("threads 1: pipeline wall  %.1f ms  (decode %.1f, preprocess %.1f, infer %.1f, journal %.1f ms)" % (
    1e3 * wall1, 1e3 * med([t["image_decode_s"] for t in t1]), 1e3 * med([t["preprocess_s"] for t in t1]),
    1e3 * med([t["infer_s"] for t in t1]), 1e3 * med([t["journal_s"] for t in t1])))
overhead = [t["harness_overhead"] for t in t1]
print("harness overhead:         %.2f%% median (min %.2f%%, max %.2f%%); target < 5%%" % (
    100 * med(overhead), 100 * min(overhead), 100 * max(overhead)))
print("threads 2: pipeline wall  %.1f ms  (%.2fx the 1-thread wall)" % (
    1e3 * med([t["pipeline_wall_s"] for t in t2]), med([t["pipeline_wall_s"] for t in t2]) / wall1))
PY
