#!/usr/bin/env bash
# End to end: ci/nightly.sh on the sample suite with two baseline variants, over four "nights":
# the first run becomes the accepted baseline; a weaker checkpoint is a gated regression (exit 3,
# JUnit failure); a stronger one against an accepted weak run passes; frozen answers re-score
# identically (no drift) until their expected results are tampered with (exit 4).
# The variants: the retrieval baseline with the sample suite itself as gallery (each image finds
# itself: strong) and with the disjoint sample gallery (weak). A build without LibTorch has no
# baseline backend; it replays the sample predictions and a degraded copy of them instead.
# Usage: nightly.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1" src="$2"
source "$src/tests/tools/cli_common.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
S="$src/suites/sample"

if backend_built "$bin" baseline; then
  backend=baseline strong="$S/suite.json" weak="$S/gallery/suite.json"
else
  backend=replay strong="$S/predictions.jsonl" weak="$tmp/weak.jsonl"
  awk 'NR % 2 == 0 { sub(/"prediction": "[^"]*"/, "\"prediction\": \"I cannot tell.\"") } { print }' "$strong" >"$weak"
fi
echo "variants through the $backend backend"

nightly() {
  "$src/ci/nightly.sh" --imaxbench "$bin" --suite "$S/suite.json" --backend "$backend" --db "$tmp/lb.sqlite" \
    --bootstrap 200 "$@"
}
expect_exit() {
  local want=$1 got=0
  shift
  "$@" >"$tmp/last.log" 2>&1 || got=$?
  if [ "$got" -ne "$want" ]; then
    cat "$tmp/last.log"
    echo "FAIL: expected exit $want, got $got from: $*"
    exit 1
  fi
}
has() {
  grep -q -- "$2" "$1" || { echo "FAIL: $1 lacks '$2':"; cat "$1"; exit 1; }
}

printf '# night 1\nstrong %s\n' "$strong" >"$tmp/n1.txt"
printf 'strong %s\nweak %s\n' "$strong" "$weak" >"$tmp/n2.txt"
printf 'strong %s\n' "$strong" >"$tmp/n3.txt"

# Usage errors.
expect_exit 2 "$src/ci/nightly.sh" --imaxbench "$bin" --checkpoints "$tmp/n1.txt"
expect_exit 2 nightly --checkpoints "$tmp/n1.txt" --frobnicate

# Night 1: no accepted run yet; without --accept-if-none that is an error, with it run 1 is accepted.
expect_exit 1 nightly --checkpoints "$tmp/n1.txt" --out "$tmp/n0"
has "$tmp/n0/junit.xml" '<error message="evaluation failed">'
expect_exit 0 nightly --checkpoints "$tmp/n1.txt" --out "$tmp/n1" --accept-if-none
has "$tmp/n1/junit.xml" 'tests="1" failures="0" errors="0"'
has "$tmp/n1/summary.md" '| strong | 2 | '
strong_run=2

# Night 2: the weak variant falls far below the accepted strong run.
expect_exit 3 nightly --checkpoints "$tmp/n2.txt" --out "$tmp/n2" --gate-tasks vqa
has "$tmp/n2/junit.xml" 'name="imaxbench.model_drift" tests="2" failures="1" errors="0"'
has "$tmp/n2/junit.xml" 'name="weak vs accepted"'
has "$tmp/n2/junit.xml" '<failure message="significant regression">'
has "$tmp/n2/summary.md" '| weak | 4 | .* | \*\*REGRESSION\*\* |'
has "$tmp/n2/summary.md" '| strong | 3 | .* | ok |'
has "$tmp/n2/compare/weak.md" 'task vqa (closed_accuracy): B-A = '
grep -q '"failed": true' "$tmp/n2/compare/weak.json"
if command -v xmllint >/dev/null; then xmllint --noout "$tmp/n2/junit.xml"; fi

# Night 3: accept the weak run instead; the strong checkpoint is then an improvement.
"$bin" leaderboard --db "$tmp/lb.sqlite" --remove-tag "$strong_run=accepted" --add-tag 4=accepted >/dev/null
expect_exit 0 nightly --checkpoints "$tmp/n3.txt" --out "$tmp/n3" --fail-if-worse 0
has "$tmp/n3/compare/strong.md" 'A: `run 4 (weak)`'
awk -F'|' '/\*\*average\*\*/ { gsub(/ /, "", $6); if ($6 + 0 <= 0) { print "FAIL: no gain: " $0; exit 1 } }' \
  "$tmp/n3/compare/strong.md"

# Night 4: frozen answers (the strong run's journal or predictions) re-score identically...
mkdir -p "$tmp/frozen"
if [ "$backend" = baseline ]; then cp "$tmp/n1/runs/strong/samples.jsonl" "$tmp/frozen/answers.jsonl"
else cp "$strong" "$tmp/frozen/answers.jsonl"; fi
"$bin" score --suite "$S/suite.json" --predictions "$tmp/frozen/answers.jsonl" --out "$tmp/frozen/expected.json" \
  --no-record --quiet
expect_exit 0 nightly --checkpoints "$tmp/n3.txt" --out "$tmp/n4" --frozen "$tmp/frozen"
has "$tmp/n4/junit.xml" 'name="imaxbench.metric_drift" tests="1" failures="0" errors="0" skipped="0"'
has "$tmp/n4/summary.md" 'No change'
# ...until the recorded numbers no longer match what tonight's metric code computes.
sed -i 's/"signature": *"token_f1|/"signature": "token_f1-old|/' "$tmp/frozen/expected.json"
expect_exit 4 nightly --checkpoints "$tmp/n3.txt" --out "$tmp/n5" --frozen "$tmp/frozen"
has "$tmp/n5/junit.xml" 'name="imaxbench.metric_drift" tests="1" failures="1"'
has "$tmp/n5/summary.md" 'metric token_f1 signature differs'

# Night 6: two checkpoints evaluated at once (--jobs 2), one on a backend of its own line.
printf 'strong %s\nreplayed %s --backend replay --batch-size 4\n' "$strong" "$S/predictions.jsonl" >"$tmp/n6.txt"
expect_exit 0 nightly --checkpoints "$tmp/n6.txt" --out "$tmp/n6" --jobs 2 --fail-if-worse 100
has "$tmp/n6/junit.xml" 'name="imaxbench.model_drift" tests="2" failures="0" errors="0"'
has "$tmp/n6/summary.md" '| replayed | '
has "$tmp/n6/runs/replayed/manifest.json" '"name": "replay"'
has "$tmp/n6/runs/replayed/manifest.json" '"batch_size": 4'

# Every run was recorded with its tag; the HTML leaderboard shows both variants.
"$bin" leaderboard --db "$tmp/lb.sqlite" --tag nightly --all-runs --format json >"$tmp/board.json"
[ "$(grep -c '"rank"' "$tmp/board.json")" -eq 9 ] || { echo "FAIL: expected 9 nightly runs"; cat "$tmp/board.json"; exit 1; }
"$bin" leaderboard --db "$tmp/lb.sqlite" --format html --out "$tmp/board.html" >/dev/null
has "$tmp/board.html" 'data-model="weak"'
echo "nightly end to end: ok"
