#!/usr/bin/env python3
"""Times pycocoevalcap 1.2 (PTBTokenizer via Java, Bleu(4), Rouge, Cider) against imaxbench's
bleu_1..4, rouge_l_coco and cider_d on one seeded synthetic corpus of radiology reports, tokenization
included on both sides, and prints the speed ratios for imaxbench on 1 and 2 threads, each target
as met or missed (>= 50x pycocoevalcap's CPU time on 1 thread; 2 threads >= 1.7x as fast as 1).
A score mismatch exits 1; a missed target does not change the exit status (a benchmark, not a test).

    .venv-h3a/bin/python ci/bench_text_vs_reference.py --tool build-h3a/tests/imaxbench_coco_text_tool \
        [--samples 20000] [--seed 2024] [--repeat 7]

pycocoevalcap runs once (it takes minutes); imaxbench reports the best of --repeat runs per thread
count, each in a fresh process (its n-gram dictionary starts empty; JSON reading is not timed),
1- and 2-thread runs alternating so a busy spell of the machine hits both alike. Both
sides' scores are printed and must agree to 1e-9 (the corpus keeps to text whose tokens do not
depend on the neighbouring caption, see metrics/text/ptb_tokenizer.h). Wall-clock ratios need an
otherwise idle machine; the single-thread CPU-time ratio (pycocoevalcap's including its Java
child) is the one to trust on a shared machine.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden"))
from coco_text_corpus import corpus  # noqa: E402

METRICS = ["bleu_1", "bleu_2", "bleu_3", "bleu_4", "rouge_l_coco", "cider_d"]
CPU_TARGET = 50        # pycocoevalcap's CPU time (its Java child included) over ours, 1 thread
THREADS_TARGET = 1.7   # 2 threads against 1, between the best wall times


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_reference(samples):
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    from pycocoevalcap.rouge.rouge import Rouge
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    gts = {i: [{"caption": r} for r in refs] for i, (_, refs) in enumerate(samples)}
    res = {i: [{"caption": hyp}] for i, (hyp, _) in enumerate(samples)}
    wall, cpu, java = time.perf_counter(), time.process_time(), children_cpu()
    steps = {}
    t = time.perf_counter()
    tok = PTBTokenizer()
    gts_tok, res_tok = tok.tokenize(gts), tok.tokenize(res)
    steps["tokenize"] = time.perf_counter() - t
    t = time.perf_counter()
    bleu, _ = Bleu(4).compute_score(gts_tok, res_tok, verbose=0)
    steps["bleu"] = time.perf_counter() - t
    t = time.perf_counter()
    rouge, _ = Rouge().compute_score(gts_tok, res_tok)
    steps["rouge"] = time.perf_counter() - t
    t = time.perf_counter()
    cider, _ = Cider().compute_score(gts_tok, res_tok)
    steps["cider"] = time.perf_counter() - t
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu + children_cpu() - java
    scores = dict(zip(METRICS, list(bleu) + [float(rouge), float(cider)]))
    return scores, wall, cpu, steps


def run_ours(tool, samples, repeat):
    """{threads: [runs]} for 1 and 2 threads: `repeat` fresh processes each, alternating."""
    runs = {1: [], 2: []}
    files = {}
    try:
        for threads in runs:
            payload = {"metrics": METRICS, "threads": threads, "repeat": 1,
                       "samples": [{"hyp": h, "refs": r} for h, r in samples]}
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
                json.dump(payload, f, ensure_ascii=False)
            files[threads] = f.name
        for _ in range(repeat):
            for threads in runs:
                runs[threads].append(json.loads(subprocess.run([tool, "score", files[threads]],
                                                               capture_output=True, check=True).stdout))
    finally:
        for name in files.values():
            os.unlink(name)
    return runs


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tool", required=True, help="path of imaxbench_coco_text_tool")
    p.add_argument("--samples", type=int, default=20000)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--skip-reference", action="store_true", help="time imaxbench only")
    args = p.parse_args()

    samples = corpus(args.seed, args.samples, long_fraction=0.02)
    chars = sum(len(h) + sum(len(r) for r in refs) for h, refs in samples)
    n_refs = sum(len(refs) for _, refs in samples)
    print(f"corpus: {len(samples)} reports, {n_refs} references, {chars / 1e6:.1f} M characters "
          f"(seed {args.seed}); cpus: {os.cpu_count()}")

    runs = run_ours(args.tool, samples, args.repeat)
    scores = runs[1][0]["scores"]
    ours = {}
    for threads, timed in runs.items():
        seconds, cpu = min(r["seconds"] for r in timed), min(r["cpu_seconds"] for r in timed)
        ours[threads] = (seconds, cpu)
        print(f"imaxbench, {threads} thread(s): {seconds:.3f} s wall, {cpu:.3f} s CPU "
              f"(best of {args.repeat})")
    paired = sorted(a["seconds"] / b["seconds"] for a, b in zip(runs[1], runs[2]))
    speedup = ours[1][0] / ours[2][0]
    print(f"2 threads vs 1: {speedup:.2f}x between the best times; paired runs "
          f"{paired[len(paired) // 2]:.2f}x median, {paired[0]:.2f}-{paired[-1]:.2f}x range; target >= "
          f"{THREADS_TARGET}x " + ("met" if speedup >= THREADS_TARGET else "MISSED"))
    if args.skip_reference:
        return 0
    ref_scores, wall, cpu, steps = run_reference(samples)
    print(f"pycocoevalcap: {wall:.1f} s wall, {cpu:.1f} s CPU incl. Java ("
          + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()) + ")")
    worst = 0.0
    for m in METRICS:
        worst = max(worst, abs(ref_scores[m] - scores[m]))
        print(f"  {m:13s} pycocoevalcap {ref_scores[m]:.12f}  imaxbench {scores[m]:.12f}")
    print(f"largest difference: {worst:.3g}")
    for threads, (seconds, ours_cpu) in ours.items():
        verdict = ""
        if threads == 1:
            verdict = f", {cpu / ours_cpu:.1f}x CPU time; target >= {CPU_TARGET}x CPU time " + (
                "met" if cpu / ours_cpu >= CPU_TARGET else "MISSED")
        print(f"speed ratio, imaxbench {threads} thread(s) vs pycocoevalcap: {wall / seconds:.1f}x wall" + verdict)
    return 0 if worst <= 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
