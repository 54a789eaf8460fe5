"""Deliberately broken split, prediction and suite files under suites/sample/bad/, for tests that
check every kind of bad input gets a clear error naming the file, line and id.

bad/cases.json lists each case: the suite to load, the broken file, the 1-based line, the id
(when the line has one) and the problem. Valid lines come first so line numbers are exercised.
"""
import json
import os

from png_dicom import png_bytes

_OK = {"image": "images/ok.png", "image_id": "ok"}


def _line(obj):
    """One JSON line; a field set to None is left out (how a case drops a required field)."""
    return json.dumps({k: v for k, v in obj.items() if v is not None}).encode()


def _split_cases():
    """(case, task, lines as bytes, bad line, id on it, problem)."""
    calc = lambda i, **kw: _line(dict(dict(id=i, task="calculation", **_OK, quantity="ctr", reference=0.5), **kw))
    rec = lambda i, **kw: _line(dict(dict(id=i, task="rec", **_OK, image_size=[32, 32], phrase="the heart",
                                          reference=[8, 10, 20, 24]), **kw))
    reg = lambda i, **kw: _line(dict(dict(id=i, task="reg", **_OK, image_size=[32, 32], box=[8, 10, 20, 24],
                                          reference="cardiac silhouette"), **kw))
    vqa = lambda i, **kw: _line(dict(dict(id=i, task="vqa", **_OK, question="Is the heart enlarged?",
                                          answer_type="closed", reference="no"), **kw))
    mc = lambda i, **kw: _line(dict(dict(id=i, task="multiclass_classification", **_OK,
                                         reference="none"), **kw))
    ml = lambda i, **kw: _line(dict(dict(id=i, task="multilabel_classification", **_OK,
                                         reference=["No Finding"]), **kw))
    rep = lambda i, **kw: _line(dict(dict(id=i, task="report_generation", **_OK,
                                          reference="Findings: The lungs are clear. Impression: Normal."), **kw))
    return [
        ("malformed_json", "vqa", [vqa("v-1"), vqa("v-2")[:-1], vqa("v-3")], 2, "",
         "line 2 is not valid JSON (closing brace missing)"),
        ("unknown_task", "vqa", [vqa("v-1"), vqa("v-2", task="segmentation")], 2, "v-2",
         "task 'segmentation' is not one of the seven tasks"),
        ("missing_field", "calculation", [calc("c-1"), calc("c-2"), calc("c-3", reference=None)], 3, "c-3",
         "calculation record without 'reference'"),
        ("duplicate_id", "calculation", [calc("c-1"), calc("c-2"), calc("c-1", reference=0.6)], 3, "c-1",
         "id 'c-1' already used on line 1"),
        ("box_inverted", "rec", [rec("r-1"), rec("r-2", reference=[20, 10, 8, 24])], 2, "r-2",
         "reference box has x2 < x1"),
        ("box_outside", "reg", [reg("g-1"), reg("g-2", box=[8, 10, 20, 40])], 2, "g-2",
         "box reaches y=40 in a 32x32 image"),
        ("nan_value", "calculation", [calc("c-1"), calc("c-2").replace(b'"reference": 0.5', b'"reference": NaN')],
         2, "c-2", "reference is NaN, which JSON does not allow"),
        ("inf_value", "calculation", [calc("c-1"), calc("c-2").replace(b'"reference": 0.5', b'"reference": 1e999')],
         2, "c-2", "reference overflows to infinity"),
        ("string_number", "calculation", [calc("c-1"), calc("c-2", reference="0.52")], 2, "c-2",
         "reference is a string, not a number"),
        ("unknown_quantity", "calculation", [calc("c-1"), calc("c-2", quantity="heart_size")], 2, "c-2",
         "quantity must be ctr or cpar"),
        ("invalid_utf8", "report_generation",
         [rep("t-1"), rep("t-2").replace(b"clear", b"cl\xff\xfear")], 2, "t-2",
         "bytes 0xFF 0xFE are not UTF-8"),
        ("unknown_class", "multiclass_classification", [mc("m-1"), mc("m-2", reference="pulmonary fibrosis")],
         2, "m-2", "reference is not one of the classes"),
        ("class_index_out_of_range", "multiclass_classification", [mc("m-1"), mc("m-2", reference=7)],
         2, "m-2", "reference index 7 with 4 classes"),
        ("unknown_label", "multilabel_classification",
         [ml("l-1"), ml("l-2", reference=["Cardiomegaly", "Heart Failure"])], 2, "l-2",
         "label 'Heart Failure' is not in the vocabulary"),
        ("bad_answer_type", "vqa", [vqa("v-1"), vqa("v-2", answer_type="multiple")], 2, "v-2",
         "answer_type must be closed or open"),
        ("escape_path", "vqa", [vqa("v-1"), vqa("v-2", image="../escape.png")], 2, "v-2",
         "image path leaves the split's folder"),
        ("absolute_path", "vqa", [vqa("v-1"), vqa("v-2", image="/tmp/imaxbench-absolute.png")], 2, "v-2",
         "absolute image path without --allow-external-images"),
        ("missing_image", "vqa", [vqa("v-1"), vqa("v-2", image="images/does_not_exist.png")], 2, "v-2",
         "image file does not exist"),
    ]


