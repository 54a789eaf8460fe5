"""Radiology wording for a scene: report sentences, referring phrases and region captions.

Every function draws its phrasing from the rng it is given, so two calls with different rngs give
two different but equally correct texts (used for multiple references and for model answers).
"""

from scene import EDEMA_GRADES

FINDING_NAMES = {"effusion": "pleural effusion", "consolidation": "consolidation",
                 "nodule": "nodule", "pneumothorax": "pneumothorax"}


def _cap(text):
    return text[0].upper() + text[1:]


def _by_kind(scene, kind):
    return [f for f in scene["findings"] if f["kind"] == kind]


def _heart_sentence(scene, rng):
    ctr = scene["ctr"]
    if ctr > 0.58:
        return rng.choice(["The heart is moderately enlarged.",
                           "There is moderate cardiomegaly.",
                           "The cardiomediastinal silhouette is enlarged with moderate cardiomegaly."])
    if ctr > 0.5:
        return rng.choice(["The heart is mildly enlarged.", "There is mild cardiomegaly.",
                           "The cardiac silhouette is mildly enlarged."])
    return rng.choice(["The heart size is normal.", "Heart size is within normal limits.",
                       "The cardiomediastinal silhouette is normal.",
                       "Normal cardiac silhouette."])


def _effusion_sentence(effs, rng):
    if not effs:
        return rng.choice(["No pleural effusion.", "There is no pleural effusion.",
                           "The costophrenic angles are sharp."])
    size = effs[0]["size"]
    if len(effs) == 2:
        return rng.choice(["There are %s bilateral pleural effusions." % size,
                           "%s bilateral pleural effusions are present." % _cap(size),
                           "Bilateral %s pleural effusions with blunting of both costophrenic angles." % size])
    side = effs[0]["side"]
    return rng.choice(["There is a %s %s pleural effusion." % (size, side),
                       "A %s %s pleural effusion is present, blunting the %s costophrenic angle." % (size, side, side),
                       "%s %s-sided pleural effusion." % (_cap(size), side)])


def _lung_sentences(scene, rng):
    out = []
    for f in _by_kind(scene, "consolidation"):
        if f["pneumonia"]:
            out.append(rng.choice(["There is a focal consolidation in the %s concerning for pneumonia." % f["lobe"],
                                   "Airspace consolidation in the %s, consistent with pneumonia." % f["lobe"]]))
        else:
            out.append(rng.choice(["There is a focal consolidation in the %s." % f["lobe"],
                                   "Airspace opacity in the %s, consistent with consolidation." % f["lobe"],
                                   "Focal %s consolidation." % f["lobe"]]))
    for f in _by_kind(scene, "nodule"):
        out.append(rng.choice(["A %d mm nodule is seen in the %s." % (f["diameter_mm"], f["lobe"]),
                               "There is a rounded nodular opacity in the %s." % f["lobe"],
                               "A %s pulmonary nodule measures about %d mm." % (f["lobe"], f["diameter_mm"])]))
    grade = scene["edema"]
    if grade == 1:
        out.append(rng.choice(["There is pulmonary vascular congestion.",
                               "Mild pulmonary vascular congestion is noted.",
                               "Cephalization of the pulmonary vessels suggests vascular congestion."]))
    elif grade == 2:
        out.append(rng.choice(["There is interstitial pulmonary edema.",
                               "Interstitial edema with Kerley B lines and peribronchial cuffing.",
                               "Increased interstitial markings consistent with interstitial edema."]))
    elif grade == 3:
        out.append(rng.choice(["There is alveolar pulmonary edema with bilateral perihilar airspace opacities.",
                               "Bilateral perihilar airspace opacities consistent with alveolar edema.",
                               "Alveolar edema in a perihilar distribution."]))
    if not out:
        out.append(rng.choice(["The lungs are clear.", "No focal consolidation.",
                               "The lungs are clear without focal consolidation."]))
    return out


def _pneumothorax_sentence(scene, rng):
    ptx = _by_kind(scene, "pneumothorax")
    if not ptx:
        return rng.choice(["No pneumothorax.", "There is no pneumothorax."])
    f = ptx[0]
    return rng.choice(["There is a %s %s apical pneumothorax." % (f["size"], f["side"]),
                       "A %s %s pneumothorax is present with a visible pleural line." % (f["size"], f["side"]),
                       "%s %s pneumothorax." % (_cap(f["size"]), f["side"])])


