#!/usr/bin/env bash
# `imaxbench profile` with the baseline backend on the sample suite, offline and single-stream:
# profile.json and --format json are checked by check_profile_json.py (keys, ordered percentiles
# re-derived from the histograms, stages within the wall time, seven tasks of accuracy), the table
# names every section, the accuracy of the pass equals `imaxbench run`'s, and bad flags are usage
# errors. Usage: profile_baseline.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
source "$src/tests/tools/cli_common.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if ! backend_built "$bin" baseline; then
  echo "SKIP: the baseline backend is not built (no LibTorch)"
  exit 0
fi
suite="$src/suites/sample/suite.json"
common=(--suite "$suite" --backend baseline --model "$src/suites/sample/gallery/suite.json" --device cpu
        --min-duration 0.5 --min-queries 0 --warmup 1)
check="$src/tests/cli/check_profile_json.py"
samples="$(python3 - "$src" <<'PY'
import json, os, sys
src = sys.argv[1]
suite = json.load(open(os.path.join(src, "suites/sample/suite.json")))
print(sum(1 for t in suite["tasks"] for l in open(os.path.join(src, "suites/sample", t["split"])) if l.strip()))
PY
)"

"$bin" profile "${common[@]}" --scenario offline --batch-size 8 --out "$tmp/offline" > "$tmp/offline.txt"
python3 "$check" "$tmp/offline/profile.json" --scenario offline --samples "$samples"
[ -s "$tmp/offline/manifest.json" ] || fail "no manifest.json beside profile.json"
for section in "throughput" "latency" "image_decode" "answer_parsing" "metric_statistics" \
               "harness (not a stage)" "peak host RSS" "stability" "Multi-task average"; do
  grep -qF "$section" "$tmp/offline.txt" || fail "the table lacks '$section': $(cat "$tmp/offline.txt")"
done

"$bin" profile "${common[@]}" --scenario single-stream --format json > "$tmp/single.json"
python3 "$check" "$tmp/single.json" --scenario single-stream --samples "$samples"

# The accuracy of the profiled pass is the accuracy of a run with the same batches.
"$bin" run --suite "$suite" --backend baseline --model "$src/suites/sample/gallery/suite.json" --device cpu \
  --batch-size 8 --bootstrap 0 --no-record --quiet --progress off --out "$tmp/run"
python3 - "$tmp" <<'PY'
import json, sys
t = sys.argv[1]
prof = json.load(open(t + "/offline/profile.json"))["accuracy"]
run = json.load(open(t + "/run/results.json"))
for task, r in run["tasks"].items():
    p = prof["tasks"][task]
    for m, v in r["metrics"].items():
        assert abs(p["metrics"][m]["score"] - v["score"]) < 1e-12, (task, m, p["metrics"][m]["score"], v["score"])
assert abs(prof["suite"]["score"] - run["suite"]["score"]) < 1e-9
print("accuracy of the profiled pass equals the run's: suite score %.2f" % run["suite"]["score"])
PY

expect_usage() {  # expect_usage WHAT PATTERN ARGS...
  local what="$1" pattern="$2"
  shift 2
  set +e
  "$bin" profile "${common[@]}" "$@" > /dev/null 2> "$tmp/err"
  local rc=$?
  set -e
  [ "$rc" -eq 2 ] || fail "$what exited $rc, expected 2"
  grep -q -- "$pattern" "$tmp/err" || fail "$what: message lacks '$pattern': $(cat "$tmp/err")"
}
expect_usage "server without a rate" "target-qps" --scenario server
expect_usage "an unknown scenario" "offline, single-stream or server" --scenario batch
expect_usage "a batch in single-stream" "one request at a time" --scenario single-stream --batch-size 4
expect_usage "a bad format" "table or json" --scenario offline --format yaml
echo "profile baseline ok"
