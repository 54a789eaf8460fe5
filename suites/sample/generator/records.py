"""Split records (docs/formats.md §1) for one image: which tasks it carries and their references.

Image-centric like IMAX: each image carries several of the seven tasks, and rec, reg and vqa
several entries each.
"""

from language import FINDING_NAMES, report, targets
from scene import EDEMA_GRADES, chexpert_labels

TASKS = ["calculation", "report_generation", "multiclass_classification",
         "multilabel_classification", "rec", "reg", "vqa"]
SHORT = {"calculation": "calc", "report_generation": "report",
         "multiclass_classification": "mc", "multilabel_classification": "ml",
         "rec": "rec", "reg": "reg", "vqa": "vqa"}


def _yes_no(flag):
    return "yes" if flag else "no"


def vqa_pool(scene):
    """Every question the image can answer: (key, question, answer_type, reference)."""
    by = {}
    for f in scene["findings"]:
        by.setdefault(f["kind"], []).append(f)
    effs, ptx, nod, cons, devs = (by.get(k, []) for k in
                                  ("effusion", "pneumothorax", "nodule", "consolidation", "device"))
    pool = [
        ("eff", "Is there a pleural effusion?", "closed", _yes_no(effs)),
        ("heart", "Is the heart enlarged?", "closed", _yes_no(scene["ctr"] > 0.5)),
        ("ptx", "Is there a pneumothorax?", "closed", _yes_no(ptx)),
        ("dev", "Are there any support devices or tubes?", "closed", _yes_no(devs)),
        ("nod", "Is there a lung nodule?", "closed", _yes_no(nod)),
    ]
    if scene["edema"] != 1:  # vascular congestion is neither clearly edema nor clearly not
        pool.append(("edema", "Is there evidence of pulmonary edema?", "closed",
                     _yes_no(scene["edema"] >= 2)))
    if len(effs) == 1:
        pool.append(("eff-side", "Which side is the pleural effusion on?", "closed", effs[0]["side"]))
        pool.append(("eff-size", "How large is the pleural effusion?", "open", effs[0]["size"]))
    if ptx:
        pool.append(("ptx-side", "Which lung has the pneumothorax?", "closed", ptx[0]["side"]))
    if nod:
        pool.append(("nod-side", "In which lung is the nodule?", "closed", nod[0]["side"]))
        pool.append(("nod-where", "Where is the nodule located?", "open", nod[0]["lobe"]))
    if cons:
        pool.append(("cons-side", "Which lung shows consolidation?", "closed", cons[0]["side"]))
    if len(devs) == 1:
        pool.append(("dev-what", "What support device is present?", "open", devs[0]["device"]))
    if scene["edema"]:
        pool.append(("edema-grade", "How severe is the pulmonary edema?", "open",
                     EDEMA_GRADES[scene["edema"]]))
    pool.append(("heart-size", "What is the size of the heart?", "open",
                 ["enlarged", "cardiomegaly"] if scene["ctr"] > 0.5 else ["normal", "normal size"]))
    # "What abnormality is seen in the right lower lung?" when exactly one finding is there.
    regions = {}
    for f in effs + ptx + nod + cons:
        regions.setdefault((f["side"], f["zone"]), []).append(f)
    for (side, zone), fs in sorted(regions.items()):
        if len(fs) == 1:
            name = FINDING_NAMES[fs[0]["kind"]]
            pool.append(("what-%s-%s" % (side, zone),
                         "What abnormality is seen in the %s %s lung?" % (side, zone), "open",
                         [name, "%s %s" % (side, name)]))
    return pool


def image_records(index, scene, rng, id_prefix):
    """The records of one image, grouped by task, in task order."""
    base = {"image": scene["file"], "image_id": scene["image_id"]}
    size = [scene["width"], scene["height"]]
    k = rng.choices([2, 3, 4, 5, 6, 7], [0.05, 0.27, 0.34, 0.19, 0.10, 0.05])[0]
    tasks = sorted(rng.sample(TASKS, k), key=TASKS.index)
    out = {}

    def rid(task, n):
        return "%s%s-%04d-%d" % (id_prefix, SHORT[task], index, n)

    for task in tasks:
        recs = []
        if task == "calculation":
            quantities = rng.choices([["ctr"], ["cpar"], ["ctr", "cpar"]], [0.7, 0.1, 0.2])[0]
            for n, q in enumerate(quantities, 1):
                recs.append(dict(id=rid(task, n), task=task, **base, quantity=q, reference=scene[q]))
        elif task == "report_generation":
            n_refs = rng.choices([1, 2, 3], [0.6, 0.25, 0.15])[0]
            refs = []
            while len(refs) < n_refs:
                text = report(scene, rng)
                if text not in refs:
                    refs.append(text)
            recs.append(dict(id=rid(task, 1), task=task, **base,
                             reference=refs[0] if n_refs == 1 else refs))
        elif task == "multiclass_classification":
            recs.append(dict(id=rid(task, 1), task=task, **base,
                             reference=EDEMA_GRADES[scene["edema"]]))
        elif task == "multilabel_classification":
            recs.append(dict(id=rid(task, 1), task=task, **base, reference=chexpert_labels(scene)))
        elif task in ("rec", "reg"):
            cands = targets(scene)
            findings, anatomy = cands[:-3], cands[-3:]
            want = rng.choice([1, 2, 2, 3, 3, 4])
            chosen = (rng.sample(findings, min(want, len(findings))) +
                      rng.sample(anatomy, min(len(anatomy), max(0, want - len(findings)))))
            for n, (key, box, phrases, captions) in enumerate(chosen, 1):
                if task == "rec":
                    recs.append(dict(id=rid(task, n), task=task, **base, image_size=size,
                                     phrase=rng.choice(phrases), reference=list(box)))
                else:
                    recs.append(dict(id=rid(task, n), task=task, **base, image_size=size,
                                     box=list(box), reference=captions if len(captions) > 1 and
                                     rng.random() < 0.7 else captions[0]))
        else:
            pool = vqa_pool(scene)
            # Prefer the image's own findings, then fill with general questions.
            specific = [q for q in pool if "-" in q[0]]
            general = [q for q in pool if "-" not in q[0]]
            want = rng.choice([2, 3, 3, 4, 4, 5])
            picked = rng.sample(specific, min(len(specific), (want + 1) // 2))
            picked += rng.sample(general, min(len(general), want - len(picked)))
            for n, (key, question, atype, ref) in enumerate(picked, 1):
                recs.append(dict(id=rid(task, n), task=task, **base, question=question,
                                 answer_type=atype, reference=ref))
        out[task] = recs
    return out
