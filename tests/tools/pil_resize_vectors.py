#!/usr/bin/env python3
"""Expected outputs of images/pil_resize.h from Pillow and transformers themselves.

Writes tests/data/pil_resize_vectors.json: Pillow's bicubic Image.resize of seeded 8-bit "L"
images, transformers' get_resize_output_image_size (shortest edge) and center_crop, numpy's
rescale of every byte value, and CLIPImageProcessor's float32 pixel values with do_normalize=False.

Input images are not stored: both sides draw them from the same 32-bit LCG (see `pixels`). An
output up to FULL_BYTES bytes is stored whole as hex; a longer one as one FNV-1a 64 hash per row.
Resize outputs are given per Pillow release (they differ only in the order of the two passes);
the release installed checks its own. Run it under Pillow 11.x, 12.3 and 13.x with an output path
argument to check the other releases: the "resize" sections must come out equal.

Run in a throwaway venv (no torch needed):
    python3 -m venv /tmp/pilvenv && /tmp/pilvenv/bin/pip install transformers==4.45.2 pillow numpy
    /tmp/pilvenv/bin/python tests/tools/pil_resize_vectors.py
"""
import json
import pathlib
import random
import sys

import numpy as np
import PIL
from PIL import Image

import transformers
from transformers import CLIPImageProcessor
from transformers.image_transforms import center_crop, get_resize_output_image_size

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "pil_resize_vectors.json"
FULL_BYTES = 4096


