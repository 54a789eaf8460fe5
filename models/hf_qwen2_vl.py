"""Scriptable Qwen2-VL for models/convert_hf.py at one fixed input resolution: its vision transformer
(2-D rotary positions, the 2x2 patch merger) and its Qwen2 decoder with multimodal RoPE (M-RoPE),
behind the package entry points of docs/model-package.md, sharing models/hf_vlm.py's decoder and
KV cache.

Every operation follows transformers 4.45's eager code (Qwen2VisionTransformerPretrainedModel,
VisionAttention, PatchMerger, Qwen2VLRotaryEmbedding, apply_multimodal_rotary_pos_emb and
Qwen2VLForConditionalGeneration.get_rope_index for one image), in the same order and dtype. Two
differences, both exact in value: the image processor's patch flattening happens here, on the
normalised [B, 3, H, W] pixels, and images of a batch attend within themselves by a batch dimension
instead of transformers' block-diagonal mask over concatenated images (masked terms are exact zeros).
"""
import math
from typing import List, Tuple

import torch
from torch import Tensor, nn

from hf_vlm import DecoderVLM, TextConfig, activation, rotate_half


class Qwen2VisionConfig:
    def __init__(self, embed_dim: int, depth: int, heads: int, mlp_ratio: float, act: str, channels: int,
                 patch_size: int, temporal_patch_size: int, merge_size: int, out_hidden: int, grid_h: int,
                 grid_w: int):
        self.embed_dim, self.depth, self.heads, self.mlp_ratio, self.act = embed_dim, depth, heads, mlp_ratio, act
        self.channels, self.patch_size, self.temporal_patch_size = channels, patch_size, temporal_patch_size
        self.merge_size, self.out_hidden = merge_size, out_hidden
        self.grid_h, self.grid_w = grid_h, grid_w  # the fixed input's patch grid (before merging)


class PatchEmbed(nn.Module):
    def __init__(self, c: Qwen2VisionConfig):
        super().__init__()
        self.shape = [c.channels, c.temporal_patch_size, c.patch_size, c.patch_size]
        self.embed_dim = c.embed_dim
        kernel = [c.temporal_patch_size, c.patch_size, c.patch_size]
        self.proj = nn.Conv3d(c.channels, c.embed_dim, kernel_size=kernel, stride=kernel, bias=False)

    def forward(self, patches: Tensor) -> Tensor:
        x = patches.view(-1, self.shape[0], self.shape[1], self.shape[2], self.shape[3])
        return self.proj(x.to(self.proj.weight.dtype)).view(-1, self.embed_dim)


