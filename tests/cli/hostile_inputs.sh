#!/usr/bin/env bash
# Issue 12 as a hostile user meets it, through the binary: a suite named from its own folder
# cannot reach images outside it; FIFOs, /dev/zero and folders are refused at once (each command
# under `timeout`, so a hang is a failure, not a stuck CI); `inspect --decode` finds a truncated
# image; an overflowing number names its file and field; an inapplicable metric is refused; a task
# with nothing scored makes the average null; a second writer of a live run folder is refused;
# `list tasks` states rec's IoU rule as the code applies it.
# Usage: hostile_inputs.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$1 lacks '$2': $(head -c 2000 "$1")"; }
t() { timeout 60 "$bin" "$@"; }  # 124: it hung

cp -r "$src/suites/sample" "$tmp/S"
mkdir -p "$tmp/p"
cp "$src/suites/sample/images/$(ls "$src/suites/sample/images" | head -1)" "$tmp/p/scan.png"
ln -s "$tmp/p" "$tmp/S/link"
printf '%s\n' \
  '{"id": "esc1", "task": "report_generation", "image": "../p/scan.png", "reference": "x"}' \
  '{"id": "esc2", "task": "report_generation", "image": "link/scan.png", "reference": "x"}' \
  >> "$tmp/S/report_generation.jsonl"

# 1. Containment when the suite is named in the current folder (its split's parent path is "").
(cd "$tmp/S" && t inspect --suite suite.json > "$tmp/inspect.txt" 2>&1) && fail "inspect accepted escaping images"
has "$tmp/inspect.txt" "id 'esc1': field 'image' ('../p/scan.png') points outside the split's folder"
has "$tmp/inspect.txt" "id 'esc2': field 'image' ('link/scan.png') points outside the split's folder"
(cd "$tmp/S" && t inspect --suite ./suite.json --tasks report_generation > "$tmp/inspect2.txt" 2>&1) || true
has "$tmp/inspect2.txt" "report_generation                28       26        2"

# 2. Only regular files: a FIFO split, /dev/zero and a folder are refused without hanging.
rm -f "$tmp/S/link"
head -n -2 "$tmp/S/report_generation.jsonl" > "$tmp/x" && mv "$tmp/x" "$tmp/S/report_generation.jsonl"
mkfifo "$tmp/fifo.jsonl"
for split in "$tmp/fifo.jsonl" /dev/zero "$tmp/p"; do
  sed "s#\"split\": \"calculation.jsonl\"#\"split\": \"$split\"#" "$tmp/S/suite.json" > "$tmp/S/odd.json"
  rc=0
  t score --suite "$tmp/S/odd.json" --predictions "$tmp/S/predictions.jsonl" --no-record \
    --out "$tmp/r.json" > "$tmp/odd.txt" 2>&1 || rc=$?
  [ "$rc" = 1 ] || fail "score with split $split: exit $rc (124 = hung): $(cat "$tmp/odd.txt")"
  has "$tmp/odd.txt" "not a regular file"
done
mkfifo "$tmp/S/images/fifo.png"
echo '{"id": "ff", "task": "report_generation", "image": "images/fifo.png", "reference": "x"}' \
  >> "$tmp/S/report_generation.jsonl"
rc=0; t inspect --suite "$tmp/S/suite.json" > "$tmp/fifo.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "inspect with a FIFO image: exit $rc (124 = hung)"
has "$tmp/fifo.txt" "id 'ff': field 'image': cannot open image: it is a named pipe (FIFO)"
head -n -1 "$tmp/S/report_generation.jsonl" > "$tmp/x" && mv "$tmp/x" "$tmp/S/report_generation.jsonl"
rm "$tmp/S/images/fifo.png"

# 3. A truncated image passes the header check and fails `inspect --decode`.
img=$(ls "$tmp/S/images" | head -1)
head -c 200 "$tmp/S/images/$img" > "$tmp/cut" && mv "$tmp/cut" "$tmp/S/images/$img"
t inspect --suite "$tmp/S/suite.json" > "$tmp/headers.txt" 2>&1 || fail "headers alone should pass: $(cat "$tmp/headers.txt")"
rc=0; t inspect --suite "$tmp/S/suite.json" --decode > "$tmp/decode.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "inspect --decode missed a truncated image (exit $rc)"
has "$tmp/decode.txt" "field 'image': "
has "$tmp/decode.txt" "1 does not decode"
cp "$src/suites/sample/images/$img" "$tmp/S/images/$img"

