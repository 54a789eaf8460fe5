"""A plausible model's answers to the sample suite (docs/formats.md §3): about two thirds right in
varied phrasings, the rest wrong, unparseable or missing, so every scoring path has work to do.
"""

from language import report, targets
from scene import EDEMA_GRADES

UNPARSEABLE = ["I cannot determine this from the image.", "",
               "The image quality is insufficient for a reliable assessment.",
               "Please consult a radiologist."]
LABEL_SYNONYMS = {"Support Devices": ["support devices", "a pacemaker", "lines and tubes"],
                  "Pleural Effusion": ["pleural effusion", "Pleural Effusion", "effusion"],
                  "No Finding": ["No Finding", "no finding"]}


def _grid(box, w, h):
    """Pixel box (inclusive) -> grid-100 edges, the IMAX answer format {<x1><y1><x2><y2>}."""
    x1, y1, x2, y2 = box
    return [round(x1 * 100 / w), round(y1 * 100 / h), round((x2 + 1) * 100 / w), round((y2 + 1) * 100 / h)]


def _grid_text(g):
    return "{<%d><%d><%d><%d>}" % tuple(g)


def _calc(rec, scene, rng, outcome):
    ref = rec["reference"]
    name = "cardiothoracic ratio" if rec["quantity"] == "ctr" else "cardiopulmonary area ratio"
    abbr = rec["quantity"].upper()
    if outcome == "wrong":
        val = max(0.03, ref + rng.choice([-1, 1]) * rng.uniform(0.08, 0.2))
    else:
        val = ref + rng.uniform(-0.015, 0.015)
    return rng.choice([
        "The %s is approximately %.2f." % (name, val),
        "%.0f%%" % (val * 100),
        "%s = %.2f" % (abbr, val),
        "%.3f" % val,
        "The %s measures about %.2f." % (abbr, val),
    ])


def _multilabel(labels, rng):
    words = [rng.choice(LABEL_SYNONYMS.get(l, [l, l.lower()])) for l in labels]
    if len(words) == 1:
        text = words[0]
    elif rng.random() < 0.5:
        text = ", ".join(words[:-1]) + " and " + words[-1]
    else:
        text = rng.choice([", ", "; "]).join(words)
    return rng.choice(["%s", "%s.", "Findings: %s", "The image shows %s."]) % text


def _explained(question, ans, scene):
    """A yes/no answer with its reason, like 'Yes, there is a small left pleural effusion.'"""
    effs = [f for f in scene["findings"] if f["kind"] == "effusion"]
    if "pleural effusion" in question and ans == "yes" and effs:
        if len(effs) == 2:
            return "Yes, there are %s bilateral pleural effusions." % effs[0]["size"]
        return "Yes, there is a %s %s pleural effusion." % (effs[0]["size"], effs[0]["side"])
    if question.startswith("Is the heart enlarged"):
        return "Yes, the heart is enlarged." if ans == "yes" else "No, the heart size is normal."
    if question.startswith("Are there any "):
        noun = question[len("Are there any "):].rstrip("?")
        return "Yes, there are %s." % noun if ans == "yes" else "No, there are no %s." % noun
    for lead in ("Is there evidence of ", "Is there a "):
        if question.startswith(lead):
            noun = question[len(lead):].rstrip("?")
            return "Yes, there is %s." % noun if ans == "yes" else "No, there is no %s." % noun
    return ans.capitalize() + "."


