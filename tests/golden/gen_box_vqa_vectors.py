"""Writes tests/data/box_vqa_vectors.json for tests/golden/box_vqa_metrics_test.cc: rec boxes with
their IoU, and VQA / text answers with their per-sample metric values, computed by the Python
definitions below (the published rules, transcribed) on answers normalized by the official VQAv2
evaluation itself (vqaEval.py, loaded from a checkout; see vqa_eval_loader.py).

    python3 tests/golden/gen_box_vqa_vectors.py PATH/TO/vqaEval.py
"""
import json
import os
import random
from collections import Counter

from vqa_eval_loader import DEFAULT_COMMIT, load_vqa_eval, vqa_eval_path_from_argv

SEED = 20250418


# ---- IoU -------------------------------------------------------------------------------------
def uni_med_compute_iou(bbox1, bbox2):
    """Uni-Med uni_med/common/eval_utils.py computeIoU, transcribed (pixel-inclusive sides)."""
    x1, y1, x2, y2 = bbox1
    x3, y3, x4, y4 = bbox2
    intersection_x1 = max(x1, x3)
    intersection_y1 = max(y1, y3)
    intersection_x2 = min(x2, x4)
    intersection_y2 = min(y2, y4)
    intersection_area = (max(0, intersection_x2 - intersection_x1 + 1) *
                         max(0, intersection_y2 - intersection_y1 + 1))
    bbox1_area = (x2 - x1 + 1) * (y2 - y1 + 1)
    bbox2_area = (x4 - x3 + 1) * (y4 - y3 + 1)
    union_area = bbox1_area + bbox2_area - intersection_area
    return intersection_area / union_area


def continuous_iou(p, r):
    iw = max(0.0, min(p[2], r[2]) - max(p[0], r[0]))
    ih = max(0.0, min(p[3], r[3]) - max(p[1], r[1]))
    inter = iw * ih
    union = (p[2] - p[0]) * (p[3] - p[1]) + (r[2] - r[0]) * (r[3] - r[1]) - inter
    return inter / union if union > 0 else 0.0


def imax_iou(pred, ref, convention):
    """imaxbench's rule: IoU 0 for no box or an inverted one, else the convention's formula
    (Uni-Med's computeIoU called as computeIoU(pred, gt), as eval_ref.py does)."""
    if pred is None or pred[2] < pred[0] or pred[3] < pred[1]:
        return 0.0
    if convention == "pixel_inclusive":
        return uni_med_compute_iou(pred, ref)
    return continuous_iou(pred, ref)


def box_samples(rng):
    samples = []
    size = 512
    fixed = [
        ([10, 10, 50, 50], [10, 10, 50, 50]),      # identical
        ([10, 10, 50, 50], [60, 60, 90, 90]),      # disjoint
        ([10, 10, 50, 50], [51, 10, 90, 50]),      # adjacent: touching pixels, no overlap
        ([10, 10, 50, 50], [50, 50, 90, 90]),      # one shared pixel corner
        ([0, 0, 100, 100], [25, 25, 75, 75]),      # contained
        ([10, 10, 60, 90], [20, 20, 20, 80]),      # zero-width prediction
        ([20, 20, 20, 80], [10, 10, 60, 90]),      # zero-width reference
        ([10, 10, 60, 60], [60, 60, 10, 10]),      # inverted prediction
        ([10, 10, 50, 50], None),                  # unparsed
        ([10.5, 20.25, 200.75, 300.0], [12.8, 18.0, 190.4, 310.6]),  # grid-converted fractions
        ([0, 0, 40, 40], [0, 0, 60, 60]),          # IoU exactly 41^2/61^2 vs 1600/3600
    ]
    samples.extend(fixed)  # (reference, prediction)
    for _ in range(60):
        x1, y1 = rng.randint(0, size - 40), rng.randint(0, size - 40)
        ref = [x1, y1, rng.randint(x1 + 5, size - 1), rng.randint(y1 + 5, size - 1)]
        kind = rng.random()
        if kind < 0.1:
            pred = None
        elif kind < 0.5:  # integer jitter
            pred = [c + rng.randint(-25, 25) for c in ref]
        else:  # from a 0-100 grid scaled to pixels, as Uni-Med's answers are
            pred = [round(min(max(c + rng.uniform(-30, 30), 0), size) / size * 100) / 100 * size
                    for c in ref]
        samples.append((ref, pred))
    out = []
    for ref, pred in samples:
        out.append({"ref": ref, "pred": pred,
                    "iou": {c: imax_iou(pred, ref, c) for c in ("pixel_inclusive", "continuous")}})
    return out


# ---- answers ---------------------------------------------------------------------------------
def squad_f1(pred, ref):
    """SQuAD v1.1 evaluate.py f1_score on token lists (empty answers: 1 iff both empty)."""
    if len(pred) == 0 or len(ref) == 0:
        return float(pred == ref)
    common = Counter(pred) & Counter(ref)
    num_same = sum(common.values())
    if num_same == 0:
        return 0.0
    precision = 1.0 * num_same / len(pred)
    recall = 1.0 * num_same / len(ref)
    return (2 * precision * recall) / (precision + recall)


