#!/usr/bin/env python3
"""same_results.py EXPECTED.json GOT.json [WHAT]: exits 1 unless the two results files hold the same
per-task results and suite score, bit for bit (context, timings and paths may differ). Used to hold
merged shards to the unsharded run."""
import json
import sys

expected, got = (json.load(open(p)) for p in sys.argv[1:3])
what = sys.argv[3] if len(sys.argv) > 3 else sys.argv[2]
for key in ("tasks", "suite"):
    if expected[key] != got[key]:
        sys.exit("%s: results differ from %s in '%s'" % (what, sys.argv[1], key))
