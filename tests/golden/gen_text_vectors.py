#!/usr/bin/env python3
"""Writes the expected values of imaxbench's text metrics, computed by the reference
implementations, for tests/golden/text_metrics_test.cc:

  tests/data/text_metric_vectors.json  a seeded corpus; per-sample rows and corpus scores of
                                       sacrebleu, sentence_bleu_1..4 and rouge_1/2/l under every
                                       parameter setting; tokenizer outputs for its texts
  tests/data/porter_stem_vectors.json  nltk PorterStemmer() stems of ~4000 words

Run inside a venv with the pinned references:
  python3 -m venv .venv-h3b && .venv-h3b/bin/pip install sacrebleu==2.5.1 nltk==3.10.4 rouge-score==0.1.2
  .venv-h3b/bin/python tests/golden/gen_text_vectors.py
"""
import itertools
import json
import os
import random
import sys

import nltk
import rouge_score
import sacrebleu

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import text_corpus  # noqa: E402
import text_references as refs  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEED = 20250917
N_SAMPLES = 300
EDGE_TEXTS = [
    "", " ", "\t\n", ".", "...", ",", "a.b", "3.5", "3.", ".5", "1,000", "a,b", "5-6", "x-ray",
    "-", "--", "&amp;quot;", "&&amp;", "<skipped>-\nx", "a-\n\nb", "A. B. C.", "U.S.A.", "e.g.,",
    "He said \"no\".", "(RUL)", "[1]", "{x}", "a/b", "a\\b", "a_b", "a@b", "a`b", "1:2", "a;b",
    "ΣΑΣ ΑΣ Σ σΣ ΑΣ' ΑΣ.Β Α\u0301Σ", "İi Iı K k", "Straße ǅ ǈ ǋ ﬁ ŉ", "٣.٤ ３,０ ①.② Ⅻ-Ⅳ ½",
    "a\u00a0b\u2003c\u3000d\u2028e\u0085f\u001cg", "日本語。中文，한국어！", "€5 $6 ¥7 £8 ±2 ≥3 <4",
    "🙂👍🏽 x", "e\u0301 n\u0303", "no  none zero one ten the a an", "dont isnt wont cant",
    "<unk><UNK>< unk >", "<<unk>unk>", "3 , 4", "3,4 - 5", "Dr. Smith's CXR: 0.52.",
    "." * 40 + " end", "a" * 300, " ".join(["word"] * 200),
]


def porter_words(rng):
    roots = ("connect relat generat oper activ effect sens condition hope rate formal electric "
             "adjust depend agree control cardi pulmon radiolog calcif consolid opacif effus "
             "atelect inflat enlarg improv stabil interpret evalu compar measur posit project "
             "termin visual normal general nation ration valu digit sign posit happi probab "
             "fruit care use harm play lead run hop tap plan stop fall fill fizz miss buzz "
             "agre feed bleed need speed wast sky tri cry appl replic vari").split()
    suffixes = ["", "s", "es", "ies", "ied", "sses", "ss", "ed", "eed", "ing", "ingly", "ly",
                "al", "ally", "alli", "ation", "ational", "tional", "ance", "ence", "enci", "anci",
                "izer", "ize", "izing", "ization", "ator", "alism", "iveness", "fulness",
                "ousness", "aliti", "iviti", "biliti", "bility", "bli", "fulli", "logi", "logy",
                "icate", "ative", "alize", "iciti", "ical", "ful", "ness", "er", "ic", "able",
                "ible", "ant", "ement", "ment", "ent", "ion", "sion", "tion", "ou", "ism", "ate",
                "iti", "ous", "ive", "e", "ll", "y", "entli", "eli", "ousli"]
    words = {r + s for r in roots for s in suffixes}
    words.update(w.lower() for t in text_corpus.FINDINGS for w in t.split())
    words.update(text_corpus.WORDS)
    words.update("skies sky dying lying tying news innings inning outings outing cannings canning "
                 "howe proceed exceed succeed ties dies lies a is as at by yy yyy ayy ya yay "
                 "boy boys toy toys say says sayings cry cried cries happy happily agreed feed "
                 "feeds bled controll rolling filing filling hopping hoping tanned falling "
                 "fizzed missed buzzed generalizations oscillators triplicate formative formalize "
                 "electriciti electrical hopeful goodness revival allowance inference airliner "
                 "gyroscopic adjustable defensible irritant replacement adjustment dependent "
                 "adoption homologou communism activate angulariti homologous effective bowdlerize "
                 "probate rate cease controlling roll analogi archaeologi geologi x1 2nd 3rd 100th "
                 "covid19 t1w mm cm ctr cpar ap pa".split())
    alphabet = "aeiouybcdlmnrstz"
    for _ in range(600):
        words.add("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))))
    return sorted(words)


def main():
    rng = random.Random(SEED)
    samples = text_corpus.corpus(SEED, N_SAMPLES)
    subsets = [sorted(rng.sample(range(N_SAMPLES), rng.randint(1, 8))) for _ in range(60)]
    subsets += [[i] for i, s in enumerate(samples) if not (s["hyp"] or "").strip()]

    texts = []
    for s in samples[:120]:
        texts += [t for t in s["refs"] + [s["hyp"] or ""] if len(t) < 2000]
    texts += text_corpus.FINDINGS + text_corpus.UNICODE_BITS + text_corpus.NUMBERS + EDGE_TEXTS
    texts = list(dict.fromkeys(texts))

    out = {
        "generator": "tests/golden/gen_text_vectors.py",
        "seed": SEED,
        "versions": {"sacrebleu": sacrebleu.__version__, "nltk": nltk.__version__,
                     "rouge_score": "0.1.2", "python": sys.version.split()[0]},
        "samples": samples,
        "sacrebleu": [refs.sacrebleu_values(samples, c, subsets) for c in refs.SACREBLEU_CONFIGS],
        "sentence_bleu": [refs.sentence_bleu_values(samples, n, c)
                          for n, c in itertools.product((1, 2, 3, 4), refs.SENTENCE_BLEU_CONFIGS)],
        "rouge": refs.rouge_values(samples, True) + refs.rouge_values(samples, False),
        "tokens": {"texts": texts, **refs.token_values(texts)},
    }
    path = os.path.join(ROOT, "tests", "data", "text_metric_vectors.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=0)
    words = porter_words(rng)
    stem_path = os.path.join(ROOT, "tests", "data", "porter_stem_vectors.json")
    with open(stem_path, "w", encoding="utf-8") as f:
        json.dump({"generator": "tests/golden/gen_text_vectors.py", "nltk": nltk.__version__,
                   "mode": "NLTK_EXTENSIONS", "words": words, "stems": refs.porter_stems(words)},
                  f, ensure_ascii=False, indent=0)
    print(f"wrote {path} ({len(samples)} samples, {len(texts)} texts) and {stem_path} "
          f"({len(words)} words); rouge_score {rouge_score.__name__}")


if __name__ == "__main__":
    main()
