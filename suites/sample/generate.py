#!/usr/bin/env python3
"""Regenerates the bundled sample suite: python3 suites/sample/generate.py

Synthetic frontal chest radiographs with planted findings, the seven IMAX task splits over them,
a model's predictions, a retrieval gallery and deliberately broken files. Standard library only
and deterministic: fixed seeds, so every run writes the same bytes (given the same zlib).
"""
import hashlib
import json
import os
import random
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "generator"))

from bad import write_bad  # noqa: E402
from findings import paint  # noqa: E402
from jpeg import jpeg_bytes  # noqa: E402
from png_dicom import dicom_bytes, png_bytes  # noqa: E402
from predictions import predictions  # noqa: E402
from records import SHORT, TASKS, image_records  # noqa: E402
from scene import chexpert_labels, sample_scene  # noqa: E402
import readme  # noqa: E402

SAMPLE_SEED = 20250409
GALLERY_SEED = 20250410
N_IMAGES = 40
SIZES = [(256, 256)] * 6 + [(320, 320)] * 2 + [(256, 320), (320, 256), (288, 320)]
# Sample-suite images stored in other formats than 8-bit PNG, so every loader path is exercised.
# DICOM: (photometric, modality, rescale slope, intercept, width, height).
SPECIAL = {
    3: ("jpeg",), 12: ("jpeg",), 26: ("jpeg",), 37: ("jpeg",),
    8: ("png16",), 21: ("png16",), 33: ("png16",),
    5: ("dicom", "MONOCHROME2", "DX", 1.0, 0.0, 256, 256),
    17: ("dicom", "MONOCHROME1", "CR", 1.0, 0.0, 256, 320),
    29: ("dicom", "MONOCHROME2", "DX", 0.5, -100.0, 256, 256),
}
PRIMARY = {"calculation": "mae", "report_generation": "bleu_4",
           "multiclass_classification": "accuracy", "multilabel_classification": "f1_macro",
           "rec": "acc_iou_0.5", "reg": "token_f1", "vqa": "closed_accuracy"}

written = []


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    written.append(path)


def write_jsonl(path, rows):
    write(path, "".join(json.dumps(r) + "\n" for r in rows).encode())


def encode_image(img, w, h, special, name):
    """(extension, bytes, format description) for the float image."""
    kind = special[0] if special else "png8"
    if kind == "png8":
        return ".png", png_bytes(w, h, [int(v * 255 + 0.5) for v in img], 8), "PNG 8-bit"
    if kind == "png16":
        return ".png", png_bytes(w, h, [int(v * 65535 + 0.5) for v in img], 16), "PNG 16-bit"
    if kind == "jpeg":
        return ".jpg", jpeg_bytes(w, h, [int(v * 255 + 0.5) for v in img]), "JPEG baseline"
    _, photometric, modality, slope, intercept, _, _ = special
    stored = [int(v * 4095 + 0.5) for v in img]
    if photometric == "MONOCHROME1":
        stored = [4095 - s for s in stored]  # MONOCHROME1: high values display dark
    values = [s * slope + intercept for s in stored]
    lo, hi = min(values), max(values)
    data = dicom_bytes(name, w, h, stored, photometric, slope, intercept, (lo + hi) / 2.0,
                       hi - lo + 1, modality)
    return ".dcm", data, "DICOM %s %s" % (modality, photometric)


def build(folder, prefix, id_prefix, seed, special):
    """Images and scene truth of one image set; returns (records in task order, scenes)."""
    scenes, by_task = {}, {t: [] for t in TASKS}
    images = os.path.join(folder, "images")
    if os.path.isdir(images):  # drop images a previous version wrote under other names
        for stale in sorted(os.listdir(images)):
            if stale.startswith(prefix + "_"):
                os.remove(os.path.join(images, stale))
    rec_rng = random.Random(seed + 1)
    for idx in range(N_IMAGES):
        rng = random.Random(seed * 1000 + idx)
        spec = special.get(idx)
        w, h = (spec[5], spec[6]) if spec and spec[0] == "dicom" else rng.choice(SIZES)
        scene = sample_scene(rng, w, h)
        img = paint(scene, rng)
        name = "%s_%03d" % (prefix, idx)
        ext, data, fmt = encode_image(img, w, h, spec, name)
        write(os.path.join(folder, "images", name + ext), data)
        scene.update(file="images/" + name + ext, image_id=name, format=fmt)
        scenes[name] = scene
        for task, recs in image_records(idx, scene, rec_rng, id_prefix).items():
            by_task[task].extend(recs)
    truth = [{"image_id": k, "image": s["file"], "format": s["format"],
              "image_size": [s["width"], s["height"]], "ctr": s["ctr"], "cpar": s["cpar"],
              "edema": s["edema"], "labels": chexpert_labels(s), "heart_box": s["heart_box"],
              "thorax_box": s["thorax_box"], "lung_boxes": s["lung_boxes"],
              "findings": s["findings"]} for k, s in scenes.items()]
    write_jsonl(os.path.join(folder, "image_truth.jsonl"), truth)
    return [r for t in TASKS for r in by_task[t]], scenes


