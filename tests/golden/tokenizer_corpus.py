"""Seeded radiology-style text for the tokenizer files and vectors (gen_tokenizer_vectors.py) and
the tokenizer benchmark corpus. Standard library only.

training_texts(): report-like paragraphs for training the demo tokenizers.
test_texts(): the strings whose ids the C++ tokenizers must reproduce: report sentences, numbers
("0.52", "12.5 mm"), punctuation, contractions in every case, Unicode (accents composed and
decomposed, CJK, Hangul jamo, emoji with ZWJ, RTL scripts, odd spaces), whitespace runs,
newlines, chat-template special tokens inline and broken, the empty string, and random strings
drawn from those character classes.
"""
import json
import os
import random

FINDINGS = [
    "The heart size is normal.", "The cardiomediastinal silhouette is within normal limits.",
    "No focal consolidation, pleural effusion, or pneumothorax.",
    "Mild cardiomegaly with a cardiothoracic ratio of 0.52.",
    "There is a 12.5 mm nodule in the right upper lobe.",
    "Interval improvement of left basilar atelectasis.",
    "Stable postoperative changes status post CABG.", "ET tube terminates 4.5 cm above the carina.",
    "Moderate pulmonary edema, worse than on the prior study.",
    "Small bilateral pleural effusions with adjacent atelectasis.",
    "Right PICC line tip projects over the SVC.", "Lungs are clear; no acute cardiopulmonary process.",
    "Patchy opacities in the left lower lobe may reflect pneumonia.",
    "Hyperinflation consistent with COPD/emphysema.", "Vascular congestion without frank edema.",
    "Healing fractures of the right 5th-7th ribs.",
    "Elevated right hemidiaphragm (unchanged since 2019-03-04).",
    "Cardiac silhouette enlarged; CTR = 0.61, CPAR 0.35.",
    "Opacity measures 2.3 x 1.8 cm in the lingula.",
    "There's no pneumothorax; the pleural spaces aren't blunted.",
    "Compared with prior, the effusion has decreased by ~50%.",
    "Lines/tubes: right IJ catheter at the cavoatrial junction.",
    "The endotracheal tube is 3.2 cm above the carina.",
    "A nasogastric tube courses below the diaphragm into the stomach.",
    "Alveolar edema in a perihilar distribution.", "The costophrenic angles are sharp.",
]
WORDS = ("right left upper lower middle lobe lung lungs heart normal mild moderate severe small "
         "large bilateral effusion effusions opacity opacities nodule edema atelectasis "
         "consolidation pneumothorax pneumonia unchanged stable improved worsening interval "
         "silhouette mediastinum hilar vascular congestion cardiomegaly enlarged size is are the "
         "a an of in with without no there and or not seen noted likely compared prior study "
         "findings impression tube line catheter tip projects over above below carina diaphragm "
         "rib spine fracture calcified granuloma aorta tortuous emphysema pleural basilar").split()
EXTRA_WORDS = (
    "abdomen abscess acute adenopathy airspace alveolar anterior aortic apex apices appearance "
    "artery arthritis ascending aspiration asymmetric azygos band base bases bibasilar blunting "
    "bone bowel breast bronchial bronchiectasis bronchiolitis bronchovascular bulla bullae "
    "calcification cannula cardiac cardiothoracic carcinoma cavitary cavity central cervical "
    "chronic clavicle clip clips collapse component congestive contour contusion coronary "
    "costophrenic crowding cyst decreased deformity density dependent descending device diffuse "
    "dilated discoid displaced distal distension drain elevation embolism emphysematous "
    "endotracheal esophageal esophagus evaluation expiratory extensive exudate fibrosis fissure "
    "fluid focal fracture fractures free gastric generator glenohumeral granulomatous "
    "hemidiaphragm hemithorax hernia hiatal hilum humerus hydropneumothorax hyperexpanded "
    "hypoinflation increased infection infiltrate inflammatory inspiration interstitial "
    "intubation jugular kyphosis laminar lateral lead leads lesion linear lingula lobar "
    "lucency lymph malignancy margin markings mass masses mastectomy mediastinal metastatic "
    "minimal nasogastric neoplasm nipple obscured oblique obstruction osseous osteopenia "
    "pacemaker parenchyma parenchymal patchy pectus perihilar peripheral pericardial picc "
    "plaque plate pleura portable posterior postoperative process prominence prominent "
    "pulmonary radiograph reticular reticulonodular retrocardial rotation scapula scarring "
    "sclerotic scoliosis segment segmental shoulder soft spinal sternotomy sternal stomach "
    "subcutaneous subdiaphragmatic subsegmental superimposed superior supine surgical suture "
    "thickening thoracic thorax trachea tracheostomy trauma tuberculosis tumor vertebral "
    "volume wedge wire wires widened widening zone zones radiologist recommend followup "
    "correlation clinical suggested consider differential diagnosis include including").split()
