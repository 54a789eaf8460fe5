"""Plants the scene's findings into a painted radiograph and measures the reference values.

Each finding's box is the bounding box [x1, y1, x2, y2] (inclusive pixel indices) of exactly the
pixels it changed, so a rec/reg box always encloses what is visible.
"""
import math

from render import LEFT, RIGHT, _bbox, _Painter
from scene import lobe_name

_ZONE_Y = {"upper": 0.25, "middle": 0.47, "lower": 0.66}


def _side_code(side):
    return RIGHT if side == "right" else LEFT


def _effusion(p, f):
    depth = p.span * {"small": 0.16, "moderate": 0.26, "large": 0.38}[f["size"]]
    fluid = 0.62 + p.s["exposure"]

    def predicate(xc, y):
        meniscus = p.yb - depth * (0.55 + 0.45 * p.lateral(xc))  # higher at the chest wall
        weight = min(1.0, max(0.0, (y + 0.5 - meniscus) / 3.0 + 0.5))
        return weight, weight >= 0.5

    f["box"] = p._region(_side_code(f["side"]), predicate,
                         lambda v, wgt, xc, y: v * (1 - wgt) + fluid * wgt)


def _zone_point(p, side, zone, lateral):
    sign = -1 if side == "right" else 1
    x = p.cx + sign * (p.mh + (p.tw / 2.0 - p.mh) * lateral)
    y = p.yt + p.span * (_ZONE_Y[zone] + p.rng.uniform(-0.03, 0.03))
    return x, y


def _inside_lung(p, code, x, y, radius):
    for yy in range(int(y - radius), int(y + radius) + 1):
        for xx in range(int(x - radius), int(x + radius) + 1):
            if (xx + 0.5 - x) ** 2 + (yy + 0.5 - y) ** 2 > radius * radius:
                continue
            if not (0 <= xx < p.w and 0 <= yy < p.h) or p.lung[yy * p.w + xx] != code:
                return False
    return True