def rotary_vision(x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
    """apply_rotary_pos_emb_vision: in float32, back to x's dtype."""
    xf = x.float()
    return ((xf * cos) + (rotate_half(xf) * sin)).to(x.dtype)


class VisionAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
        b, n, d = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)  # [3, B, H, N, hd]
        q, k, v = rotary_vision(qkv[0], cos, sin), rotary_vision(qkv[1], cos, sin), qkv[2]
        weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        weights = nn.functional.softmax(weights, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.proj(torch.matmul(weights, v).transpose(1, 2).reshape(b, n, d))


class VisionMlp(nn.Module):
    def __init__(self, dim: int, hidden: int, act: str):
        super().__init__()
        self.act = act
        self.fc1, self.fc2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(activation(self.act, self.fc1(x)))


class VisionBlock(nn.Module):
    def __init__(self, c: Qwen2VisionConfig):
        super().__init__()
        self.norm1 = nn.LayerNorm(c.embed_dim, eps=1e-6)
        self.norm2 = nn.LayerNorm(c.embed_dim, eps=1e-6)
        self.attn = VisionAttention(c.embed_dim, c.heads)
        self.mlp = VisionMlp(c.embed_dim, int(c.embed_dim * c.mlp_ratio), c.act)

    def forward(self, x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
        x = x + self.attn(self.norm1(x), cos, sin)
        return x + self.mlp(self.norm2(x))


class PatchMerger(nn.Module):
    def __init__(self, c: Qwen2VisionConfig):
        super().__init__()
        self.hidden = c.embed_dim * c.merge_size ** 2
        self.ln_q = nn.LayerNorm(c.embed_dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(self.hidden, self.hidden), nn.GELU(), nn.Linear(self.hidden, c.out_hidden))

    def forward(self, x: Tensor) -> Tensor:  # [B, N, D] -> [B, N / merge^2, out]: each merge block's patches
        return self.mlp(self.ln_q(x).view(x.shape[0], -1, self.hidden))


def merge_order(rows: int, cols: int, merge: int, along_rows: bool) -> Tensor:
    """Each patch's row (or column) index, patches listed merge block by merge block (rot_pos_emb)."""
    if along_rows:
        grid = torch.arange(rows).unsqueeze(1).expand(-1, cols)
    else:
        grid = torch.arange(cols).unsqueeze(0).expand(rows, -1)
    return grid.reshape(rows // merge, merge, cols // merge, merge).permute(0, 2, 1, 3).flatten()


class Qwen2VisionTransformer(nn.Module):
    def __init__(self, c: Qwen2VisionConfig):
        super().__init__()
        self.channels, self.tps, self.ps, self.merge = c.channels, c.temporal_patch_size, c.patch_size, c.merge_size
        self.grid_h, self.grid_w = c.grid_h, c.grid_w
        self.rotary_dim = c.embed_dim // c.heads // 2  # VisionRotaryEmbedding(head_dim // 2)
        self.patch_embed = PatchEmbed(c)
        self.blocks = nn.ModuleList([VisionBlock(c) for _ in range(c.depth)])
        self.merger = PatchMerger(c)
        self.register_buffer("hpos", merge_order(c.grid_h, c.grid_w, c.merge_size, True), persistent=False)
        self.register_buffer("wpos", merge_order(c.grid_h, c.grid_w, c.merge_size, False), persistent=False)

    def patches(self, pixels: Tensor) -> Tensor:
        """Qwen2VLImageProcessor's flattening: [B, C, H, W] -> [B * N, C * T * P * P], the still image
        repeated over the temporal patch, patches in merge-block order."""
        b, m, p = pixels.shape[0], self.merge, self.ps
        x = pixels.unsqueeze(1).expand(b, self.tps, self.channels, self.grid_h * p, self.grid_w * p)
        x = x.reshape(b, self.tps, self.channels, self.grid_h // m, m, p, self.grid_w // m, m, p)
        x = x.permute(0, 3, 6, 4, 7, 2, 1, 5, 8)
        return x.reshape(b * self.grid_h * self.grid_w, self.channels * self.tps * p * p)

    def rotary(self) -> Tuple[Tensor, Tensor]:
        """rot_pos_emb in float32: cos, sin [N, head_dim] for the fixed grid."""
        dim = self.rotary_dim
        inv_freq = 1.0 / (10000.0 ** (torch.arange(0, dim, 2, dtype=torch.float, device=self.hpos.device) / dim))
        seq = torch.arange(max(self.grid_h, self.grid_w), device=self.hpos.device, dtype=inv_freq.dtype)
        table = torch.outer(seq, inv_freq)
        freqs = torch.cat([table[self.hpos], table[self.wpos]], dim=-1)  # [N, head_dim / 2]
        return torch.cat([freqs.cos(), freqs.cos()], dim=-1), torch.cat([freqs.sin(), freqs.sin()], dim=-1)

    def forward(self, pixels: Tensor) -> Tensor:
        b = pixels.shape[0]
        x = self.patch_embed(self.patches(pixels)).view(b, self.grid_h * self.grid_w, -1)
        cos, sin = self.rotary()
        for block in self.blocks:
            x = block(x, cos, sin)
        return self.merger(x)


def mrope_positions(input_ids: Tensor, image_token: int, rows: int, cols: int) -> Tensor:
    """get_rope_index for rows without padding holding one image of rows x cols merged tokens (or
    none): [B, T] -> [3, B, T]. Text before the image counts 0, 1, ...; the image's tokens sit at
    (s, s + row, s + col) from its first position s; text after it resumes at s + max(rows, cols)."""
    b, t = input_ids.shape
    k = torch.arange(t, device=input_ids.device).unsqueeze(0).expand(b, t)
    is_image = input_ids == image_token
    n = rows * cols
    # first image position per row; rows without an image: t (everything is text before it)
    start = torch.where(is_image.any(dim=1), is_image.int().argmax(dim=1), torch.full([b], t, device=k.device))
    idx = k - start.unsqueeze(1)
    inside = (idx >= 0) & (idx < n)
    text = torch.where(idx < 0, k, k - n + max(rows, cols))
    s = start.unsqueeze(1).expand(b, t)
    planes = [torch.where(inside, s, text), torch.where(inside, s + torch.div(idx, cols, rounding_mode="floor"), text),
              torch.where(inside, s + torch.remainder(idx, cols), text)]
    return torch.stack(planes)


class Qwen2VLM(DecoderVLM):
    def __init__(self, v: Qwen2VisionConfig, t: TextConfig, mrope_section: List[int], image_token_index: int):
        super().__init__(t, image_token_index)
        self.visual = Qwen2VisionTransformer(v)
        self.mrope_bands = mrope_section + mrope_section  # cos/sin hold each frequency twice
        self.rows, self.cols = v.grid_h // v.merge_size, v.grid_w // v.merge_size

    @torch.jit.export
    def encode_images(self, pixels: Tensor) -> Tensor:
        """pixels [B, 3, H, W] normalised -> merged image features [B, rows * cols, hidden]."""
        return self.visual(pixels)

    def bands(self, x: Tensor) -> Tensor:
        """[3, B, T, hd] -> [B, 1, T, hd]: band i of the frequencies from plane i % 3 (t, h, w)."""
        parts = x.split(self.mrope_bands, dim=-1)
        return torch.cat([parts[i][i % 3] for i in range(len(parts))], dim=-1).unsqueeze(1)

    def rope(self, position_ids: Tensor, dtype: torch.dtype) -> Tuple[Tensor, Tensor]:
        """Qwen2VLRotaryEmbedding.forward on [3, B, T] positions, then apply_multimodal_rotary_pos_emb's
        band selection -> cos, sin [B, 1, T, head_dim]."""
        inv = self.inv_freq[None, None, :, None].float().expand(3, position_ids.shape[1], -1, 1)
        freqs = torch.matmul(inv.float(), position_ids[:, :, None, :].float()).transpose(2, 3)
        emb = torch.cat((freqs, freqs), dim=-1)
        return self.bands(emb.cos().to(dtype)), self.bands(emb.sin().to(dtype))

    def forward(self, input_ids: Tensor, image_embeds: Tensor) -> Tensor:
        """input_ids [B,T] holding rows * cols image tokens per row, no padding -> last-position logits [B,V]."""
        pos = mrope_positions(input_ids, self.image_token_index, self.rows, self.cols)
        return self.recompute(self.splice_images(input_ids, image_embeds), pos)
