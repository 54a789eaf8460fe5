#!/usr/bin/env bash
# The JSON schemas of docs/schema/ (docs/formats.md) against what the code reads and writes: every
# split line, the suite file and the predictions of suites/sample (and its gallery); the results of
# `score` (bootstrap on and off, a journal, a split with nothing to score); a replay run's manifest,
# journal and results; a sharded run and its merge; a profile's manifest and profile.json; a
# baseline run where LibTorch is built. Then the schemas must refuse known-bad input (the cases of
# suites/sample/bad/cases.json and single mutations of the real outputs, e.g. a string score), so
# the test cannot pass by accepting everything.
# Needs python3 with jsonschema >= 4 (Debian: python3-jsonschema, ci/install-deps.sh).
# Usage: format_schemas.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
source "$2/tests/tools/cli_common.sh"
cli_test_start "$@"

# The first python with jsonschema's draft 2020-12 validator ($IMAXBENCH_PYTHON, python3,
# /usr/bin/python3: a dev machine's pyenv python3 may lack the Debian package).
py=""
for cand in "${IMAXBENCH_PYTHON:-}" python3 /usr/bin/python3; do
  if [[ -n "$cand" ]] && "$cand" -c 'from jsonschema.validators import Draft202012Validator' >/dev/null 2>&1; then
    py="$cand"
    break
  fi
done
[[ -n "$py" ]] || fail "no python3 with the jsonschema module (version 4 or later); run ci/install-deps.sh (Debian package python3-jsonschema)"

sample="$src/suites/sample"
quiet=(--no-record --quiet)
replay=(run --suite "$sample/suite.json" --backend replay --model "$sample/predictions.jsonl" --progress off "${quiet[@]}")

"$bin" score --suite "$sample/suite.json" --predictions "$sample/predictions.jsonl" --out "$tmp/score.json" "${quiet[@]}"
"$bin" score --suite "$sample/suite.json" --predictions "$sample/predictions.jsonl" --bootstrap 0 \
  --out "$tmp/score-nobootstrap.json" --log-samples "$tmp/score-log.jsonl" "${quiet[@]}"
"$bin" "${replay[@]}" --out "$tmp/run"
"$bin" score --suite "$sample/suite.json" --journal "$tmp/run/samples.jsonl" --out "$tmp/score-journal.json" "${quiet[@]}"
for k in 1 2; do "$bin" "${replay[@]}" --bootstrap 100 --shard "$k/2" --out "$tmp/shard$k"; done
"$bin" merge "$tmp/shard1" "$tmp/shard2" --out "$tmp/merged" --quiet
"$bin" profile --suite "$sample/suite.json" --backend replay --model "$sample/predictions.jsonl" \
  --scenario offline --min-duration 0 --min-queries 10 --warmup 0 --out "$tmp/profile" > /dev/null 2>&1 \
  || fail "profile with the replay backend failed"

# A split whose only record is invalid (its image is missing): every metric and the suite score
# are null with their reasons, and the record is listed in `problems`.
mkdir -p "$tmp/empty"
echo '{"id": "e-1", "task": "vqa", "image": "images/missing.png", "question": "Is it?", "answer_type": "closed", "reference": "no"}' \
  > "$tmp/empty/vqa.jsonl"
echo '{"name": "nothing-to-score", "tasks": [{"task": "vqa", "split": "vqa.jsonl"}]}' > "$tmp/empty/suite.json"
"$bin" score --suite "$tmp/empty/suite.json" --predictions "$sample/predictions.jsonl" --out "$tmp/score-empty.json" \
  "${quiet[@]}" 2> /dev/null

runs=(run shard1 shard2 merged)
if backend_built "$bin" baseline; then
  # --threads 1: the one case where context.timing.harness_overhead is a number.
  "$bin" run --suite "$sample/suite.json" --backend baseline --model "$sample/gallery/suite.json" --device cpu \
    --threads 1 --progress off "${quiet[@]}" --out "$tmp/baseline"
  runs+=(baseline)
else
  echo "note: the baseline backend is not built (no LibTorch); its run is not checked"
fi

PYTHONDONTWRITEBYTECODE=1 "$py" - "$src" "$tmp" "${runs[@]}" <<'PY'
import copy, json, os, re, sys
src, tmp, runs = sys.argv[1], sys.argv[2], sys.argv[3:]
sys.path.insert(0, os.path.join(src, "tests", "cli"))
import validate_schemas as vs

