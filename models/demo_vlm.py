"""The demo vision-language model of models/export_demo_vlm.py: plain scriptable PyTorch with Hugging
Face llava-hf parameter names (CLIP vision tower, two-layer MLP projector, Llama decoder with RoPE,
grouped-query attention and an external KV cache) and the package entry points of
docs/model-package.md (encode_images, embed, decode, forward). Copy its structure, sized from a real
checkpoint's config.json, to export that checkpoint.
"""
import math
from typing import Tuple

import torch
from torch import Tensor, nn


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
