#!/usr/bin/env python3
"""Reference values for imaxbench's paired bootstrap (results/paired_bootstrap.h), from sacrebleu.

For a few synthetic corpora (seeded), runs sacrebleu's own paired bootstrap test
(sacrebleu.significance.PairedTest, test_type='bs', the code behind `sacrebleu --paired-bs`) on a
baseline and a system, and stores per-sentence BLEU sufficient statistics of both, their corpus
BLEU, sacrebleu's p-value and the system's bootstrap mean and 95% CI half-width. It also redraws
sacrebleu's resample indices (numpy default_rng(seed), the same call) to give the percentile 95% CI
and the standard deviation of the resampled BLEU differences, which sacrebleu does not print.

The C++ test resamples the same statistics with its own generator, so its numbers agree with these
within Monte Carlo error, not exactly.

Run inside a virtualenv with sacrebleu:  python3 tests/golden/gen_paired_bootstrap.py
Writes tests/data/paired_bs.json.
"""
import json
import os
import random

import numpy as np
import sacrebleu
from sacrebleu.metrics import BLEU
from sacrebleu.significance import PairedTest

N_SAMPLES = 10000
SEED = 12345  # sacrebleu's default SACREBLEU_SEED
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "paired_bs.json")

WORDS = ("heart size normal lungs clear no pleural effusion pneumothorax mild cardiomegaly "
         "interstitial edema opacity left right lower lobe stable unchanged small vascular "
         "congestion atelectasis consolidation the of is are with and there").split()


def corpus(rng, n, min_len=6, max_len=18):
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(min_len, max_len))) for _ in range(n)]


def noisy(rng, sentence, rate):
    """Replace, drop or keep each word: a model that is right about 1 - rate of the words."""
    out = []
    for w in sentence.split():
        r = rng.random()
        if r < rate / 2:
            out.append(rng.choice(WORDS))
        elif r < rate:
            continue
        else:
            out.append(w)
    return " ".join(out) if out else rng.choice(WORDS)


def case(name, n, baseline_rate, system_rate, seed):
    rng = random.Random(seed)
    refs = corpus(rng, n)
    baseline = [noisy(rng, s, baseline_rate) for s in refs]
    system = [noisy(rng, s, system_rate) for s in refs]
    metric = BLEU()
    test = PairedTest([("baseline", baseline), ("system", system)], {"BLEU": metric}, [refs],
                      test_type="bs", n_samples=N_SAMPLES)
    _, scores = test()
    bl_result, sys_result = scores["BLEU"]

    bl_stats = np.array(metric._extract_corpus_statistics(baseline, [refs]), dtype="float32")
    sys_stats = np.array(metric._extract_corpus_statistics(system, [refs]), dtype="float32")
    # The indices _paired_bs_test drew (same generator, seed and call).
    idxs = np.random.default_rng(SEED).choice(n, size=(N_SAMPLES, n), replace=True)
    bl = np.array([metric._compute_score_from_stats(s.sum(0)).score for s in bl_stats[idxs]])
    sy = np.array([metric._compute_score_from_stats(s.sum(0)).score for s in sys_stats[idxs]])
    diffs = sy - bl
    observed = sys_result.score - bl_result.score
    # sacrebleu's p-value rule, recomputed here to prove the indices are the ones it used.
    centred = np.abs(diffs) - np.abs(diffs).mean()
    p_check = (np.sum(centred > abs(observed)) + 1) / (N_SAMPLES + 1)
    assert abs(p_check - sys_result.p_value) < 1e-12, (p_check, sys_result.p_value)
    return {
        "name": name,
        "n": n,
        "baseline_stats": bl_stats.astype(int).tolist(),
        "system_stats": sys_stats.astype(int).tolist(),
        "baseline_bleu": bl_result.score,
        "system_bleu": sys_result.score,
        "p_value": sys_result.p_value,
        "system_bootstrap_mean": sys_result.mean,
        "system_ci_half_width": sys_result.ci,
        "delta_ci95": [float(np.percentile(diffs, 2.5)), float(np.percentile(diffs, 97.5))],
        "delta_sd": float(diffs.std(ddof=1)),
    }


def main():
    cases = [
        case("clear_gain", 250, 0.45, 0.30, 1),
        case("small_gain", 250, 0.40, 0.37, 2),
        case("no_difference", 250, 0.40, 0.40, 3),
    ]
    doc = {
        "generator": "tests/golden/gen_paired_bootstrap.py",
        "sacrebleu_version": sacrebleu.__version__,
        "signature": "BLEU nrefs:1 case:mixed eff:no tok:13a smooth:exp",
        "stats_layout": "[sys_len, ref_len, correct_1..4, total_1..4]",
        "n_samples": N_SAMPLES,
        "seed": SEED,
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    for c in cases:
        print(f"{c['name']}: BLEU {c['baseline_bleu']:.2f} -> {c['system_bleu']:.2f}, p = {c['p_value']:.4f}, "
              f"delta CI {c['delta_ci95'][0]:.2f} .. {c['delta_ci95'][1]:.2f}")


if __name__ == "__main__":
    main()