def pixels(seed, kind, width, height):
    """LCG x = x * 1664525 + 1013904223 (mod 2^32) from x = seed, stepped before each pixel.
    "noise": x >> 24 (every byte value, heavy clipping at the bicubic overshoot);
    "flat": 100 + (x >> 27) (values 100..131, nothing clips, only the rounding shows)."""
    x = seed
    out = bytearray(width * height)
    for i in range(width * height):
        x = (x * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = (x >> 24) if kind == "noise" else 100 + (x >> 27)
    return bytes(out)


def gray(seed, kind, width, height):
    return Image.frombytes("L", (width, height), pixels(seed, kind, width, height))


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def encode(data, row_bytes):
    """Whole hex when small, else one hash per row of row_bytes bytes."""
    if len(data) <= FULL_BYTES:
        return {"hex": data.hex()}
    return {"row_fnv1a64": [fnv1a64(data[i:i + row_bytes]) for i in range(0, len(data), row_bytes)]}


RELEASES = ("up_to_12_1", "12_2_to_12_3", "from_13")


def installed_release():
    major, minor = (int(p) for p in PIL.__version__.split(".")[:2])
    return "up_to_12_1" if (major, minor) < (12, 2) else "12_2_to_12_3" if major < 13 else "from_13"


def vertical_first(release, w, h, out_w, out_h):
    """The pass order each Pillow release picks when both axes change size: 12.2 and 12.3's
    Image.resize splits an over-100:1 tall image's shrink into a vertical-only call then a
    horizontal-only one; 13.0's ImagingResampleInner goes vertical first when the height loses more
    than twice the pixels the width does; earlier releases always go horizontal first."""
    if release == "12_2_to_12_3":
        return h > w * 100 and out_h < h
    if release == "from_13":
        return h - out_h > 0 and h - out_h > (w - out_w) * 2
    return False


def resize1(img, size):
    return img.resize(size, resample=Image.Resampling.BICUBIC, reducing_gap=None)


def bicubic(img, out_w, out_h):
    """{release: bytes}. Each order is composed from single-axis resizes (one pass each, the same
    arithmetic in every release); the installed Pillow's own one-call result must equal the order
    its release picks, which checks the rule above."""
    w, h = img.size
    hfirst = resize1(resize1(img, (out_w, h)), (out_w, out_h)).tobytes()
    vfirst = resize1(resize1(img, (w, out_h)), (out_w, out_h)).tobytes()
    both = out_w != w and out_h != h
    by_release = {r: vfirst if both and vertical_first(r, w, h, out_w, out_h) else hfirst for r in RELEASES}
    one_call = resize1(img, (out_w, out_h))
    assert one_call.tobytes() == by_release[installed_release()], (w, h, out_w, out_h)
    # PIL resamples each RGB band with the same arithmetic as an "L" image: check, as the C++
    # side resizes one plane for the three.
    for band in resize1(img.convert("RGB"), (out_w, out_h)).split():
        assert band.tobytes() == one_call.tobytes()
    return by_release


def outputs(by_release, row_bytes):
    """One entry per distinct output, naming the releases that produce it."""
    out = []
    for r, data in by_release.items():
        for o in out:
            if o["data"] == data:
                o["releases"].append(r)
                break
        else:
            out.append({"releases": [r], "data": data})
    return [{"releases": o["releases"], **encode(o["data"], row_bytes)} for o in out]


def shortest_edge(width, height, size):
    dummy = np.zeros((height, width, 1), dtype=np.uint8)
    h, w = get_resize_output_image_size(dummy, size=size, default_to_square=False,
                                        input_data_format="channels_last")
    return w, h


def resize_cases():
    sizes = {
        (1, 1): [(1, 1), (5, 3), (2, 1)],
        (7, 5): [(3, 2), (14, 10), (28, 28), (13, 17), (1, 1), (7, 9), (11, 5), (1, 5), (7, 1), (14, 3)],
        (64, 48): [(28, 28), (13, 17), (1, 1), (37, 53), (64, 47), (200, 150), (60, 20)],
        (256, 320): [(28, 28), (13, 17), (1, 1), (255, 321), (250, 100)],
        (320, 256): [(224, 224), (28, 28), (13, 17), (300, 100)],
        (288, 320): [(13, 17), (28, 28)],
        (3, 401): [(2, 57), (5, 400), (3, 57)],
    }
    cases, seed = [], 1
    for (w, h), targets in sizes.items():
        for kind in ("noise", "flat"):
            img = gray(seed, kind, w, h)
            if kind == "noise" and w > 8:  # CLIP's shortest-edge sizes: large outputs
                targets = targets + [shortest_edge(w, h, s) for s in (224, 336)]
            for ow, oh in targets:
                cases.append({"seed": seed, "kind": kind, "width": w, "height": h, "out_width": ow,
                              "out_height": oh, "outputs": outputs(bicubic(img, ow, oh), ow)})
            seed += 1
    return cases


def shortest_edge_cases():
    rng = random.Random(20241008)
    dims = [(7, 5, 224), (5, 7, 224), (224, 224, 224), (1, 1, 336), (3, 401, 224), (2048, 2500, 336),
            (2500, 2048, 336), (3000, 2999, 224), (1000, 3, 224), (4096, 4095, 336)]
    dims += [(rng.randint(1, 5000), rng.randint(1, 5000), rng.choice([14, 224, 336, 384, 448, 518]))
             for _ in range(200)]
    return [[w, h, s, *shortest_edge(w, h, s)] for w, h, s in dims]


def center_crop_cases():
    cases, seed = [], 1000
    for w, h, cw, ch in [(9, 7, 4, 3), (9, 7, 5, 4), (8, 6, 3, 3), (4, 3, 9, 8), (4, 3, 8, 7), (5, 5, 5, 5),
                         (6, 9, 10, 2), (9, 6, 2, 11), (1, 1, 4, 3), (7, 5, 7, 6)]:
        src = np.frombuffer(pixels(seed, "noise", w, h), dtype=np.uint8).reshape(h, w, 1)
        out = center_crop(src, (ch, cw), input_data_format="channels_last")
        assert out.shape == (ch, cw, 1)
        cases.append({"seed": seed, "kind": "noise", "width": w, "height": h, "crop_width": cw,
                      "crop_height": ch, "hex": out.tobytes().hex()})
        seed += 1
    return cases


def rescale_table():
    """numpy's rescale of every byte: float64 product with 1/255, cast to float32 (bit patterns)."""
    values = (np.arange(256, dtype=np.uint8).astype(np.float64) * (1 / 255)).astype(np.float32)
    return [f"{v:08x}" for v in values.view(np.uint32).tolist()]


def clip_cases():
    cases, seed = [], 2000
    for w, h, kind, s, cw, ch in [(64, 48, "noise", 20, 30, 16), (64, 48, "flat", 20, 31, 21),
                                  (7, 5, "noise", 24, 31, 27), (48, 64, "noise", 28, 28, 28),
                                  (40, 100, "noise", 24, 24, 24),  # over 2:1: Pillow 13 goes vertical first
                                  (256, 320, "noise", 224, 224, 224), (320, 256, "flat", 224, 224, 224),
                                  (288, 320, "noise", 336, 336, 336)]:
        img = gray(seed, kind, w, h)
        proc = CLIPImageProcessor(size={"shortest_edge": s}, crop_size={"height": ch, "width": cw},
                                  do_normalize=False)
        values = proc(images=img)["pixel_values"][0]
        assert values.dtype == np.float32 and values.shape == (3, ch, cw)
        assert (values[0] == values[1]).all() and (values[0] == values[2]).all()
        data = values[0].astype("<f4").tobytes()
        cases.append({"seed": seed, "kind": kind, "width": w, "height": h, "shortest_edge": s,
                      "crop_width": cw, "crop_height": ch, "release": installed_release(),
                      **encode(data, cw * 4)})
        seed += 1
    return cases


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    doc = {
        "generator": "tests/tools/pil_resize_vectors.py",
        "pillow": PIL.__version__,
        "numpy": np.__version__,
        "transformers": transformers.__version__,
        "rescale_f32_bits": rescale_table(),
        "resize": resize_cases(),
        "shortest_edge": shortest_edge_cases(),
        "center_crop": center_crop_cases(),
        "clip": clip_cases(),
    }
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
