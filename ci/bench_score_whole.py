#!/usr/bin/env python3
"""What a user waits for: the whole `imaxbench score` process (start-up, JSON reading, scoring,
results file) on 20,000 reports against whole Python processes computing the same metrics with the
reference implementations (interpreter start, imports, reading the same JSONL files, scoring; and
for pycocoevalcap its Java PTBTokenizer). Two metric sets:
  - sacrebleu corpus BLEU (13a) + rouge-score ROUGE-1/2/L without stemmer (target >= 25x),
  - pycocoevalcap Bleu(4) + Rouge + Cider after its PTBTokenizer (target >= 50x).
imaxbench runs with --bootstrap 0 (what the references compute: no intervals) and, for the record,
with its default 1,000 resamples. Scores of both sides are printed with their largest difference.

    build/reference-venv/bin/python ci/bench_score_whole.py --binary build/imaxbench [--samples 20000] [--rounds 3]

Run it with a Python that has sacrebleu 2.5.1, rouge-score 0.1.2 and pycocoevalcap 1.2 (the
differential test's build/reference-venv) and Java on PATH. The references run --ref-rounds times
(best kept), imaxbench --rounds times per case, alternating, so a busy spell hits both alike.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "golden"))
from coco_text_corpus import corpus as coco_corpus  # noqa: E402
import text_corpus  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_suite import write_report_suite  # noqa: E402

SACRE_ROUGE = ["sacrebleu", "rouge_1", "rouge_2", "rouge_l"]
COCO = ["bleu_1", "bleu_2", "bleu_3", "bleu_4", "rouge_l_coco", "cider_d"]

REFERENCE_SACRE_ROUGE = r"""
import json, sys
import numpy as np
import sacrebleu
from rouge_score import rouge_scorer
refs = {}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line); refs[r["id"]] = r["reference"]
ids, hyps = [], []
for line in open(sys.argv[2], encoding="utf-8"):
    p = json.loads(line); ids.append(p["id"]); hyps.append(p["prediction"])
bleu = sacrebleu.corpus_bleu(hyps, [[refs[i][0] for i in ids]], force=True).score / 100
scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
per = [scorer.score_multi(refs[i], h) for i, h in zip(ids, hyps)]
out = {"sacrebleu": bleu}
for k, t in (("rouge_1", "rouge1"), ("rouge_2", "rouge2"), ("rouge_l", "rougeL")):
    out[k] = float(np.mean([p[t].fmeasure for p in per]))
print(json.dumps(out))
"""

REFERENCE_COCO = r"""
import json, sys
from pycocoevalcap.bleu.bleu import Bleu
from pycocoevalcap.cider.cider import Cider
from pycocoevalcap.rouge.rouge import Rouge
from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer
refs = {}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line); refs[r["id"]] = r["reference"]
gts, res = {}, {}
for line in open(sys.argv[2], encoding="utf-8"):
    p = json.loads(line)
    gts[p["id"]] = [{"caption": c} for c in refs[p["id"]]]
    res[p["id"]] = [{"caption": p["prediction"]}]
tok = PTBTokenizer()
gts, res = tok.tokenize(gts), tok.tokenize(res)
bleu, _ = Bleu(4).compute_score(gts, res, verbose=0)
rouge, _ = Rouge().compute_score(gts, res)
cider, _ = Cider().compute_score(gts, res)
print(json.dumps(dict(zip(["bleu_1", "bleu_2", "bleu_3", "bleu_4", "rouge_l_coco", "cider_d"],
                          list(bleu) + [float(rouge), float(cider)]))))
"""


def timed(cmd, **kw):
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)
    return time.perf_counter() - start, out.stdout


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True)
    p.add_argument("--samples", type=int, default=20000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--ref-rounds", type=int, default=1)
    p.add_argument("--out", default=os.path.join(ROOT, "out", "bench", "score-whole"))
    args = p.parse_args()

    sets = []
    pairs = [(s["hyp"], [s["refs"][0]]) for s in text_corpus.bench_corpus(7, args.samples)]
    metrics = [{"name": "sacrebleu"}] + [{"name": n, "params": {"use_stemmer": False}} for n in SACRE_ROUGE[1:]]
    for m in metrics:
        m["id"] = m["name"]
    sets.append(("sacrebleu + rouge-score (no stemmer)", 25, REFERENCE_SACRE_ROUGE, SACRE_ROUGE,
                 write_report_suite(os.path.join(args.out, "sacre-rouge-%d" % args.samples), "bench-sacre-rouge", pairs,
                                    {"predictions.jsonl": [h for h, _ in pairs]}, "sacrebleu", metrics)))
    pairs = coco_corpus(2024, args.samples, long_fraction=0.02)
    sets.append(("pycocoevalcap (PTBTokenizer, Bleu, Rouge, Cider)", 50, REFERENCE_COCO, COCO,
                 write_report_suite(os.path.join(args.out, "coco-%d" % args.samples), "bench-coco", pairs,
                                    {"predictions.jsonl": [h for h, _ in pairs]}, "bleu_1",
                                    [{"name": n, "id": n} for n in COCO])))

    env = dict(os.environ, IMAXBENCH_THREADS="0")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print("machine: %s, %d CPUs, load average %s; %d reports per set; %s" % (
        cpu, os.cpu_count(), " ".join("%.2f" % x for x in os.getloadavg()), args.samples,
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    all_met = True
    for label, target, ref_code, names, folder in sets:
        split = os.path.join(folder, "report_generation.jsonl")
        preds = os.path.join(folder, "predictions.jsonl")
        ref_times, ours = [], {"0": [], "1000": []}
        ref_scores = None
        for r in range(max(args.rounds, args.ref_rounds)):
            if r < args.ref_rounds:
                t, out = timed([sys.executable, "-c", ref_code, split, preds])
                ref_times.append(t)
                ref_scores = json.loads(out)
            if r < args.rounds:
                for boot in ours:
                    t, _ = timed([args.binary, "score", "--suite", os.path.join(folder, "suite.json"),
                                  "--predictions", preds, "--bootstrap", boot, "--no-record", "--quiet",
                                  "--out", os.path.join(folder, "results-%s.json" % boot)], env=env)
                    ours[boot].append(t)
        got = json.load(open(os.path.join(folder, "results-0.json")))["tasks"]["report_generation"]["metrics"]
        diff = max(abs(got[n]["score"] - ref_scores[n]) for n in names)
        ref_s, ours_s, boot_s = min(ref_times), min(ours["0"]), min(ours["1000"])
        met = ref_s / ours_s >= target
        all_met = all_met and met
        print("%s:" % label)
        print("  reference process %8.2f s; imaxbench score --bootstrap 0 %6.3f s (%.1fx, target >= %dx: %s); "
              "default 1,000 resamples %6.3f s (%.1fx)" % (
                  ref_s, ours_s, ref_s / ours_s, target, "met" if met else "MISSED", boot_s, ref_s / boot_s))
        print("  scores: " + ", ".join("%s %.6f" % (n, ref_scores[n]) for n in names) +
              "; largest difference %.2g" % diff)
    print("whole-process targets met" if all_met else "WHOLE-PROCESS TARGET MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
