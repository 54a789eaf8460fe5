#!/usr/bin/env bash
# The default leaderboard store lives in the XDG data folder ($XDG_DATA_HOME/imaxbench/, else
# ~/.local/share/imaxbench/), made on the first write and shown by `leaderboard --help` and by
# `score`/`run` when they record; --db and IMAXBENCH_DB name another. Recording must never lose a
# scored result: when the default store cannot be opened, `score` and `run` write their results,
# note it and exit 0; a store named with --db that cannot be opened is an error (1).
# Usage: record_store_failure.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
unset IMAXBENCH_DB
fail() { echo "FAIL: $*"; exit 1; }
args=(score --suite "$src/suites/sample/suite.json" --predictions "$src/suites/sample/predictions.jsonl" --quiet --bootstrap 0)

# The default location: under XDG_DATA_HOME, else HOME; created on the first write, not on --help.
export XDG_DATA_HOME="$tmp/data"
"$bin" leaderboard --help | grep -qF "$tmp/data/imaxbench/leaderboard.sqlite" || fail "leaderboard --help does not show the default store"
[[ ! -e "$tmp/data" ]] || fail "--help created the store's folder"
"$bin" score --suite "$src/suites/sample/suite.json" --predictions "$src/suites/sample/predictions.jsonl" \
  --bootstrap 0 --out xdg.json > xdg.txt
grep -qF "recorded as run 1 (predictions) in $tmp/data/imaxbench/leaderboard.sqlite" xdg.txt || fail "score: $(cat xdg.txt)"
"$bin" leaderboard --format json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)["rows"]) == 1'
[[ ! -e results ]] || fail "the old default results/ was written in the working folder"
HOME="$tmp/home" env -u XDG_DATA_HOME "$bin" leaderboard --help | grep -qF "$tmp/home/.local/share/imaxbench/leaderboard.sqlite" \
  || fail "without XDG_DATA_HOME the default is not under HOME"
XDG_DATA_HOME=relative HOME="$tmp/home" "$bin" leaderboard --help | grep -qF "$tmp/home/.local/share/imaxbench/" \
  || fail "a relative XDG_DATA_HOME (invalid by the XDG spec) was used"
IMAXBENCH_DB="$tmp/env.sqlite" "$bin" "${args[@]}" --out env.json
[[ -f "$tmp/env.sqlite" ]] || fail "IMAXBENCH_DB was not used"

# A default store that cannot be opened: a file where its folder should be.
export XDG_DATA_HOME="$tmp/blocked"
touch blocked
"$bin" "${args[@]}" --out default.json 2> err.txt
grep -q "not recorded in the default leaderboard store" err.txt
python3 -c 'import json,sys; d=json.load(open("default.json")); assert len(d["tasks"]) == 7, d["tasks"].keys()'

touch results  # a file where a named store's folder should be
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
