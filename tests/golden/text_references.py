"""Reference values of the text metrics from the reference implementations themselves, for
gen_text_vectors.py and diff_text.py. Pinned: sacrebleu 2.5.1, nltk 3.10.4, rouge-score 0.1.2.

Samples are {"refs": [str, ...], "hyp": str or None}; a None hypothesis is a missing prediction,
scored as the empty string (what imaxbench does with missing and unparsed answers).
"""
import re
import warnings

import numpy as np
import sacrebleu
from nltk.stem import porter
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
from rouge_score import rouge_scorer
from rouge_score import tokenize as rouge_tokenize

SACREBLEU_CONFIGS = [{"tokenize": t, "lowercase": lc} for t in ("13a", "intl", "none")
                     for lc in (False, True)]
SENTENCE_BLEU_CONFIGS = [{"smoothing": s, "tokenize": t} for s in ("none", "method1")
                         for t in ("unimed", "lower_split", "split")]
ROUGE_TYPES = {"rouge_1": "rouge1", "rouge_2": "rouge2", "rouge_l": "rougeL"}
# Uni-Med eval_identify.py's weights for BLEU-1..4.
UNIMED_WEIGHTS = {1: (1, 0, 0, 0), 2: (1. / 2., 1. / 2.), 3: (1. / 3., 1. / 3., 1. / 3.),
                  4: (1. / 4., 1. / 4., 1. / 4., 1. / 4.)}


def hyp_text(s):
    return "" if s["hyp"] is None else s["hyp"]


# --- Uni-Med's normalize_word (evaluate_metrics.py), the test oracle for tokenize=unimed ---------
# Written from its documented behaviour (vqaEval.py's processPunctuation + processDigitArticle on
# the raw text; re.sub's count argument receives re.UNICODE == 32); Uni-Med is not a package.
_PUNCT = [";", r"/", "[", "]", '"', "{", "}", "(", ")", "=", "+", "\\", "_", "-", ">", "<", "@",
          "`", ",", "?", "!"]
_NUMBERS = {"none": "0", "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4",
            "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10"}
_CONTRACTIONS = dict(pair.split("=") for pair in (
    "aint=ain't arent=aren't cant=can't couldve=could've couldnt=couldn't couldn'tve=couldn't've "
    "couldnt've=couldn't've didnt=didn't doesnt=doesn't dont=don't hadnt=hadn't hadnt've=hadn't've "
    "hadn'tve=hadn't've hasnt=hasn't havent=haven't hed=he'd hed've=he'd've he'dve=he'd've "
    "hes=he's howd=how'd howll=how'll hows=how's Id've=I'd've I'dve=I'd've Im=I'm Ive=I've "
    "isnt=isn't itd=it'd itd've=it'd've it'dve=it'd've itll=it'll let's=let's maam=ma'am "
    "mightnt=mightn't mightnt've=mightn't've mightn'tve=mightn't've mightve=might've "
    "mustnt=mustn't mustve=must've neednt=needn't notve=not've oclock=o'clock oughtnt=oughtn't "
    "ow's'at='ow's'at 'ows'at='ow's'at 'ow'sat='ow's'at shant=shan't shed've=she'd've "
    "she'dve=she'd've she's=she's shouldve=should've shouldnt=shouldn't "
    "shouldnt've=shouldn't've shouldn'tve=shouldn't've somebody'd=somebodyd "
    "somebodyd've=somebody'd've somebody'dve=somebody'd've somebodyll=somebody'll "
    "somebodys=somebody's someoned=someone'd someoned've=someone'd've "
    "someone'dve=someone'd've someonell=someone'll someones=someone's somethingd=something'd "
    "somethingd've=something'd've something'dve=something'd've somethingll=something'll "
    "thats=that's thered=there'd thered've=there'd've there'dve=there'd've therere=there're "
    "theres=there's theyd=they'd theyd've=they'd've they'dve=they'd've theyll=they'll "
    "theyre=they're theyve=they've twas='twas wasnt=wasn't wed've=we'd've we'dve=we'd've "
    "weve=we've werent=weren't whatll=what'll whatre=what're whats=what's whatve=what've "
    "whens=when's whered=where'd wheres=where's whereve=where've whod=who'd whod've=who'd've "
    "who'dve=who'd've wholl=who'll whos=who's whove=who've whyll=why'll whyre=why're "
    "whys=why's wont=won't wouldve=would've wouldnt=wouldn't wouldnt've=wouldn't've "
    "wouldn'tve=wouldn't've yall=y'all yall'll=y'all'll y'allll=y'all'll yall'd've=y'all'd've "
    "y'alld've=y'all'd've y'all'dve=y'all'd've youd=you'd youd've=you'd've you'dve=you'd've "
    "youll=you'll youre=you're youve=you've").split())
