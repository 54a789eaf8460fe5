#!/usr/bin/env bash
# The sample suite end to end through the generative `torchscript` backend on the CPU: export the
# demo package (models/export_demo_vlm.py), `imaxbench run` it at batch size 8, and check that
# every task was answered with generated text and scored. Random weights: scores near zero are
# expected; what is tested is the path. Skips (exit 0, says why) in a build without LibTorch or
# where no python3 imports torch.
# Usage: torchscript_sample.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
source "$src/tests/tools/cli_common.sh"

torchscript_test_setup

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$py" "$src/models/export_demo_vlm.py" --out "$tmp/pkg"

start=$(date +%s)
"$bin" run --suite "$src/suites/sample/suite.json" --backend torchscript --model "$tmp/pkg" --device cpu \
  --batch-size 8 --out "$tmp/run" --no-record --progress off --quiet
echo "sample suite through torchscript on cpu: $(( $(date +%s) - start )) s"

"$py" - "$tmp/run" <<'EOF'
import json, sys
run = sys.argv[1]
res = json.load(open(f"{run}/results.json"))
tasks = res["tasks"]
want = {"calculation", "report_generation", "multiclass_classification", "multilabel_classification",
        "rec", "reg", "vqa"}
assert set(tasks) == want, f"results.json tasks {sorted(tasks)} != {sorted(want)}"
for name, t in tasks.items():
    n = t["n_samples"]
    assert n["total"] > 0 and n["missing"] == 0, f"{name}: {n}"
    assert t["metrics"], f"{name}: no metrics"
lines = [json.loads(l) for l in open(f"{run}/samples.jsonl")]
errors = [l for l in lines if l.get("error")]
assert not errors, f"{len(errors)} samples failed, e.g. {errors[0]}"
texts = [l["prediction"] or "" for l in lines]
assert sum(1 for t in texts if t.strip()) >= 0.9 * len(lines), "most answers should be non-empty generated text"
assert len(set(texts)) > 10, "the answers should depend on the inputs"
toks = [l.get("output_tokens", 0) for l in lines]
assert all(0 < k <= 24 for k in toks), f"output_tokens outside 1..24: {sorted(set(toks))}"
print(f"{len(lines)} samples, {len(set(texts))} distinct answers, suite score {res['suite']['score']}")
EOF
