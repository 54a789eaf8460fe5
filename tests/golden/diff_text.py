#!/usr/bin/env python3
"""Differential test of imaxbench's text metrics against their reference implementations on
fresh random inputs (a new seed each run unless --seed is given; the seed is printed so any
failure can be replayed). Every metric setting is scored by both; any per-sample or corpus
difference above 1e-9 is shrunk to the smallest sample (fewest references, fewest words, then
fewest characters) that still shows it, and printed.

  .venv-h3b/bin/python tests/golden/diff_text.py --tool build-h3b/tests/imaxbench_text_metric_tool
      [--seed N] [--samples 200] [--unicode]

--unicode also compares str.lower() and sacreBLEU's intl tokenizer on every code point, which
checks the generated Unicode tables (core/sacrebleu_unicode_tables.cc) exhaustively.
Exit status: 0 when everything agrees, 1 otherwise.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import text_corpus  # noqa: E402
import text_references as refs  # noqa: E402

TOL = 1e-9


def run_tool(tool, command, payload):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(payload, f, ensure_ascii=False)
        path = f.name
    try:
        out = subprocess.run([tool, command, path], capture_output=True, check=True)
        return json.loads(out.stdout.decode("utf-8", "surrogateescape"))
    finally:
        os.unlink(path)


def settings():
    for c in refs.SACREBLEU_CONFIGS:
        yield "sacrebleu", c
    for n in (1, 2, 3, 4):
        for c in refs.SENTENCE_BLEU_CONFIGS:
            yield f"sentence_bleu_{n}", c
    for name in refs.ROUGE_TYPES:
        for stem in (True, False):
            yield name, {"use_stemmer": stem}


def reference(name, params, samples):
    """(per-sample values, corpus score) from the reference implementation."""
    if name == "sacrebleu":
        v = refs.sacrebleu_values(samples, params)
        return v["rows"], v["score"]
    if name.startswith("sentence_bleu_"):
        v = refs.sentence_bleu_values(samples, int(name[-1]), params)
        return v["per_sample"], v["score"]
    for v in refs.rouge_values(samples, params["use_stemmer"]):
        if v["metric"] == name:
            return v["per_sample"], v["score"]
    raise KeyError(name)


def ours(tool, name, params, samples):
    out = run_tool(tool, "score", {"metrics": [{"name": name, "params": params}], "rows": True,
                                   "samples": samples})["results"][0]
    rows = out["rows"] if name == "sacrebleu" else [r[0] for r in out["rows"]]
    return rows, out["score"]


def differs(a, b):
    if isinstance(a, list):
        return len(a) != len(b) or any(differs(x, y) for x, y in zip(a, b))
    return not abs(a - b) <= TOL


def first_difference(tool, name, params, samples):
    want_rows, want = reference(name, params, samples)
    got_rows, got = ours(tool, name, params, samples)
    for i, (w, g) in enumerate(zip(want_rows, got_rows)):
        if differs(w, g):
            return i, w, g
    if differs(want, got):
        return -1, want, got
    return None


def shrink(tool, name, params, sample):
    """Greedy delta debugging on one sample while it still differs."""
    def bad(s):
        return first_difference(tool, name, params, [s]) is not None

    def shrink_text(s, get, put):
        for unit in ("word", "char"):
            text = get(s)
            parts = text.split(" ") if unit == "word" else list(text)
            chunk = max(1, len(parts) // 2)
            while chunk >= 1:
                i, changed = 0, False
                while i < len(parts):
                    trial = parts[:i] + parts[i + chunk:]
                    cand = put(s, (" " if unit == "word" else "").join(trial))
                    if bad(cand):
                        parts, s, changed = trial, cand, True
                    else:
                        i += chunk
                if not changed:
                    chunk //= 2
        return s

    s = json.loads(json.dumps(sample))
    while len(s["refs"]) > 1:
        for k in range(len(s["refs"])):
            cand = dict(s, refs=s["refs"][:k] + s["refs"][k + 1:])
            if bad(cand):
                s = cand
                break
        else:
            break
    if s["hyp"] is not None:
        s = shrink_text(s, lambda x: x["hyp"], lambda x, t: dict(x, hyp=t))
    for k in range(len(s["refs"])):
        s = shrink_text(s, lambda x, k=k: x["refs"][k],
                        lambda x, t, k=k: dict(x, refs=x["refs"][:k] + [t] + x["refs"][k + 1:]))
    return s


def unicode_sweep(tool):
    from rouge_score import tokenize as rouge_tokenize
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
    from sacrebleu.tokenizers.tokenizer_intl import TokenizerV14International
    cps = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    chunks = ["A" + "".join(chr(c) for c in cps[i:i + 512]) + "\u03a3" for i in range(0, len(cps), 512)]
    checks = [  # kind, one input per code point (or chunk), the reference
        ("py_lower", chunks, str.lower),
        ("sacrebleu_intl", [f"a{chr(c)}b {chr(c)}. 1{chr(c)}2" for c in cps],
         TokenizerV14International()),
        ("sacrebleu_13a", [f"a{chr(c)}b {chr(c)}. 1{chr(c)}-2" for c in cps], Tokenizer13a()),
        ("rouge", [f"a{chr(c)}b {chr(c)}" for c in cps], lambda t: rouge_tokenize.tokenize(t, None)),
        ("unimed_ref", [f"{chr(c)},{chr(c)} a-b x.{chr(c)} Q{chr(c)}" for c in cps],
         lambda t: refs.words(t, "unimed", False)),
    ]
    failures = 0
    for kind, inputs, fn in checks:
        got = []
        for i in range(0, len(inputs), 50000):
            got += run_tool(tool, "tokens", {"kind": kind, "texts": inputs[i:i + 50000]})
        bad = 0
        for text, g in zip(inputs, got):
            if fn(text) != g:
                bad += 1
                if bad <= 5:
                    print(f"UNICODE MISMATCH {kind}: {text!r}: want {fn(text)!r} got {g!r}")
        print(f"unicode sweep {kind}: {len(inputs)} inputs, {bad} mismatches", flush=True)
        failures += bad
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tool", required=True)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--unicode", action="store_true")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    print(f"seed {seed} ({args.samples} samples); replay with --seed {seed}", flush=True)
    samples = text_corpus.corpus(seed, args.samples)
    failures = 0
    for name, params in settings():
        diff = first_difference(args.tool, name, params, samples)
        if diff is None:
            print(f"ok   {name} {json.dumps(params)}")
            continue
        failures += 1
        i, want, got = diff
        print(f"DIFF {name} {json.dumps(params)}: "
              + (f"sample {i}: reference {want} ours {got}" if i >= 0
                 else f"corpus score: reference {want} ours {got}"))
        if i >= 0:
            small = shrink(args.tool, name, params, samples[i])
            w, g = first_difference(args.tool, name, params, [small])[1:]
            print(f"     smallest input: {json.dumps(small, ensure_ascii=False)}\n"
                  f"     reference {w} ours {g}")
    if args.unicode:
        failures += unicode_sweep(args.tool)
    print("all agree" if failures == 0 else f"{failures} setting(s) differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
