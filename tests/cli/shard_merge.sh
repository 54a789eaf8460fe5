#!/usr/bin/env bash
# Three shards of a run merged give the results of the unsharded run exactly; merge refuses an
# incomplete set of shards, a shard given twice and shards run under other settings; shards on
# GPUs of different index merge (one process per GPU), on another kind of device not.
# Usage: shard_merge.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

run() {  # run OUT_DIR [extra args...]
  local out="$1"
  shift
  "$bin" run --suite "$src/suites/sample/suite.json" --backend replay \
    --model "$src/suites/sample/predictions.jsonl" --bootstrap 300 --no-record --progress off \
    --quiet --out "$out" "$@"
}

run "$tmp/whole" --batch-size 3
for k in 1 2 3; do run "$tmp/s$k" --batch-size 3 --shard "$k/3"; done
run "$tmp/other" --batch-size 5 --shard 3/3

"$bin" merge "$tmp/s2" "$tmp/s1" "$tmp/s3" --out "$tmp/merged" --quiet

python3 - "$tmp" <<'PY'
import json, sys
t = sys.argv[1]
whole = json.load(open(t + "/whole/results.json"))
merged = json.load(open(t + "/merged/results.json"))
for key in ("tasks", "suite"):
    assert whole[key] == merged[key], "merged results differ in '%s'" % key
shard_ids = []
for k in (1, 2, 3):
    ids = [json.loads(l)["id"] for l in open("%s/s%d/samples.jsonl" % (t, k))]
    assert ids, "shard %d is empty" % k
    shard_ids.append(set(ids))
assert not (shard_ids[0] & shard_ids[1] or shard_ids[0] & shard_ids[2] or shard_ids[1] & shard_ids[2])
whole_ids = {json.loads(l)["id"] for l in open(t + "/whole/samples.jsonl")}
assert shard_ids[0] | shard_ids[1] | shard_ids[2] == whole_ids, "shards do not cover the run"
# A shard's own results count only its samples.
s1 = json.load(open(t + "/s1/results.json"))
n1 = sum(v["n_samples"]["total"] - v["n_samples"]["invalid"] for v in s1["tasks"].values())
assert n1 == len(shard_ids[0]), (n1, len(shard_ids[0]))
m = json.load(open(t + "/merged/manifest.json"))
assert m["settings"]["shard"] == "1/1" and len(m["merged_from"]) == 3
print("merge ok: %d samples in 3 shards of %s" % (len(whole_ids), [len(s) for s in shard_ids]))
PY

# A shard killed mid-write leaves a torn last line, and one saved by hand may lack its last line
# end: the merged journal holds exactly the answers the merged results were scored from. (Joined
# byte by byte, a torn line took the next shard's first line with it, and `score --journal` of the
# merged run gave another score than merge had.)
for k in 1 2 3; do cp -r "$tmp/s$k" "$tmp/t$k"; done
python3 - "$tmp" <<'PY'
import sys
t = sys.argv[1]
d = open(t + "/t1/samples.jsonl", "rb").read()
open(t + "/t1/samples.jsonl", "wb").write(d[:-60])  # torn: its sample is missing from both
d = open(t + "/t2/samples.jsonl", "rb").read()
open(t + "/t2/samples.jsonl", "wb").write(d.rstrip(b"\n"))  # whole, unended: kept by both
PY
"$bin" merge "$tmp/t1" "$tmp/t2" "$tmp/t3" --out "$tmp/tmerged" --quiet --no-record 2> /dev/null
"$bin" score --suite "$src/suites/sample/suite.json" --journal "$tmp/tmerged/samples.jsonl" --bootstrap 300 \
  --no-record --quiet --out "$tmp/rescored.json" 2> /dev/null
python3 "$src/tests/cli/same_results.py" "$tmp/tmerged/results.json" "$tmp/rescored.json" "the merged journal re-scored"
python3 -c "import json, sys; n = sum(v['n_samples']['missing'] for v in json.load(open(sys.argv[1]))['tasks'].values()); \
assert n == 1, 'expected the torn line sample missing, got %d missing' % n" "$tmp/tmerged/results.json"
echo "merge of a torn and an unended shard journal ok"

expect_refusal() {  # expect_refusal WHAT PATTERN DIRS...
  local what="$1" pattern="$2"
  shift 2
  set +e
  "$bin" merge "$@" --out "$tmp/bad" --quiet 2> "$tmp/err"
  local rc=$?
  set -e
  [ "$rc" -eq 1 ] || fail "merge of $what exited $rc, expected 1"
  grep -q -- "$pattern" "$tmp/err" || fail "merge of $what: message lacks '$pattern': $(cat "$tmp/err")"
}
expect_refusal "two of three shards" "shard 3/3 is missing" "$tmp/s1" "$tmp/s2"
expect_refusal "a shard twice" "given twice" "$tmp/s1" "$tmp/s2" "$tmp/s2"
expect_refusal "other settings" "settings.batch_size: 3 vs 5" "$tmp/s1" "$tmp/s2" "$tmp/other"
expect_refusal "an unsharded run with a shard" "N = " "$tmp/whole" "$tmp/s1"
# One process per GPU: shards whose devices differ by index merge, and the merged run names them
# all; a shard on another kind of device does not belong.
for k in 1 2 3; do cp -r "$tmp/s$k" "$tmp/g$k"; done
set_device() {  # set_device RUN_DIR DEVICE: as if the shard had run there
  python3 -c "import json, sys; p = sys.argv[1] + '/manifest.json'; m = json.load(open(p)); \
m['backend']['device'] = sys.argv[2]; json.dump(m, open(p, 'w'), indent=2)" "$1" "$2"
}
set_device "$tmp/g1" cuda:0
set_device "$tmp/g2" cuda:1
set_device "$tmp/g3" cuda:0
"$bin" merge "$tmp/g1" "$tmp/g2" "$tmp/g3" --out "$tmp/gmerged" --quiet --no-record
grep -q '"device": "cuda:0,cuda:1"' "$tmp/gmerged/results.json" || fail "merged device: $(grep device "$tmp/gmerged/results.json")"
set_device "$tmp/g3" cpu
expect_refusal "shards on other kinds of device" "backend.device: cuda:0 vs cpu" "$tmp/g1" "$tmp/g2" "$tmp/g3"
echo "shard_merge: ok"
