#!/usr/bin/env bash
# docs/serving-vllm.md, imaxbench's side: its suite-copy snippet and each of its `imaxbench run`
# commands, run as written against tests/tools/fake_openai_server.py in place of vLLM (knob vllm=1:
# bodies vLLM's chat API would refuse get a 400), only the endpoint pointed at the fake server and
# --limit, --api-key-env and --no-record added; and its LLaVA-Med chat template rendered with Jinja2
# into LLaVA-Med's own conversation format.
# Usage: serving_vllm.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
src="$2"
source "$src/tests/tools/cli_common.sh"
openai_test_setup serving_vllm

doc="$src/docs/serving-vllm.md"
src_abs="$(cd "$src" && pwd)"
ln -s "$src_abs/suites" "$tmp/suites"
ln -s "$src_abs/docs" "$tmp/docs"
# The page's ```sh blocks: `python3 - ... <<'PY'` snippets and `imaxbench run` commands.
python3 - "$doc" "$tmp/blocks" <<'PY'
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
os.makedirs(sys.argv[2])
n = 0
for block in re.findall(r"```sh\n(.*?)```", text, re.S):
    if block.startswith("vllm "):
        continue
    n += 1
    open(os.path.join(sys.argv[2], "%02d.sh" % n), "w").write(block)
assert n >= 3, "expected the suite snippet and two imaxbench commands, found %d blocks" % n
PY
runs=0
for block in "$tmp"/blocks/*.sh; do
  if grep -q "^imaxbench run" "$block"; then
    sed -i -e "s#^imaxbench run#\"\$bin\" run#" -e "s#http://localhost:8000/v1#$base/x/t=vllm,vllm=1/v1#" \
      -e 's#--out \(runs/[a-z0-9-]*\)#--out \1 --limit 2 --api-key-env FAKE_KEY --no-record --progress off --quiet#' "$block"
    runs=$((runs + 1))
  fi
  (cd "$tmp" && bin="$bin" bash -euo pipefail "$block") > "$tmp/block.out" 2>&1 ||
    fail "$(basename "$block") of docs/serving-vllm.md failed: $(cat "$tmp/block.out")"
done
[ "$runs" -eq 2 ] || fail "expected two imaxbench run commands in the page, found $runs"

python3 - "$tmp/runs" <<'PY'
import json, os, sys
for name in ("qwen2vl-cxr", "llava-med"):
    d = os.path.join(sys.argv[1], name)
    lines = [json.loads(l) for l in open(os.path.join(d, "samples.jsonl"))]
    assert len(lines) == 14, (name, len(lines))
    bad = [l["error"] for l in lines if l["error"] is not None and "HTTP 404" not in l["error"]]
    assert not bad, (name, bad)  # the server took every body (404: the sample answers have a gap)
    info = json.load(open(os.path.join(d, "manifest.json")))["backend"]["info"]
    assert info["extra_body"] in ('{"stop":["<|im_end|>"]}', '{"stop":["</s>"]}'), info
    assert info["served_model"] in ("qwen2vl-cxr", "llava-med"), info
conv = json.load(open(os.path.join(sys.argv[1], "qwen2vl-cxr", "manifest.json")))["settings"]["answer_conventions"]
assert conv["rec"]["box_format"] == "qwen2_vl" and conv["reg"]["box_format"] == "qwen2_vl", conv
PY

# The chat template, as vLLM uses it: message content as one string, "<image>\n" put before the text.
python3 - "$src/docs/serving/llava-med-v1.5.jinja" <<'PY'
import sys
try:
    import jinja2
except ImportError:
    sys.exit("FAIL: python3 has no jinja2; run ci/install-deps.sh (python3-jinja2)")
env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)  # as transformers renders chat templates
template = env.from_string(open(sys.argv[1]).read())
def render(messages):
    return template.render(messages=messages, bos_token="<s>", eos_token="</s>", add_generation_prompt=True)
q = "<image>\nWhat is the cardiothoracic ratio of this chest X-ray?"
cases = [
    ([{"role": "user", "content": q}], "<s>[INST] " + q + " [/INST]"),
    ([{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": q}],
     "<s>[INST] Answer briefly.\n\n" + q + " [/INST]"),
    ([{"role": "user", "content": q}, {"role": "assistant", "content": "0.52"}, {"role": "user", "content": "Why?"}],
     "<s>[INST] " + q + " [/INST] 0.52</s>[INST] Why? [/INST]"),
]
for messages, want in cases:
    got = render(messages)
    assert got == want, "template gave %r, LLaVA-Med's conversation is %r" % (got, want)
PY
echo "serving_vllm: ok"