def _answer(rec, scene, rng, outcome, scenes):
    task = rec["task"]
    if outcome == "unparsed":
        if task == "multilabel_classification":
            return rng.choice(UNPARSEABLE[:2] + ["The lungs look abnormal."])
        if task == "rec":
            return rng.choice(["The finding is in the lower zone.", "", "I cannot localize this."])
        return rng.choice(UNPARSEABLE)
    right = outcome == "right"
    if task == "calculation":
        return _calc(rec, scene, rng, outcome)
    if task == "report_generation":
        other = scene if right else rng.choice([s for s in scenes if s is not scene])
        return report(other, rng)
    if task == "multiclass_classification":
        ref = EDEMA_GRADES[scene["edema"]]  # the record may give its reference as an index
        grade = ref if right else rng.choice([g for g in EDEMA_GRADES if g != ref])
        if grade == "none":
            return rng.choice(["none", "None.", "Answer: none", "There is no pulmonary edema."])
        return rng.choice(["%s", "%s.", "The image shows %s.", "Answer: %s"]) % grade
    if task == "multilabel_classification":
        labels = list(rec["reference"])
        if not right:
            extra = rng.choice(["Atelectasis", "Pneumonia", "Cardiomegaly", "Fracture", "Edema"])
            if len(labels) > 1 and rng.random() < 0.5:
                labels.pop(rng.randrange(len(labels)))
            elif extra not in labels:
                labels = [l for l in labels if l != "No Finding"] + [extra]
            else:
                labels = ["No Finding"]
        return _multilabel(labels, rng)
    if task == "rec":
        w, h = rec["image_size"]
        box = rec["reference"]
        if not right:
            others = [t[1] for t in targets(scene) if list(t[1]) != box]
            box = rng.choice(others) if others and rng.random() < 0.5 else \
                [w - 1 - box[2], box[1], w - 1 - box[0], box[3]]  # the mirror image: wrong side
        g = _grid(box, w, h)
        if right and rng.random() < 0.3:
            g = [min(100, max(0, v + rng.choice([-1, 1]))) for v in g]
        subject = rec["phrase"][4:] if rec["phrase"].startswith("the ") else rec["phrase"]
        text = rng.choice(["{box}", "{box}", "The %s is located at {box}." % subject,
                           "Answer: {box}"]).replace("{box}", _grid_text(g))
        if rng.random() < 0.08:
            text += _grid_text(_grid(scene["heart_box"], w, h))  # a second box; the first is used
        return text
    if task == "reg":
        refs = rec["reference"] if isinstance(rec["reference"], list) else [rec["reference"]]
        if right:
            cap = rng.choice(refs)
        else:
            caps = [t[3][0] for t in targets(scene) if t[3][0] not in refs]
            cap = rng.choice(caps)
        return rng.choice([cap, cap[0].upper() + cap[1:] + ".", "This region shows the %s." % cap,
                           "Region: %s" % cap])
    # vqa
    ref = rec["reference"]
    refs = ref if isinstance(ref, list) else [ref]
    if rec["answer_type"] == "closed":
        flip = {"yes": "no", "no": "yes", "left": "right", "right": "left"}
        ans = refs[0] if right else flip[refs[0]]
        if ans in ("yes", "no"):
            return rng.choice([ans, ans.capitalize() + ".", _explained(rec["question"], ans, scene)])
        return rng.choice([ans, ans.capitalize() + ".", "It is on the %s side." % ans])
    if right:
        ans = rng.choice(refs)
        return rng.choice([ans, ans[0].upper() + ans[1:] + ".", "The answer is %s." % ans])
    wrong = rng.choice(["atelectasis", "pneumonia", "normal", "pleural effusion", "nodule",
                        "right upper lobe", "interstitial edema", "endotracheal tube"])
    if wrong in refs:
        wrong = "rib fracture"
    return wrong.capitalize() + "."


def predictions(records, scenes_by_image, rng):
    """One answer per record, minus a few deliberately missing ids, in shuffled order."""
    all_scenes = [scenes_by_image[k] for k in sorted(scenes_by_image)]
    missing = set(rng.sample([r["id"] for r in records], max(3, len(records) // 40)))
    out = []
    for rec in records:
        outcome = rng.choices(["right", "wrong", "unparsed"], [0.67, 0.25, 0.08])[0]
        text = _answer(rec, scenes_by_image[rec["image_id"]], rng, outcome, all_scenes)
        if rec["id"] in missing:
            continue
        row = {"id": rec["id"], "prediction": text}
        if rng.random() < 0.9:
            tokens = max(1, round(len(text) / 4)) if text else 0  # ~4 characters a token
            row["latency_ms"] = round(rng.uniform(120, 400) + 18 * tokens, 1)
            row["output_tokens"] = tokens
        out.append((row, outcome))
    rng.shuffle(out)
    return out