def _device_sentence(dev, rng):
    return rng.choice({
        "endotracheal tube": ["An endotracheal tube terminates above the carina.",
                              "Endotracheal tube in standard position."],
        "nasogastric tube": ["A nasogastric tube courses below the diaphragm into the stomach.",
                             "Enteric tube with tip in the stomach."],
        "central venous catheter": ["A right internal jugular central venous catheter terminates in the SVC.",
                                    "Right-sided central line with tip in the superior vena cava."],
        "pacemaker": ["A left-sided pacemaker is present with its lead in the right ventricle.",
                      "Left chest wall pacemaker with a single lead in the right ventricle."],
    }[dev])


def impression(scene, rng):
    parts = []
    if scene["ctr"] > 0.5:
        parts.append("cardiomegaly")
    grade = scene["edema"]
    if grade:
        parts.append(EDEMA_GRADES[grade])
    effs = _by_kind(scene, "effusion")
    if effs:
        parts.append("%s bilateral pleural effusions" % effs[0]["size"] if len(effs) == 2
                     else "%s %s pleural effusion" % (effs[0]["size"], effs[0]["side"]))
    for f in _by_kind(scene, "consolidation"):
        parts.append(("%s pneumonia" if f["pneumonia"] else "%s consolidation") % f["lobe"])
    for f in _by_kind(scene, "nodule"):
        parts.append("%s nodule" % f["lobe"])
    for f in _by_kind(scene, "pneumothorax"):
        parts.append("%s %s pneumothorax" % (f["size"], f["side"]))
    if not parts:
        return rng.choice(["No acute cardiopulmonary process.", "Normal chest radiograph.",
                           "No acute cardiopulmonary abnormality."])
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return _cap(text) + "."


def report(scene, rng):
    """A two-section report consistent with every planted finding."""
    sentences = [_device_sentence(f["device"], rng) for f in _by_kind(scene, "device")]
    body = [_heart_sentence(scene, rng)] + _lung_sentences(scene, rng)
    pleura = [_effusion_sentence(_by_kind(scene, "effusion"), rng), _pneumothorax_sentence(scene, rng)]
    if rng.random() < 0.5:
        pleura.reverse()
    sentences += body + pleura
    if rng.random() < 0.4:
        sentences.append(rng.choice(["No acute osseous abnormality.", "The osseous structures are intact."]))
    style = rng.choice([("FINDINGS: ", " IMPRESSION: "), ("Findings: ", " Impression: ")])
    return style[0] + " ".join(sentences) + style[1] + impression(scene, rng)


def targets(scene):
    """Everything one can point at in the image: (key, box, rec phrases, reg captions)."""
    out = []
    for f in scene["findings"]:
        k = f["kind"]
        if k == "effusion":
            out.append(("effusion-" + f["side"], f["box"],
                        ["the %s pleural effusion" % f["side"], "the effusion in the %s hemithorax" % f["side"]],
                        ["%s pleural effusion" % f["side"], "%s %s pleural effusion" % (f["size"], f["side"])]))
        elif k == "consolidation":
            out.append(("consolidation", f["box"],
                        ["the consolidation in the %s" % f["lobe"], "the %s opacity" % f["lobe"]],
                        ["consolidation in the %s" % f["lobe"], "%s consolidation" % f["lobe"]]
                        + (["%s pneumonia" % f["lobe"]] if f["pneumonia"] else [])))
        elif k == "nodule":
            out.append(("nodule", f["box"],
                        ["the nodule in the %s" % f["lobe"], "the %s nodule" % f["lobe"]],
                        ["%s nodule" % f["lobe"], "pulmonary nodule in the %s" % f["lobe"]]))
        elif k == "pneumothorax":
            out.append(("pneumothorax", f["box"],
                        ["the %s pneumothorax" % f["side"], "the %s apical pneumothorax" % f["side"]],
                        ["%s pneumothorax" % f["side"], "%s apical pneumothorax" % f["side"]]))
        else:
            dev = f["device"]
            out.append(("device-" + dev, f["box"], ["the %s" % dev],
                        [dev] + (["pacemaker generator and lead"] if dev == "pacemaker" else [])))
    enlarged = scene["ctr"] > 0.5
    out.append(("heart", scene["heart_box"],
                ["the enlarged heart", "the enlarged cardiac silhouette"] if enlarged
                else ["the heart", "the cardiac silhouette"],
                ["enlarged cardiac silhouette", "cardiomegaly"] if enlarged
                else ["cardiac silhouette", "normal heart"]))
    for side in ("right", "left"):
        out.append(("lung-" + side, scene["lung_boxes"][side], ["the %s lung" % side],
                    ["%s lung" % side, "%s hemithorax" % side]))
    return out
