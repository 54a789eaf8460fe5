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
"""
import argparse
import json
import math
import os
import shutil
import sys
from typing import List, Tuple

import torch
from torch import Tensor, nn

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TOKENIZER = os.path.join(HERE, "tokenizers", "radiology-bpe", "tokenizer.json")
CHAT_TEMPLATE = "<|im_start|>user\n<image>\n{prompt}<|im_end|>\n<|im_start|>assistant\n"
# CLIP's RGB statistics, as LLaVA's image processor uses them (the gray image fills three planes).
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


class Config:
    def __init__(self, vocab_size: int, image_token_index: int):
        self.image_size, self.patch_size, self.channels = 64, 8, 3
        self.vision_hidden, self.vision_layers, self.vision_heads, self.vision_mlp = 64, 2, 4, 256
        self.vision_feature_layer = -1  # LLaVA uses -2 with its 24-layer tower; -1 keeps both layers used
        self.hidden, self.layers, self.heads, self.kv_heads, self.intermediate = 128, 2, 4, 2, 352
        self.head_dim = self.hidden // self.heads
        self.rope_theta, self.rms_eps, self.max_positions = 10000.0, 1e-6, 2048
        self.vocab_size, self.image_token_index = vocab_size, image_token_index

    @property
    def image_tokens(self) -> int:
        return (self.image_size // self.patch_size) ** 2


# ---------------------------------------------------------------- vision tower (CLIP layout)
class CLIPAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.q_proj, self.k_proj = nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.v_proj, self.out_proj = nn.Linear(dim, dim), nn.Linear(dim, dim)

    def forward(self, x: Tensor) -> Tensor:
        b, n, d = x.shape
        q = self.q_proj(x).view(b, n, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, n, self.heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, n, self.heads, self.head_dim).transpose(1, 2)
        scores = torch.matmul(q.float(), k.float().transpose(2, 3)) / math.sqrt(self.head_dim)
        out = torch.matmul(scores.softmax(-1).to(v.dtype), v)
        return self.out_proj(out.transpose(1, 2).reshape(b, n, d))


class CLIPMLP(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)

    def forward(self, x: Tensor) -> Tensor:
        h = self.fc1(x)
        return self.fc2(h * torch.sigmoid(1.702 * h))  # quick_gelu, CLIP's activation


class CLIPEncoderLayer(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.layer_norm1, self.layer_norm2 = nn.LayerNorm(c.vision_hidden), nn.LayerNorm(c.vision_hidden)
        self.self_attn = CLIPAttention(c.vision_hidden, c.vision_heads)
        self.mlp = CLIPMLP(c.vision_hidden, c.vision_mlp)

    def forward(self, x: Tensor) -> Tensor:
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class CLIPVisionEmbeddings(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.class_embedding = nn.Parameter(torch.zeros(c.vision_hidden))
        self.patch_embedding = nn.Conv2d(c.channels, c.vision_hidden, c.patch_size, c.patch_size, bias=False)
        self.position_embedding = nn.Embedding(c.image_tokens + 1, c.vision_hidden)

    def forward(self, pixels: Tensor) -> Tensor:
        patches = self.patch_embedding(pixels).flatten(2).transpose(1, 2)  # [B, N, D]
        cls = self.class_embedding.view(1, 1, -1).expand(patches.shape[0], 1, patches.shape[2])
        x = torch.cat([cls.to(patches.dtype), patches], dim=1)
        return x + self.position_embedding.weight.unsqueeze(0)


class CLIPEncoder(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.layers = nn.ModuleList([CLIPEncoderLayer(c) for _ in range(c.vision_layers)])


class CLIPVisionTransformer(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.embeddings = CLIPVisionEmbeddings(c)
        self.pre_layrnorm = nn.LayerNorm(c.vision_hidden)  # sic: CLIP's name
        self.encoder = CLIPEncoder(c)
        self.post_layernorm = nn.LayerNorm(c.vision_hidden)  # unused by LLaVA; kept for the layout


class CLIPVisionModel(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.vision_model = CLIPVisionTransformer(c)


class LlavaMultiModalProjector(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.linear_1, self.linear_2 = nn.Linear(c.vision_hidden, c.hidden), nn.Linear(c.hidden, c.hidden)

    def forward(self, x: Tensor) -> Tensor:
        return self.linear_2(nn.functional.gelu(self.linear_1(x)))


# ---------------------------------------------------------------- language model (Llama layout)
class LlamaRMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.weight, self.eps = nn.Parameter(torch.ones(dim)), eps

    def forward(self, x: Tensor) -> Tensor:
        h = x.float()
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.to(x.dtype)


def rotate_half(x: Tensor) -> Tensor:
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class LlamaAttention(nn.Module):
    def __init__(self, c: Config, layer_idx: int):
        super().__init__()
        self.layer_idx, self.heads, self.kv_heads, self.head_dim = layer_idx, c.heads, c.kv_heads, c.head_dim
        self.q_proj = nn.Linear(c.hidden, c.heads * c.head_dim, bias=False)
        self.k_proj = nn.Linear(c.hidden, c.kv_heads * c.head_dim, bias=False)
        self.v_proj = nn.Linear(c.hidden, c.kv_heads * c.head_dim, bias=False)
        self.o_proj = nn.Linear(c.heads * c.head_dim, c.hidden, bias=False)

    def forward(self, x: Tensor, cos: Tensor, sin: Tensor, allowed: Tensor, k_cache: Tensor, v_cache: Tensor,
                cache_position: Tensor, use_cache: bool) -> Tensor:
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if use_cache:  # write this step's keys and values into their slots, attend over all slots
            k_cache[self.layer_idx].index_copy_(2, cache_position, k)
            v_cache[self.layer_idx].index_copy_(2, cache_position, v)
            k, v = k_cache[self.layer_idx], v_cache[self.layer_idx]
        rep = self.heads // self.kv_heads
        k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        scores = torch.matmul(q.float(), k.float().transpose(2, 3)) / math.sqrt(self.head_dim)
        # A finite fill keeps fully masked rows (left-padding queries) finite; they are never read.
        probs = scores.masked_fill(~allowed, -1e30).softmax(-1).to(v.dtype)
        return self.o_proj(torch.matmul(probs, v).transpose(1, 2).reshape(b, t, -1))


class LlamaMLP(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.gate_proj = nn.Linear(c.hidden, c.intermediate, bias=False)
        self.up_proj = nn.Linear(c.hidden, c.intermediate, bias=False)
        self.down_proj = nn.Linear(c.intermediate, c.hidden, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, c: Config, layer_idx: int):
        super().__init__()
        self.input_layernorm = LlamaRMSNorm(c.hidden, c.rms_eps)
        self.self_attn = LlamaAttention(c, layer_idx)
        self.post_attention_layernorm = LlamaRMSNorm(c.hidden, c.rms_eps)
        self.mlp = LlamaMLP(c)

    def forward(self, x: Tensor, cos: Tensor, sin: Tensor, allowed: Tensor, k_cache: Tensor, v_cache: Tensor,
                cache_position: Tensor, use_cache: bool) -> Tensor:
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, allowed, k_cache, v_cache, cache_position, use_cache)
        return x + self.mlp(self.post_attention_layernorm(x))


class LlamaModel(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.embed_tokens = nn.Embedding(c.vocab_size, c.hidden)
        self.layers = nn.ModuleList([LlamaDecoderLayer(c, i) for i in range(c.layers)])
        self.norm = LlamaRMSNorm(c.hidden, c.rms_eps)


class LlamaForCausalLM(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.model = LlamaModel(c)
        self.lm_head = nn.Linear(c.hidden, c.vocab_size, bias=False)


# ---------------------------------------------------------------- the package's entry points
class DemoVLM(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.vision_tower = CLIPVisionModel(c)
        self.multi_modal_projector = LlavaMultiModalProjector(c)
        self.language_model = LlamaForCausalLM(c)
        n = c.vision_layers
        self.vision_layers_run = c.vision_feature_layer % (n + 1) if c.vision_feature_layer < 0 else c.vision_feature_layer
        self.image_token_index, self.head_dim, self.rope_theta = c.image_token_index, c.head_dim, c.rope_theta

    @torch.jit.export
    def encode_images(self, pixels: Tensor) -> Tensor:
        """pixels [B, 3, H, W] normalised -> projected image features [B, N_img, hidden]."""
        vm = self.vision_tower.vision_model
        x = vm.pre_layrnorm(vm.embeddings(pixels))
        for i, layer in enumerate(vm.encoder.layers):  # hidden_states[vision_feature_layer]
            if i < self.vision_layers_run:
                x = layer(x)
        return self.multi_modal_projector(x[:, 1:])  # "default" strategy: drop the CLS token

    @torch.jit.export
    def embed(self, ids: Tensor) -> Tensor:
        return self.language_model.model.embed_tokens(ids)

    def rope(self, position_ids: Tensor, dtype: torch.dtype) -> Tuple[Tensor, Tensor]:
        half = torch.arange(0, self.head_dim, 2, dtype=torch.float32, device=position_ids.device)
        inv_freq = 1.0 / torch.pow(torch.full_like(half, self.rope_theta), half / self.head_dim)
        freqs = position_ids.float().unsqueeze(-1) * inv_freq  # [B, T, head_dim/2]
        emb = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)     # [B, 1, T, head_dim]
        return emb.cos().to(dtype), emb.sin().to(dtype)

    def run_decoder(self, embeds: Tensor, position_ids: Tensor, allowed: Tensor, k_cache: Tensor, v_cache: Tensor,
                    cache_position: Tensor, use_cache: bool) -> Tensor:
        cos, sin = self.rope(position_ids, embeds.dtype)
        x = embeds
        for layer in self.language_model.model.layers:
            x = layer(x, cos, sin, allowed, k_cache, v_cache, cache_position, use_cache)
        return self.language_model.lm_head(self.language_model.model.norm(x[:, -1]))

    @torch.jit.export
    def decode(self, embeds: Tensor, position_ids: Tensor, cache_position: Tensor, key_mask: Tensor,
               k_cache: Tensor, v_cache: Tensor) -> Tensor:
        """embeds [B,T,D], position_ids [B,T], cache_position [T] (cache slots written), key_mask [B,S] bool
        (slots holding real tokens), caches [L,B,H_kv,S,D_h] updated in place -> last-position logits [B,V]."""
        slots = torch.arange(k_cache.shape[3], device=embeds.device)
        causal = slots.view(1, -1) <= cache_position.view(-1, 1)             # [T, S]
        allowed = (causal.unsqueeze(0) & key_mask.unsqueeze(1)).unsqueeze(1)  # [B, 1, T, S]
        return self.run_decoder(embeds, position_ids, allowed, k_cache, v_cache, cache_position, True)

    def forward(self, input_ids: Tensor, image_embeds: Tensor) -> Tensor:
        """Full recomputation, no cache: input_ids [B,T] holding N_img image tokens per row, no padding
        -> last-position logits [B,V]."""
        x = self.embed(input_ids)
        image_slots = (input_ids == self.image_token_index).unsqueeze(-1).expand_as(x)
        x = x.masked_scatter(image_slots, image_embeds.to(x.dtype))
        t = input_ids.shape[1]
        pos = torch.arange(t, device=input_ids.device)
        allowed = (pos.view(1, -1) <= pos.view(-1, 1)).view(1, 1, t, t)
        empty = torch.empty(0)
        return self.run_decoder(x, pos.unsqueeze(0).expand(input_ids.shape[0], t), allowed, empty, empty, pos, False)


def init_weights(model: nn.Module, seed: int) -> None:
    """Seeded, layout-independent init: every parameter in name order from one generator."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if "norm" in name and name.endswith("weight"):
                p.fill_(1.0)
            elif name.endswith("bias"):
                p.zero_()
            else:
                # 1/sqrt(fan_in) (not Llama's 0.02): context changes the greedy choice, answers vary
                std = 1.0 if p.dim() == 1 or "embed" in name else 1.0 / math.sqrt(p[0].numel())
                p.copy_(torch.randn(p.shape, generator=g) * std)


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
    ap.add_argument("--tokenizer", default=DEFAULT_TOKENIZER, help="HF tokenizer.json to ship in the package")
    ap.add_argument("--check", action="store_true",
                    help="also assert eager == scripted, KV cache == full recomputation, batch == one at a time")
    args = ap.parse_args()

    ids, vocab = tokenizer_ids(args.tokenizer)
    c = Config(vocab, ids["<image>"])
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
