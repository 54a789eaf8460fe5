#!/usr/bin/env python3
"""Reading and scoring at scale, whole processes: `imaxbench inspect` of one seeded N-report suite
(records/s; issue 15's target: >= 150,000/s) and `imaxbench score --bootstrap 0` of the same suite
with its predictions (wall time and peak resident memory; at 1,000,000 reports the target is
<= 25 s and <= 2 GB). The suite is ci/bench_score_bootstrap.py's (made once under --out).

    python3 ci/bench_reading_scale.py --binary build/imaxbench [--samples 100000] [--rounds 3]

Inspect runs --rounds times (best and median are printed), score once per round too.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_score_bootstrap import ROOT, timed, write_suite  # noqa: E402

INSPECT_TARGET = 150000                        # records/s
SCORE_TARGET_S, SCORE_TARGET_MB = 25, 2048     # score --bootstrap 0 of 1,000,000 reports


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True)
    p.add_argument("--samples", type=int, default=100000)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=0, help="--threads for imaxbench (0: all cores)")
    p.add_argument("--out", default=os.path.join(ROOT, "out", "bench", "score-bootstrap"))
    args = p.parse_args()

    folder = os.path.join(args.out, "suite-%d" % args.samples)
    if not os.path.exists(os.path.join(folder, "suite.json")):
        write_suite(folder, args.samples, args.seed)
    suite = os.path.join(folder, "suite.json")
    env = dict(os.environ, IMAXBENCH_THREADS=str(args.threads))
    inspect, score, peak = [], [], {"inspect": 0.0, "score": 0.0}
    for _ in range(args.rounds):
        wall, mb = timed([args.binary, "inspect", "--suite", suite], env)
        inspect.append(wall)
        peak["inspect"] = max(peak["inspect"], mb)
        wall, mb = timed([args.binary, "score", "--suite", suite, "--predictions",
                          os.path.join(folder, "predictions_a.jsonl"), "--out", os.path.join(folder, "scale.json"),
                          "--quiet", "--no-record", "--bootstrap", "0"], env)
        score.append(wall)
        peak["score"] = max(peak["score"], mb)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print("machine: %s, %d CPUs, load average %s; %d reports, %d rounds, --threads %d, %s" % (
        cpu, os.cpu_count(), " ".join("%.2f" % x for x in os.getloadavg()), args.samples, args.rounds,
        args.threads, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    rate = args.samples / min(inspect)
    print("inspect              best %7.2f s  median %7.2f s  peak RSS %.0f MB: %.0f records/s; %s" % (
        min(inspect), statistics.median(inspect), peak["inspect"], rate,
        "target >= %d/s met" % INSPECT_TARGET if rate >= INSPECT_TARGET else "TARGET MISSED (>= %d/s)" % INSPECT_TARGET))
    line = "score --bootstrap 0  best %7.2f s  median %7.2f s  peak RSS %.0f MB (%.1f KB per report)" % (
        min(score), statistics.median(score), peak["score"], peak["score"] * 1024 / args.samples)
    if args.samples >= 1000000:
        met = min(score) <= SCORE_TARGET_S and peak["score"] <= SCORE_TARGET_MB
        line += "; %s" % ("target <= %d s and <= %d MB met" % (SCORE_TARGET_S, SCORE_TARGET_MB) if met
                          else "TARGET MISSED (<= %d s and <= %d MB)" % (SCORE_TARGET_S, SCORE_TARGET_MB))
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
