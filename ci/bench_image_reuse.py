#!/usr/bin/env python3
"""Image-centric reuse, measured whole: `imaxbench profile --scenario offline` on the sample suite
(295 questions about 40 images) with reuse on (the default) and with --no-image-reuse, runs
alternating, best of --rounds. Two backends:
  - baseline: image decodes (40 against 295) and pipeline throughput;
  - torchscript on the CPU with models/export_demo_vlm.py --size bench (LLaVA-1.5's 576 image tokens
    per image, a small decoder): encode_images calls, prompt tokens taken from a cached image prefix,
    prefill time and throughput. Skipped when the build has no torchscript backend or no python3
    with torch can export the package.

    python3 ci/bench_image_reuse.py --binary build/imaxbench [--rounds 2] [--batch-size 8]

Issue 15's targets, each printed as met or missed: with reuse, images decoded (and, for torchscript,
encode_images calls) = the suite's distinct images (by content), and the baseline pipeline's
throughput >= 3x that without reuse.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SUITE = os.path.join(ROOT, "suites", "sample", "suite.json")
THROUGHPUT_TARGET = 3.0  # baseline pipeline, reuse on against off


def distinct_images(suite_path):
    """The suite's images counted by content, as the reuse cache keys them."""
    folder = os.path.dirname(suite_path)
    with open(suite_path, encoding="utf-8") as f:
        tasks = json.load(f)["tasks"]
    digest_of = {}
    for task in tasks:
        split = os.path.join(folder, task["split"])
        with open(split, encoding="utf-8") as f:
            for line in f:
                image = json.loads(line).get("image") if line.strip() else None
                path = os.path.normpath(os.path.join(os.path.dirname(split), image)) if image else None
                if path and path not in digest_of:
                    with open(path, "rb") as img:
                        digest_of[path] = hashlib.sha256(img.read()).hexdigest()
    return len(set(digest_of.values()))


def verdict(ok):
    return "met" if ok else "TARGET MISSED"


def profile(binary, out, backend, extra, reuse):
    cmd = [binary, "profile", "--suite", SUITE, "--backend", backend,
           "--scenario", "offline", "--min-duration", "0", "--min-queries", "0", "--warmup", "0",
           "--out", out] + extra + ([] if reuse else ["--no-image-reuse"])
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    with open(os.path.join(out, "profile.json"), encoding="utf-8") as f:
        return wall, json.load(f)


def report(name, runs, distinct):
    """runs: {reuse: [(wall, doc), ...]} -> printed lines; the best round of each side; the targets
    against `distinct` images."""
    best = {k: max(v, key=lambda r: r[1]["throughput"]["samples_per_s"]) for k, v in runs.items()}
    for reuse in (True, False):
        wall, doc = best[reuse]
        run, stages = doc["run"], doc["stages"]
        line = "%-11s reuse %-3s  %7.2f samples/s  process %6.2f s  images decoded %4d" % (
            name, "on" if reuse else "off", doc["throughput"]["samples_per_s"], wall, run["images"]["decoded"])
        if run.get("backend_reuse"):
            r = run["backend_reuse"]
            line += "  encode_images %4d  prefix tokens reused %6d of %6d  prefill %7.2f s" % (
                r["images_encoded"], r["prefix_tokens_reused"], r["prompt_tokens"], stages["prefill"]["total_s"])
        print(line)
    on, off = best[True][1]["throughput"]["samples_per_s"], best[False][1]["throughput"]["samples_per_s"]
    print("%-11s throughput with reuse / without: %.2fx; whole process %.2fx" % (
        name, on / off, best[False][0] / best[True][0]))
    run = best[True][1]["run"]
    decoded = run["images"]["decoded"]
    line = "%-11s targets: images decoded %d, distinct images %d: %s" % (name, decoded, distinct, verdict(decoded == distinct))
    if name == "baseline":
        line += "; throughput %.2fx (>= %.0fx): %s" % (on / off, THROUGHPUT_TARGET, verdict(on / off >= THROUGHPUT_TARGET))
    if run.get("backend_reuse"):
        encoded = run["backend_reuse"]["images_encoded"]
        line += "; encode_images %d: %s" % (encoded, verdict(encoded == distinct))
    print(line)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--python", default="/usr/bin/python3", help="a python3 with torch, to export the package")
    args = p.parse_args()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print("machine: %s, %d CPUs, load average %s, %s" % (cpu, os.cpu_count(), " ".join(
        "%.2f" % x for x in os.getloadavg()), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    with tempfile.TemporaryDirectory() as tmp:
        gallery = os.path.join(ROOT, "suites", "sample", "gallery", "suite.json")
        cases = [("baseline", "baseline", ["--model", gallery, "--batch-size", str(args.batch_size)])]
        pkg = os.path.join(tmp, "bench-vlm")
        exported = subprocess.run([args.python, os.path.join(ROOT, "models", "export_demo_vlm.py"), "--out", pkg,
                                   "--size", "bench"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        listed = subprocess.run([args.binary, "list", "backends"], capture_output=True, text=True).stdout
        after = listed.split("torchscript", 1)[1].splitlines()[1:2] if "torchscript" in listed else []
        built = bool(after) and "(present)" in after[0]
        if exported.returncode != 0:
            print("torchscript: skipped (exporting the bench package failed: %s)" % exported.stderr.strip()[-200:])
        elif not built:
            print("torchscript: skipped (this build has no torchscript backend)")
        else:
            cases.append(("torchscript", "torchscript", ["--model", pkg, "--device", "cpu", "--max-new-tokens", "8",
                                                         "--batch-size", str(args.batch_size)]))
        distinct = distinct_images(SUITE)
        for name, backend, extra in cases:
            runs = {True: [], False: []}
            for r in range(args.rounds):
                for reuse in (True, False):
                    runs[reuse].append(profile(args.binary, os.path.join(tmp, "%s-%d-%d" % (name, r, reuse)),
                                               backend, extra, reuse))
            report(name, runs, distinct)
    return 0


if __name__ == "__main__":
    sys.exit(main())
