#!/usr/bin/env bash
# Micro-benchmarks and speed ratios against the Python reference implementations, in one run:
#   1. builds imaxbench_bench and the metric tools when missing (IMAXBENCH_BUILD_DIR, default build/);
#   2. runs every Google Benchmark case (tests/bench/: metrics, tokenizers, answer parsers, JSONL,
#      PNG/JPEG/DICOM decode, preprocessing) with --benchmark_format=json into out/bench/;
#   3. creates out/bench/.venv, pip-installs the references (sacreBLEU, rouge-score, nltk,
#      pycocoevalcap) and runs ci/bench_sacrebleu_rouge.py and ci/bench_text_vs_reference.py;
#   4. times whole `score` and `compare` processes with and without the bootstrap, and `profile` of
#      the sample suite with image-centric reuse on and off (ci/bench_image_reuse.py);
#   5. prints a summary: the machine, items/s per case, and the ratios.
# Usage: ci/bench.sh [--quick] [--skip-reference] [--large] [--huge] [--filter REGEX]
#   --quick           short runs (0.05 s per case, 2,000-report corpora) for a smoke test (the
#                     bootstrap ratio, a target at 20,000 reports, is printed but not judged)
#   --skip-reference  no venv, no Python references (C++ benchmarks only)
#   --large           also score and compare 100,000-report runs (time and peak memory against
#                     the compare target: <= 60 s, <= 1 GB; several minutes) and inspect them
#                     (records/s against the target: >= 150,000/s)
#   --huge            also inspect and score (--bootstrap 0) 1,000,000 reports (against <= 25 s and
#                     <= 2 GB; writing the suite takes minutes, scoring about 7.3 GB of memory)
# Wall-clock numbers: run on an otherwise idle machine; the summary names the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${IMAXBENCH_BUILD_DIR:-build}"
out=out/bench
quick=0 skip_ref=0 large=0 huge=0 filter=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --skip-reference) skip_ref=1 ;;
    --large) large=1 ;;
    --huge) huge=1 ;;
    --filter) filter="$2"; shift ;;
    *) echo "usage: ci/bench.sh [--quick] [--skip-reference] [--large] [--huge] [--filter REGEX]" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"

