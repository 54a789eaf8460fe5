#!/usr/bin/env bash
# Sharded profiles merged (`profile --shard K/3 --out`, then `merge`): the merged latency histogram
# is the bucket-wise sum of the shards' (so its percentiles are those of all requests), counts and
# throughput add, wall time and memory are the largest, the accuracy is null with its reason, and
# the manifest is that of one unsharded profile. Refused: a run folder among profiles, and shards
# profiled under another scenario.
# Usage: profile_merge.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
source "$2/tests/tools/cli_common.sh"
cli_test_start "$@"

sample="$src/suites/sample"
profile() {  # profile OUT [extra args...]
  local out="$1"
  shift
  "$bin" profile --suite "$sample/suite.json" --backend replay --model "$sample/predictions.jsonl" \
    --scenario offline --min-duration 0 --min-queries 10 --warmup 0 --out "$out" "$@" > /dev/null 2>&1 ||
    fail "profile $out failed"
}
for k in 1 2 3; do profile "$tmp/p$k" --shard "$k/3"; done
"$bin" merge "$tmp/p1" "$tmp/p2" "$tmp/p3" --out "$tmp/merged" > "$tmp/merge.txt" 2>&1 ||
  fail "merge failed: $(cat "$tmp/merge.txt")"
grep -q "merged profile of 3 shards" "$tmp/merge.txt" || fail "$(cat "$tmp/merge.txt")"
grep -q "^throughput" "$tmp/merge.txt" || fail "no profile table: $(cat "$tmp/merge.txt")"

python3 - "$tmp" <<'PY'
import collections, json, sys
t = sys.argv[1]
shards = [json.load(open("%s/p%d/profile.json" % (t, k))) for k in (1, 2, 3)]
m = json.load(open(t + "/merged/profile.json"))
buckets = collections.Counter()
for s in shards:
    for index, count in s["latency_ms"]["histogram"]["buckets"]:
        buckets[index] += count
h = m["latency_ms"]["histogram"]
assert dict(buckets) == {i: c for i, c in h["buckets"]}, "merged buckets are not the shards' sum"
assert h["count"] == sum(s["latency_ms"]["histogram"]["count"] for s in shards)
assert h["sum"] == sum(s["latency_ms"]["histogram"]["sum"] for s in shards)
assert h["min"] == min(s["latency_ms"]["histogram"]["min"] for s in shards)
assert h["max"] == max(s["latency_ms"]["histogram"]["max"] for s in shards)
for key in ("requests", "answered", "failed", "distinct_samples"):
    assert m["run"][key] == sum(s["run"][key] for s in shards), key
assert m["run"]["wall_s"] == max(s["run"]["wall_s"] for s in shards)
assert abs(m["throughput"]["samples_per_s"] - sum(s["throughput"]["samples_per_s"] for s in shards)) < 1e-6
assert m["memory"]["peak_host_rss_bytes"] == max(s["memory"]["peak_host_rss_bytes"] for s in shards)
assert m["accuracy"] is None and "not merged" in m["accuracy_note"]
assert m["manifest"]["settings"]["shard"] == "1/1" and len(m["merged_from"]) == 3
assert m["scenario"] == shards[0]["scenario"]
# Every selected sample was profiled once by exactly one shard.
assert m["run"]["distinct_samples"] + 0 >= 280, m["run"]["distinct_samples"]
PY

"$bin" run --suite "$sample/suite.json" --backend replay --model "$sample/predictions.jsonl" --shard 3/3 --batch-size 8 \
  --no-record --quiet --progress off --bootstrap 0 --out "$tmp/run3"
set +e
"$bin" merge "$tmp/p1" "$tmp/p2" "$tmp/run3" --out "$tmp/bad" --quiet 2> "$tmp/err1"
rc1=$?
set -e
[ "$rc1" -eq 1 ] && grep -q "is not a profile folder" "$tmp/err1" || fail "a run among profiles: exit $rc1, $(cat "$tmp/err1")"
"$bin" profile --suite "$sample/suite.json" --backend replay --model "$sample/predictions.jsonl" \
  --scenario offline --min-duration 0 --min-queries 50 --warmup 0 --out "$tmp/q3" --shard 3/3 > /dev/null 2>&1
set +e
"$bin" merge "$tmp/p1" "$tmp/p2" "$tmp/q3" --out "$tmp/bad2" --quiet 2> "$tmp/err2"
rc2=$?
set -e
[ "$rc2" -eq 1 ] && grep -q "profiled under another scenario" "$tmp/err2" ||
  fail "another scenario: exit $rc2, $(cat "$tmp/err2")"
echo "profile_merge: ok"
