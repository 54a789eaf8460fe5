#!/usr/bin/env python3
"""Checks an `imaxbench profile` document (profile.json or --format json output): keys present,
percentiles ordered, every reported percentile re-derived from its histogram here (an independent
implementation of the bucket layout and the nearest-rank rule), stages within the wall time, and an
accuracy block with the expected tasks. Used by tests/cli/profile_*.sh.

  check_profile_json.py FILE --scenario offline --tasks 7 [--generative] [--samples N]
"""
import argparse
import json
import math
import sys

SUB_BITS = 8
SUB = 1 << SUB_BITS
HALF = SUB // 2
STAGES = ["image_decode", "preprocess", "vision_encoder", "prefill", "decode", "backend_other",
          "answer_parsing", "metric_statistics"]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def bucket_range(index):
    if index < SUB:
        return index, index
    k = index - SUB
    shift = k // HALF + 1
    lo = (HALF + k % HALF) << shift
    return lo, lo + (1 << shift) - 1


def percentile_from_histogram(h, q):
    n = h["count"]
    rank = min(max(math.ceil(q * n), 1), n)
    if rank == n:
        return h["max"]
    if rank == 1:
        return h["min"]
    seen = 0
    for index, count in sorted(h["buckets"]):
        seen += count
        if seen >= rank:
            lo, hi = bucket_range(index)
            return min(max(lo + (hi - lo) / 2, h["min"]), h["max"])
    fail("histogram buckets hold fewer values than its count")


