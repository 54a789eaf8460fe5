#!/usr/bin/env bash
# Scoring that outgrows the memory stops with a message and exit 1, instead of being killed by the
# OOM killer: a 3,000-report suite whose splits pass the up-front size check (data/suite_loader.cc)
# but whose scoring needs more than IMAXBENCH_MEMORY_AVAILABLE (standing in for the system's
# figure, which falls as the process grows) leaves. With the memory it needs, it scores.
# Usage: memory_outgrown.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
source "$2/tests/tools/cli_common.sh"
cli_test_start "$@"

cp "$src/suites/sample/images/$(ls "$src/suites/sample/images" | head -1)" "$tmp/scan.png"
python3 - "$tmp" <<'PY'
import json, random, sys
tmp = sys.argv[1]
rng = random.Random(7)
words = ["w%d" % i for i in range(20000)]
def text(n):
    return " ".join(rng.choice(words) for _ in range(n))
with open(tmp + "/reports.jsonl", "w") as split, open(tmp + "/answers.jsonl", "w") as answers:
    for i in range(3000):
        split.write(json.dumps({"id": "r%d" % i, "task": "report_generation", "image": "scan.png",
                                "reference": [text(60), text(40)]}) + "\n")
        answers.write(json.dumps({"id": "r%d" % i, "prediction": text(50)}) + "\n")
json.dump({"name": "m", "version": 1, "aggregate": "mean", "tasks": [
    {"task": "report_generation", "split": "reports.jsonl", "primary_metric": "bleu_4", "weight": 1}]},
    open(tmp + "/suite.json", "w"))
PY

# 4 MiB above the reserve imaxbench keeps: the splits (2.5 MB) pass the size check, scoring does not fit.
rc=0
IMAXBENCH_MEMORY_AVAILABLE=$(( (64 + 4) << 20 )) "$bin" score --suite "$tmp/suite.json" \
  --predictions "$tmp/answers.jsonl" --out "$tmp/r.json" --no-record --quiet > "$tmp/out.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "exit $rc, not 1: $(cat "$tmp/out.txt")"
grep -qF "error: out of memory: scoring is about to take" "$tmp/out.txt" || fail "no message: $(cat "$tmp/out.txt")"
grep -qF -- "--tasks" "$tmp/out.txt" || fail "no advice: $(cat "$tmp/out.txt")"
[ ! -e "$tmp/r.json" ] || fail "results written by a run that stopped"

IMAXBENCH_MEMORY_AVAILABLE=$(( 64 << 30 )) "$bin" score --suite "$tmp/suite.json" \
  --predictions "$tmp/answers.jsonl" --out "$tmp/r.json" --no-record --quiet > "$tmp/ok.txt" 2>&1 \
  || fail "with memory enough: $(cat "$tmp/ok.txt")"
grep -qF '"cider_d"' "$tmp/r.json" || fail "no results: $(head -c 500 "$tmp/r.json")"
echo "memory_outgrown: ok"