schema_dir = os.path.join(src, "docs", "schema")
V = {name: vs.load_schema(os.path.join(schema_dir, name + ".schema.json"))
     for name in ("split-record", "suite", "predictions-record", "journal-record", "results", "manifest",
                  "scored-record")}
sample = os.path.join(src, "suites", "sample")
failures = []
counts = {}

def accept(kind, what, value):
    """`value` (parsed JSON, or a NotJson) must be valid under schema `kind`."""
    counts[kind + " valid"] = counts.get(kind + " valid", 0) + 1
    if isinstance(value, vs.NotJson):
        failures.append("%s: %s: refused before the schema: %s" % (kind, what, value))
        return
    for p in vs.problems(V[kind], value):
        failures.append("%s: %s should be valid: %s" % (kind, what, p))

def refuse(kind, what, value):
    """`value` must be refused: not JSON as imaxbench reads it, or invalid under schema `kind`."""
    counts[kind + " refused"] = counts.get(kind + " refused", 0) + 1
    if not isinstance(value, vs.NotJson) and not vs.problems(V[kind], value):
        failures.append("%s: %s should be refused but the schema accepts it: %s" %
                        (kind, what, json.dumps(value)[:300]))

def accept_file(kind, path, skip_lines=()):
    if path.endswith(".jsonl"):
        n = 0
        for line, value in vs.read_jsonl(path):
            if line not in skip_lines:
                accept(kind, "%s:%d" % (path, line), value)
                n += 1
        if n == 0:
            failures.append("%s: %s has no lines to check" % (kind, path))
    else:
        accept(kind, path, vs.read_document(path))

def line_of(path, number):
    for line, value in vs.read_jsonl(path):
        if line == number:
            return value
    raise SystemExit("FAIL: %s has no line %d" % (path, number))

def mutated(value, change):
    out = copy.deepcopy(value)
    change(out)
    return out

# --- What the repository holds and the code accepts. ---
for suite_path in (os.path.join(sample, "suite.json"), os.path.join(sample, "gallery", "suite.json")):
    accept_file("suite", suite_path)
    for entry in vs.read_document(suite_path)["tasks"]:
        accept_file("split-record", os.path.join(os.path.dirname(suite_path), entry["split"]))
accept_file("predictions-record", os.path.join(sample, "predictions.jsonl"))

# --- What the code writes. ---
for name in ("score", "score-nobootstrap", "score-journal", "score-empty"):
    accept_file("results", os.path.join(tmp, name + ".json"))
for run in runs:
    for name in ("manifest.json", "results.json"):
        accept_file(name.split(".")[0], os.path.join(tmp, run, name))
    accept_file("journal-record", os.path.join(tmp, run, "samples.jsonl"))
    accept_file("predictions-record", os.path.join(tmp, run, "samples.jsonl"))  # a journal is a predictions file
    accept_file("scored-record", os.path.join(tmp, run, "scored.jsonl"))
accept_file("scored-record", os.path.join(tmp, "score-log.jsonl"))
accept_file("manifest", os.path.join(tmp, "profile", "manifest.json"))
profile = vs.read_document(os.path.join(tmp, "profile", "profile.json"))
accept("manifest", "profile.json manifest", profile["manifest"])
for part, definition in (("context", "context"), ("tasks", "tasks"), ("suite", "suite")):
    value = profile["context"] if part == "context" else profile["accuracy"][part]
    for p in vs.problems(vs.sub_validator(V["results"], definition), value):
        failures.append("results: profile.json %s should be valid: %s" % (part, p))

# The examples of docs/formats.md: each ```jsonl line and ```json block, by what it holds.
examples = re.findall(r"```(jsonl?)\n(.*?)```", open(os.path.join(src, "docs", "formats.md"), encoding="utf-8").read(), re.S)
for lang, block in examples:
    for i, text in enumerate(block.strip().splitlines() if lang == "jsonl" else [block]):
        value = vs.loads(text)
        kind = ("scored-record" if "status" in value else "split-record" if "task" in value else
                "predictions-record") if lang == "jsonl" else \
               "journal-record" if "stages" in value else "manifest" if "schema_version" in value else "suite"
        accept(kind, "docs/formats.md %s example %d" % (lang, i + 1), value)
if len(examples) < 4:
    failures.append("docs/formats.md: expected its JSON examples, found %d blocks" % len(examples))

