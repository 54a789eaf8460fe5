#!/usr/bin/env bash
# A run killed with kill -9 mid-way and resumed ends with the same results as an uninterrupted
# run (tasks and suite blocks, bit for bit) and a journal holding every sample once. A torn last
# line is dropped with a note; resuming under other settings, or reusing a run folder without
# --resume, is refused. The slow backend is `replay --delay-ms`.
# Usage: run_resume_kill.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

base=(run --suite "$src/suites/sample/suite.json" --backend replay
      --model "$src/suites/sample/predictions.jsonl" --bootstrap 200 --no-record --progress off)
run() {  # run OUT_DIR BATCH [extra args...]
  local out="$1" batch="$2"
  shift 2
  "$bin" "${base[@]}" --batch-size "$batch" --out "$out" "$@"
}

run "$tmp/full" 4 --quiet
total=$(wc -l < "$tmp/full/samples.jsonl")
[ "$total" -gt 100 ] || fail "uninterrupted run journaled only $total samples"

# The binary itself in the background (not a subshell), so kill -9 hits the writer.
"$bin" "${base[@]}" --batch-size 4 --out "$tmp/killed" --quiet --delay-ms 30 &
pid=$!
for _ in $(seq 1 400); do
  n=$( (wc -l < "$tmp/killed/samples.jsonl") 2>/dev/null || echo 0)
  [ "$n" -ge 20 ] && break
  sleep 0.02
done
kill -9 "$pid"
wait "$pid" 2>/dev/null && fail "the killed run exited normally"
done_lines=$(wc -l < "$tmp/killed/samples.jsonl")
[ "$done_lines" -ge 20 ] && [ "$done_lines" -lt "$total" ] ||
  fail "killed run journaled $done_lines of $total lines (expected a partial journal)"
[ -e "$tmp/killed/results.json" ] && fail "a killed run must not have results.json"
[ -e "$tmp/killed/manifest.json" ] || fail "manifest.json is written before the first sample"

# What a kill during a write leaves: half a line at the end.
printf '{"id": "vqa-0001-1", "predic' >> "$tmp/killed/samples.jsonl"

# The same folder without --resume: usage error (2), nothing touched.
set +e
run "$tmp/killed" 4 --quiet 2> "$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "reusing a run folder without --resume exited $rc, expected 2"
grep -q -- "--resume" "$tmp/err" || fail "message does not mention --resume: $(cat "$tmp/err")"

# Other settings: refused with the difference named.
set +e
run "$tmp/killed" 8 --resume --quiet 2> "$tmp/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "resume with another batch size exited $rc, expected 1"
grep -q "settings.batch_size: 4 vs 8" "$tmp/err" || fail "difference not named: $(cat "$tmp/err")"

# The real resume (threads may differ: they change no answer).
run "$tmp/killed" 4 --resume --threads 1 > "$tmp/out" 2> "$tmp/err"
grep -q "dropped a torn last line" "$tmp/err" || fail "no note about the torn line: $(cat "$tmp/err")"
grep -q "samples already answered" "$tmp/err" || fail "no resume note"

python3 - "$tmp/full" "$tmp/killed" <<'PY'
import json, sys
full, killed = sys.argv[1], sys.argv[2]
a = json.load(open(full + "/results.json"))
b = json.load(open(killed + "/results.json"))
for key in ("tasks", "suite"):
    assert a[key] == b[key], "results differ in '%s'" % key
ids_full = [json.loads(l)["id"] for l in open(full + "/samples.jsonl")]
ids_killed = [json.loads(l)["id"] for l in open(killed + "/samples.jsonl")]
assert len(ids_killed) == len(set(ids_killed)), "a sample was journaled twice"
assert sorted(ids_full) == sorted(ids_killed), "the resumed journal misses or adds samples"
def strip(line):
    j = json.loads(line)
    for k in ("latency_ms", "stages"):
        j.pop(k, None)
    return j
fa = {j["id"]: j for j in map(strip, open(full + "/samples.jsonl"))}
fb = {j["id"]: j for j in map(strip, open(killed + "/samples.jsonl"))}
assert fa == fb, "journal lines differ beyond timings"
print("resume ok: %d samples, suite score %s" % (len(ids_full), a["suite"]["score"]))
PY

# score --journal re-scores the journal without a model: same numbers.
"$bin" score --suite "$src/suites/sample/suite.json" --journal "$tmp/killed/samples.jsonl" \
  --bootstrap 200 --quiet --out "$tmp/rescored.json"
python3 - "$tmp/killed/results.json" "$tmp/rescored.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["tasks"] == b["tasks"] and a["suite"] == b["suite"], "score --journal differs from run"
PY
echo "run_resume_kill: ok"
