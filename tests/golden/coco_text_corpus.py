"""Seeded synthetic radiology reports for the pycocoevalcap-flavoured text metrics: findings and
impressions with the punctuation, numbers, contractions, brackets, mixed case and Unicode that
real reports carry. Shared by gen_coco_vectors.py, diff_coco.py and ci/bench_text_vs_reference.py.
"""
import random

ORGANS = ["heart", "cardiac silhouette", "mediastinum", "lungs", "left lung", "right lung",
          "pleural spaces", "osseous structures", "aorta", "hila", "trachea", "diaphragm",
          "left hemidiaphragm", "right costophrenic angle", "soft tissues", "pulmonary vasculature"]
NORMAL = ["normal", "clear", "unremarkable", "within normal limits", "stable", "not enlarged",
          "well expanded", "intact", "midline", "top-normal in size"]
FINDINGS = ["pleural effusion", "pneumothorax", "consolidation", "atelectasis", "pulmonary edema",
            "cardiomegaly", "nodule", "opacity", "interstitial markings", "vascular congestion",
            "hiatal hernia", "granuloma", "scarring", "emphysema", "fracture", "air-space disease",
            "Kerley B lines", "bronchiectasis", "mass", "infiltrate"]
SEVERITY = ["mild", "moderate", "severe", "small", "trace", "minimal", "large", "subtle",
            "patchy", "new", "persistent", "worsening", "improving", "stable"]
LOCATIONS = ["left lower lobe", "right upper lobe", "lingula", "right middle lobe", "bases",
             "left apex", "retrocardiac region", "perihilar regions", "right infrahilar region",
             "left costophrenic sulcus", "T7-T8 level", "upper zones", "mid-lung zone"]
DEVICES = ["Endotracheal tube", "NG tube", "Right IJ central line", "Left-sided PICC line",
           "Dual-lead pacemaker", "Sternotomy wires", "ET tube", "Feeding tube", "Chest tube"]


def number(rng):
    kind = rng.random()
    if kind < 0.3:
        return str(rng.randint(1, 30))
    if kind < 0.6:
        return "%.1f" % rng.uniform(0.2, 9.9)
    if kind < 0.8:
        return "0.%02d" % rng.randint(1, 99)
    return str(rng.randint(100, 2500))


def measurement(rng):
    n = number(rng)
    form = rng.choice(["{} mm", "{}mm", "{} cm", "{}cm", "{} x {} cm", "{} × {} cm", "{}-{} mm",
                       "{} ± 0.2 cm", "{} µg", "{}%", "{} mL", "{}°"])
    return form.format(n, number(rng))


