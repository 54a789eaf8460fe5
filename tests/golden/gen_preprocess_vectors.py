#!/usr/bin/env python3
"""Expected outputs of the image preprocessing (images/preprocess.h) from PyTorch itself.

Each case: a uint16 gray image with its max_value, resized with
torch.nn.functional.interpolate(mode="bilinear", align_corners=False, antialias=False) after
dividing by max_value, then (x - mean) / std. Written to tests/data/preprocess_vectors.json.

Run with Debian's python3-torch (1.13):  /usr/bin/python3 tests/golden/gen_preprocess_vectors.py
(or inside `python3 -m venv --system-site-packages .venv-img`). Seeded, so the file is reproducible.
"""
import json
import pathlib
import random

import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "preprocess_vectors.json"


def case(name, width, height, max_value, out_w, out_h, mean, std, rng):
    pixels = [rng.randrange(max_value + 1) for _ in range(width * height)]
    x = torch.tensor(pixels, dtype=torch.float32).reshape(1, 1, height, width) / max_value
    y = F.interpolate(x, size=(out_h, out_w), mode="bilinear", align_corners=False, antialias=False)
    y = (y - mean) / std
    return {"name": name, "width": width, "height": height, "max_value": max_value, "pixels": pixels,
            "out_width": out_w, "out_height": out_h, "mean": mean, "std": std,
            "expected": [float(v) for v in y.flatten().tolist()]}


def taps(in_size, out_size):
    """torch's own resize weights along one axis, read back through one-hot inputs: per output
    index, [i0, w0, i1, w1] (i1 == i0 with w1 == 0 where one sample carries all the weight)."""
    eye = torch.eye(in_size, dtype=torch.float32).reshape(in_size, 1, 1, in_size)
    w = F.interpolate(eye, size=(1, out_size), mode="bilinear", align_corners=False, antialias=False)
    w = w[:, 0, 0, :]
    out = []
    for d in range(out_size):
        nz = [(k, float(w[k, d])) for k in range(in_size) if float(w[k, d]) != 0.0]
        if len(nz) == 1:
            nz.append((nz[0][0], 0.0))
        out.append([nz[0][0], nz[0][1], nz[1][0], nz[1][1]])
    return {"in": in_size, "out": out_size, "taps": out}


def main():
    rng = random.Random(20240517)
    cases = [
        case("downscale_8bit", 7, 5, 255, 3, 2, 0.5, 0.25, rng),
        case("upscale_8bit", 4, 3, 255, 9, 7, 0.48145466, 0.26862954, rng),
        case("non_integer_ratio_16bit", 10, 6, 65535, 7, 4, 0.0, 1.0, rng),
        case("identity_size", 5, 5, 255, 5, 5, 0.485, 0.229, rng),
        case("width_only", 6, 4, 4095, 13, 4, 0.5, 0.5, rng),
        case("single_row_up", 2, 1, 255, 4, 3, 0.0, 1.0, rng),
        case("larger_down_16bit", 61, 41, 65535, 25, 17, 0.5, 0.5, rng),
        case("larger_up_8bit", 13, 11, 255, 40, 29, 0.45, 0.27, rng),
    ]
    axes = [taps(i, o) for i, o in [(61, 25), (13, 40), (7, 3), (1000, 224), (2048, 336), (100, 333),
                                    (512, 518)]]
    OUT.write_text(json.dumps({"generator": "tests/golden/gen_preprocess_vectors.py",
                               "torch_version": torch.__version__, "cases": cases, "axes": axes},
                              indent=None) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