def exercise_optional_fields(records):
    """docs/formats.md §1 also allows a class index as a multiclass reference and a per-record
    prompt; one sample record uses each so those paths are covered."""
    from scene import EDEMA_GRADES
    mc = next(r for r in records if r["task"] == "multiclass_classification")
    mc["reference"] = EDEMA_GRADES.index(mc["reference"])
    vqa = next(r for r in records if r["task"] == "vqa" and r["answer_type"] == "closed")
    vqa["prompt"] = "Look at this chest X-ray and answer yes or no. %s" % vqa["question"]


def write_splits(folder, records):
    for task in TASKS:
        write_jsonl(os.path.join(folder, task + ".jsonl"), [r for r in records if r["task"] == task])


def suite_json(name):
    tasks = []
    for task in TASKS:
        entry = {"task": task, "split": task + ".jsonl", "primary_metric": PRIMARY[task]}
        if task in ("rec", "reg"):
            entry["box_format"] = "grid100"
        if task == "rec":
            entry["metrics"] = [{"name": "acc_iou_0.5", "params": {"iou_convention": "pixel_inclusive"}},
                                {"name": "miou", "params": {"iou_convention": "pixel_inclusive"}}]
        entry["weight"] = 1
        tasks.append(entry)
    suite = {"name": name, "version": 1, "aggregate": "mean", "tasks": tasks}
    return (json.dumps(suite, indent=2) + "\n").encode()


def check(records, scenes):
    """The contracts the harness will enforce, checked before anything ships."""
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in records:
        s = scenes[r["image_id"]]
        for key in ("reference", "box"):
            if r["task"] in ("rec", "reg") and key in r and isinstance(r[key], list) and len(r[key]) == 4 \
                    and all(isinstance(v, int) for v in r[key]):
                x1, y1, x2, y2 = r[key]
                assert 0 <= x1 <= x2 < s["width"] and 0 <= y1 <= y2 < s["height"], r["id"]


def stats(records):
    per_image = {}
    for r in records:
        per_image.setdefault(r["image_id"], []).append(r["task"])
    n = len(per_image)
    return {"images": n, "records": len(records),
            "per_task": {t: sum(1 for r in records if r["task"] == t) for t in TASKS},
            "tasks_per_image": round(sum(len(set(v)) for v in per_image.values()) / n, 2),
            "entries_per_image": round(len(records) / n, 2)}


def main():
    sample_records, sample_scenes = build(HERE, "cxr", "", SAMPLE_SEED, SPECIAL)
    exercise_optional_fields(sample_records)
    write_splits(HERE, sample_records)
    check(sample_records, sample_scenes)
    write(os.path.join(HERE, "suite.json"), suite_json("imax-sample"))
    gallery = os.path.join(HERE, "gallery")
    gallery_records, gallery_scenes = build(gallery, "gal", "gal-", GALLERY_SEED, {})
    check(gallery_records, gallery_scenes)
    write_splits(gallery, gallery_records)
    write(os.path.join(gallery, "suite.json"), suite_json("imax-sample-gallery"))

    preds = predictions(sample_records, sample_scenes, random.Random(SAMPLE_SEED + 2))
    write_jsonl(os.path.join(HERE, "predictions.jsonl"), [row for row, _ in preds])
    outcomes = {}
    for _, o in preds:
        outcomes[o] = outcomes.get(o, 0) + 1
    outcomes["missing"] = len(sample_records) - len(preds)

    cases = write_bad(os.path.join(HERE, "bad"), [r["id"] for r in sample_records], write)
    s_stats, g_stats = stats(sample_records), stats(gallery_records)
    write(os.path.join(HERE, "README.md"),
          readme.render(s_stats, g_stats, outcomes, sample_scenes, cases, SHORT).encode())

    total = sum(os.path.getsize(p) for p in written)
    print("sample:  %s" % json.dumps(s_stats))
    print("gallery: %s" % json.dumps(g_stats))
    print("predictions: %s" % json.dumps(outcomes))
    print("%d files, %.2f MB" % (len(written), total / 1e6))
    digest = hashlib.sha256()
    for p in sorted(written):
        digest.update(os.path.relpath(p, HERE).encode() + b"\0")
        with open(p, "rb") as f:
            digest.update(hashlib.sha256(f.read()).digest())
    print("content sha256: %s" % digest.hexdigest())


if __name__ == "__main__":
    main()