# The outputs hold what the schemas' conditional branches are about, so each branch was exercised.
score, nobs, empty = (vs.read_document(os.path.join(tmp, n + ".json")) for n in ("score", "score-nobootstrap", "score-empty"))
assert all(m["ci95"] is not None for t in score["tasks"].values() for m in t["metrics"].values()), "bootstrap gave no ci95"
assert all(m["ci95"] is None for t in nobs["tasks"].values() for m in t["metrics"].values()), "--bootstrap 0 gave a ci95"
assert empty["suite"]["score"] is None and empty["suite"]["null_reason"], empty["suite"]
assert empty["tasks"]["vqa"]["n_samples"]["invalid"] == 1 and empty["tasks"]["vqa"]["problems"], empty["tasks"]["vqa"]
if "baseline" in runs:
    timing = vs.read_document(os.path.join(tmp, "baseline", "results.json"))["context"]["timing"]
    assert isinstance(timing["harness_overhead"], float) and "harness_overhead_note" not in timing, timing

# --- The bad corpus: each case's line refused unless a schema cannot see the problem; the other
# lines of its file valid. ---
bad = os.path.join(sample, "bad")
beyond_schema = {  # needs other records, the image or the suite: only the reader can tell
    "duplicate_id", "box_inverted", "box_outside", "missing_image",
    "predictions_duplicate_id", "predictions_unknown_id", "suite_level_missing_split"}
cases = vs.read_document(os.path.join(bad, "cases.json"))["cases"]
kinds = {"split": "split-record", "predictions": "predictions-record", "suite": "suite"}
for case in cases:
    kind = kinds[case["kind"]]
    path = os.path.join(bad, case["file"])
    if case["kind"] == "suite":
        try:
            value = vs.read_document(path)
        except vs.NotJson as e:
            value = e
        if case["case"] in beyond_schema:
            accept(kind, case["case"], value)
        else:
            refuse(kind, case["case"], value)
        continue
    if case["kind"] == "split":
        accept_file("suite", os.path.join(bad, case["suite"]))
    value = line_of(path, case["line"])
    if case["case"] in beyond_schema:
        accept(kind, case["case"], value)
    else:
        refuse(kind, "case %s (%s:%d)" % (case["case"], case["file"], case["line"]), value)
    accept_file(kind, path, skip_lines={case["line"]})

# --- Single mutations of valid records and outputs: each must be refused. ---
def split_line(name, number=1):
    return line_of(os.path.join(sample, name + ".jsonl"), number)
rec, reg, calc, vqa = split_line("rec"), split_line("reg"), split_line("calculation"), split_line("vqa")
mc, ml, report = split_line("multiclass_classification"), split_line("multilabel_classification"), split_line("report_generation")
split_mutations = [
    ("unknown task", mutated(vqa, lambda r: r.update(task="segmentation"))),
    ("rec without its reference box", mutated(rec, lambda r: r.pop("reference"))),
    ("rec box of three numbers", mutated(rec, lambda r: r.update(reference=[1, 2, 3]))),
    ("rec box with a negative coordinate", mutated(rec, lambda r: r.update(reference=[-1, 2, 3, 4]))),
    ("rec box as text", mutated(rec, lambda r: r.update(reference="{<10><20><30><40>}"))),
    ("rec without a phrase", mutated(rec, lambda r: r.pop("phrase"))),
    ("reg without its input box", mutated(reg, lambda r: r.pop("box"))),
    ("calculation ratio given in percent", mutated(calc, lambda r: r.update(reference=52))),
    ("calculation ratio as text", mutated(calc, lambda r: r.update(reference="0.52"))),
    ("calculation unknown quantity", mutated(calc, lambda r: r.update(quantity="heart"))),
    ("report with an empty reference", mutated(report, lambda r: r.update(reference=" "))),
    ("report with an empty reference list", mutated(report, lambda r: r.update(reference=[]))),
    ("vqa without answer_type", mutated(vqa, lambda r: r.pop("answer_type"))),
    ("multiclass class index 4 of the default 4", mutated(mc, lambda r: r.update(reference=4))),
    ("multiclass class index 1.5", mutated(mc, lambda r: r.update(reference=1.5))),
    ("multiclass without a reference", mutated(mc, lambda r: r.pop("reference"))),
    ("multiclass classes listed twice", mutated(mc, lambda r: r.update(classes=["a", "a"], reference="a"))),
    ("multilabel reference not a list", mutated(ml, lambda r: r.update(reference="Edema"))),
    ("multilabel label outside CheXpert", mutated(ml, lambda r: r.update(reference=["Heart Failure"]))),
    ("absolute image path", mutated(vqa, lambda r: r.update(image="/tmp/x.png"))),
    ("image path starting with ..", mutated(vqa, lambda r: r.update(image="../x.png"))),
    ("no image", mutated(vqa, lambda r: r.pop("image"))),
    ("blank id", mutated(vqa, lambda r: r.update(id=" "))),
    ("numeric id", mutated(vqa, lambda r: r.update(id=7))),
    ("image_size with a zero", mutated(rec, lambda r: r.update(image_size=[0, 256]))),
    ("blank prompt", mutated(vqa, lambda r: r.update(prompt=""))),
]
for what, value in split_mutations:
    refuse("split-record", what, value)

