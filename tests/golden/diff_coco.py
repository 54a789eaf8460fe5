#!/usr/bin/env python3
"""Differential test of imaxbench's pycocoevalcap-flavoured metrics (bleu_1..4, rouge_l_coco,
cider_d) and PTB tokenizer against pycocoevalcap 1.2 on fresh random inputs: synthetic radiology
reports mixed with random character soup. Prints the seed; on a mismatch shrinks the input to a
small one that still shows it and prints that.

    .venv-h3a/bin/python tests/golden/diff_coco.py --tool build-h3a/tests/imaxbench_coco_text_tool \
        [--seed N] [--samples 150] [--rounds 3]

Two checks per round, both exact:
  - tokenizer: our coco_tokenize_batch against PTBTokenizer().tokenize on the same batch;
  - metrics (1e-9): our metrics against pycocoevalcap's scorers on each caption tokenized alone,
    which is what the metrics see (a caption's tokens can depend on the next caption in a
    pycocoevalcap batch; metrics/text/ptb_tokenizer.h documents it, and the first check covers it).
Exit status 1 on any mismatch.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from coco_text_corpus import sample, soup  # noqa: E402
from pycocoevalcap.bleu.bleu import Bleu  # noqa: E402
from pycocoevalcap.cider.cider import Cider  # noqa: E402
from pycocoevalcap.rouge.rouge import Rouge  # noqa: E402
from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer  # noqa: E402

METRICS = ["bleu_1", "bleu_2", "bleu_3", "bleu_4", "rouge_l_coco", "cider_d"]
TOL = 1e-9


def jar_batch(captions):
    if not captions:
        return []
    saved = os.dup(2)  # the jar reports untokenizable characters and timings on stderr
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            return PTBTokenizer().tokenize({0: [{"caption": c} for c in captions]})[0]
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def jar_alone(captions):
    """Each caption followed by an unremarkable line, as the metrics tokenize it."""
    return jar_batch([x for c in captions for x in (c, "zzz")])[0::2]


def tool(args, command, payload):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(payload, f, ensure_ascii=False)
    try:
        out = subprocess.run([args.tool, command, f.name], capture_output=True, check=True)
    finally:
        os.unlink(f.name)
    return json.loads(out.stdout.decode("utf-8"))


def reference_scores(samples):
    captions = [c for hyp, refs in samples for c in [hyp or ""] + refs]
    tok = jar_alone(captions)
    gts, res, at = {}, {}, 0
    for i, (_, refs) in enumerate(samples):
        res[i] = [tok[at]]
        gts[i] = tok[at + 1:at + 1 + len(refs)]
        at += 1 + len(refs)
    bleu, _ = Bleu(4).compute_score(gts, res, verbose=0)
    rouge, _ = Rouge().compute_score(gts, res)
    cider, _ = Cider().compute_score(gts, res)
    return dict(zip(METRICS, list(bleu) + [float(rouge), float(cider)]))


def metric_mismatches(args, samples):
    ref = reference_scores(samples)
    ours = tool(args, "score", {"metrics": METRICS,
                                "samples": [{"hyp": h, "refs": r} for h, r in samples]})["scores"]
    return {m: (ref[m], ours[m]) for m in METRICS if not abs(ref[m] - ours[m]) <= TOL}


def token_mismatches(args, captions):
    ref = jar_batch(captions)
    ours = tool(args, "tokens", {"captions": captions, "batch": True})
    return [i for i, (a, b) in enumerate(zip(ref, ours)) if a != b]


def shrink_list(items, still_fails):
    """Greedy delta debugging: drop chunks, then single items, while the failure stays."""
    chunk = max(1, len(items) // 2)
    while chunk >= 1:
        i, changed = 0, False
        while i < len(items):
            trial = items[:i] + items[i + chunk:]
            if trial and still_fails(trial):
                items, changed = trial, True
            else:
                i += chunk
        if not changed:
            chunk //= 2
    return items


def shrink_metrics(args, samples):
    fails = lambda s: bool(metric_mismatches(args, s))  # noqa: E731
    samples = shrink_list(samples, fails)
    for i in range(len(samples)):
        hyp, refs = samples[i]
        refs = shrink_list(refs, lambda r: fails(samples[:i] + [(hyp, r)] + samples[i + 1:]))
        words = shrink_list((hyp or "").split(" "),
                            lambda w: fails(samples[:i] + [(" ".join(w), refs)] + samples[i + 1:]))
        hyp = " ".join(words) if hyp is not None else None
        for j in range(len(refs)):
            def with_ref(w, j=j):
                return samples[:i] + [(hyp, refs[:j] + [" ".join(w)] + refs[j + 1:])] + samples[i + 1:]
            refs[j] = " ".join(shrink_list(refs[j].split(" "), lambda w: fails(with_ref(w))))
        samples[i] = (hyp, refs)
    return samples


def shrink_tokens(args, captions, index):
    window = captions[max(0, index - 1):index + 2]
    fails = lambda c: bool(token_mismatches(args, c))  # noqa: E731
    window = shrink_list(window, fails)
    for i in range(len(window)):
        chars = shrink_list(list(window[i]), lambda c: fails(window[:i] + ["".join(c)] + window[i + 1:]))
        window[i] = "".join(chars)
    return window


def draw(rng, n):
    samples = []
    for _ in range(n):
        hyp, refs = sample(rng, rng.random() < 0.03)
        if rng.random() < 0.15:
            hyp = soup(rng)
        if rng.random() < 0.1:
            refs[rng.randrange(len(refs))] = soup(rng)
        if rng.random() < 0.04:
            hyp = None  # missing prediction
        samples.append((hyp, refs))
    return samples


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tool", required=True, help="path of imaxbench_coco_text_tool")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--samples", type=int, default=150)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    seed = args.seed if args.seed is not None else int(time.time())
    print(f"seed {seed}")
    rng = random.Random(seed)
    failed = False
    for r in range(args.rounds):
        samples = draw(rng, args.samples)
        captions = [c for hyp, refs in samples for c in [hyp or ""] + refs]
        bad = token_mismatches(args, captions)
        if bad:
            failed = True
            print(f"round {r}: tokenizer differs on {len(bad)} of {len(captions)} captions; shrinking")
            small = shrink_tokens(args, captions, bad[0])
            print("  captions:", json.dumps(small, ensure_ascii=False))
            print("  pycocoevalcap:", json.dumps(jar_batch(small), ensure_ascii=False))
            print("  imaxbench:    ", json.dumps(tool(args, "tokens", {"captions": small, "batch": True}),
                                               ensure_ascii=False))
        diff = metric_mismatches(args, samples)
        if diff:
            failed = True
            print(f"round {r}: metrics differ: {diff}; shrinking")
            small = shrink_metrics(args, samples)
            print("  samples:", json.dumps(small, ensure_ascii=False))
            print("  differences:", metric_mismatches(args, small))
        if not bad and not diff:
            print(f"round {r}: {len(samples)} samples, {len(captions)} captions: tokens and "
                  f"{len(METRICS)} metrics agree")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