def unimed_f1(pred, ref):
    """Uni-Med eval_vqa.py calculate_f1score on token lists."""
    cand, refw = Counter(pred), Counter(ref)
    tp = fp = fn = 0
    for word in set(cand) | set(refw):
        if word in cand and word in refw:
            tp += cand[word]
        elif word in cand:
            fp += cand[word]
        else:
            fn += refw[word]
    if len(cand) == 0 or len(refw) == 0:
        return 0
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    return 0 if tp == 0 else 2 * precision * recall / (precision + recall)


def recall(pred, ref):
    if len(pred) == 0 or len(ref) == 0:
        return float(pred == ref)
    present = set(pred)
    return sum(1 for t in ref if t in present) / len(ref)


CLOSED = [
    (["yes"], "Yes."), (["yes"], "yes, there is"), (["no"], "No"), (["no"], "not sure"),
    (["no"], "There is no effusion."), (["yes"], "YES!"), (["no"], None), (["yes"], ""),
    (["left"], "the left side"), (["left", "left side"], "Left side."), (["two"], "2"),
    (["none"], "0"), (["yes"], "yes\nyes"), (["no"], "n/o"), (["right"], "right-sided"),
]
OPEN = [
    (["right lower lobe"], "The right lower lobe."), (["pleural effusion"], "effusion"),
    (["pleural effusion"], "effusion effusion pleural"), (["cardiomegaly"], None),
    (["left upper lobe", "LUL"], "lul"), (["two"], "two nodules"), (["the heart"], ""),
    (["a"], ""), (["mass"], "a"), (["enlarged cardiac silhouette"], "cardiac silhouette, enlarged"),
    (["x-ray"], "x ray"), (["1,000 ml"], "1000 ml"), (["3.5 cm"], "3.5cm"),
]
REPORTS = [
    (["No acute cardiopulmonary process."], "No acute cardiopulmonary process."),
    (["Mild cardiomegaly. No edema."], "mild cardiomegaly, no pulmonary edema"),
    (["Small left pleural effusion."], None),
    (["Heart size normal.", "Normal heart size."], "normal heart size"),
]
WORDS = ["left", "right", "lower", "upper", "lobe", "effusion", "pleural", "the", "a", "no",
         "yes", "two", "3", "mild", "opacity", "edema", "heart", "size", "normal", "x-ray",
         "(left)", "is", "there", "1,5", "cm.", "one", "dont", "isnt"]


def phrase(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def text_samples(rng, normalize):
    items = [("vqa", "closed", refs, pred) for refs, pred in CLOSED]
    items += [("vqa", "open", refs, pred) for refs, pred in OPEN]
    items += [("report_generation", "", refs, pred) for refs, pred in REPORTS]
    for _ in range(40):
        kind = rng.choice(["closed", "open", "report"])
        refs = [phrase(rng, rng.randint(1, 4)) for _ in range(rng.randint(1, 3))]
        pred = None if rng.random() < 0.1 else phrase(rng, rng.randint(0, 6))
        if kind == "report":
            items.append(("report_generation", "", refs, pred))
        else:
            items.append(("vqa", kind, refs, pred))
    out = []
    for task, answer_type, refs, pred in items:
        values = {}
        if pred is None:
            values = {k: 0.0 for k in ("exact", "contains", "f1_squad", "f1_unimed", "recall")}
        else:
            np_, tp_ = normalize(pred), normalize(pred).split()
            nrefs = [normalize(r) for r in refs]
            values["exact"] = float(any(np_ == r for r in nrefs))
            values["contains"] = float(any(r in np_ for r in nrefs))  # Uni-Med: gt in pred
            values["f1_squad"] = max(squad_f1(tp_, r.split()) for r in nrefs)
            values["f1_unimed"] = float(max(unimed_f1(tp_, r.split()) for r in nrefs))
            values["recall"] = max(recall(tp_, r.split()) for r in nrefs)
        out.append({"task": task, "answer_type": answer_type, "refs": refs, "pred": pred,
                    "values": values})
    return out


def main():
    normalize = load_vqa_eval(vqa_eval_path_from_argv(
        "usage: python3 tests/golden/gen_box_vqa_vectors.py PATH"))
    rng = random.Random(SEED)
    data = {"generator": "tests/golden/gen_box_vqa_vectors.py", "seed": SEED,
            "normalization": "GT-Vision-Lab/VQA vqaEval.py @ " + DEFAULT_COMMIT,
            "boxes": box_samples(rng), "texts": text_samples(rng, normalize)}
    out = os.path.join(os.path.dirname(__file__), "..", "data", "box_vqa_vectors.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, allow_nan=False, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(data['boxes'])} boxes and {len(data['texts'])} answers to "
          f"{os.path.normpath(out)}")


if __name__ == "__main__":
    main()