suite = vs.read_document(os.path.join(sample, "suite.json"))
def task_entry(name):
    return next(i for i, t in enumerate(suite["tasks"]) if t["task"] == name)
calc_i, rec_i, vqa_i = task_entry("calculation"), task_entry("rec"), task_entry("vqa")
suite_mutations = [
    ("no tasks", mutated(suite, lambda s: s.update(tasks=[]))),
    ("no tasks key", mutated(suite, lambda s: s.pop("tasks"))),
    ("no name", mutated(suite, lambda s: s.pop("name"))),
    ("unknown task", mutated(suite, lambda s: s["tasks"][0].update(task="segmentation"))),
    ("task entry without split", mutated(suite, lambda s: s["tasks"][0].pop("split"))),
    ("misspelt key", mutated(suite, lambda s: s["tasks"][0].update(primary_metirc="mae"))),
    ("aggregate median", mutated(suite, lambda s: s.update(aggregate="median"))),
    ("version as text", mutated(suite, lambda s: s.update(version="1"))),
    ("negative weight", mutated(suite, lambda s: s["tasks"][0].update(weight=-1))),
    ("unknown box_format", mutated(suite, lambda s: s["tasks"][rec_i].update(box_format="grid10"))),
    ("unknown metric", mutated(suite, lambda s: s["tasks"][vqa_i].update(metrics=["blue_4"]))),
    ("meteor (registered, unavailable)", mutated(suite, lambda s: s["tasks"][vqa_i].update(metrics=["meteor"]))),
    ("bleu_4 for calculation", mutated(suite, lambda s: s["tasks"][calc_i].update(metrics=["mae", "bleu_4"]))),
    ("empty metrics list", mutated(suite, lambda s: s["tasks"][calc_i].update(metrics=[]))),
    ("metric params not an object", mutated(suite, lambda s: s["tasks"][rec_i]["metrics"][0].update(params=[]))),
    ("unknown metric parameter", mutated(suite, lambda s: s["tasks"][rec_i]["metrics"][0].update(params={"tresh": 0.3}))),
    ("IoU threshold 1", mutated(suite, lambda s: s["tasks"][rec_i]["metrics"][0].update(params={"threshold": 1}))),
    ("unknown iou_convention", mutated(suite, lambda s: s["tasks"][rec_i]["metrics"][1].update(params={"iou_convention": "coco"}))),
    ("params for a metric without any", mutated(suite, lambda s: s["tasks"][calc_i].update(metrics=[{"name": "mae", "params": {"x": 1}}]))),
    ("metric object without a name", mutated(suite, lambda s: s["tasks"][rec_i]["metrics"][0].pop("name"))),
    ("primary not among the default metrics", mutated(suite, lambda s: s["tasks"][vqa_i].update(primary_metric="bleu_4"))),
]
for what, value in suite_mutations:
    refuse("suite", what, value)

prediction = line_of(os.path.join(sample, "predictions.jsonl"), 1)
for what, value in [
    ("no prediction and no error", mutated(prediction, lambda p: p.pop("prediction"))),
    ("no prediction and an empty error", mutated(prediction, lambda p: (p.pop("prediction"), p.update(error="")))),
    ("prediction a number", mutated(prediction, lambda p: p.update(prediction=0.52))),
    ("no id", mutated(prediction, lambda p: p.pop("id"))),
    ("negative latency", mutated(prediction, lambda p: p.update(latency_ms=-1))),
    ("fractional output_tokens", mutated(prediction, lambda p: p.update(output_tokens=2.5))),
    ("error a number", mutated(prediction, lambda p: p.update(error=500))),
]:
    refuse("predictions-record", what, value)

journal = line_of(os.path.join(tmp, "run", "samples.jsonl"), 1)
for what, value in [
    ("error a number", mutated(journal, lambda j: j.update(error=500))),
    ("no stages", mutated(journal, lambda j: j.pop("stages"))),
    ("a stage missing", mutated(journal, lambda j: j["stages"].pop("vision_ms"))),
    ("negative index", mutated(journal, lambda j: j.update(index=-1))),
    ("unknown task", mutated(journal, lambda j: j.update(task="segmentation"))),
    ("unknown key", mutated(journal, lambda j: j.update(extra=1))),
]:
    refuse("journal-record", what, value)