def _prediction_cases(good_ids):
    a, b, c = good_ids[:3]
    p = lambda i, text="0.5", **kw: _line(dict(id=i, prediction=text, **kw))
    return [
        ("predictions_malformed", [p(a), p(b)[:-2], p(c)], 2, "", "line 2 is not valid JSON"),
        ("predictions_duplicate_id", [p(a), p(b), p(a, "0.6")], 3, a, "id answered twice"),
        ("predictions_missing_prediction", [p(a), _line({"id": b, "latency_ms": 12.0})], 2, b,
         "no 'prediction' field"),
        ("predictions_unknown_id", [p(a), p("does-not-exist-1")], 2, "does-not-exist-1",
         "id is not in the suite"),
        ("predictions_invalid_utf8", [p(a), p(b, "cardiomegaly").replace(b"mega", b"\xc3\x28ga")], 2, b,
         "invalid UTF-8 in the prediction"),
        ("predictions_not_string", [p(a), _line({"id": b, "prediction": 0.52})], 2, b,
         "prediction is a number, not text"),
        ("predictions_nan_latency", [p(a), p(b, latency_ms=1.0).replace(b'"latency_ms": 1.0', b'"latency_ms": NaN')], 2, b,
         "latency_ms is NaN"),
    ]


def _suite(tasks, name="imax-sample-bad"):
    return {"name": name, "version": 1, "aggregate": "mean", "tasks": tasks}


_PRIMARY = {"calculation": "mae", "report_generation": "bleu_4",
            "multiclass_classification": "accuracy", "multilabel_classification": "f1_macro",
            "rec": "acc_iou_0.5", "reg": "token_f1", "vqa": "closed_accuracy"}


def _entry(task, split):
    # A complete, valid entry, so each case fails for its own reason only.
    e = {"task": task, "split": split, "primary_metric": _PRIMARY.get(task, "accuracy"), "weight": 1}
    if task in ("rec", "reg"):
        e["box_format"] = "grid100"
    return e


def write_bad(folder, good_ids, write):
    """Writes every case through write(path, bytes); returns the case list for the README."""
    if os.path.isdir(folder):  # the folder is the generator's alone: drop cases no longer made
        for name in sorted(os.listdir(folder)):
            if name.endswith((".json", ".jsonl")):
                os.remove(os.path.join(folder, name))
    write(os.path.join(folder, "images", "ok.png"),
          png_bytes(32, 32, [(x * 7 + y * 3) % 256 for y in range(32) for x in range(32)], 8))
    # A valid control: the same small image and one good record per task.
    valid = [_line(json.loads(lines[0])) for _, _, lines, _, _, _ in _split_cases()[:1]]
    cases = []
    by_task = {}
    for case, task, lines, line, rid, problem in _split_cases():
        split = case + ".jsonl"
        write(os.path.join(folder, split), b"\n".join(lines) + b"\n")
        suite = "suite_%s.json" % case
        write(os.path.join(folder, suite), _json(_suite([_entry(task, split)])))
        cases.append(dict(case=case, kind="split", suite=suite, file=split, line=line, id=rid,
                          problem=problem))
        by_task.setdefault(task, split)
    for case, lines, line, rid, problem in _prediction_cases(good_ids):
        name = case + ".jsonl"
        write(os.path.join(folder, name), b"\n".join(lines) + b"\n")
        cases.append(dict(case=case, kind="predictions", suite="../suite.json", file=name, line=line,
                          id=rid, problem=problem))
    suite_cases = [
        ("suite_level_unknown_task", _suite([_entry("segmentation", "unknown_task.jsonl")]), "unknown task 'segmentation'"),
        ("suite_level_unknown_metric", _suite([dict(_entry("vqa", "valid.jsonl"), metrics=["blue_4"],
                                              primary_metric="blue_4")]),
         "metric 'blue_4' is not registered"),
        ("suite_level_missing_split", _suite([_entry("vqa", "no_such_split.jsonl")]), "split file does not exist"),
        ("suite_level_no_tasks", _suite([]), "a suite needs at least one task"),
    ]
    for case, obj, problem in suite_cases:
        write(os.path.join(folder, case + ".json"), _json(obj))
        cases.append(dict(case=case, kind="suite", suite=case + ".json", file=case + ".json", line=0,
                          id="", problem=problem))
    write(os.path.join(folder, "suite_level_malformed.json"), b'{"name": "imax-sample-bad", "tasks": [\n')
    cases.append(dict(case="suite_level_malformed", kind="suite", suite="suite_level_malformed.json",
                      file="suite_level_malformed.json", line=2, id="", problem="suite file is not valid JSON"))
    files = [c["file"] for c in cases] + [c["suite"] for c in cases if c["kind"] == "split"]
    assert len(files) == len(set(files)), "two bad cases share a file name"
    # One suite over all seven tasks, each split broken in its own way.
    tasks = ["calculation", "report_generation", "multiclass_classification",
             "multilabel_classification", "rec", "reg", "vqa"]
    write(os.path.join(folder, "suite.json"), _json(_suite([_entry(t, by_task[t]) for t in tasks])))
    write(os.path.join(folder, "valid.jsonl"), b"\n".join(valid) + b"\n")
    write(os.path.join(folder, "suite_valid.json"), _json(_suite([_entry("vqa", "valid.jsonl")])))
    write(os.path.join(folder, "cases.json"),
          _json({"valid_suite": "suite_valid.json", "cases": cases}))
    return cases


def _json(obj):
    return (json.dumps(obj, indent=2) + "\n").encode()