# 4. Suite errors name file and field; an inapplicable metric is refused on load.
sed 's#"primary_metric": "mae"#"primary_metric": "mae", "metrics": ["mae", {"name": "acc_within", "params": {"tolerance": 1e400}}]#' \
  "$tmp/S/suite.json" > "$tmp/S/overflow.json"
grep -q 1e400 "$tmp/S/overflow.json" || fail "test set-up: the sample suite's calculation entry changed"
rc=0; t inspect --suite "$tmp/S/overflow.json" > "$tmp/overflow.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "overflowing tolerance: exit $rc"
has "$tmp/overflow.txt" "overflow.json: suite file is not valid JSON"
has "$tmp/overflow.txt" "tasks[0].metrics[1].params.tolerance"
grep -q "internal error" "$tmp/overflow.txt" && fail "still an internal error"
sed 's#"primary_metric": "mae"#"primary_metric": "mae", "metrics": ["mae", "bleu_4"]#' "$tmp/S/suite.json" > "$tmp/S/bleu.json"
rc=0; t inspect --suite "$tmp/S/bleu.json" > "$tmp/bleu.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "bleu_4 on calculation: exit $rc"
has "$tmp/bleu.txt" "bleu.json: tasks[0].metrics[1]: 'bleu_4' does not apply to calculation (applies: report_generation, reg, vqa)"

# 5. Nothing scored in one task: that task's metrics and the average are null, with the reason.
python3 - "$tmp/S/calculation.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
with open(sys.argv[1], "w") as f:
    for r in rows:
        r["reference"] = str(r["reference"])
        f.write(json.dumps(r) + "\n")
PY
t score --suite "$tmp/S/suite.json" --predictions "$tmp/S/predictions.jsonl" --db "$tmp/lb.sqlite" \
  --name broken --bootstrap 0 --out "$tmp/null.json" > "$tmp/null.txt" 2>&1 || fail "score: $(cat "$tmp/null.txt")"
has "$tmp/null.txt" "Multi-task average (primary metrics x100, * above): n/a"
has "$tmp/null.txt" "no average: calculation (mae): nothing to score: the split has no valid record"
python3 - "$tmp/null.json" <<'PY' || fail "results file: null score or reason missing"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["suite"]["score"] is None and "calculation" in d["suite"]["null_reason"], d["suite"]
m = d["tasks"]["calculation"]["metrics"]["mae"]
assert m["score"] is None and m["null_reason"], m
PY
t leaderboard --db "$tmp/lb.sqlite" > "$tmp/board.txt" 2>&1 || fail "leaderboard: $(cat "$tmp/board.txt")"
has "$tmp/board.txt" "no average: nothing scored in calculation"

# 6. One writer per run folder: a --resume while the first run lives is refused, and the
# journal never holds an id twice.
cp "$src/suites/sample/calculation.jsonl" "$tmp/S/calculation.jsonl"
"$bin" run --suite "$tmp/S/suite.json" --backend replay --model "$tmp/S/predictions.jsonl" \
  --delay-ms 40 --batch-size 2 --no-record --progress off --quiet --out "$tmp/run" &
pid=$!
for _ in $(seq 1 300); do [ -s "$tmp/run/samples.jsonl" ] && break; sleep 0.05; done
rc=0
t run --suite "$tmp/S/suite.json" --backend replay --model "$tmp/S/predictions.jsonl" --no-record \
  --batch-size 2 --progress off --quiet --resume --out "$tmp/run" > "$tmp/second.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "a second writer of a live run folder: exit $rc"
has "$tmp/second.txt" "is in use by another imaxbench process (pid $pid"
wait "$pid" || fail "the first run failed"
pid=
dups=$(python3 -c "import json,sys,collections; c=collections.Counter(json.loads(l)['id'] for l in open(sys.argv[1])); print(sum(v>1 for v in c.values()))" "$tmp/run/samples.jsonl")
[ "$dups" = 0 ] || fail "$dups ids journaled twice"
# 7. `list tasks` states rec's rule as the code applies it (IoU strictly above 0.5).
t list tasks > "$tmp/list.txt"
has "$tmp/list.txt" "accuracy at IoU > 0.5"
grep -q "IoU >= 0.5" "$tmp/list.txt" && fail "list tasks still says IoU >= 0.5"
echo "hostile inputs: ok"
