#!/usr/bin/env bash
# `imaxbench profile --scenario server` with the openai backend against the test server
# (tests/tools/fake_openai_server.py): seeded Poisson arrivals at --target-qps, first 4 samples of
# each task, checked by check_profile_json.py. Skips (exit 0, "SKIP:") when the backend is not
# built or the test server is absent. Usage: profile_openai_server.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

backends="$("$bin" list backends)"
if ! grep -E "^  openai  " <<<"$backends" | grep -vq "not built"; then
  echo "SKIP: the openai backend is not registered in this build"
  exit 0
fi
server="$src/tests/tools/fake_openai_server.py"
if [ ! -f "$server" ]; then
  echo "SKIP: tests/tools/fake_openai_server.py is missing"
  exit 0
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 "$server" --port "$port" > "$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  if python3 -c "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 0.2)" "$port" \
       2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || fail "the test server exited: $(cat "$tmp/server.log")"
  sleep 0.1
done

"$bin" profile --suite "$src/suites/sample/suite.json" --backend openai --model fake-vlm \
  --endpoint "http://127.0.0.1:$port/v1" --limit 4 --scenario server --target-qps 40 --seed 3 \
  --concurrency 4 --batch-size 4 --min-duration 0.5 --min-queries 60 --warmup 2 --out "$tmp/server" \
  > "$tmp/server.txt"
python3 "$src/tests/cli/check_profile_json.py" "$tmp/server/profile.json" --scenario server --samples 28
python3 - "$tmp/server/profile.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
sc, run = doc["scenario"], doc["run"]
assert sc["target_qps"] == 40 and sc["seed"] == 3, sc
assert run["requests"] >= 60 and run["schedule_span_s"] >= 0.5, run
print("server: %d requests scheduled at %.1f qps over %.2f s" % (run["requests"], run["scheduled_qps"],
                                                                run["schedule_span_s"]))
PY
echo "profile openai server ok"