def sentence(rng):
    o, f, s, l = rng.choice(ORGANS), rng.choice(FINDINGS), rng.choice(SEVERITY), rng.choice(LOCATIONS)
    templates = [
        lambda: f"The {o} is {rng.choice(NORMAL)}.",
        lambda: f"The {o} {rng.choice(['is', 'are'])} {rng.choice(NORMAL)}.",
        lambda: f"There is {s} {f} in the {l}.",
        lambda: f"No {f} or {rng.choice(FINDINGS)}.",
        lambda: f"No evidence of {f}, {rng.choice(FINDINGS)}, or {rng.choice(FINDINGS)}.",
        lambda: f"{s.capitalize()} {f} measuring {measurement(rng)} in the {l}.",
        lambda: f"Stable {f} (previously {measurement(rng)}).",
        lambda: f"{rng.choice(DEVICES)} tip {number(rng)} cm above the carina.",
        lambda: f"{rng.choice(DEVICES)} terminates in the SVC/RA junction.",
        lambda: f"Degenerative changes at T{rng.randint(1, 11)}-T{rng.randint(2, 12)} and L4–L5.",
        lambda: f"The heart isn't enlarged; it's {rng.choice(NORMAL)}.",
        lambda: f"The patient's {o} {rng.choice(['is', 'appears'])} {rng.choice(NORMAL)}.",
        lambda: f"Findings suggest CHF vs. pneumonia, e.g. in the {l}.",
        lambda: f"{s.capitalize()} bibasilar atelectasis and/or scarring.",
        lambda: f"Compared to {rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/20{rng.randint(10, 24)}, "
                f"the {f} has {rng.choice(['increased', 'decreased', 'resolved'])}.",
        lambda: f"So-called \"bat-wing\" pattern of {f}.",
        lambda: f"Dr. Smith was notified at {rng.randint(1, 12)}:{rng.randint(10, 59)} a.m.",
        lambda: f"IMPRESSION: {s.upper()} {f.upper()}.",
        lambda: f"FINDINGS: {s} {f} -- unchanged.",
        lambda: f"SpO2 {rng.randint(88, 100)}% on {rng.randint(1, 6)}L O2; don't see {f}.",
        lambda: f"{s.capitalize()} {f} isn’t seen… ≥ {measurement(rng)} would be abnormal.",
        lambda: f"Interval change of {f}: {number(rng)} → {number(rng)} cm.",
        lambda: f"There's {s} {f} [see prior report] at the {l}; can't exclude {rng.choice(FINDINGS)}!",
        lambda: f"Is there {f}? No.",
        lambda: f"{o.capitalize()}: {rng.choice(NORMAL)}; {rng.choice(ORGANS)}: {rng.choice(NORMAL)}.",
        lambda: f"Ratio 1/2 of prior; {s} {f} {{unchanged}} per Dr. O'Neil.",
        lambda: f"Nodule measures {measurement(rng)} (series 3, image 45).",
    ]
    text = rng.choice(templates)()
    r = rng.random()
    if r < 0.05:
        text = text.upper()
    elif r < 0.08:
        text = text.lower()
    return text


def report(rng, long_report=False):
    n = rng.randint(25, 60) if long_report else rng.randint(1, 6)
    return " ".join(sentence(rng) for _ in range(n))


def perturb(rng, text):
    """A plausible model output: a reference with words dropped, swapped or replaced."""
    words = text.split(" ")
    out = []
    for w in words:
        r = rng.random()
        if r < 0.08:
            continue
        if r < 0.14:
            out.append(rng.choice(FINDINGS + SEVERITY + NORMAL))
            continue
        out.append(w)
    if rng.random() < 0.3:
        out.append(sentence(rng))
    # Start with a word, as reports do: a caption opening with a digit changes how the jar
    # tokenizes "No." at the end of the caption before it (metrics/text/ptb_tokenizer.h).
    while out and not out[0][:1].isalpha():
        out.pop(0)
    return " ".join(out)


def sample(rng, long_report=False):
    """(hypothesis, references): 1 to 5 references, some empty or missing predictions."""
    refs = [report(rng, long_report) for _ in range(rng.randint(1, 5))]
    r = rng.random()
    if r < 0.06:
        hyp = ""
    elif r < 0.5:
        hyp = perturb(rng, rng.choice(refs))
    else:
        hyp = report(rng, long_report)
    return hyp, refs


def corpus(seed, n, long_fraction=0.0):
    rng = random.Random(seed)
    return [sample(rng, rng.random() < long_fraction) for _ in range(n)]


# Characters that exercise the tokenizer's corners. Left out: line breaks other than "\n" (they
# shift pycocoevalcap's later captions onto wrong lines) and capital sigma (Java's final-sigma
# rule differs from Python's); both are documented in metrics/text/ptb_tokenizer.h.
SOUP = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" * 2) + [" "] * 30
        + list(".,;:!?'\"`-_/\\()[]{}<>@#$%^&*+=~|") + list("’‘“”«»–—…×µ°±²½€£¢éÉß\u00a0\u00ad\u200b")
        + ["&amp;", "&apos;", "&quot;", "&lt;", "n't", "'s", "'ll", "http://", "www.", ".com", "I.",
           " The ", " No. ", "etc.", "\U0001F600"])


def soup(rng, max_len=40):
    return "".join(rng.choice(SOUP) for _ in range(rng.randint(0, max_len)))
