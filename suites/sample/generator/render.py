"""Draws a scene (scene.py) as a frontal chest radiograph caricature and measures it.

Intensities are floats in [0, 1], brighter = denser, like a displayed MONOCHROME2 image. The
reference answers (CTR, CPAR, every box) are measured from the same masks that were drawn, so
they are exact for the pixels on disk, not for the intended parameters.
"""
import math

RIGHT, LEFT = 1, 2  # lung masks; the patient's right lung is on the image's left


def _bbox(mask, width, value=1):
    xs, ys = [], []
    for i, m in enumerate(mask):
        if m == value:
            ys.append(i // width)
            xs.append(i % width)
    if not xs:
        raise AssertionError("empty mask: a planted finding drew nothing")
    return [min(xs), min(ys), max(xs), max(ys)]


class _Painter:
    def __init__(self, scene, rng):
        self.s = scene
        self.rng = rng
        self.w, self.h = scene["width"], scene["height"]
        self.tw = scene["thorax_w"]
        self.cx = scene["thorax_left"] + self.tw / 2.0
        self.yt, self.yb = scene["apex_y"], scene["base_y"]
        self.span = self.yb - self.yt
        self.mh = scene["mediastinum_half"]
        self.hy = self.yt + 0.45 * self.span  # hila
        q = self.tw / 4.0
        self.dome = []
        for x in range(self.w):
            xc = x + 0.5
            c, dh = ((self.cx - q, scene["dome_right"]) if xc < self.cx
                     else (self.cx + q, scene["dome_left"]))
            # 0.9: the lateral costophrenic recesses reach base_y, so the widest row of the
            # thorax is exactly thorax_w pixels wide.
            d = (xc - c) / (0.9 * q)
            self.dome.append(self.yb - dh * max(0.0, 1.0 - d * d))
        n = self.w * self.h
        self.v = [0.0] * n
        self.thorax = bytearray(n)
        self.heart = bytearray(n)
        self.lung = bytearray(n)

    def half_width(self, y):
        t = (y - self.yt) / self.span
        return self.tw / 2.0 * (0.55 + 0.45 * (1.0 - (1.0 - t) ** 2))

    def ribs(self, xc, y):
        u = abs(xc - self.cx) / (self.tw / 2.0)
        spacing = self.span / 8.5
        p = ((y - self.yt - self.s["rib_curve"] * self.h * u * u) % spacing) / spacing
        return 0.05 if p < 0.3 else 0.0

    def lateral(self, xc):
        """0 at the mediastinal border, 1 at the chest wall."""
        return min(1.0, max(0.0, (abs(xc - self.cx) - self.mh) / (self.tw / 2.0 - self.mh)))

    # ---------------------------------------------------------------------------- anatomy
    def anatomy(self):
        s, w, h, cx, tw = self.s, self.w, self.h, self.cx, self.tw
        hw_heart = int(round(s["ctr_target"] * tw))
        x0 = int(round(cx - s["heart_offset"] * hw_heart))
        a = hw_heart / 2.0
        hcx = x0 + a
        b = s["heart_aspect"] * hw_heart
        yc = int(math.floor(min(self.dome[x0:x0 + hw_heart]) - 0.3 * b))
        hcy = yc + 0.5
        self.heart_geom = (x0, hw_heart, hcx, hcy, a, b)
        carina = self.yt + 0.30 * self.span
        self.carina = carina
        tx = cx - 0.01 * tw
        self.trachea_x = tx
        body_full = min(w / 2.0 - 1, tw / 2.0 + 0.07 * w)
        neck_end, shoulder_end = self.yt - 0.06 * h, self.yt + 0.04 * h
        exposure = s["exposure"]
        edema = s["edema"]
        haze_amp = [0.0, 0.025, 0.09, 0.22][edema]
        phase = s["vessel_phase"]
        hila = (cx - self.mh - 0.06 * tw, cx + self.mh + 0.06 * tw)
        for y in range(h):
            if y < neck_end:
                bh = 0.17 * w
            elif y < shoulder_end:
                bh = 0.17 * w + (body_full - 0.17 * w) * (y - neck_end) / (shoulder_end - neck_end)
            else:
                bh = body_full
            in_rows = self.yt <= y <= self.yb
            thw = self.half_width(y) if in_rows else 0.0
            row = y * w
            for x in range(w):
                xc = x + 0.5
                dx = xc - cx
                i = row + x
                if abs(dx) >= bh:
                    self.v[i] = 0.03
                    continue
                if in_rows and abs(dx) < thw and y <= self.dome[x]:
                    self.thorax[i] = 1
                    if ((xc - hcx) / a) ** 2 + ((y + 0.5 - hcy) / b) ** 2 < 1.0:
                        self.heart[i] = 1
                        val = 0.80
                    elif abs(dx) < self.mh:
                        val = 0.70 + (0.05 if abs(dx) < 0.05 * tw else 0.0)
                        if y < carina and abs(xc - tx) < 0.03 * tw:
                            val = 0.38
                    else:
                        side = RIGHT if dx < 0 else LEFT
                        self.lung[i] = side
                        hx = hila[0] if side == RIGHT else hila[1]
                        ddx, ddy = xc - hx, y - self.hy
                        r = math.hypot(ddx, ddy)
                        ang = math.atan2(ddy, ddx)
                        mark = 0.045 * max(0.0, math.cos(9 * ang + phase + r * 0.04)) ** 8
                        mark *= math.exp(-r / (0.30 * tw))
                        if ddy < 0:
                            mark *= 1.0 + 0.6 * edema  # cephalisation
                        mark += 0.08 * math.exp(-(r / (0.05 * tw)) ** 2)
                        val = 0.15 + self.ribs(xc, y) + mark
                        if haze_amp:
                            haze = haze_amp * math.exp(-(ddx / (0.20 * tw)) ** 2
                                                       - (ddy / (0.30 * self.span)) ** 2)
                            if edema == 3:
                                haze *= 0.75 + 0.25 * math.sin(xc * 0.35) * math.sin(y * 0.29)
                            val += haze
                        if edema >= 2 and self.lateral(xc) > 0.82 and ddy > 0.15 * self.span \
                                and y % 7 == 0:
                            val += 0.05  # Kerley B lines
                elif y > self.yt and y > self.dome[x] and (y > self.yb or abs(dx) < thw + 2):
                    val = 0.64  # abdomen under the diaphragm
                elif in_rows:
                    val = 0.55  # lateral chest wall
                else:
                    val = 0.52  # neck and shoulders
                    if abs(xc - tx) < 0.03 * tw:
                        val = 0.36
                self.v[i] = val + exposure
        # Gastric bubble under the left hemidiaphragm, clavicles over the apices.
        gx, gy = cx + 0.22 * tw, self.yb - s["dome_left"] + 0.07 * h
        self._ellipse(gx, gy, 0.07 * tw, 0.03 * h, lambda v: 0.30 + exposure, lambda i: not self.thorax[i])
        for sign in (-1, 1):
            p0 = (cx + sign * 0.06 * tw, self.yt + 0.03 * h)
            p1 = (cx + sign * 0.44 * tw, self.yt - 0.05 * h)
            self._polyline([p0, p1], 0.012 * h, lambda v, d: max(v, 0.70 + exposure))

    # ---------------------------------------------------------------------------- helpers
    def _ellipse(self, ex, ey, rx, ry, fn, keep):
        """Applies fn(value) inside the ellipse where keep(index) holds."""
        for y in range(max(0, int(ey - ry) - 1), min(self.h, int(ey + ry) + 2)):
            for x in range(max(0, int(ex - rx) - 1), min(self.w, int(ex + rx) + 2)):
                i = y * self.w + x
                if ((x + 0.5 - ex) / rx) ** 2 + ((y + 0.5 - ey) / ry) ** 2 < 1 and keep(i):
                    self.v[i] = fn(self.v[i])

    def _polyline(self, pts, half, fn, mask=None):
        """Applies fn(value, distance) to pixels within `half` of the polyline, once each;
        marks them in `mask` when given."""
        seen = set()
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            lx, ly = bx - ax, by - ay
            seg2 = lx * lx + ly * ly
            for y in range(max(0, int(min(ay, by) - half) - 1),
                           min(self.h, int(max(ay, by) + half) + 2)):
                for x in range(max(0, int(min(ax, bx) - half) - 1),
                               min(self.w, int(max(ax, bx) + half) + 2)):
                    px, py = x + 0.5 - ax, y + 0.5 - ay
                    t = min(1.0, max(0.0, (px * lx + py * ly) / seg2)) if seg2 else 0.0
                    d = math.hypot(px - t * lx, py - t * ly)
                    if d <= half:
                        i = y * self.w + x
                        if i in seen:
                            continue
                        seen.add(i)
                        if mask is not None:
                            mask[i] = 1
                        self.v[i] = fn(self.v[i], d)

    def _region(self, side_code, predicate, apply):
        mask = bytearray(self.w * self.h)
        for i in range(self.w * self.h):
            if self.lung[i] == side_code:
                y, x = divmod(i, self.w)
                res = predicate(x + 0.5, y)
                if res is not None:
                    weight, inside = res
                    if weight > 0:
                        self.v[i] = apply(self.v[i], weight, x + 0.5, y)
                    if inside:
                        mask[i] = 1
        return _bbox(mask, self.w)
