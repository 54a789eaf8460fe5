"""The demo vision-language model of models/export_demo_vlm.py: small shapes and a seeded init on the
modules of models/hf_vlm.py (CLIP vision tower, two-layer MLP projector, Llama decoder with RoPE,
grouped-query attention and an external KV cache, behind the package entry points of
docs/model-package.md). Real checkpoints go through models/convert_hf.py instead.
"""
import math
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hf_vlm import LlavaVLM, TextConfig, VisionConfig, rope_inv_freq  # noqa: E402


class Config:
    def __init__(self, vocab_size: int, image_token_index: int, size: str = "demo"):
        self.image_size, self.patch_size, self.channels = 64, 8, 3
        self.vision_hidden, self.vision_layers, self.vision_heads, self.vision_mlp = 64, 2, 4, 256
        self.vision_feature_layer = -1  # LLaVA uses -2 with its 24-layer tower; -1 keeps both layers used
        self.hidden, self.layers, self.heads, self.kv_heads, self.intermediate = 128, 2, 4, 2, 352
        if size == "bench":  # LLaVA-1.5's 576 image tokens (336 px, patch 14) on a decoder small enough for a CPU
            self.image_size, self.patch_size = 336, 14
            self.hidden, self.layers, self.heads, self.kv_heads, self.intermediate = 256, 4, 8, 8, 704
        self.head_dim = self.hidden // self.heads
        self.rope_theta, self.rms_eps, self.max_positions = 10000.0, 1e-6, 2048
        self.vocab_size, self.image_token_index = vocab_size, image_token_index

    @property
    def image_tokens(self) -> int:
        return (self.image_size // self.patch_size) ** 2


def DemoVLM(c: Config) -> LlavaVLM:
    """The demo's shapes on models/hf_vlm.py's modules (the ones models/convert_hf.py converts
    checkpoints into): CLIP tower with quick_gelu, gelu projector, Llama decoder without biases."""
    v = VisionConfig(c.vision_hidden, c.vision_layers, c.vision_heads, c.vision_mlp, c.image_size, c.patch_size,
                     c.channels, 1e-5, "quick_gelu")
    t = TextConfig(c.vocab_size, c.hidden, c.layers, c.heads, c.kv_heads, c.head_dim, c.intermediate, c.rms_eps,
                   "silu", False, rope_inv_freq(c.rope_theta, c.head_dim), c.max_positions)
    return LlavaVLM(v, t, "gelu", c.vision_feature_layer, False, c.image_token_index)


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
