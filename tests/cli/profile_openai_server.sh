#!/usr/bin/env bash
# `imaxbench profile --scenario server` with the openai backend against the test server
# (tests/tools/fake_openai_server.py, answering from suites/sample/predictions.jsonl with 50 ms of
# delay): seeded Poisson arrivals at --target-qps over the first 4 samples of each task, checked by
# check_profile_json.py; the accuracy of the pass must equal a replay run of the same answers, and
# the server must have seen several requests in flight at once. Skips (exit 0, "SKIP:") when the
# backend is not built or the test server is absent.
# Usage: profile_openai_server.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
source "$src/tests/tools/cli_common.sh"
tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if ! backend_built "$bin" openai; then
  echo "SKIP: the openai backend is not registered in this build"
  exit 0
fi
server="$src/tests/tools/fake_openai_server.py"
if [ ! -f "$server" ]; then
  echo "SKIP: tests/tools/fake_openai_server.py is missing"
  exit 0
fi
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
suite="$src/suites/sample/suite.json"
answers="$src/suites/sample/predictions.jsonl"
start_fake_openai_server
base="http://127.0.0.1:$port/x/t=profile,delay_ms=50"

"$bin" profile --suite "$suite" --backend openai --model fake --endpoint "$base/v1" --limit 4 \
  --scenario server --target-qps 40 --seed 3 --concurrency 4 --batch-size 4 --min-duration 0.5 \
  --min-queries 60 --warmup 2 --out "$tmp/server" > "$tmp/server.txt" 2> "$tmp/server.log" ||
  fail "profile failed: $(cat "$tmp/server.log")"
python3 "$src/tests/cli/check_profile_json.py" "$tmp/server/profile.json" --scenario server --samples 28 \
  --generative
"$bin" run --suite "$suite" --backend replay --model "$answers" --limit 4 --bootstrap 0 --no-record \
  --progress off --quiet --out "$tmp/replay"
python3 - "$tmp/server/profile.json" "$tmp/replay/results.json" "$base/stats" <<'PY'
import json, sys, urllib.request
doc, replay = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
sc, run = doc["scenario"], doc["run"]
assert sc["target_qps"] == 40 and sc["seed"] == 3, sc
assert run["requests"] >= 60 and run["schedule_span_s"] >= 0.5, run
assert doc["accuracy"]["tasks"] == replay["tasks"] and doc["accuracy"]["suite"] == replay["suite"], \
    "the profiled answers score differently from a replay of the same answers"
stats = json.load(urllib.request.urlopen(sys.argv[3]))
assert stats["max_in_flight"] >= 2, "the server never saw two requests at once: %s" % stats
print("server: %d requests scheduled at %.1f qps over %.2f s; server saw %d requests, %d in flight at most" % (
    run["requests"], run["scheduled_qps"], run["schedule_span_s"], stats["requests"], stats["max_in_flight"]))
PY
echo "profile openai server ok"
