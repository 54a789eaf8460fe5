"""Writes tests/data/sklearn_vectors.json: seeded random and degenerate inputs with the values
scikit-learn gives for them, for tests/golden/sklearn_metrics_test.cc.

    python3 -m venv .venv-x && .venv-x/bin/pip install scikit-learn numpy
    .venv-x/bin/python tests/golden/gen_sklearn_vectors.py

How imaxbench's conventions for answers that cannot be scored are put to sklearn (so the stored
values encode exactly those conventions):
  multiclass  an unparsed answer is y_pred = -1 and f1_score gets labels = classes present in
              y_true or the parsed y_pred (-1 excluded): a false negative, not a class of its own.
              accuracy: -1 never equals a class. kappa: -1 becomes the class farthest from the
              truth (0 or K-1, 0 on a tie), labels=range(K) so weights use class indices.
              f1_samples: one-hot rows, the unparsed answer an all-zero row.
  multilabel  an unparsed answer (null) is an all-zero row for F1; for accuracy/exact match it is
              the complement of the true row (always wrong).
  regression  an unparsed answer (null) is the value in [0, 1] farthest from the reference
              (0 when ref >= 0.5, else 1), so MAE/RMSE see the worst error max(ref, 1 - ref).
"""
import json
import math
import os

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, cohen_kappa_score, f1_score, mean_absolute_error,
                             mean_squared_error, precision_recall_fscore_support)

SEED = 20250417
TOLERANCE = 0.05
THRESHOLD = 0.5


def clean(x):
    """JSON has no NaN: undefined scores are stored as null."""
    x = float(x)
    return None if math.isnan(x) else x


def farthest(t, k):
    return k - 1 if t < (k - 1) - t else 0


def multiclass_case(name, k, y_true, y_pred):
    y_true = [int(v) for v in y_true]
    y_pred = [int(v) for v in y_pred]
    present = sorted((set(y_true) | set(y_pred)) - {-1})
    labels = present if -1 in y_pred else None
    onehot_t = np.zeros((len(y_true), k), dtype=int)
    onehot_p = np.zeros((len(y_true), k), dtype=int)
    for i, (t, p) in enumerate(zip(y_true, y_pred)):
        onehot_t[i, t] = 1
        if p >= 0:
            onehot_p[i, p] = 1
    filled = [p if p >= 0 else farthest(t, k) for t, p in zip(y_true, y_pred)]
    prec, rec, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=list(range(k)), average=None, zero_division=0)
    return {
        "name": name, "n_classes": k, "y_true": y_true, "y_pred": y_pred,
        "expected": {
            "accuracy": clean(accuracy_score(y_true, y_pred)),
            "f1_macro": clean(f1_score(y_true, y_pred, labels=labels, average="macro")),
            "f1_micro": clean(f1_score(y_true, y_pred, labels=labels, average="micro")),
            "f1_samples": clean(f1_score(onehot_t, onehot_p, average="samples")),
            "kappa_quadratic": clean(cohen_kappa_score(y_true, filled, labels=list(range(k)),
                                                       weights="quadratic")),
            "per_class": {"precision": [clean(v) for v in prec], "recall": [clean(v) for v in rec],
                          "f1": [clean(v) for v in f1], "support": [int(v) for v in support],
                          "averaged": [c in present for c in range(k)]},
        },
    }


def multilabel_case(name, y_true, y_pred):
    y_true = np.asarray(y_true, dtype=int)
    k = y_true.shape[1]
    zero = [[0] * k if p is None else list(p) for p in y_pred]
    wrong = [[1 - v for v in t] if p is None else list(p) for t, p in zip(y_true.tolist(), y_pred)]
    zero = np.asarray(zero, dtype=int)
    prec, rec, f1, support = precision_recall_fscore_support(y_true, zero, average=None,
                                                             zero_division=0)
    return {
        "name": name, "n_labels": k, "y_true": y_true.tolist(),
        "y_pred": [None if p is None else [int(v) for v in p] for p in y_pred],
        "expected": {
            "f1_macro": clean(f1_score(y_true, zero, average="macro")),
            "f1_micro": clean(f1_score(y_true, zero, average="micro")),
            "f1_samples": clean(f1_score(y_true, zero, average="samples")),
            "accuracy": clean(accuracy_score(y_true, np.asarray(wrong, dtype=int))),
            "per_class": {"precision": [clean(v) for v in prec], "recall": [clean(v) for v in rec],
                          "f1": [clean(v) for v in f1], "support": [int(v) for v in support],
                          "averaged": [True] * k},
        },
    }


def regression_case(name, ref, pred):
    ref = [float(v) for v in ref]
    filled = [p if p is not None else (0.0 if r >= 1 - r else 1.0) for r, p in zip(ref, pred)]
    within = [p is not None and abs(p - r) <= TOLERANCE + 1e-12 for r, p in zip(ref, pred)]
    # Cardiomegaly call agreement through sklearn: an unparsed answer makes the opposite call.
    calls_ref = [r > THRESHOLD for r in ref]
    calls_pred = [(p > THRESHOLD) if p is not None else not (r > THRESHOLD)
                  for r, p in zip(ref, pred)]
    return {
        "name": name, "ref": ref, "pred": [None if p is None else float(p) for p in pred],
        "expected": {
            "mae": clean(mean_absolute_error(ref, filled)),
            "rmse": clean(math.sqrt(mean_squared_error(ref, filled))),
            "acc_within": clean(np.mean(within)),
            "cardiomegaly_agreement": clean(accuracy_score(calls_ref, calls_pred)),
        },
    }


