#!/usr/bin/env bash
# Issue 13: answers in each model family's native box syntax score when the suite names the family's
# box_format (and come back unparsed under another grid); the run manifest records which format each
# task used and where it came from. Usage: family_box_formats.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# One predictions file per family: every sample of the sample suite's rec split answered with its
# reference box, written the way the family writes it, with some text around it.
python3 - "$src/suites/sample/rec.jsonl" "$tmp" <<'PY'
import json, sys
split, out = sys.argv[1], sys.argv[2]
def qwen2_vl(b, w, h):
    g = [round(b[0] / w * 1000), round(b[1] / h * 1000), round(b[2] / w * 1000), round(b[3] / h * 1000)]
    return "<|object_ref_start|>it<|object_ref_end|><|box_start|>(%d,%d),(%d,%d)<|box_end|>" % tuple(g)
def qwen2_5_vl(b, w, h):
    return '```json\n[\n  {"bbox_2d": [%d, %d, %d, %d], "label": "it"}\n]\n```' % tuple(b)
def llava(b, w, h):
    return "It is at [%.3f, %.3f, %.3f, %.3f]." % (b[0] / w, b[1] / h, b[2] / w, b[3] / h)
def minigpt_v2(b, w, h):
    return "<p>it</p> {<%d><%d><%d><%d>}" % (round(b[0] / w * 100), round(b[1] / h * 100),
                                             round(b[2] / w * 100), round(b[3] / h * 100))
families = {"qwen2_vl": qwen2_vl, "qwen2_5_vl": qwen2_5_vl, "llava": llava, "minigpt_v2": minigpt_v2}
records = [json.loads(l) for l in open(split) if l.strip()]
for name, write in families.items():
    with open("%s/%s.jsonl" % (out, name), "w") as f:
        for r in records:
            w, h = r["image_size"]
            f.write(json.dumps({"id": r["id"], "prediction": write(r["reference"], w, h)}) + "\n")
PY

suite() {  # suite FILE BOX_FORMAT_JSON_MEMBER
  printf '{"name": "family", "tasks": [{"task": "rec", "split": "%s", %s "metrics": ["acc_iou_0.5"]}]}\n' \
    "$src/suites/sample/rec.jsonl" "$2" > "$1"
}

counts() {  # counts RESULTS_JSON -> "scored unparsed score"
  python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tasks"]["rec"]; n=t["n_samples"]; print(n["scored"], n["unparsed"], t["metrics"]["acc_iou_0.5"]["score"])' "$1"
}

for family in qwen2_vl qwen2_5_vl llava minigpt_v2; do
  suite "$tmp/$family.json" "\"box_format\": \"$family\","
  "$bin" score --suite "$tmp/$family.json" --predictions "$tmp/$family.jsonl" --out "$tmp/$family.results.json" \
    --bootstrap 0 --no-record --quiet
  read -r scored unparsed score <<< "$(counts "$tmp/$family.results.json")"
  [ "$unparsed" = 0 ] || fail "$family: $unparsed answers unparsed in the family's own format"
  python3 -c "import sys; sys.exit(0 if float('$score') >= 0.9 else 1)" || fail "$family: acc_iou_0.5 $score"
done

# Under another grid the same answers are not read (qwen2_vl's pairs are out of grid100's range).
suite "$tmp/grid100.json" '"box_format": "grid100",'
"$bin" score --suite "$tmp/grid100.json" --predictions "$tmp/qwen2_vl.jsonl" --out "$tmp/grid100.results.json" \
  --bootstrap 0 --no-record --quiet
read -r scored unparsed score <<< "$(counts "$tmp/grid100.results.json")"
[ "$unparsed" != 0 ] || fail "grid100 read qwen2_vl answers"

# A run records the box format each task used and whether the suite or the model chose it.
"$bin" run --suite "$tmp/llava.json" --backend replay --model "$tmp/llava.jsonl" --out "$tmp/run" \
  --bootstrap 0 --no-record --quiet --progress off
python3 - "$tmp/run/manifest.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["settings"]["answer_conventions"]["rec"]
assert c["box_format"] == "llava" and c["box_format_from"] == "suite" and c["prompt_from"] == "default", c
PY

# A placeholder typo in a suite's template is an error naming the file, the task and the valid ones.
printf '{"name": "t", "tasks": [{"task": "vqa", "split": "%s", "prompt_template": "{qestion}"}]}\n' \
  "$src/suites/sample/vqa.jsonl" > "$tmp/typo.json"
if "$bin" inspect --suite "$tmp/typo.json" > "$tmp/typo.txt" 2>&1; then fail "a placeholder typo was accepted"; fi
grep -qF "typo.json: tasks[0].prompt_template: unknown placeholder '{qestion}' for task vqa; valid: {question}" \
  "$tmp/typo.txt" || fail "placeholder error: $(cat "$tmp/typo.txt")"
echo "family box formats: ok"
