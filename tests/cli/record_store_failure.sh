#!/usr/bin/env bash
# Recording in the leaderboard store must never lose a scored result: when the default store
# (results/leaderboard.sqlite under the working folder) cannot be opened, `score` and `run` write
# their results, note it and exit 0; a store named with --db that cannot be opened is an error (1).
# Usage: record_store_failure.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
touch results  # a file where the store's folder should be
unset IMAXBENCH_DB
args=(score --suite "$src/suites/sample/suite.json" --predictions "$src/suites/sample/predictions.jsonl" --quiet --bootstrap 0)

"$bin" "${args[@]}" --out default.json 2> err.txt
grep -q "not recorded in the default leaderboard store" err.txt
python3 -c 'import json,sys; d=json.load(open("default.json")); assert len(d["tasks"]) == 7, d["tasks"].keys()'

set +e
"$bin" "${args[@]}" --out explicit.json --db results/named.sqlite 2> err2.txt
rc=$?
set -e
[[ $rc -eq 1 ]] || { echo "FAIL: explicit unwritable --db gave exit $rc, want 1"; exit 1; }
grep -q "cannot open the leaderboard database" err2.txt
[[ -f explicit.json ]] || { echo "FAIL: results not written before the store failed"; exit 1; }
# `run` (replay backend) takes the same path after writing its run folder.
run_args=(run --suite "$src/suites/sample/suite.json" --backend replay
          --model "$src/suites/sample/predictions.jsonl" --quiet --bootstrap 0 --progress off)
"$bin" "${run_args[@]}" --out run-default 2> err3.txt
grep -q "not recorded in the default leaderboard store" err3.txt
[[ -f run-default/results.json ]] || { echo "FAIL: run wrote no results.json"; exit 1; }
set +e
"$bin" "${run_args[@]}" --out run-explicit --db results/named.sqlite 2> err4.txt
rc=$?
set -e
[[ $rc -eq 1 ]] || { echo "FAIL: run with an unwritable --db gave exit $rc, want 1"; exit 1; }
grep -q "cannot open the leaderboard database" err4.txt
[[ -f run-explicit/results.json ]] || { echo "FAIL: run results not written before the store failed"; exit 1; }
echo "ok"
