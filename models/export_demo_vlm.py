#!/usr/bin/env python3
"""Builds a small LLaVA-style vision-language model with seeded random weights and writes it as an
imaxbench model package (docs/model-package.md): DIR/imaxbench-model.json, DIR/model.pt (TorchScript)
and DIR/tokenizer.json (a real byte-level BPE tokenizer, copied).

The model is plain scriptable PyTorch with Hugging Face llava-hf parameter names (CLIP vision tower,
two-layer MLP projector, Llama decoder with RoPE, grouped-query attention and an external KV cache),
so a real checkpoint's state_dict maps onto it (see the docs). Runs with Debian's python3-torch 1.13
(CI, CPU) and with newer PyTorch; packages written by 1.13 load in newer LibTorch.

  python3 models/export_demo_vlm.py --out out/demo-vlm              # write the package
  python3 models/export_demo_vlm.py --out out/demo-vlm --check      # and check it (see check())

The model itself is models/demo_vlm.py.
"""
import argparse
import json
import os
import shutil
import sys
from typing import List

import torch
from torch import Tensor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # demo_vlm.py beside this script
from demo_vlm import Config, DemoVLM, init_weights  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TOKENIZER = os.path.join(HERE, "tokenizers", "radiology-bpe", "tokenizer.json")
CHAT_TEMPLATE = "<|im_start|>user\n<image>\n{prompt}<|im_end|>\n<|im_start|>assistant\n"
# CLIP's RGB statistics, as LLaVA's image processor uses them (the gray image fills three planes).
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


# ---------------------------------------------------------------- tokenizer and package files
def tokenizer_ids(path: str):
    with open(path, encoding="utf-8") as f:
        tok = json.load(f)
    ids = dict(tok["model"]["vocab"])
    ids.update({t["content"]: t["id"] for t in tok.get("added_tokens", [])})
    for needed in ("<image>", "<|im_start|>", "<|im_end|>", "<|endoftext|>"):
        if needed not in ids:
            sys.exit(f"{path}: the tokenizer has no '{needed}' token, which the demo's chat template needs")
    return ids, max(ids.values()) + 1


def manifest(c: Config, ids, dtype: str, seed: int) -> dict:
    return {
        "format": "imaxbench-model", "format_version": 1,
        "name": "demo-vlm", "description": f"imaxbench demo VLM, random weights (seed {seed}); not a trained model",
        "module": "model.pt", "dtype": dtype, "decoding": "kv_cache",
        "image": {"width": c.image_size, "height": c.image_size, "channels": c.channels, "mean": CLIP_MEAN,
                  "std": CLIP_STD, "resize": "bilinear", "tokens": c.image_tokens},
        "tokenizer": {"kind": "hf-bpe", "file": "tokenizer.json"},
        "chat_template": CHAT_TEMPLATE, "image_token": "<image>", "special_tokens": ["<|im_start|>", "<|im_end|>"],
        "eos_token_ids": [ids["<|im_end|>"], ids["<|endoftext|>"]], "pad_token_id": ids["<|endoftext|>"],
        "max_new_tokens": 24,
        "text": {"hidden_size": c.hidden, "vocab_size": c.vocab_size, "layers": c.layers, "kv_heads": c.kv_heads,
                 "head_dim": c.head_dim, "max_positions": c.max_positions},
    }


# ---------------------------------------------------------------- reference greedy decoding (for --check)
def greedy_cached(m, prompts: List[List[int]], images: Tensor, image_id: int, n_img: int, steps: int, c: Config):
    """Batched, left-padded, KV-cached greedy decoding: what the C++ backend does."""
    b, t = len(prompts), max(len(p) for p in prompts)
    ids = torch.zeros(b, t, dtype=torch.long)
    pad = [t - len(p) for p in prompts]
    for i, p in enumerate(prompts):
        ids[i, pad[i]:] = torch.tensor(p)
    x = m.embed(ids)
    feats = m.encode_images(images)
    for i, p in enumerate(prompts):
        start = pad[i] + p.index(image_id)
        x[i, start:start + n_img] = feats[i]
    s = t + steps
    k = torch.zeros(c.layers, b, c.kv_heads, s, c.head_dim)
    v = torch.zeros_like(k)
    key_mask = torch.zeros(b, s, dtype=torch.bool)
    pos = torch.zeros(b, t, dtype=torch.long)
    for i in range(b):
        key_mask[i, pad[i]:t] = True
        pos[i, pad[i]:] = torch.arange(t - pad[i])
    logits = m.decode(x, pos, torch.arange(t), key_mask, k, v)
    out = [[] for _ in range(b)]
    for step in range(steps):
        nxt = logits.argmax(-1)
        for i in range(b):
            out[i].append(int(nxt[i]))
        slot = t + step
        key_mask[:, slot] = True
        step_pos = torch.tensor([[t - pad[i] + step] for i in range(b)])
        logits = m.decode(m.embed(nxt.view(b, 1)), step_pos, torch.tensor([slot]), key_mask, k, v)
    return out


