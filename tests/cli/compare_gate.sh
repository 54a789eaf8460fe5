#!/usr/bin/env bash
# `imaxbench compare` exit codes on the sample suite: 0 compared, 3 gated regression, 1 bad input or
# incomparable runs (unless --force), 2 usage; runs named by folder/file, leaderboard id and tag.
# Usage: compare_gate.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1" src="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
S="$src/suites/sample"
db="$tmp/lb.sqlite"
awk 'NR % 2 == 0 { sub(/"prediction": "[^"]*"/, "\"prediction\": \"I cannot tell.\"") } { print }' \
  "$S/predictions.jsonl" >"$tmp/weak.jsonl"
"$bin" score --suite "$S/suite.json" --predictions "$S/predictions.jsonl" --out "$tmp/a/results.json" \
  --db "$db" --model-name good --quiet
"$bin" score --suite "$S/suite.json" --predictions "$tmp/weak.jsonl" --out "$tmp/b/results.json" \
  --db "$db" --model-name weak --quiet

expect() {
  local want=$1 got=0
  shift
  "$bin" compare "$@" --bootstrap 200 >"$tmp/out.txt" 2>"$tmp/err.txt" || got=$?
  if [ "$got" -ne "$want" ]; then
    cat "$tmp/out.txt" "$tmp/err.txt"
    echo "FAIL: expected exit $want, got $got from: compare $*"
    exit 1
  fi
}
has() { grep -q -- "$2" "$1" || { echo "FAIL: $1 lacks '$2':"; cat "$1"; exit 1; }; }

A="$tmp/a/results.json" B="$tmp/b/results.json"
expect 0 "$A" "$B"
has "$tmp/out.txt" 'average .* primary metrics x100'
expect 3 "$A" "$B" --fail-if-worse 1
has "$tmp/out.txt" 'GATE FAILED'
expect 0 "$A" "$B" --fail-if-worse 100            # no drop can exceed 100 points
expect 0 "$B" "$A" --fail-if-worse 0              # an improvement never fails
expect 3 "$A" "$B" --fail-if-worse 1 --gate-tasks vqa,rec
has "$tmp/out.txt" "task rec (acc_iou_0.5): B-A"
expect 2 "$A" "$B" --fail-if-worse 1 --gate-tasks no_such_task
expect 2 "$A" "$B" --gate-tasks vqa               # --gate-tasks needs --fail-if-worse
expect 2 "$A" "$B" --format xml
expect 2 "$A"
expect 1 "$A" "$tmp/no-such-run"

# Same answers: no difference, nothing significant.
expect 0 "$A" "$A" --fail-if-worse 0 --format json
has "$tmp/out.txt" '"schema_version": 1'
has "$tmp/out.txt" '"p_value": 1.0'

# Different split data: refused (exit 1, saying what differs) unless --force.
sed '0,/"split_sha256": "[0-9a-f]*"/s//"split_sha256": "0000"/' "$B" >"$tmp/c.json"
expect 1 "$A" "$tmp/c.json" --answers-b "$tmp/weak.jsonl"
has "$tmp/err.txt" 'split data differ'
has "$tmp/err.txt" '--force'
expect 0 "$A" "$tmp/c.json" --answers-b "$tmp/weak.jsonl" --force
has "$tmp/out.txt" 'DIFFERS: task'

# Leaderboard ids and tags (answers stored with the runs).
expect 3 1 2 --db "$db" --fail-if-worse 1
has "$tmp/out.txt" 'A: run 1 (good)'
"$bin" leaderboard --db "$db" --add-tag 1=accepted >/dev/null
expect 0 tag:accepted "$tmp/b" --db "$db" --answers-b "$tmp/weak.jsonl" --format md
has "$tmp/out.txt" '| \*\*average\*\* |'
expect 1 tag:nosuchtag 2 --db "$db"
has "$tmp/err.txt" "no run is tagged 'nosuchtag'"

# Recorded numbers only (metric-drift check).
expect 0 --no-rescore "$A" "$A" --fail-if-changed 1e-9
expect 3 --no-rescore "$A" "$B" --fail-if-changed 1e-9
expect 2 --no-rescore "$A" "$B" --fail-if-worse 1
echo "compare gate: ok"
