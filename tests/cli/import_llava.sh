#!/usr/bin/env bash
# `import llava`: LLaVA-style conversations (tests/data/import/llava_conversations.json, written in
# the documented layout, no patient data) through docs/import/llava-rules.json into a suite folder.
# Every task gets its record with the reference its own answer parser reads from the gpt turn; turns
# no rule matches, unreadable references, missing images and malformed records are reported with
# where they are; the gpt answers scored as predictions get full marks (references and scoring read
# alike); JSONL input names its bad line; a bad rules file is a usage error naming the rule.
# Usage: import_llava.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
source "$2/tests/tools/cli_common.sh"
cli_test_start "$@"

mkdir -p "$tmp/data"
cp "$src/tests/data/import/llava_conversations.json" "$tmp/data/conv.json"
for i in 0 1 2; do cp "$src/suites/sample/images/cxr_00$i.png" "$tmp/data/"; done
"$bin" import llava "$tmp/data/conv.json" --rules "$src/docs/import/llava-rules.json" --out "$tmp/data/suite" \
  > "$tmp/out.txt" || fail "import failed: $(cat "$tmp/out.txt")"
grep -q "7 samples imported" "$tmp/out.txt" || fail "unexpected summary: $(cat "$tmp/out.txt")"
grep -q "^overall  *7  *7  *0" "$tmp/out.txt" || fail "no inspect table of 7 valid records: $(cat "$tmp/out.txt")"
for want in "record 3 (id 'a3'): no rule matched the instruction" \
            "record 3 (id 'a3'): rec: reference not read: no box found" \
            "record 4 (id 'a4'): image: cannot open image: file not found" \
            "record 5: no \"id\"" "record 6: not a conversation record"; do
  grep -qF "$want" "$tmp/out.txt" || fail "missing report line '$want': $(cat "$tmp/out.txt")"
done
# The images sit above the suite folder: the import says what that means for later commands.
grep -q "images lie outside .*--allow-external-images" "$tmp/out.txt" || fail "no note on images outside the suite folder"

python3 - "$tmp/data/suite" <<'PY'
import json, os, sys
d = sys.argv[1]
got = {}
for f in sorted(os.listdir(d)):
    if f.endswith(".jsonl"):
        for line in open(os.path.join(d, f)):
            r = json.loads(line)
            got[r["id"]] = r
want = {
    "a1": {"task": "calculation", "quantity": "ctr", "reference": 0.55},
    "a1-2": {"task": "vqa", "question": "Is there cardiomegaly?", "answer_type": "closed", "reference": "yes"},
    "a1-3": {"task": "rec", "phrase": "opacity in the right lower lobe", "reference": [32.0, 51.2, 128.0, 153.6]},
    "a2": {"task": "report_generation", "reference": "The heart size is normal. The lungs are clear."},
    "a2-2": {"task": "multiclass_classification", "reference": "interstitial edema"},
    "a2-3": {"task": "multilabel_classification", "reference": ["Cardiomegaly", "Pleural Effusion"]},
    "a2-4": {"task": "reg", "box": [12.8, 12.8, 128.0, 128.0], "reference": "Left pleural effusion."},
}
assert sorted(got) == sorted(want), sorted(got)
for i, fields in want.items():
    for k, v in fields.items():
        assert got[i][k] == v, (i, k, got[i][k], v)
    assert got[i]["image"].startswith("../cxr_00"), got[i]
suite = json.load(open(os.path.join(d, "suite.json")))
assert suite["name"] == "suite" and len(suite["tasks"]) == 7, suite
PY

# The gpt answers as a model's predictions: every metric that can be perfect is.
python3 - "$tmp/data/conv.json" "$tmp/pred.jsonl" <<'PY'
import json, sys
out = []
for r in json.load(open(sys.argv[1])):
    if not isinstance(r, dict) or "id" not in r:
        continue
    k = 0
    turns = r["conversations"]
    for t in range(0, len(turns) - 1, 2):
        k += 1
        out.append({"id": r["id"] if k == 1 else "%s-%d" % (r["id"], k), "prediction": turns[t + 1]["value"]})
open(sys.argv[2], "w").write("".join(json.dumps(p) + "\n" for p in out))
PY
"$bin" score --suite "$tmp/data/suite/suite.json" --predictions "$tmp/pred.jsonl" --allow-external-images \
  --bootstrap 0 --no-record --quiet --out "$tmp/results.json" 2> /dev/null
python3 - "$tmp/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for task, metric in (("calculation", "mae"), ("multiclass_classification", "accuracy"), ("rec", "miou"),
                     ("reg", "token_f1"), ("report_generation", "token_f1"), ("vqa", "closed_accuracy"),
                     ("multilabel_classification", "exact_match")):
    s = r["tasks"][task]["metrics"][metric]["score"]
    assert s == (0 if metric == "mae" else 1), (task, metric, s)
PY

# JSONL input: a bad line is reported by its line number; the rest imports.
printf '%s\n' '{"id": "j1", "image": "cxr_000.png", "conversations": [{"from": "human", "value": "What is the CTR?"}, {"from": "gpt", "value": "0.48"}]}' \
  '{"id": "j2", "image": ' > "$tmp/data/conv.jsonl"
"$bin" import llava "$tmp/data/conv.jsonl" --rules "$src/docs/import/llava-rules.json" --out "$tmp/data/j" \
  > "$tmp/jsonl.txt" || fail "jsonl import failed: $(cat "$tmp/jsonl.txt")"
grep -q "conv.jsonl:2: not valid JSON" "$tmp/jsonl.txt" || fail "bad line not named: $(cat "$tmp/jsonl.txt")"
grep -q "1 samples imported" "$tmp/jsonl.txt" || fail "$(cat "$tmp/jsonl.txt")"

# A bad rules file is a usage error (exit 2) whose message names the rule.
refused_rules() {  # refused_rules RULES_JSON EXPECTED_MESSAGE_REGEX
  echo "$1" > "$tmp/rules.json"
  set +e
  "$bin" import llava "$tmp/data/conv.json" --rules "$tmp/rules.json" --out "$tmp/data/x" > /dev/null 2> "$tmp/rules.err"
  local rc=$?
  set -e
  [ "$rc" -eq 2 ] || fail "rules $1 exited $rc, expected 2"
  grep -q "$2" "$tmp/rules.err" || fail "rules $1: unclear message: $(cat "$tmp/rules.err")"
}
refused_rules '{"rules": [{"task": "vqa", "pattern": "("}]}' 'rules\[0\].pattern'
refused_rules '{"rules": [{"task": "segmentation", "pattern": "x"}]}' 'rules\[0\].task .* is not a task'
refused_rules '{"rules": [{"task": "rec", "pattern": "x", "phrase_group": 2}]}' 'phrase_group must name one of'
refused_rules '{"rules": [{"task": "vqa", "pattern": "x", "patern": "y"}]}' "unknown key 'patern'"
refused_rules '{"rules": []}' 'an import rules file is'
echo "import_llava: ok"
