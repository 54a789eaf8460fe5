"""suites/sample/README.md, written by generate.py so its counts always match the files."""

_HEAD = """# Sample suite (`imax-sample`)

A small, fully synthetic suite for the seven IMAX chest X-ray tasks, bundled so the harness, its
tests and CI run without downloading anything. The images are caricatures of frontal (PA) chest
radiographs, not medical data; every reference answer is exact by construction.

**Everything in this folder except `generate.py` and `generator/` is written by the generator; do
not edit it by hand.** Regenerate with

    python3 suites/sample/generate.py

(Python 3 standard library only). Seeds are fixed, so a run rewrites identical bytes; the script
prints a content hash to compare runs. PNG data goes through the platform's `zlib`, so a different
zlib build (e.g. zlib-ng) may compress differently while decoding to identical pixels.

## Layout

| path | what |
|---|---|
| `suite.json` | the suite (docs/formats.md §2); split paths are relative to this file's folder |
| `<task>.jsonl` | one split per task (docs/formats.md §1); image paths relative to this folder |
| `images/` | the %(n_images)d images (`cxr_000` ... `cxr_%(last)03d`) |
| `image_truth.jsonl` | per image: CTR, CPAR, edema grade, CheXpert labels, every box |
| `predictions.jsonl` | a plausible model's answers (docs/formats.md §3) |
| `gallery/` | a second, disjoint image set with the same seven splits, for retrieval baselines |
| `bad/` | deliberately broken files; `bad/cases.json` lists them |
| `generate.py`, `generator/` | the generator |

## What the generator draws

Each image is a grayscale frontal radiograph caricature: dark lungs with faint vessel markings
radiating from the hila, posterior ribs, clavicles, a bright mediastinum with a dark trachea, a
heart silhouette, diaphragm domes (the right one higher) and a gastric bubble. **Sides are the
patient's**: the patient's right lung is on the image's left, as on any PA film.

- **Cardiothoracic ratio** `ctr` = widest horizontal extent of the heart / widest inner extent of
  the thorax, both in pixels of the drawn masks. It varies over %(ctr_lo).3f-%(ctr_hi).3f; `ctr > 0.5`
  is labelled Cardiomegaly, `ctr > 0.58` also Enlarged Cardiomediastinum.
- **Cardiopulmonary area ratio** `cpar` = heart pixels / thoracic-cavity pixels (above the
  diaphragm). Calculation references are both ratios rounded to 3 decimals.
- **Findings**, each with the bounding box of exactly the pixels it changed: pleural effusion
  (small/moderate/large, one side or both: fluid with a meniscus blunting the costophrenic angle),
  consolidation (bright blob in a lobe; half also labelled Pneumonia), nodule (Lung Lesion),
  apical pneumothorax (dark cap without markings and a visceral pleural line), support devices
  (endotracheal tube, nasogastric tube, right IJ central venous catheter, pacemaker with lead).
- **Edema grade** (multiclass task): none, vascular congestion (vessel cephalisation; always
  with cardiomegaly), interstitial edema (perihilar haze, Kerley B lines; labelled Edema),
  alveolar edema (dense perihilar opacities; Edema and Lung Opacity).
- A normal image is labelled `["No Finding"]`.

Records use the default class list (edema grades) and label vocabulary (14 CheXpert labels), so
`classes` and `labels` are left out. To cover optional paths of docs/formats.md §1, `mc-0000-1` gives
its reference as a class index and one vqa record carries its own `prompt`.

Boxes are `[x1, y1, x2, y2]` inclusive pixel indices (0-based, from the top-left), so use the
`pixel_inclusive` IoU convention. Anatomy (heart, each lung) is also a rec/reg target.

Image formats: %(formats)s. DICOM files are explicit VR little endian with 16 bits allocated,
12 stored, RescaleSlope/Intercept and a WindowCenter/Width spanning the data; displayed =
window(stored * slope + intercept), inverted for MONOCHROME1.

## Counts

| | sample | gallery |
|---|---|---|
| images | %(n_images)d | %(g_images)d |
| records | %(n_records)d | %(g_records)d |
%(task_rows)s| tasks per image (mean) | %(tpi).2f | %(g_tpi).2f |
| entries per image (mean) | %(epi).2f | %(g_epi).2f |

(IMAX itself averages 4.10 tasks and 7.46 entries per image.) Ids are `<task>-<image>-<n>`,
e.g. `rec-0007-1` (`gal-rec-0007-1` in the gallery), with task short names %(shorts)s.

## Predictions

`predictions.jsonl` answers %(n_preds)d of the %(n_records)d records in shuffled order (%(missing)d ids are
deliberately missing and must count as `n_missing`). Intended outcomes: %(right)d right in varied
phrasings (`0.52`, `52%%`, `CTR = 0.52`, `Yes, there is a small left pleural effusion.`, `{<12><40><35><62>}` grid-100
boxes, label lists with synonyms such as "a pacemaker"), %(wrong)d wrong and %(unparsed)d unparseable
(refusals, empty strings, answers without a box or number). Most rows carry `latency_ms` and
`output_tokens`. Grid-100 boxes are edges: `round(x1*100/w), ..., round((x2+1)*100/w)`.

## Gallery

`gallery/` holds %(g_images)d other images from the same generator with another seed, annotated
with the same seven splits and formats (ids prefixed `gal-`) and its own `suite.json`. A
nearest-neighbour baseline embeds a query image, finds the closest gallery image and answers
from that image's annotations.

## Broken files (`bad/`)

Each case has its own suite file so a test can load it and check the error names the file,
line and id. `bad/suite.json` covers all seven tasks, each split broken differently;
`bad/suite_valid.json` is a valid control. Prediction cases are meant to be scored against
`../suite.json`.

| case | kind | file | line | problem |
|---|---|---|---|---|
%(bad_rows)s"""


def render(s, g, outcomes, scenes, cases, shorts):
    task_rows = "".join("| `%s` records | %d | %d |\n" % (t, s["per_task"][t], g["per_task"][t])
                        for t in s["per_task"])
    formats = {}
    for sc in scenes.values():
        formats[sc["format"]] = formats.get(sc["format"], 0) + 1
    ctrs = [sc["ctr"] for sc in scenes.values()]
    bad_rows = "".join("| %s | %s | `%s` | %s | %s |\n" % (c["case"], c["kind"], c["file"],
                                                            c["line"] or "-", c["problem"])
                       for c in cases)
    return _HEAD % dict(
        n_images=s["images"], last=s["images"] - 1, g_images=g["images"],
        n_records=s["records"], g_records=g["records"], task_rows=task_rows,
        tpi=s["tasks_per_image"], g_tpi=g["tasks_per_image"], epi=s["entries_per_image"],
        g_epi=g["entries_per_image"], ctr_lo=min(ctrs), ctr_hi=max(ctrs),
        formats=", ".join("%d %s" % (n, f) for f, n in sorted(formats.items())),
        shorts=", ".join("`%s`" % v for v in shorts.values()),
        n_preds=s["records"] - outcomes["missing"], missing=outcomes["missing"],
        right=outcomes.get("right", 0), wrong=outcomes.get("wrong", 0),
        unparsed=outcomes.get("unparsed", 0), bad_rows=bad_rows)