def _consolidation(p, f):
    code = _side_code(f["side"])
    # The left lower zone can be mostly heart; fall back to higher zones (the lobe is named
    # from where the blob lands).
    zones = [f["zone"]] + [z for z in ("middle", "upper") if z != f["zone"]]
    for attempt in range(300):
        x, y = _zone_point(p, f["side"], zones[attempt // 100], p.rng.uniform(0.3, 0.75))
        if _inside_lung(p, code, x, y, 0.04 * p.tw):
            break
    else:
        raise AssertionError("no room for a consolidation")
    blobs = [(x, y, p.rng.uniform(0.04, 0.06) * p.tw)]
    blobs += [(x + p.rng.uniform(-0.05, 0.05) * p.tw, y + p.rng.uniform(-0.04, 0.04) * p.tw,
               p.rng.uniform(0.035, 0.06) * p.tw) for _ in range(2)]

    def predicate(xc, yy):
        g = max(math.exp(-((xc - bx) ** 2 + (yy - by) ** 2) / (2 * sg * sg)) for bx, by, sg in blobs)
        return (g, g > 0.4) if g > 0.02 else None

    f["box"] = p._region(code, predicate,
                         lambda v, g, xc, yy: min(1.0, v + 0.30 * g * (0.85 + 0.15 * math.sin(xc * 0.5 + yy * 0.4))))


def _nodule(p, f):
    code = _side_code(f["side"])
    r = max(6.0, round(p.w * p.rng.uniform(0.022, 0.032)))
    for _ in range(200):
        x, y = _zone_point(p, f["side"], f["zone"], p.rng.uniform(0.25, 0.75))
        if _inside_lung(p, code, x, y, r + 2):
            break
    else:
        raise AssertionError("no room for a nodule")

    def predicate(xc, yy):
        d = math.hypot(xc - x, yy + 0.5 - y)
        weight = min(1.0, max(0.0, r + 0.5 - d))
        return (weight, d <= r) if weight > 0 else None

    f["box"] = p._region(code, predicate, lambda v, wgt, xc, yy: min(1.0, v + 0.28 * wgt))
    f["diameter_mm"] = int(round(2 * r * 350.0 / p.w))  # a 35 cm field of view


def _pneumothorax(p, f):
    depth = p.span * (0.20 if f["size"] == "small" else 0.32)
    air = 0.07 + p.s["exposure"]

    def bound(xc):
        return p.yt + depth * (0.35 + 0.65 * p.lateral(xc))

    def predicate(xc, y):
        b = bound(xc)
        if y + 0.5 < b:
            return 1.0, True
        if y + 0.5 < b + 1.6:
            return 0.5, False  # the visceral pleural line
        return None

    def apply(v, wgt, xc, y):
        if wgt == 1.0:
            return air + p.ribs(xc, y)  # no lung markings beyond the pleural line
        return min(1.0, v + 0.14)

    f["box"] = p._region(_side_code(f["side"]), predicate, apply)


def _device(p, f):
    cx, tw, h, w = p.cx, p.tw, p.h, p.w
    x0, hw_heart, hcx, hcy, a, b = p.heart_geom
    heart_top = hcy - b
    mask = bytearray(w * h)
    dev = f["device"]
    if dev == "endotracheal tube":
        tip = p.carina - 0.05 * h
        p._polyline([(p.trachea_x, 0.0), (p.trachea_x, tip)], 2.6,
                    lambda v, d: 0.90 if d >= 1.0 else 0.62, mask)
    elif dev == "nasogastric tube":
        top = p.yb - p.s["dome_left"]
        pts = [(cx + 0.04 * tw, 0.0), (cx + 0.05 * tw, p.carina + 0.1 * h),
               (cx + 0.07 * tw, top + 0.04 * h), (cx + 0.20 * tw, top + 0.09 * h)]
        p._polyline(pts, 1.3, lambda v, d: 0.92, mask)
    elif dev == "central venous catheter":
        pts = [(cx - 0.14 * tw, 0.0), (cx - 0.10 * tw, p.yt), (cx - 0.05 * tw, p.yt + 0.18 * p.span),
               (cx - 0.04 * tw, heart_top + 0.02 * h)]
        p._polyline(pts, 1.2, lambda v, d: 0.90, mask)
    else:  # pacemaker generator in the left infraclavicular region, lead into the right ventricle
        gx, gy, gw, gh = cx + 0.30 * tw, p.yt + 0.07 * h, 0.055 * w, 0.033 * h
        for y in range(int(gy - gh) - 1, int(gy + gh) + 2):
            for x in range(int(gx - gw) - 1, int(gx + gw) + 2):
                ex = max(0.0, abs(x + 0.5 - gx) - (gw - 3))
                ey = max(0.0, abs(y + 0.5 - gy) - (gh - 3))
                if ex * ex + ey * ey <= 9.0:
                    mask[y * w + x] = 1
                    p.v[y * w + x] = 0.97
        lead = [(gx - gw + 1, gy), (cx + 0.04 * tw, p.yt + 0.2 * p.span), (cx + 0.02 * tw, hcy - 0.2 * b),
                (x0 + 0.7 * hw_heart, hcy + 0.4 * b)]
        p._polyline(lead, 1.0, lambda v, d: 0.94, mask)
    f["box"] = _bbox(mask, w)


def _locate(p, f):
    """Side and zone words from where the finding was actually drawn."""
    x1, y1, x2, y2 = f["box"]
    t = ((y1 + y2) / 2.0 - p.yt) / p.span
    f["zone"] = "upper" if t < 0.38 else ("middle" if t < 0.6 else "lower")
    if f["kind"] in ("consolidation", "nodule"):
        f["lobe"] = lobe_name(f["side"], f["zone"])


def _max_extent(mask, w, h):
    """Widest horizontal extent (rightmost - leftmost + 1) over rows: how CTR is measured."""
    best = 0
    for y in range(h):
        row = mask[y * w:(y + 1) * w]
        if any(row):
            best = max(best, w - row[::-1].index(1) - row.index(1))
    return best


def paint(scene, rng):
    """Renders `scene` in place; returns the float image and fills in measured references."""
    p = _Painter(scene, rng)
    p.anatomy()
    plant = {"effusion": _effusion, "consolidation": _consolidation, "nodule": _nodule,
             "pneumothorax": _pneumothorax, "device": _device}
    order = ["effusion", "consolidation", "nodule", "pneumothorax", "device"]
    for kind in order:
        for f in scene["findings"]:
            if f["kind"] == kind:
                plant[kind](p, f)
                if kind != "device":
                    _locate(p, f)
    w, h = p.w, p.h
    thorax_w, heart_w = _max_extent(p.thorax, w, h), _max_extent(p.heart, w, h)
    assert thorax_w == p.tw and heart_w == p.heart_geom[1], (thorax_w, heart_w)
    scene["ctr"] = round(heart_w / thorax_w, 3)
    scene["cpar"] = round(sum(p.heart) / sum(p.thorax), 3)
    scene["heart_box"] = _bbox(p.heart, w)
    scene["thorax_box"] = _bbox(p.thorax, w)
    scene["lung_boxes"] = {"right": _bbox(p.lung, w, RIGHT), "left": _bbox(p.lung, w, LEFT)}
    # Quantum noise last, so it does not depend on the order findings were drawn in.
    img = p.v
    for i in range(w * h):
        img[i] = min(1.0, max(0.0, img[i] + (rng.random() + rng.random() - 1.0) * 0.008))
    return img
