"""What one synthetic chest radiograph contains: thoracic geometry and planted findings.

Sides are the patient's: on a PA radiograph the patient's right lung is on the image's LEFT.
Everything is drawn from the caller's random.Random, so a scene is a pure function of its seed.
"""

EDEMA_GRADES = ["none", "vascular congestion", "interstitial edema", "alveolar edema"]
DEVICES = ["endotracheal tube", "pacemaker", "nasogastric tube", "central venous catheter"]
ZONES = ["upper", "middle", "lower"]


def lobe_name(side, zone):
    if side == "right":
        return "right %s lobe" % zone
    return {"upper": "left upper lobe", "middle": "lingula", "lower": "left lower lobe"}[zone]


def _draw_ctr(rng, low, high):
    # Keep clear of the 0.50 cut-off so "cardiomegaly" is never a rounding question.
    while True:
        ctr = rng.uniform(low, high)
        if not 0.485 <= ctr <= 0.515:
            return ctr


def sample_scene(rng, width, height, normal_rate=0.25):
    """Geometry and the list of findings to plant; rendering fills in the measured boxes."""
    s = {"width": width, "height": height}
    thorax_w = int(round(width * rng.uniform(0.72, 0.80)))
    s["thorax_w"] = thorax_w
    s["thorax_left"] = (width - thorax_w) // 2 + rng.randint(-3, 3)
    s["apex_y"] = int(round(height * rng.uniform(0.10, 0.14)))
    s["base_y"] = int(round(height * rng.uniform(0.74, 0.80)))
    span = s["base_y"] - s["apex_y"]
    s["dome_right"] = span * rng.uniform(0.15, 0.21)  # the right hemidiaphragm sits higher
    s["dome_left"] = s["dome_right"] * rng.uniform(0.72, 0.88)
    s["mediastinum_half"] = thorax_w * rng.uniform(0.075, 0.095)
    s["heart_offset"] = rng.uniform(0.33, 0.40)  # fraction of heart width right of the midline
    s["heart_aspect"] = rng.uniform(0.36, 0.44)  # vertical semi-axis / heart width
    s["rib_curve"] = rng.uniform(0.05, 0.09)
    s["vessel_phase"] = rng.uniform(0.0, 6.28)
    s["exposure"] = rng.uniform(-0.03, 0.03)

    normal = rng.random() < normal_rate
    findings = []
    edema = 0
    if normal:
        ctr = _draw_ctr(rng, 0.38, 0.48)
    else:
        ctr = _draw_ctr(rng, 0.38, 0.65)
        if rng.random() < 0.40:
            side = rng.choices(["right", "left", "bilateral"], [0.4, 0.4, 0.2])[0]
            size = rng.choice(["small", "moderate", "large"])
            for sd in (["right", "left"] if side == "bilateral" else [side]):
                findings.append({"kind": "effusion", "side": sd, "size": size,
                                 "bilateral": side == "bilateral"})
        edema = rng.choices([0, 1, 2, 3], [0.5, 0.17, 0.17, 0.16])[0]
        taken = {f["side"] + "-lower" for f in findings}
        if rng.random() < 0.30:
            side, zone = rng.choice(["right", "left"]), rng.choice(ZONES)
            if side + "-" + zone not in taken:
                taken.add(side + "-" + zone)
                findings.append({"kind": "consolidation", "side": side, "zone": zone,
                                 "pneumonia": rng.random() < 0.5})
        if rng.random() < 0.25:
            side, zone = rng.choice(["right", "left"]), rng.choice(["upper", "middle"])
            if side + "-" + zone not in taken:
                taken.add(side + "-" + zone)
                findings.append({"kind": "nodule", "side": side, "zone": zone})
        if rng.random() < 0.15:
            side = rng.choice(["right", "left"])
            if side + "-upper" not in taken:
                findings.append({"kind": "pneumothorax", "side": side,
                                 "size": rng.choice(["small", "moderate"])})
        if rng.random() < 0.35:
            for dev in sorted(rng.sample(DEVICES, rng.choice([1, 1, 2])), key=DEVICES.index):
                findings.append({"kind": "device", "device": dev})
        # Vascular congestion alone has no CheXpert label; pair it with an enlarged heart, as in
        # congestive failure, so every abnormal image has at least one label.
        if edema == 1 and ctr < 0.5:
            ctr = _draw_ctr(rng, 0.52, 0.65)
        if not findings and edema == 0 and ctr < 0.5:
            ctr = _draw_ctr(rng, 0.52, 0.65)
    s["ctr_target"] = ctr
    s["edema"] = edema
    s["findings"] = findings
    return s


def chexpert_labels(scene):
    """The 14-label CheXpert vocabulary as planted; ['No Finding'] for a normal image."""
    labels = set()
    if scene["ctr"] > 0.5:
        labels.add("Cardiomegaly")
    if scene["ctr"] > 0.58:
        labels.add("Enlarged Cardiomediastinum")
    if scene["edema"] >= 2:
        labels.add("Edema")
    if scene["edema"] == 3:
        labels.add("Lung Opacity")
    for f in scene["findings"]:
        kind = f["kind"]
        if kind == "effusion":
            labels.add("Pleural Effusion")
        elif kind == "consolidation":
            labels.update(["Lung Opacity", "Consolidation"])
            if f["pneumonia"]:
                labels.add("Pneumonia")
        elif kind == "nodule":
            labels.add("Lung Lesion")
        elif kind == "pneumothorax":
            labels.add("Pneumothorax")
        elif kind == "device":
            labels.add("Support Devices")
    order = ["No Finding", "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity",
             "Lung Lesion", "Edema", "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax",
             "Pleural Effusion", "Pleural Other", "Fracture", "Support Devices"]
    return [l for l in order if l in labels] or ["No Finding"]