if [ ! -f "$build_dir/build.ninja" ] && [ ! -f "$build_dir/Makefile" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build_dir" --target imaxbench imaxbench_bench imaxbench_text_metric_tool imaxbench_coco_text_tool

bench_args=(--benchmark_format=json)
[ "$quick" -eq 1 ] && bench_args+=(--benchmark_min_time=0.05)
[ -n "$filter" ] && bench_args+=("--benchmark_filter=$filter")
echo "== Google Benchmark cases -> $out/imaxbench_bench.json"
"$build_dir/tests/bench/imaxbench_bench" "${bench_args[@]}" > "$out/imaxbench_bench.json"

ref_status="skipped (--skip-reference)"
: > "$out/sacrebleu_rouge.txt"
: > "$out/pycocoevalcap.txt"
: > "$out/reading_scale.txt"  # written by --large / --huge only: no stale figures in the summary
if [ "$skip_ref" -eq 0 ]; then
  if [ ! -x "$out/.venv/bin/python" ]; then
    python3 -m venv "$out/.venv"
  fi
  "$out/.venv/bin/pip" install --quiet sacrebleu==2.5.1 nltk==3.10.4 rouge-score==0.1.2 pycocoevalcap==1.2 numpy
  samples=20000
  [ "$quick" -eq 1 ] && samples=2000
  py="$out/.venv/bin/python"
  echo "== sacreBLEU and rouge-score vs imaxbench ($samples report pairs)"
  "$py" ci/bench_sacrebleu_rouge.py --tool "$build_dir/tests/imaxbench_text_metric_tool" --samples "$samples" \
    | tee "$out/sacrebleu_rouge.txt"
  if command -v java >/dev/null 2>&1; then
    echo "== pycocoevalcap vs imaxbench ($samples reports)"
    "$py" ci/bench_text_vs_reference.py --tool "$build_dir/tests/imaxbench_coco_text_tool" --samples "$samples" \
      | tee "$out/pycocoevalcap.txt"
    # What a user waits for: whole `score` processes against whole reference processes.
    echo "== whole processes: imaxbench score vs the Python references ($samples reports)"
    "$py" ci/bench_score_whole.py --binary "$build_dir/imaxbench" --samples "$samples" \
      | tee "$out/score_whole.txt"
    ref_status="measured"
  else
    ref_status="pycocoevalcap skipped: no java (its PTBTokenizer needs it)"
  fi
fi

# Whole processes: `score` of 20,000 reports with the default 1,000 bootstrap resamples against
# `--bootstrap 0` of the same binary (target <= 3x), and `compare` of two such runs.
samples=20000
[ "$quick" -eq 1 ] && samples=2000
echo "== whole-process score and compare, bootstrap on and off ($samples reports)"
python3 ci/bench_score_bootstrap.py --binary "$build_dir/imaxbench" --samples "$samples" --rounds 3 --compare \
  | tee "$out/score_bootstrap.txt"
if [ "$large" -eq 1 ]; then
  echo "== whole-process score and compare at 100,000 reports (time and peak memory)"
  python3 ci/bench_score_bootstrap.py --binary "$build_dir/imaxbench" --samples 100000 --rounds 1 --compare \
    | tee -a "$out/score_bootstrap.txt"
  echo "== inspect and score --bootstrap 0 of 100,000 reports (records/s, peak memory)"
  python3 ci/bench_reading_scale.py --binary "$build_dir/imaxbench" --samples 100000 --rounds 3 \
    | tee "$out/reading_scale.txt"
fi
if [ "$huge" -eq 1 ]; then
  echo "== inspect and score --bootstrap 0 of 1,000,000 reports (time and peak memory)"
  python3 ci/bench_reading_scale.py --binary "$build_dir/imaxbench" --samples 1000000 --rounds 1 \
    | tee -a "$out/reading_scale.txt"
fi

echo "== image-centric reuse: profile of the sample suite, reuse on and off (baseline; torchscript on the CPU)"
python3 ci/bench_image_reuse.py --binary "$build_dir/imaxbench" --rounds "$([ "$quick" -eq 1 ] && echo 1 || echo 2)" \
  | grep -v '^profile:' | tee "$out/image_reuse.txt"

echo
echo "== summary (also in $out/summary.txt)"
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build_dir/CMakeCache.txt" 2>/dev/null || true)"
python3 - "$out" "$ref_status" "${build_type:-unknown}" <<'PY' | tee "$out/summary.txt"
import json, os, platform, sys
out, ref_status, build_type = sys.argv[1], sys.argv[2], sys.argv[3]
doc = json.load(open(os.path.join(out, "imaxbench_bench.json")))
ctx = doc["context"]
cpu = "unknown CPU"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
print("machine: %s, %d CPUs at %s MHz, %s, load average %s; imaxbench %s build; %s" % (
    cpu, ctx.get("num_cpus", 0), ctx.get("mhz_per_cpu", "?"), platform.platform(),
    ", ".join("%.1f" % x for x in ctx.get("load_avg", [])), build_type, ctx.get("date", "?")))
SCALE = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def human(seconds):
    for unit, f in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= f:
            return "%.4g %s" % (seconds / f, unit)
    return "%.4g ns" % (seconds / 1e-9)


print("%-58s %14s %14s" % ("case", "time/iter", "items/s"))
for b in doc["benchmarks"]:
    if b.get("run_type") == "aggregate":
        continue
    if b.get("error_occurred"):
        print("%-58s %29s" % (b["name"][:58], "skipped: " + b.get("error_message", "")[:20]))
        continue
    t = human(b["real_time"] * SCALE[b["time_unit"]])
    ips = b.get("items_per_second")
    print("%-58s %14s %14s" % (b["name"][:58], t, "%.4g" % ips if ips else ""))
print()
print("ratios against the Python references (same run): " + ref_status)
for name in ("sacrebleu_rouge.txt", "pycocoevalcap.txt", "score_whole.txt", "score_bootstrap.txt",
             "reading_scale.txt", "image_reuse.txt"):
    path = os.path.join(out, name)
    lines = open(path).read().splitlines() if os.path.exists(path) else []
    keep, section = [], False
    for line in lines:
        if line.startswith("process CPU time") or line.startswith("wall clock"):
            section = True
        if (section or "speed ratio" in line or line.startswith("2 threads vs 1") or "target" in line.lower()
                or "/ --bootstrap 0" in line or "reference process" in line or "compare of two" in line):
            keep.append(line)
    for line in keep:
        print("  " + line)
PY
