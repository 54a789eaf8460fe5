"""Seeded random radiology-style text for the text metric tests (gen_text_vectors.py, diff_text.py,
ci/bench_sacrebleu_rouge.py): report sentences with numbers ("0.52", "5 mm"), punctuation, mixed
case and abbreviations, hypotheses made by editing a reference, and hard cases: Unicode
(accents, ×, µ, Greek final sigma, İ, the Kelvin sign, CJK, odd digits and spaces), HTML
entities, "<unk>", empty and very long texts, 1-5 references per sample. Standard library only.
"""
import random

FINDINGS = [
    "The heart size is normal.",
    "The cardiomediastinal silhouette is within normal limits.",
    "No focal consolidation, pleural effusion, or pneumothorax.",
    "Mild cardiomegaly with a cardiothoracic ratio of 0.52.",
    "There is a 5 mm nodule in the right upper lobe.",
    "Interval improvement of left basilar atelectasis.",
    "Stable postoperative changes status post CABG.",
    "ET tube terminates 4.5 cm above the carina.",
    "Moderate pulmonary edema, worse than on the prior study.",
    "Small bilateral pleural effusions with adjacent atelectasis.",
    "Degenerative changes of the thoracic spine are noted.",
    "Right PICC line tip projects over the SVC.",
    "Lungs are clear; no acute cardiopulmonary process.",
    "Patchy opacities in the left lower lobe may reflect pneumonia.",
    "Calcified granuloma in the left mid-lung, unchanged.",
    "The aorta is tortuous and calcified.",
    "Hyperinflation consistent with COPD/emphysema.",
    "No evidence of free air under the diaphragm.",
    "Enteric tube courses below the diaphragm, tip not seen.",
    "Vascular congestion without frank interstitial edema.",
    "Healing fractures of the right 5th-7th ribs.",
    "Elevated right hemidiaphragm (unchanged since 2019-03-04).",
    "Cardiac silhouette enlarged; CTR = 0.61, CPAR 0.35.",
    "Opacity measures 2.3 x 1.8 cm in the lingula.",
    "Findings are consistent with mild interstitial edema.",
    "Sternotomy wires are intact and well aligned.",
    "Bibasilar opacities, likely atelectasis vs. aspiration.",
    "There's no pneumothorax; the pleural spaces aren't blunted.",
    "Compared with prior, the effusion has decreased by ~50%.",
    "Lines/tubes: right IJ catheter at the cavoatrial junction.",
]
WORDS = ("right left upper lower lobe lung lungs heart normal mild moderate severe small large "
         "bilateral effusion effusions opacity opacities nodule nodules edema atelectasis "
         "consolidation pneumothorax pneumonia unchanged stable improved worsening interval "
         "silhouette mediastinum hilar vascular congestion cardiomegaly enlarged size is are "
         "the a an of in with without no there and or not seen noted likely possibly compared "
         "prior study findings impression tube line catheter tip projects over above below "
         "carina diaphragm rib ribs spine fracture fractures healing calcified granuloma "
         "aorta tortuous hyperinflation emphysema copd pleural basilar bibasilar apical").split()
UNICODE_BITS = [
    "café", "naïve", "Réunion", "São Paulo", "5 × 3 cm", "10 µm", "37.5 °C", "1–2 cm", "—",
    "‘quoted’", "“double”", "胸部X线", "心影增大。", "双肺纹理增多，", "「所見」", "ΟΔΟΣ", "ΑΣ.",
    "İSTANBUL", "4 K", "½", "x²", "①", "٣٤", "３ｍｍ", "🙂", "e\u0301", "a\u00a0b", "c\u3000d",
    "tab\there", "line\nbreak", "end-\nof-line", "&amp;", "&lt;b&gt;", "&quot;", "<skipped>",
    "<unk>", "<UNK>", "¿Qué?", "€5", "100%", "Ⅻ", "ǅ", "ﬁ", "\u2028", "\u0085", "Straße",
]
NUMBERS = ["0.52", "5 mm", "3,000", "1.5", "12", "0.5cm", "2/3", "3:1", "-4", "v2.0", "7."]
SYNONYMS = {"small": "tiny", "mild": "slight", "normal": "unremarkable", "no": "without",
            "opacity": "density", "effusion": "fluid", "stable": "unchanged", "heart": "cardiac"}


def _edit(rng, text):
    """A hypothesis-like edit of `text`: drops, swaps, synonyms, case and punctuation changes."""
    words = text.split(" ")
    out = []
    for w in words:
        r = rng.random()
        if r < 0.08:
            continue
        if r < 0.16:
            w = SYNONYMS.get(w.lower(), rng.choice(WORDS))
        elif r < 0.20:
            out.append(rng.choice(WORDS))
        elif r < 0.24:
            w = w.upper()
        elif r < 0.28:
            w = w.rstrip(".,;") + rng.choice([".", ",", ";", " .", ""])
        out.append(w)
    if rng.random() < 0.1:
        rng.shuffle(out)
    return " ".join(out)


def _sentence(rng):
    r = rng.random()
    if r < 0.65:
        s = rng.choice(FINDINGS)
    elif r < 0.85:
        n = rng.randint(1, 12)
        s = " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + rng.choice([".", "", ";"])
    else:
        s = rng.choice(FINDINGS)[:-1] + " " + rng.choice(NUMBERS) + "."
    if rng.random() < 0.12:
        k = rng.randint(0, len(s))
        s = s[:k] + " " + rng.choice(UNICODE_BITS) + " " + s[k:]
    if rng.random() < 0.05:
        s = s.lower() if rng.random() < 0.5 else s.upper()
    return s


def report(rng, long=False):
    n = rng.randint(40, 90) if long else rng.choice([1, 1, 2, 2, 3, 4, 5])
    return " ".join(_sentence(rng) for _ in range(n))


def sample(rng):
    """{"refs": [...], "hyp": str or None}: None is a missing prediction."""
    long = rng.random() < 0.03
    n_refs = rng.choice([1, 1, 1, 2, 2, 3, 4, 5])
    base = report(rng, long)
    refs = [base] + [(_edit(rng, base) if rng.random() < 0.6 else report(rng, long))
                     for _ in range(n_refs - 1)]
    r = rng.random()
    if r < 0.03:
        hyp = None
    elif r < 0.07:
        hyp = ""
    elif r < 0.12:
        hyp = report(rng, long)  # unrelated
    elif r < 0.15:
        hyp = rng.choice(WORDS)  # one word
    else:
        hyp = _edit(rng, rng.choice(refs))
    if rng.random() < 0.03:
        refs[rng.randrange(len(refs))] = ""
    if rng.random() < 0.03:
        hyp = (hyp or "") + " <unk> " + rng.choice(UNICODE_BITS)
    return {"refs": refs, "hyp": hyp}


def corpus(seed, n):
    rng = random.Random(seed)
    return [sample(rng) for _ in range(n)]


def bench_corpus(seed, n):
    """Report-generation-like pairs for timing: one reference report, a hypothesis edited from it
    (1 in 10 unrelated), no pathological lengths."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        ref = report(rng)
        hyp = _edit(rng, ref) if rng.random() < 0.9 else report(rng)
        out.append({"refs": [ref], "hyp": hyp})
    return out