def greedy_full(m, prompt: List[int], image: Tensor, image_id: int, n_img: int, steps: int):
    """One sample, full recomputation through forward(): the no-cache reference."""
    i = prompt.index(image_id)
    ids = prompt[:i] + [image_id] * n_img + prompt[i + 1:]
    feats, out = m.encode_images(image.unsqueeze(0)), []
    for _ in range(steps):
        nxt = int(m(torch.tensor([ids]), feats).argmax(-1)[0])
        out.append(nxt)
        ids.append(nxt)
    return out


def check(eager: DemoVLM, scripted, c: Config, image_id: int, seed: int) -> None:
    g = torch.Generator().manual_seed(seed + 1)
    n_img = c.image_tokens
    prompts = []
    for length in (5, 17, 9):  # different lengths: the batch is left-padded
        p = torch.randint(4, c.vocab_size, (length,), generator=g).tolist()
        p.insert(length // 3, image_id)
        prompts.append(p)
    images = torch.randn(len(prompts), c.channels, c.image_size, c.image_size, generator=g)
    with torch.no_grad():
        # The image placeholder appears once; greedy_cached expands it in place of n_img embeddings.
        expanded = [p[:p.index(image_id)] + [image_id] * n_img + p[p.index(image_id) + 1:] for p in prompts]
        eager_tokens = greedy_cached(eager, expanded, images, image_id, n_img, 12, c)
        script_tokens = greedy_cached(scripted, expanded, images, image_id, n_img, 12, c)
        full_tokens = [greedy_full(scripted, p, images[i], image_id, n_img, 12) for i, p in enumerate(prompts)]
        alone = [greedy_cached(scripted, [p], images[i:i + 1], image_id, n_img, 12, c)[0]
                 for i, p in enumerate(expanded)]
    assert eager_tokens == script_tokens, f"eager {eager_tokens} != scripted {script_tokens}"
    assert script_tokens == full_tokens, f"KV cache {script_tokens} != full recomputation {full_tokens}"
    assert script_tokens == alone, f"left-padded batch {script_tokens} != one at a time {alone}"
    print(f"check passed: eager == scripted == no-cache == batch-of-1 greedy tokens, {script_tokens}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="package folder to write (created)")
    ap.add_argument("--dtype", default="float32", choices=["float32", "float16", "bfloat16"],
                    help="dtype the weights are stored in (imaxbench --dtype can still change it)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--size", default="demo", choices=["demo", "bench"],
                    help="demo: 64 image tokens, 2 small layers (tests); bench: LLaVA-1.5's 576 image tokens and "
                         "4 wider layers, for measuring prefill work (ci/bench_prefix_sharing.sh)")
    ap.add_argument("--tokenizer", default=DEFAULT_TOKENIZER, help="HF tokenizer.json to ship in the package")
    ap.add_argument("--check", action="store_true",
                    help="also assert eager == scripted, KV cache == full recomputation, batch == one at a time")
    args = ap.parse_args()

    ids, vocab = tokenizer_ids(args.tokenizer)
    c = Config(vocab, ids["<image>"], args.size)
    torch.manual_seed(args.seed)  # module constructors draw from the global generator; init_weights overwrites
    eager = DemoVLM(c).eval()
    init_weights(eager, args.seed)
    scripted = torch.jit.script(eager)
    if args.check:
        check(eager, scripted, c, ids["<image>"], args.seed)
    os.makedirs(args.out, exist_ok=True)
    scripted.to(getattr(torch, args.dtype)).save(os.path.join(args.out, "model.pt"))
    shutil.copyfile(args.tokenizer, os.path.join(args.out, "tokenizer.json"))
    with open(os.path.join(args.out, "imaxbench-model.json"), "w", encoding="utf-8") as f:
        json.dump(manifest(c, ids, args.dtype, args.seed), f, indent=2)
        f.write("\n")
    n_params = sum(p.numel() for p in eager.parameters())
    print(f"wrote {args.out}: {n_params / 1e6:.2f}M parameters, torch {torch.__version__}, {args.dtype}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