def main():
    rng = np.random.default_rng(SEED)
    mc = []
    mc.append(multiclass_case("one_sample_right", 4, [2], [2]))
    mc.append(multiclass_case("one_sample_wrong", 4, [2], [0]))
    mc.append(multiclass_case("one_sample_unparsed", 4, [1], [-1]))
    mc.append(multiclass_case("one_class_only", 4, [2] * 6, [2] * 6))
    mc.append(multiclass_case("all_wrong", 4, [0, 1, 2, 3, 0, 1], [1, 2, 3, 0, 3, 3]))
    mc.append(multiclass_case("all_unparsed", 4, [0, 1, 2, 3, 3], [-1] * 5))
    mc.append(multiclass_case("class_only_predicted", 4, [0, 0, 1, 1], [0, 3, 1, 3]))
    mc.append(multiclass_case("tie_middle_class_unparsed", 3, [1, 1, 0, 2], [-1, 1, 0, 2]))
    for k, n, unparsed in [(4, 50, 0.0), (4, 50, 0.2), (2, 30, 0.1), (4, 200, 0.05),
                           (14, 300, 0.1), (64, 500, 0.1), (5, 1000, 0.0)]:
        y_true = rng.integers(0, k, n)
        noise = rng.integers(-1, 2, n)
        y_pred = np.clip(y_true + noise * (rng.random(n) < 0.4), 0, k - 1)
        y_pred[rng.random(n) < unparsed] = -1
        mc.append(multiclass_case(f"random_k{k}_n{n}_u{unparsed}", k, y_true, y_pred))

    ml = []
    ml.append(multilabel_case("one_sample_right", [[0, 1, 1]], [[0, 1, 1]]))
    ml.append(multilabel_case("one_sample_unparsed", [[0, 1, 1]], [None]))
    ml.append(multilabel_case("no_positives_anywhere", [[0, 0, 0]] * 4, [[0, 0, 0]] * 4))
    ml.append(multilabel_case("no_true_positives", [[0, 0, 0]] * 3, [[1, 0, 0], [0, 0, 0], None]))
    # (A one-column vocabulary is read by sklearn as binary, not multilabel: a never-true column.)
    ml.append(multilabel_case("label_never_true", [[1, 0], [0, 0], [1, 0], [1, 0]],
                              [[1, 0], [1, 0], [0, 0], None]))
    ml.append(multilabel_case("all_wrong", [[1, 0], [0, 1], [1, 1]], [[0, 1], [1, 0], [0, 0]]))
    ml.append(multilabel_case("empty_truth_unparsed", [[0, 0], [1, 0]], [None, [1, 0]]))
    for k, n, density, unparsed in [(14, 100, 0.2, 0.0), (14, 100, 0.2, 0.15), (5, 40, 0.5, 0.1),
                                    (64, 200, 0.05, 0.1), (14, 1000, 0.1, 0.05)]:
        y_true = (rng.random((n, k)) < density).astype(int)
        flips = rng.random((n, k)) < 0.15
        y_pred = np.where(flips, 1 - y_true, y_true).tolist()
        y_pred = [None if rng.random() < unparsed else row for row in y_pred]
        ml.append(multilabel_case(f"random_k{k}_n{n}_u{unparsed}", y_true, y_pred))

    rg = []
    rg.append(regression_case("one_exact", [0.52], [0.52]))
    rg.append(regression_case("one_unparsed_high", [0.62], [None]))
    rg.append(regression_case("one_unparsed_low", [0.31], [None]))
    rg.append(regression_case("unparsed_at_half", [0.5], [None]))
    rg.append(regression_case("decimal_tie_at_tolerance", [0.5, 0.45, 0.6], [0.55, 0.5, 0.65]))
    rg.append(regression_case("all_unparsed", [0.4, 0.5, 0.7], [None, None, None]))
    for n, unparsed in [(50, 0.0), (50, 0.2), (500, 0.05)]:
        ref = np.round(rng.uniform(0.3, 0.75, n), 4)
        pred = np.round(ref + rng.normal(0, 0.05, n), 4)
        pred = [None if rng.random() < unparsed else float(p) for p in pred]
        rg.append(regression_case(f"random_n{n}_u{unparsed}", ref, pred))

    out = os.path.join(os.path.dirname(__file__), "..", "data", "sklearn_vectors.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"generator": "tests/golden/gen_sklearn_vectors.py", "seed": SEED,
                   "sklearn_version": sklearn.__version__, "numpy_version": np.__version__,
                   "tolerance": TOLERANCE, "threshold": THRESHOLD,
                   "multiclass": mc, "multilabel": ml, "regression": rg}, f, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(mc)} multiclass, {len(ml)} multilabel, {len(rg)} regression cases "
          f"to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