def check_distribution(name, d):
    for key in ("count", "mean", "p50", "p90", "p99", "max", "histogram"):
        if key not in d:
            fail("%s lacks '%s'" % (name, key))
    if not d["p50"] <= d["p90"] <= d["p99"] <= d["max"]:
        fail("%s percentiles out of order: %s" % (name, {k: d[k] for k in ("p50", "p90", "p99", "max")}))
    h = d["histogram"]
    if d["histogram_unit"] != "us" or h["sub_bucket_bits"] != SUB_BITS:
        fail("%s: unexpected histogram layout" % name)
    if sum(c for _, c in h["buckets"]) != h["count"] or h["count"] != d["count"]:
        fail("%s: histogram counts do not add up" % name)
    if not h["min"] / 1e3 <= d["mean"] <= d["max"] + 1e-9:
        fail("%s: mean %s outside [min, max]" % (name, d["mean"]))
    for key, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0)):
        want = percentile_from_histogram(h, q) / 1e3
        if abs(want - d[key]) > 1e-9 * max(1.0, want):
            fail("%s.%s is %r but its histogram gives %r" % (name, key, d[key], want))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--tasks", type=int, default=7)
    ap.add_argument("--samples", type=int, default=0, help="distinct samples expected (0: not checked)")
    ap.add_argument("--generative", action="store_true", help="expect TTFT and TPOT")
    ap.add_argument("--backend-reuse", action="store_true",
                    help="expect the backend's reuse counts (torchscript): one encode per decoded image and "
                         "some prompt tokens from a cached image prefix")
    args = ap.parse_args()
    doc = json.load(open(args.file))

    for key in ("schema_version", "context", "manifest", "scenario", "run", "throughput", "latency_ms",
                "ttft_ms", "tpot_ms", "stages", "harness", "memory", "stability", "accuracy"):
        if key not in doc:
            fail("missing top-level key '%s'" % key)
    if doc["scenario"]["name"] != args.scenario:
        fail("scenario is %s, expected %s" % (doc["scenario"]["name"], args.scenario))
    run = doc["run"]
    if run["answered"] <= 0 or run["failed"] != 0:
        fail("run answered %s, failed %s (first error: %s)" % (run["answered"], run["failed"], run["first_error"]))
    if not (run["min_duration_met"] and run["min_queries_met"]):
        fail("the run stopped before --min-duration / --min-queries")
    if args.samples and run["distinct_samples"] != args.samples:
        fail("%d distinct samples, expected %d" % (run["distinct_samples"], args.samples))
    for key in ("samples_per_s", "images_per_s", "output_tokens_per_s", "input_tokens_per_s"):
        if not doc["throughput"][key] >= 0:
            fail("throughput.%s missing or negative" % key)
    if not doc["throughput"]["samples_per_s"] > 0:
        fail("zero throughput")
    check_distribution("latency_ms", doc["latency_ms"])
    if args.generative:
        for key in ("ttft_ms", "tpot_ms"):
            if doc[key] is None:
                fail("%s is null for a generative backend" % key)
            check_distribution(key, doc[key])
        if not doc["throughput"]["output_tokens_per_s"] > 0:
            fail("a generative backend with no output tokens/s")

    reuse = run.get("backend_reuse")
    if args.backend_reuse:
        if reuse is None:
            fail("run.backend_reuse is null; the torchscript backend reports its reuse")
        if reuse["images_encoded"] != run["images"]["decoded"]:
            fail("%d encode_images runs for %d decoded images" % (reuse["images_encoded"], run["images"]["decoded"]))
        if not 0 < reuse["prefix_tokens_reused"] < reuse["prompt_tokens"]:
            fail("prefix tokens reused %d of %d prompt tokens" % (reuse["prefix_tokens_reused"], reuse["prompt_tokens"]))
        if abs(reuse["prefix_share"] - reuse["prefix_tokens_reused"] / reuse["prompt_tokens"]) > 1e-12:
            fail("prefix_share is not prefix_tokens_reused / prompt_tokens")

    stages = doc["stages"]
    for s in STAGES:
        if s not in stages or stages[s]["total_s"] < 0 or stages[s]["per_request_ms"] < 0:
            fail("stage '%s' missing or negative" % s)
    in_window = sum(v["total_s"] for v in stages.values() if v["in_window"])
    if in_window > run["wall_s"] * (1 + 1e-9):
        fail("in-window stages sum to %.6f s, more than the wall time %.6f s" % (in_window, run["wall_s"]))
    if stages["metric_statistics"]["total_s"] > doc["harness"]["scoring_wall_s"] * (1 + 1e-9):
        fail("metric statistics took longer than the scoring pass")
    share = doc["harness"]["share"]
    if not 0 <= share <= 1:
        fail("harness share %r outside [0, 1]" % share)
    if not (doc["memory"]["peak_host_rss_bytes"] or 0) > 0:
        fail("no peak host RSS")
    if "peak_device_memory_bytes" not in doc["memory"]:
        fail("memory lacks 'peak_device_memory_bytes'")
    device_peak = doc["memory"]["peak_device_memory_bytes"]
    if doc["context"]["device"] == "cpu" and device_peak is not None:
        fail("peak device memory %r on cpu: there is no device allocator, it must be null" % device_peak)
    if device_peak is not None and not device_peak > 0:
        fail("peak device memory %r: a reported peak holds at least the model" % device_peak)
    st = doc["stability"]
    if not isinstance(st["stable"], bool) or not st["message"]:
        fail("stability lacks a verdict and message")
    if not st["stable"] and "NOT STABLE" not in st["message"] and "not judged" not in st["message"]:
        fail("an unstable run must say so plainly: " + st["message"])

    tasks = doc["accuracy"]["tasks"]
    if len(tasks) != args.tasks:
        fail("accuracy has %d tasks, expected %d: %s" % (len(tasks), args.tasks, sorted(tasks)))
    for name, t in tasks.items():
        if not t["metrics"]:
            fail("accuracy of %s has no metrics" % name)
        if t["n_samples"]["missing"] != 0:
            fail("accuracy of %s misses %d samples" % (name, t["n_samples"]["missing"]))
    if "score" not in doc["accuracy"]["suite"]:
        fail("accuracy lacks the suite score")
    lat = doc["latency_ms"]
    print("profile ok: %s, %d requests, %.1f samples/s, latency p50 %.3f p99 %.3f ms, harness %.2f%%, %s" % (
        args.scenario, run["requests"], doc["throughput"]["samples_per_s"], lat["p50"], lat["p99"],
        100 * share, "stable" if st["stable"] else "not stable"))


if __name__ == "__main__":
    main()