HEADINGS = ["FINDINGS:", "Findings:", "IMPRESSION:", "Impression:", "COMPARISON:", "INDICATION:",
            "TECHNIQUE:", "EXAMINATION: CHEST (PA AND LAT)"]
UNITS = ["mm", "cm", "%", "mL", "HU", "degrees"]
UNICODE_BITS = [
    "café", "cafe\u0301", "naïve", "Réunion", "São Paulo", "5 × 3 cm", "10 µm", "37.5 °C",
    "1–2 cm", "—", "‘quoted’", "“double”", "胸部X线", "心影增大。", "双肺纹理增多，", "「所見」",
    "ΟΔΟΣ", "İSTANBUL", "Straße", "4 \u212a", "½", "x²", "①", "٣٤", "３ｍｍ", "🙂", "👍🏽",
    "👩\u200d⚕️", "🫁", "a\u00a0b", "c\u3000d", "e\u2009f", "g\u200bh", "\u2028", "\u0085",
    "\u000b", "\u000c", "\u001c", "\ufeff", "ǅ", "ﬁ", "Ⅻ", "\u1100\u1161\u11a8", "한국어",
    "Ω\u0301", "\u0041\u030a", "\u212b", "e\u0323\u0302", "q\u0307\u0323", "नमस्ते", "مرحبا",
    "שָׁלוֹם", "Привет", "ǆemal", "'ſ", "'S'T", "¿Qué?", "€5", "Ⅳ", "𝔸𝔹", "\U0001d7d8",
    "\u0301start", "ﾃｽﾄ", "ㄱㄴ", "\u0e01\u0e34", "\u17b6", "\u0f40\u0fb2",
]
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>"]
SPACES = [" ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n", "\n ", " \n\n ", "\t\n", "\u00a0",
          "\u3000", "\r", "\n\n\n  "]
CONTRACTIONS = ["it's", "IT'S", "It'S", "we'll", "WE'LL", "they're", "THEY'RE", "I've", "I'M",
                "you'd", "YOU'D", "don't", "DON'T", "'s", "'t'", "''", "'ll've", "rock'n'roll",
                "x'sy", "o'clock", "' s", "'\n", "l'épanchement", "'ſx", "IT'ſ ok", "'ſſ", "'Sx",
                "'REx", "'Llama", "'DT", "’s", "'\u212ax", "'ǅx"]