_PERIOD = re.compile(r"(?!<=\d)(\.)(?!\d)")
_COMMA = re.compile(r"(\d)(\,)(\d)")


def unimed_normalize(text):
    out = text
    for p in _PUNCT:
        if (p + " " in text or " " + p in text) or _COMMA.search(text) is not None:
            out = out.replace(p, "")
        else:
            out = out.replace(p, " ")
    out = _PERIOD.sub("", out, re.UNICODE)  # sic: count=32, as in Uni-Med
    words = [_NUMBERS.get(w, w) for w in out.lower().split()]
    words = [_CONTRACTIONS.get(w, w) for w in words if w not in ("a", "an", "the")]
    return " ".join(words).replace(",", "")


def words(text, how, hypothesis):
    if how == "unimed":
        if hypothesis:
            text = text.lower().replace("<unk>", "").strip()
        return unimed_normalize(text).split()
    if how == "lower_split":
        return text.lower().split()
    return text.split()


# --- metrics -----------------------------------------------------------------------------------
def ref_streams(samples):
    """sacreBLEU wants equal-length reference streams: pad with None, which it skips."""
    width = max(len(s["refs"]) for s in samples)
    return [[s["refs"][k] if k < len(s["refs"]) else None for s in samples] for k in range(width)]


def sacrebleu_values(samples, config, subsets=()):
    bleu = sacrebleu.BLEU(tokenize=config["tokenize"], lowercase=config["lowercase"])
    hyps = [hyp_text(s) for s in samples]
    streams = ref_streams(samples)
    rows = [[int(v) for v in row] for row in bleu._extract_corpus_statistics(hyps, streams)]
    score = bleu.corpus_score(hyps, streams).score / 100
    out = {"params": config, "rows": rows, "score": score, "signature": str(bleu.get_signature())}
    sub = []
    for idx in subsets:
        b = sacrebleu.BLEU(tokenize=config["tokenize"], lowercase=config["lowercase"])
        part = [samples[i] for i in idx]
        sub.append({"indices": list(idx),
                    "score": b.corpus_score([hyp_text(s) for s in part], ref_streams(part)).score / 100})
    out["subsets"] = sub
    return out


def sentence_bleu_values(samples, order, config):
    smoothing = SmoothingFunction().method1 if config["smoothing"] == "method1" else None
    per = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for s in samples:
            refs = [words(r, config["tokenize"], False) for r in s["refs"]]
            hyp = words(hyp_text(s), config["tokenize"], True)
            per.append(float(sentence_bleu(refs, hyp, weights=UNIMED_WEIGHTS[order],
                                           smoothing_function=smoothing)))
    return {"order": order, "params": config, "per_sample": per, "score": float(np.array(per).mean())}


def rouge_values(samples, use_stemmer):
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES.values()), use_stemmer=use_stemmer)
    per = {k: [] for k in ROUGE_TYPES}
    for s in samples:
        best = scorer.score_multi(s["refs"], hyp_text(s))
        for name, rtype in ROUGE_TYPES.items():
            per[name].append(best[rtype].fmeasure)
    return [{"metric": name, "params": {"use_stemmer": use_stemmer}, "per_sample": per[name],
             "score": float(np.array(per[name]).mean())} for name in ROUGE_TYPES]


_STEMMER = porter.PorterStemmer()


def token_values(texts):
    """What each tokenizer makes of each text, keyed like imaxbench_text_metric_tool's kinds."""
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
    from sacrebleu.tokenizers.tokenizer_intl import TokenizerV14International
    t13a, intl = Tokenizer13a(), TokenizerV14International()
    return {
        "sacrebleu_13a": [t13a(t) for t in texts],
        "sacrebleu_intl": [intl(t) for t in texts],
        "py_lower": [t.lower() for t in texts],
        "rouge": [rouge_tokenize.tokenize(t, None) for t in texts],
        "rouge_stem": [rouge_tokenize.tokenize(t, _STEMMER) for t in texts],
        "unimed_hyp": [words(t, "unimed", True) for t in texts],
        "unimed_ref": [words(t, "unimed", False) for t in texts],
    }


def porter_stems(words_):
    return [_STEMMER.stem(w) for w in words_]
