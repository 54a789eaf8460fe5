#!/usr/bin/env bash
# The multi-task average's 95% interval (results suite.ci95): with one task it is that task's
# primary interval x100 (the same images drawn under the same seed); over the sample suite's seven
# tasks it holds the score, is the same on 1 and 2 threads and survives a shard merge; with
# --bootstrap 0 it is absent.
# Usage: average_interval.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
source "$2/tests/tools/cli_common.sh"
cli_test_start "$@"
sample="$src/suites/sample"
score() {  # score OUT [extra args...]
  local out="$1"
  shift
  "$bin" score --suite "$sample/suite.json" --predictions "$sample/predictions.jsonl" --out "$out" --no-record --quiet "$@"
}
score "$tmp/vqa.json" --tasks vqa --bootstrap 500
score "$tmp/all1.json" --bootstrap 500 --threads 1
score "$tmp/all2.json" --bootstrap 500 --threads 2
score "$tmp/none.json" --bootstrap 0
python3 - "$tmp" <<'PY'
import json, sys
t = sys.argv[1]
vqa = json.load(open(t + "/vqa.json"))
lo, hi = vqa["suite"]["ci95"]
task = vqa["tasks"]["vqa"]["metrics"]["closed_accuracy"]["ci95"]
assert abs(lo - 100 * task[0]) < 1e-9 and abs(hi - 100 * task[1]) < 1e-9, (lo, hi, task)
a1, a2 = (json.load(open(t + "/all%d.json" % k))["suite"] for k in (1, 2))
assert a1 == a2, "the average's interval depends on the thread count"
assert a1["ci95"][0] < a1["score"] < a1["ci95"][1], a1
assert a1["ci95"][1] - a1["ci95"][0] > 1, a1  # 295 samples: an interval of some width
assert "ci95" not in json.load(open(t + "/none.json"))["suite"]
PY
echo "average_interval: ok"
