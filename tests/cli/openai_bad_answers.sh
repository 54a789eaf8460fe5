#!/usr/bin/env bash
# Issue 12 end to end, against tests/tools/fake_openai_server.py: answers that are not answers.
# - An HTTP 200 carrying HTML, an empty body or garbage fails each sample, so --max-fail-rate
#   stops the run with exit 1 (it used to be journaled as empty answers, averaged, exit 0).
# - An answer over --max-answer-bytes, streamed or not, fails its sample and never reaches the
#   journal; the default cap (64 MiB) holds for streams too.
# - An API key the server echoes inside a 200 answer reaches no file: journal, results,
#   manifest, leaderboard store, stdout, stderr.
# Usage: openai_bad_answers.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
source "$src/tests/tools/cli_common.sh"
openai_test_setup openai_bad_answers

run_openai() {  # run_openai OUT KNOBS [extra args...]; sets rc
  local out="$1" knobs="$2"
  shift 2
  set +e
  "$bin" run --suite "$src/suites/sample/suite.json" --backend openai --endpoint "$base/x/$knobs/v1" \
    --model fake --api-key-env FAKE_KEY --bootstrap 0 --progress off --quiet --out "$out" "$@" \
    > "$out.out" 2> "$out.err"
  rc=$?
  set -e
}

# Every journal line of run $1 failed with an error holding $2, and none has an answer.
all_failed_with() {
  python3 - "$1/samples.jsonl" "$2" <<'PY' || fail "$1: $(cat "$1.err")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines, "empty journal"
for l in lines:
    assert l["error"] is not None and sys.argv[2] in l["error"], l
    assert l["prediction"] in ("", None), l
PY
}

# 200 with a body that is not the protocol, streamed and not: every sample fails, the run stops.
for kind in html empty garbage; do
  for mode in stream plain; do
    extra=()
    [ "$mode" = plain ] && extra=(--no-stream)
    run_openai "$tmp/$kind-$mode" "t=cli-$kind-$mode,bad200=$kind" --limit 2 --retries 0 --no-record "${extra[@]}"
    [ "$rc" -eq 1 ] || fail "a server answering 200 with $kind ($mode) exited $rc, expected 1"
    grep -q "max-fail-rate" "$tmp/$kind-$mode.err" || fail "$kind ($mode): $(cat "$tmp/$kind-$mode.err")"
    all_failed_with "$tmp/$kind-$mode" "the server answered 200"
  done
done

# An answer over --max-answer-bytes, streamed and not: failed samples naming the cap, small journal.
for mode in stream plain; do
  extra=()
  [ "$mode" = plain ] && extra=(--no-stream)
  run_openai "$tmp/cap-$mode" "t=cli-cap-$mode,huge_mb=8" --tasks calculation --limit 2 --retries 0 \
    --max-answer-bytes 1048576 --max-fail-rate 1 --no-record "${extra[@]}"
  [ "$rc" -eq 0 ] || fail "cap ($mode) exited $rc: $(cat "$tmp/cap-$mode.err")"
  all_failed_with "$tmp/cap-$mode" "--max-answer-bytes 1048576"
  [ "$(stat -c %s "$tmp/cap-$mode/samples.jsonl")" -lt 65536 ] || fail "cap ($mode): the journal is large"
done
# The default cap holds for streams (they had none).
run_openai "$tmp/cap-default" "t=cli-cap-default,huge_mb=100" --tasks calculation --limit 1 --retries 0 \
  --max-fail-rate 1 --no-record
[ "$rc" -eq 0 ] || fail "default cap exited $rc: $(cat "$tmp/cap-default.err")"
all_failed_with "$tmp/cap-default" "--max-answer-bytes 67108864"
[ "$(stat -c %s "$tmp/cap-default/samples.jsonl")" -lt 65536 ] || fail "default cap: the journal is large"

# A server that echoes the key inside its answers, recorded into a leaderboard store too (when
# this build has SQLite).
run_openai "$tmp/echo" "t=cli-echo,echo_key=1" --limit 1 --db "$tmp/board.db"
if [ "$rc" -ne 0 ] && grep -q "without SQLite" "$tmp/echo.err"; then
  rm -rf "$tmp/echo"
  run_openai "$tmp/echo" "t=cli-echo,echo_key=1" --limit 1 --no-record
fi
[ "$rc" -eq 0 ] || fail "echo run exited $rc: $(cat "$tmp/echo.err")"
grep -q 'Bearer \[REDACTED\]' "$tmp/echo/samples.jsonl" || fail "the echoed answer is not in the journal, redacted"
if [ -e "$tmp/board.db" ]; then
  "$bin" leaderboard --db "$tmp/board.db" --format json > "$tmp/board.json" 2>&1 || fail "leaderboard failed"
fi
if grep -rl "SECRET123" "$tmp" --exclude=server.err; then fail "the API key leaked into the files above"; fi
echo "openai_bad_answers: ok"
