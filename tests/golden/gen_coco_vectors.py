#!/usr/bin/env python3
"""Writes tests/data/coco_text_vectors.json: what pycocoevalcap 1.2 (its PTBTokenizer, which runs
Stanford CoreNLP 3.4.1's jar through Java, then Bleu(4), Rouge, Cider) makes of seeded synthetic
radiology corpora, for tests/golden/coco_text_metrics_test.cc.

    python3 -m venv .venv-h3a && .venv-h3a/bin/pip install pycocoevalcap==1.2   # needs java
    .venv-h3a/bin/python tests/golden/gen_coco_vectors.py

Corpora are tokenized the way COCOEvalCap does it (references and hypotheses in two calls, in
sample order). The metrics tokenize each caption on its own; a few tokenizer rules look past the
end of a line into the next caption, so a sample whose captions tokenize differently in isolation
is drawn again (imaxbench documents that case). The tokenizer batches record the in-context
output for such cases and for random character soup.
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from coco_text_corpus import corpus, sample, soup  # noqa: E402
from pycocoevalcap.bleu.bleu import Bleu  # noqa: E402
from pycocoevalcap.cider.cider import Cider  # noqa: E402
from pycocoevalcap.rouge.rouge import Rouge  # noqa: E402
from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "coco_text_vectors.json")
CORPORA = [  # name, seed, samples, fraction of very long reports
    ("one", 11, 1, 0.0), ("small", 12, 6, 0.0), ("medium", 13, 60, 0.05), ("large", 14, 240, 0.03)]

# Lines whose tokens depend on the next line, and other lexer corners, tokenized as one batch.
TRICKY = [
    "Grade I.", "The lungs are clear.", "Type A.", "It is stable.", "See fig.", "5 views obtained.",
    "No.", "2 nodules.", "etc.", "The end", "U.S.", "The", "isn't it's can't won't cannot gonna",
    "Dr. O'Neil's note: \"no effusion\" (5 mm) [prior] {stable} <b>bold</b> & AT&T",
    "0.52 5mm 3.5cm T7-T8 T7/T8 and/or 1/2 1 1/2 10% +5 -5 $5 #3 c++ C# 'tis 'twas rock'n'roll",
    "µg °C ± ≥ → – — … ... -- - _ × ½ € £ ¢ café naïve İstanbul ’90s '90s isn’t “quoted”",
    "http://example.com/a.b www.nih.gov x.com foo@bar.com @user #tag :) ;-) ^_^ (-_-)",
    "e.g. i.e. a.k.a. Ph.D. Jan. Calif. Inc. Co. Ltd. pty. ltd vs. cf. No. 5 fig. 3 pp. 12",
    "", "   ", "\u00a0", "x\u00adray co\u00adoperate", "tab\there", "zero\u200bwidth", "emoji \U0001F600 here",
]


def tokenize(captions):
    """PTBTokenizer on captions in this order, as one batch."""
    out = PTBTokenizer().tokenize({0: [{"caption": c} for c in captions]})
    return out[0] if captions else []


def isolated(captions):
    """Each caption as though followed by an unremarkable line (what imaxbench assumes)."""
    spaced = [x for c in captions for x in (c, "zzz")]
    return tokenize(spaced)[0::2]


def score_corpus(samples):
    gts = {i: [{"caption": r} for r in refs] for i, (_, refs) in enumerate(samples)}
    res = {i: [{"caption": hyp}] for i, (hyp, _) in enumerate(samples)}
    tok = PTBTokenizer()
    gts_tok, res_tok = tok.tokenize(gts), tok.tokenize(res)
    bleu, _ = Bleu(4).compute_score(gts_tok, res_tok, verbose=0)
    rouge, rouge_each = Rouge().compute_score(gts_tok, res_tok)
    cider, cider_each = Cider().compute_score(gts_tok, res_tok)
    scores = {"bleu_1": bleu[0], "bleu_2": bleu[1], "bleu_3": bleu[2], "bleu_4": bleu[3],
              "rouge_l_coco": float(rouge), "cider_d": float(cider)}
    return gts_tok, res_tok, scores, [float(x) for x in rouge_each], [float(x) for x in cider_each]


def context_free(samples, rng):
    """Redraws samples until every caption tokenizes alike in its batch and on its own."""
    for _ in range(50):
        gts = {i: [{"caption": r} for r in refs] for i, (_, refs) in enumerate(samples)}
        res = {i: [{"caption": hyp}] for i, (hyp, _) in enumerate(samples)}
        tok = PTBTokenizer()
        gts_tok, res_tok = tok.tokenize(gts), tok.tokenize(res)
        alone = isolated([c for hyp, refs in samples for c in [hyp] + refs])
        bad, at = [], 0
        for i, (hyp, refs) in enumerate(samples):
            if [res_tok[i][0]] + gts_tok[i] != alone[at:at + 1 + len(refs)]:
                bad.append(i)
            at += 1 + len(refs)
        if not bad:
            return samples
        for i in bad:
            samples[i] = sample(rng)
    raise RuntimeError("could not draw a context-free corpus")


def main():
    corpora = []
    for name, seed, n, long_fraction in CORPORA:
        samples = context_free(corpus(seed, n, long_fraction), random.Random(seed + 1000))
        gts_tok, res_tok, scores, rouge_each, cider_each = score_corpus(samples)
        corpora.append({
            "name": name, "seed": seed, "scores": scores,
            "rouge_per_sample": rouge_each, "cider_per_sample": cider_each,
            "samples": [{"hyp": hyp, "refs": refs, "hyp_tok": res_tok[i][0], "refs_tok": gts_tok[i]}
                        for i, (hyp, refs) in enumerate(samples)]})
        print(f"{name}: {n} samples, " + ", ".join(f"{k}={v:.6f}" for k, v in scores.items()))
    batches = [{"captions": TRICKY, "tokenized": tokenize(TRICKY)}]
    rng = random.Random(7)
    lines = [soup(rng) for _ in range(400)]
    batches.append({"captions": lines, "tokenized": tokenize(lines)})
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"generator": "tests/golden/gen_coco_vectors.py",
                   "reference": "pycocoevalcap 1.2 (Stanford CoreNLP 3.4.1 PTBTokenizer via Java)",
                   "corpora": corpora, "tokenizer_batches": batches}, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
