"""Writes tests/data/vqa_normalize_cases.json: inputs and what the official VQAv2 evaluation
(vqaEval.py, run from a checkout) makes of them. Table for tests/unit/text_normalize_test.cc.

    python3 tests/golden/gen_vqa_normalize.py PATH/TO/vqaEval.py
"""
import json
import os

from vqa_eval_loader import DEFAULT_COMMIT, load_vqa_eval, vqa_eval_path_from_argv

INPUTS = [
    "Yes", "  No.  ", "two dogs", "The cat", "a man\nwith\ta hat", "1,000", "1,000 people!",
    "3.14", "end.", "e.g. this", "don't", "dont", "isnt it", "Im here", "hello-world",
    "hello - world", "well-known - fact", "(left) lung", "left(lung)", "a/b", "a / b", "yes; no",
    "100%", "#5", "x=y", "x = y", "none", "None of the above", "ten", "eleven", "an apple",
    "the  the a", "", "   ", "...", "." * 40 + "x", "1.2.3", "a.1", "1.a", "multiple... periods.",
    "mr. smith's", "50-60%", "C.T.R. is 0.5.", "<unk>", "it's", "cardiac silhouette, enlarged",
    "5,6 and 7", "\"quoted\"", "back\\slash", "under_score", "email@domain.com", "`tick`",
    "what?!", "yes!", "caf\u00e9 \u00dcn\u00efcode", "a\u00a0b", "a\u3000b c", "tab\tand\nnewline-",
    "a-b- ", "a-b-\n", "x\r\ny", "UPPER CASE", "ZERO five", "wouldnt've", "youre right",
    "Ive seen", "[brackets]{braces}", "1, 2, 3", "left-sided pleural effusion.",
    "mild cardiomegaly; no edema", "0.55", ".5", "5.", "a+b", "a + b", "x>y<z", "q?", " ?x",
    "one two three four five six seven eight nine", "yes.no", "A", "an", "the",
    "\u2003spaced\u2003", "new\u2028line", "somebody'd", "let's go", "y'allll", "O'Clock oclock",
]


def main():
    normalize = load_vqa_eval(vqa_eval_path_from_argv(
        "usage: python3 tests/golden/gen_vqa_normalize.py PATH"))
    cases = [{"input": s, "expected": normalize(s)} for s in INPUTS]
    out = os.path.join(os.path.dirname(__file__), "..", "data", "vqa_normalize_cases.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"generator": "tests/golden/gen_vqa_normalize.py",
                   "reference": "GT-Vision-Lab/VQA vqaEval.py @ " + DEFAULT_COMMIT,
                   "cases": cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