scored = [v for _, v in vs.read_jsonl(os.path.join(tmp, "run", "scored.jsonl"))]
first_scored = next(v for v in scored if v["status"] == "scored")
first_unparsed = next(v for v in scored if v["status"] == "unparsed")
for what, value in [
    ("an unknown status", mutated(first_scored, lambda j: j.update(status="ok"))),
    ("no metrics", mutated(first_scored, lambda j: j.pop("metrics"))),
    ("a string metric value", mutated(first_scored, lambda j: j["metrics"].update(x="0.5"))),
    ("scored without a parsed answer", mutated(first_scored, lambda j: j.update(parsed=None))),
    ("unparsed without a note", mutated(first_unparsed, lambda j: j.update(note=None))),
    ("missing with an answer", mutated(first_scored, lambda j: j.update(status="missing", parsed=None))),
    ("an unknown key", mutated(first_scored, lambda j: j.update(extra=1))),
]:
    refuse("scored-record", what, value)

results = vs.read_document(os.path.join(tmp, "run", "results.json"))
some_task = sorted(results["tasks"])[0]
some_metric = sorted(results["tasks"][some_task]["metrics"])[0]
def metric(r):
    return r["tasks"][some_task]["metrics"][some_metric]
for what, value in [
    ("a string score", mutated(results, lambda r: metric(r).update(score=str(metric(r)["score"])))),
    ("a null score without null_reason", mutated(results, lambda r: metric(r).update(score=None))),
    ("a null_reason beside a score", mutated(results, lambda r: metric(r).update(null_reason="why"))),
    ("ci95 of three numbers", mutated(results, lambda r: metric(r).update(ci95=[0, 0.5, 1]))),
    ("no signature", mutated(results, lambda r: metric(r).pop("signature"))),
    ("n_samples without failed", mutated(results, lambda r: r["tasks"][some_task]["n_samples"].pop("failed"))),
    ("a negative count", mutated(results, lambda r: r["tasks"][some_task]["n_samples"].update(missing=-1))),
    ("an unknown task", mutated(results, lambda r: r["tasks"].update(segmentation=r["tasks"][some_task]))),
    ("schema_version 2", mutated(results, lambda r: r.update(schema_version=2))),
    ("suite score above 100", mutated(results, lambda r: r["suite"].update(score=150))),
    ("suite score as text", mutated(results, lambda r: r["suite"].update(score="60.5"))),
    ("a primary value above 1", mutated(results, lambda r: r["suite"]["primary"].update({some_task: 1.5}))),
    ("a run without timing", mutated(results, lambda r: r["context"].pop("timing"))),
    ("a run config without settings", mutated(results, lambda r: r["context"]["config"].pop("shard"))),
    ("a bad split sha256", mutated(results, lambda r: r["tasks"][some_task].update(split_sha256="abc"))),
    ("an unknown context key", mutated(results, lambda r: r["context"].update(host="x"))),
]:
    refuse("results", what, value)
refuse("results", "a score result with timing",
       mutated(score, lambda r: r["context"].update(timing=results["context"]["timing"])))

manifest = vs.read_document(os.path.join(tmp, "run", "manifest.json"))
for what, value in [
    ("schema_version 2", mutated(manifest, lambda m: m.update(schema_version=2))),
    ("no settings", mutated(manifest, lambda m: m.pop("settings"))),
    ("shard 0/3", mutated(manifest, lambda m: m["settings"].update(shard="0/3"))),
    ("unknown backend", mutated(manifest, lambda m: m["backend"].update(name="llama"))),
    ("backend info not text", mutated(manifest, lambda m: m["backend"]["info"].update(answers_count=288))),
    ("rec convention without box_format", mutated(manifest, lambda m: m["settings"]["answer_conventions"]["rec"].pop("box_format"))),
    ("unknown settings key", mutated(manifest, lambda m: m["settings"].update(temperature=0))),
]:
    refuse("manifest", what, value)

if failures:
    for f in failures[:40]:
        print("FAIL: " + f, file=sys.stderr)
    if len(failures) > 40:
        print("FAIL: ... and %d more" % (len(failures) - 40), file=sys.stderr)
    sys.exit(1)
for key in sorted(counts):
    print("  %-28s %d" % (key, counts[key]))
PY
echo "format_schemas: ok"
