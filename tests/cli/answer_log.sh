#!/usr/bin/env bash
# The per-sample log: a run writes DIR/scored.jsonl (every sample: the prompt as sent, the answer,
# its parse status and why, the parsed answer, per-sample metric values) and `score --log-samples`
# writes the same for a predictions file. Statuses agree with results.json's counts, and the mean
# of each per-sample value is the task's score for every mean metric. `inspect --answers` groups
# unparsed answers by reason and names the markup they used.
# Usage: answer_log.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
source "$2/tests/tools/cli_common.sh"
cli_test_start "$@"

"$bin" run --suite "$src/suites/sample/suite.json" --backend replay --model "$src/suites/sample/predictions.jsonl" \
  --bootstrap 0 --no-record --progress off --quiet --out "$tmp/run"
[ -f "$tmp/run/scored.jsonl" ] || fail "run wrote no scored.jsonl"
[ ! -e "$tmp/run/scored.jsonl.tmp" ] || fail "the temporary log was left behind"

# Predictions in Qwen2-VL's grounding markup, which the suite's grid100 box format does not read.
python3 - "$src/suites/sample/predictions.jsonl" "$tmp/qwen.jsonl" <<'PY'
import json, sys
out, n = [], 0
for line in open(sys.argv[1]):
    p = json.loads(line)
    if p["id"].startswith("rec-") and n < 4:
        p["prediction"] = "<|object_ref_start|>it<|object_ref_end|><|box_start|>(100,200),(300,400)<|box_end|>"
        n += 1
    out.append(json.dumps(p))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
"$bin" score --suite "$src/suites/sample/suite.json" --predictions "$tmp/qwen.jsonl" --bootstrap 0 --no-record \
  --quiet --out "$tmp/qwen-results.json" --log-samples "$tmp/qwen-log.jsonl"

python3 - "$tmp" <<'PY'
import json, math, sys
from collections import defaultdict
t = sys.argv[1]

def check(log_path, results_path, prompts):
    lines = [json.loads(l) for l in open(log_path)]
    results = json.load(open(results_path))
    assert len(lines) == 295, len(lines)
    by_task = defaultdict(list)
    for l in lines:
        by_task[l["task"]].append(l)
        assert list(l)[:3] == ["id", "task", "image"], list(l)  # readable order
        assert (l["prompt"] is not None) == prompts, l
        if l["status"] == "scored":
            assert l["parsed"] is not None and l["error"] is None, l
        elif l["status"] == "unparsed":
            assert l["parsed"] is None and l["note"], l
        elif l["status"] == "missing":
            assert l["answer"] is None, l
        else:
            assert l["status"] == "failed" and l["error"], l
    for task, res in results["tasks"].items():
        rows = by_task[task]
        counts = defaultdict(int)
        for l in rows:
            counts[l["status"]] += 1
        n = res["n_samples"]
        for k in ("scored", "unparsed", "failed", "missing"):
            assert counts[k] == n[k], (task, k, counts[k], n[k])
        # Every metric with per-sample values is a mean of them (RMSE: the root of the mean square).
        for mid, m in res["metrics"].items():
            values = [l["metrics"][mid] for l in rows if mid in l["metrics"]]
            if not values:
                continue
            checked.add(mid)
            mean = math.sqrt(sum(v * v for v in values) / len(values)) if mid == "rmse" else sum(values) / len(values)
            assert math.isclose(mean, m["score"], rel_tol=1e-12, abs_tol=1e-12), (task, mid, mean, m["score"])
    return by_task

checked = set()

run = check(t + "/run/scored.jsonl", t + "/run/results.json", True)
assert any(l["metrics"] for l in run["rec"]), "rec lines carry no IoU"
assert all(isinstance(l["parsed"], list) and len(l["parsed"]) == 4 for l in run["rec"] if l["status"] == "scored")
calc = [l for l in run["calculation"] if l["status"] == "scored"]
assert calc and all(isinstance(l["parsed"], (int, float)) for l in calc)
qwen = check(t + "/qwen-log.jsonl", t + "/qwen-results.json", False)
# The mean metrics of every task showed up; corpus ones (BLEU, CIDEr-D, F1 over counts) did not.
for mid in ("mae", "rmse", "acc_within", "accuracy", "exact_match", "miou", "acc_iou_0.5", "token_f1", "closed_accuracy"):
    assert mid in checked, (mid, sorted(checked))
assert not checked & {"bleu_4", "cider_d", "f1_macro", "kappa_quadratic"}, sorted(checked)
assert sum(1 for l in qwen["rec"] if "<|box_start|>" in (l["answer"] or "") and l["status"] == "unparsed") == 4
print("answer_log: statuses and per-sample means agree with results.json")
PY

"$bin" inspect --answers "$tmp/qwen-log.jsonl" > "$tmp/inspect.txt"
grep -q "4 of them used <|box_start|>" "$tmp/inspect.txt" || fail "inspect --answers names no markup: $(cat "$tmp/inspect.txt")"
grep -q "^rec: 69 samples" "$tmp/inspect.txt" || fail "no rec summary: $(cat "$tmp/inspect.txt")"
"$bin" inspect --answers "$tmp/run" --json > "$tmp/inspect.json"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['samples']==295 and 'rec' in r['tasks'], r" "$tmp/inspect.json"

# Not a per-sample log: one message naming the file and line.
set +e
"$bin" inspect --answers "$src/suites/sample/predictions.jsonl" > /dev/null 2> "$tmp/bad.err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "inspect --answers on a predictions file exited $rc, expected 1"
grep -q "predictions.jsonl:1: .*missing field 'task'" "$tmp/bad.err" || fail "unclear message: $(cat "$tmp/bad.err")"
set +e
"$bin" inspect > /dev/null 2> "$tmp/usage.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "inspect without --suite or --answers exited $rc, expected 2"
echo "answer_log: ok"
