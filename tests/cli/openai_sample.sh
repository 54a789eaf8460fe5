#!/usr/bin/env bash
# The sample suite end to end through `--backend openai` against tests/tools/fake_openai_server.py,
# which checks every request against its record (image bytes, DICOM sent as PNG, prompt) and
# answers from suites/sample/predictions.jsonl. The results must equal a `replay` run of the same
# predictions, every streamed answer must carry timings and token counts, and the API key must
# appear in no output file, stdout or stderr, even when the server echoes it back in errors.
# Usage: openai_sample.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
source "$src/tests/tools/cli_common.sh"
openai_test_setup openai_sample

run_openai() {  # run_openai OUT ENDPOINT [extra args...]
  local out="$1" endpoint="$2"
  shift 2
  "$bin" run --suite "$src/suites/sample/suite.json" --backend openai --endpoint "$endpoint" --model fake \
    --api-key-env FAKE_KEY --bootstrap 200 --no-record --progress off --out "$out" "$@"
}

run_openai "$tmp/openai" "$base/v1" --concurrency 4 --max-new-tokens 256 \
  > "$tmp/openai.out" 2> "$tmp/openai.err" || fail "openai run failed: $(cat "$tmp/openai.err")"
"$bin" run --suite "$src/suites/sample/suite.json" --backend replay \
  --model "$src/suites/sample/predictions.jsonl" --bootstrap 200 --no-record --progress off --quiet \
  --out "$tmp/replay"

python3 - "$tmp/openai" "$tmp/replay" <<'PY'
import json, sys
run, replay = sys.argv[1], sys.argv[2]
a = json.load(open(run + "/results.json"))
b = json.load(open(replay + "/results.json"))
assert len(a["tasks"]) == 7, "expected seven tasks, got %s" % sorted(a["tasks"])
assert a["context"]["backend"] == "openai", a["context"]["backend"]
assert a["tasks"] == b["tasks"] and a["suite"] == b["suite"], "openai results differ from replay of the same answers"
assert 0 < a["suite"]["score"] <= 100, a["suite"]["score"]
lines = [json.loads(l) for l in open(run + "/samples.jsonl")]
ok = [l for l in lines if l["error"] is None]
failed = [l for l in lines if l["error"] is not None]
# The seven records predictions.jsonl has no answer for: the server said 404, nothing else failed.
assert len(failed) == 7 and all("HTTP 404" in l["error"] for l in failed), [l["error"] for l in failed]
for l in ok:
    assert l["input_tokens"] > 0, l
    if l["prediction"] == "":  # predictions.jsonl holds a few empty answers: no token, no TTFT
        assert l["output_tokens"] == 0 and "ttft_ms" not in l, l
    else:
        assert 0 < l["ttft_ms"] <= l["latency_ms"] and l["output_tokens"] > 0, l
manifest = json.load(open(run + "/manifest.json"))
assert manifest["backend"]["info"]["api_key_env"] == "FAKE_KEY"
print("openai_sample: %d samples, %d answered, suite score %s" % (len(lines), len(ok), a["suite"]["score"]))
PY

# Whole answers (no stream): same results, no time to first token.
run_openai "$tmp/plain" "$base/v1" --no-stream --limit 3 --quiet 2> "$tmp/plain.err" ||
  fail "--no-stream run failed: $(cat "$tmp/plain.err")"
python3 - "$tmp/plain" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1] + "/samples.jsonl")]
assert len(lines) == 21 and all("ttft_ms" not in l for l in lines), lines[0]
PY

# A server that echoes the Authorization header in its 400 errors: every sample fails with the
# server's message, the key replaced by [REDACTED].
set +e
run_openai "$tmp/echo" "$base/x/t=cli,bad=1/v1" --limit 1 --max-fail-rate 1 --quiet \
  > "$tmp/echo.out" 2> "$tmp/echo.err"
set -e
grep -q "Bearer \[REDACTED\]" "$tmp/echo/samples.jsonl" || fail "no redacted server message in the journal"

# Credentials written into the endpoint URL reach the server but no file of the run.
run_openai "$tmp/userinfo" "${base/:\/\//://probe:hunter2@}/v1" --limit 1 --quiet 2> "$tmp/userinfo.err" ||
  fail "run with user:password@ in the endpoint failed: $(cat "$tmp/userinfo.err")"
if grep -rq "hunter2" "$tmp/userinfo" "$tmp/userinfo.err"; then fail "the endpoint's password was written out"; fi
grep -q '"endpoint"' "$tmp/userinfo/manifest.json" || fail "manifest has no endpoint"

# No server: a clear error before anything runs.
set +e
run_openai "$tmp/down" "http://127.0.0.1:1/v1" --quiet > /dev/null 2> "$tmp/down.err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "an unreachable endpoint exited $rc, expected 1"
grep -q "cannot reach the server" "$tmp/down.err" || fail "unclear message: $(cat "$tmp/down.err")"

# Every request setting from the command line: the server checks the body (a system message,
# temperature 0.3 with sampling=1), and the manifest records each setting, a header from the
# environment as its variable only. --model names the checkpoint, --model-id the served name.
export TENANT_TOKEN="tenant-SECRET123-token"
run_openai "$tmp/settings" "$base/x/t=cli-settings,sampling=1/v1" --limit 2 --quiet --model-id fake \
  --temperature 0.3 --top-p 0.9 --sampling-seed 11 --max-tokens 64 --system-prompt "You read chest X-rays." \
  --header "X-Tenant: radiology" --header 'X-Tenant-Token: ${TENANT_TOKEN}' --extra-body '{"top_k": 2}' \
  --image-max-side 4096 2> "$tmp/settings.err" || fail "run with request settings failed: $(cat "$tmp/settings.err")"
python3 - "$tmp/settings" <<'PY'
import json, sys
info = json.load(open(sys.argv[1] + "/manifest.json"))["backend"]["info"]
want = {"served_model": "fake", "temperature": "0.3", "top_p": "0.9", "seed": "11", "max_tokens": "64",
        "system_prompt": "You read chest X-rays.", "extra_body": '{"top_k":2}', "image_max_side": "4096",
        "header.X-Tenant": "radiology", "header.X-Tenant-Token": "${TENANT_TOKEN}"}
for k, v in want.items():
    assert info.get(k) == v, "manifest backend.info[%s] = %r, want %r" % (k, info.get(k), v)
lines = [json.loads(l) for l in open(sys.argv[1] + "/samples.jsonl")]
assert len(lines) == 14 and all(l["error"] is None or "HTTP 404" in l["error"] for l in lines), lines
PY
set +e
run_openai "$tmp/badbody" "$base/v1" --limit 1 --quiet --extra-body '{"messages": []}' > /dev/null 2> "$tmp/badbody.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "--extra-body setting messages exited $rc, expected 2 (usage)"
grep -q 'may not set "messages"' "$tmp/badbody.err" || fail "unclear --extra-body message: $(cat "$tmp/badbody.err")"

# The key itself appears nowhere.
if grep -rl "SECRET123" "$tmp" --exclude=server.err; then fail "the API key leaked into the files above"; fi
echo "openai_sample: ok"
