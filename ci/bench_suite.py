"""A one-task report_generation suite for the whole-process benchmarks (ci/bench_score_*.py): the
split, one predictions file per entry of `predictions`, and suite.json, every record on one small
PNG of the sample suite."""
import json
import os
import shutil

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def write_report_suite(folder, name, pairs, predictions, primary, metrics=None):
    """pairs: (hypothesis, references) per sample; predictions: file name -> one answer per sample;
    metrics: the task's metric entries (None: the task's defaults). Returns the folder."""
    os.makedirs(folder, exist_ok=True)
    shutil.copyfile(os.path.join(ROOT, "suites", "sample", "images", "cxr_000.png"),
                    os.path.join(folder, "cxr.png"))
    ids = ["report-%06d" % i for i in range(len(pairs))]
    with open(os.path.join(folder, "report_generation.jsonl"), "w", encoding="utf-8") as split:
        for i, (sid, (_, refs)) in enumerate(zip(ids, pairs)):
            split.write(json.dumps({"id": sid, "task": "report_generation", "image": "cxr.png",
                                    "image_id": "img-%06d" % i, "reference": refs}) + "\n")
    for file_name, answers in predictions.items():
        with open(os.path.join(folder, file_name), "w", encoding="utf-8") as f:
            for sid, answer in zip(ids, answers):
                f.write(json.dumps({"id": sid, "prediction": answer}) + "\n")
    task = {"task": "report_generation", "split": "report_generation.jsonl", "primary_metric": primary}
    if metrics is not None:
        task["metrics"] = metrics
    task["weight"] = 1
    with open(os.path.join(folder, "suite.json"), "w", encoding="utf-8") as f:
        json.dump({"name": name, "version": 1, "aggregate": "mean", "tasks": [task]}, f, indent=1)
    return folder