def number(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return f"{rng.uniform(0, 1):.2f}"
    if kind == 1:
        return f"{rng.uniform(0.5, 40):.1f} {rng.choice(UNITS)}"
    if kind == 2:
        return str(rng.randrange(0, 100000))
    if kind == 3:
        return f"{rng.randrange(1, 31)}x{rng.randrange(1, 31)}{rng.choice(UNITS)}"
    if kind == 4:
        return f"20{rng.randrange(10, 26)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    return f"{rng.randrange(1, 12)}/{rng.randrange(1, 12)}"


def sentence(rng):
    kind = rng.randrange(4)
    if kind == 0:
        return rng.choice(FINDINGS)
    words = [rng.choice(WORDS if rng.random() < 0.6 else EXTRA_WORDS) for _ in range(rng.randrange(3, 12))]
    if kind == 1:
        words.insert(rng.randrange(len(words) + 1), number(rng))
    if kind == 2:
        words[0] = words[0].upper()
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", "!", "?", ";", ","])


def report(rng):
    parts = [rng.choice(HEADINGS)]
    for _ in range(rng.randrange(2, 7)):
        parts.append(sentence(rng))
    parts.append(rng.choice(HEADINGS[2:4]))
    parts.append(sentence(rng))
    sep = rng.choice([" ", " ", "\n", "\n\n"])
    return sep.join(parts)


def sample_report_texts(root):
    """Every report and answer text in suites/sample/*.jsonl, sorted (empty when absent)."""
    folder = os.path.join(root, "suites", "sample")
    texts = set()
    if not os.path.isdir(folder):
        return []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                record = json.loads(line)
                for key in ("reference", "prediction", "question", "prompt", "phrase"):
                    value = record.get(key)
                    values = value if isinstance(value, list) else [value]
                    texts.update(v for v in values if isinstance(v, str) and v)
    return sorted(texts)


def training_texts(root, seed=7, n_reports=20000):
    rng = random.Random(seed)
    texts = [report(rng) for _ in range(n_reports)]
    texts += [" ".join(rng.sample(UNICODE_BITS, 4)) for _ in range(300)]
    texts += sample_report_texts(root)
    return texts


def random_string(rng):
    pools = [WORDS, UNICODE_BITS, SPACES, CONTRACTIONS, SPECIALS,
             list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"), [number(rng)], list("0123456789")]
    out = []
    for _ in range(rng.randrange(1, 12)):
        pool = rng.choice(pools)
        out.append(rng.choice(pool))
        if rng.random() < 0.4:
            out.append(rng.choice(SPACES[:3]))
    return "".join(out)


def chat(rng, user):
    return (f"<|im_start|>system\nYou are a radiologist.<|im_end|>\n<|im_start|>user\n<image>\n"
            f"{user}<|im_end|>\n<|im_start|>assistant\n")


def test_texts(seed=11, n_random=2000, n_sentences=800):
    rng = random.Random(seed)
    texts = ["", " ", "  ", "\n", "a", "A", "0", "12", "123", "1234", "12345", "0.52", "12.5 mm",
             "-3.25e-4", "1,000,000", "v1.2.3", "3:1", "(0.48)", "CTR=0.52;", "x" * 300,
             " " * 50, "\n" * 7, "\t \t", "a \n b", "trailing   ", "   leading", "a  b   c",
             "..", "...", "!!!", "?!", "--->", "<<", ">>", "{<12><34><56><78>}",
             "<box>(120,340),(560,780)</box>", "http://example.org/a?b=c&d=1",
             "C:\\path\\to\\file.png", "email@example.com", "#hashtag @mention"]
    texts += UNICODE_BITS + CONTRACTIONS + SPECIALS + SPACES
    texts += [s + "x" for s in SPACES] + ["x" + s for s in SPACES] + ["x" + s + "y" for s in SPACES]
    texts += ["<|im_start|>", "<|im_end|><|im_end|>", "<|im_end", "im_end|>", "< image>",
              "<image><image>", "<IMAGE>", "a<image>b", " <image> ", "\n<image>\n",
              "<|endoftext|>x", "<|im_start|>user\nhi<|im_end|>", "<|<image>|>"]
    texts += [chat(rng, sentence(rng)) for _ in range(40)]
    texts += [sentence(rng) for _ in range(n_sentences)]
    texts += [report(rng) for _ in range(150)]
    texts += [number(rng) for _ in range(200)]
    texts += [random_string(rng) for _ in range(n_random)]
    return texts


def bench_corpus(seed=3, n=500):
    """Report texts for tests/bench/tokenizer_bench.cc (written to tests/data by the generator)."""
    rng = random.Random(seed)
    return [report(rng) for _ in range(n)]
