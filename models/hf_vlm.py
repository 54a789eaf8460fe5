"""Scriptable LLaVA-family vision-language models for models/convert_hf.py: a CLIP vision tower, the
LLaVA projector and a Llama / Mistral / Qwen2 decoder with an external KV cache, behind the entry
points of docs/model-package.md (encode_images, embed, decode, forward).

Every operation follows transformers' eager code (4.45: CLIPAttention, LlamaAttention and
Qwen2Attention with attn_implementation="eager", LlamaRMSNorm, LlamaRotaryEmbedding) in the same
order and dtype, so greedy tokens equal `model.generate(do_sample=False)` and logits differ only by
the reduction order of a longer (masked) KV cache. Parameter names are the llava-hf ones, so a
checkpoint's state_dict loads with strict=True after models/hf_checkpoint.py renames its keys.
"""
import math
from typing import Tuple

import torch
from torch import Tensor, nn


def activation(name: str, x: Tensor) -> Tensor:
    """transformers.activations.ACT2FN for the names these families use."""
    if name == "quick_gelu":
        return x * torch.sigmoid(1.702 * x)
    if name == "gelu":
        return nn.functional.gelu(x)
    if name == "gelu_pytorch_tanh":
        return nn.functional.gelu(x, approximate="tanh")
    if name == "silu":
        return nn.functional.silu(x)
    if name == "relu":
        return nn.functional.relu(x)
    raise RuntimeError("unsupported activation " + name)


SUPPORTED_ACTIVATIONS = ("quick_gelu", "gelu", "gelu_pytorch_tanh", "silu", "relu")


class VisionConfig:
    def __init__(self, hidden: int, layers: int, heads: int, intermediate: int, image_size: int, patch_size: int,
                 channels: int, eps: float, act: str):
        self.hidden, self.layers, self.heads, self.intermediate = hidden, layers, heads, intermediate
        self.image_size, self.patch_size, self.channels, self.eps, self.act = image_size, patch_size, channels, eps, act

    @property
    def patches(self) -> int:
        return (self.image_size // self.patch_size) ** 2


class TextConfig:
    def __init__(self, vocab_size: int, hidden: int, layers: int, heads: int, kv_heads: int, head_dim: int,
                 intermediate: int, eps: float, act: str, qkv_bias: bool, inv_freq: Tensor, max_positions: int):
        self.vocab_size, self.hidden, self.layers, self.heads, self.kv_heads = vocab_size, hidden, layers, heads, kv_heads
        self.head_dim, self.intermediate, self.eps, self.act, self.qkv_bias = head_dim, intermediate, eps, act, qkv_bias
        self.inv_freq, self.max_positions = inv_freq, max_positions


# ---------------------------------------------------------------- CLIP vision tower
class CLIPAttention(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.heads, self.head_dim = c.heads, c.hidden // c.heads
        self.scale = self.head_dim ** -0.5
        self.q_proj, self.k_proj = nn.Linear(c.hidden, c.hidden), nn.Linear(c.hidden, c.hidden)
        self.v_proj, self.out_proj = nn.Linear(c.hidden, c.hidden), nn.Linear(c.hidden, c.hidden)

    def shape(self, x: Tensor, b: int, n: int) -> Tensor:  # [B,N,D] -> [B*H, N, hd], as CLIPAttention._shape
        return x.view(b, n, self.heads, self.head_dim).transpose(1, 2).contiguous().view(b * self.heads, n,
                                                                                          self.head_dim)

    def forward(self, x: Tensor) -> Tensor:
        b, n, d = x.shape
        q = self.shape(self.q_proj(x) * self.scale, b, n)
        k, v = self.shape(self.k_proj(x), b, n), self.shape(self.v_proj(x), b, n)
        probs = nn.functional.softmax(torch.bmm(q, k.transpose(1, 2)), dim=-1)
        out = torch.bmm(probs, v).view(b, self.heads, n, self.head_dim).transpose(1, 2).reshape(b, n, d)
        return self.out_proj(out)


class CLIPMLP(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.act = c.act
        self.fc1, self.fc2 = nn.Linear(c.hidden, c.intermediate), nn.Linear(c.intermediate, c.hidden)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(activation(self.act, self.fc1(x)))


class CLIPEncoderLayer(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(c.hidden, eps=c.eps)
        self.self_attn = CLIPAttention(c)
        self.layer_norm2 = nn.LayerNorm(c.hidden, eps=c.eps)
        self.mlp = CLIPMLP(c)

    def forward(self, x: Tensor) -> Tensor:
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class CLIPVisionEmbeddings(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.class_embedding = nn.Parameter(torch.zeros(c.hidden))
        self.patch_embedding = nn.Conv2d(c.channels, c.hidden, c.patch_size, c.patch_size, bias=False)
        self.position_embedding = nn.Embedding(c.patches + 1, c.hidden)
        self.register_buffer("position_ids", torch.arange(c.patches + 1).view(1, -1), persistent=False)

    def forward(self, pixels: Tensor) -> Tensor:
        patches = self.patch_embedding(pixels.to(self.patch_embedding.weight.dtype)).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(pixels.shape[0], 1, -1)
        return torch.cat([cls, patches], dim=1) + self.position_embedding(self.position_ids)


class CLIPEncoder(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.layers = nn.ModuleList([CLIPEncoderLayer(c) for _ in range(c.layers)])


class CLIPVisionTransformer(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.embeddings = CLIPVisionEmbeddings(c)
        self.pre_layrnorm = nn.LayerNorm(c.hidden, eps=c.eps)  # sic: CLIP's name
        self.encoder = CLIPEncoder(c)
        self.post_layernorm = nn.LayerNorm(c.hidden, eps=c.eps)  # unused by LLaVA; kept for the layout


class CLIPVisionModel(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.vision_model = CLIPVisionTransformer(c)


class LlavaMultiModalProjector(nn.Module):
    def __init__(self, vision_hidden: int, text_hidden: int, act: str):
        super().__init__()
        self.act = act
        self.linear_1, self.linear_2 = nn.Linear(vision_hidden, text_hidden), nn.Linear(text_hidden, text_hidden)

    def forward(self, x: Tensor) -> Tensor:
        return self.linear_2(activation(self.act, self.linear_1(x)))


# ---------------------------------------------------------------- decoder (Llama / Mistral / Qwen2 layout)
class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.weight, self.eps = nn.Parameter(torch.ones(dim)), eps

    def forward(self, x: Tensor) -> Tensor:
        h = x.to(torch.float32)
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.to(x.dtype)


def dtype_min(dtype: torch.dtype) -> float:
    """torch.finfo(dtype).min, spelled out for TorchScript (the package's dtype is chosen at load)."""
    if dtype == torch.float16:
        return -65504.0
    if dtype == torch.bfloat16:
        return -3.3895313892515355e38
    return -3.4028234663852886e38


def rotate_half(x: Tensor) -> Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, c: TextConfig, layer_idx: int):
        super().__init__()
        self.layer_idx, self.heads, self.kv_heads, self.head_dim = layer_idx, c.heads, c.kv_heads, c.head_dim
        self.q_proj = nn.Linear(c.hidden, c.heads * c.head_dim, bias=c.qkv_bias)
        self.k_proj = nn.Linear(c.hidden, c.kv_heads * c.head_dim, bias=c.qkv_bias)
        self.v_proj = nn.Linear(c.hidden, c.kv_heads * c.head_dim, bias=c.qkv_bias)
        self.o_proj = nn.Linear(c.heads * c.head_dim, c.hidden, bias=False)

    def forward(self, x: Tensor, cos: Tensor, sin: Tensor, mask: Tensor, k_cache: Tensor, v_cache: Tensor,
                cache_position: Tensor, use_cache: bool) -> Tensor:
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        q = (q * cos) + (rotate_half(q) * sin)
        k = (k * cos) + (rotate_half(k) * sin)
        if use_cache:  # write this call's keys and values into their slots, attend over all slots
            k_cache[self.layer_idx].index_copy_(2, cache_position, k)
            v_cache[self.layer_idx].index_copy_(2, cache_position, v)
            k, v = k_cache[self.layer_idx], v_cache[self.layer_idx]
        rep = self.heads // self.kv_heads
        if rep > 1:  # transformers' repeat_kv: expand + reshape
            s = k.shape[2]
            k = k[:, :, None, :, :].expand(b, self.kv_heads, rep, s, self.head_dim).reshape(b, self.heads, s,
                                                                                             self.head_dim)
            v = v[:, :, None, :, :].expand(b, self.kv_heads, rep, s, self.head_dim).reshape(b, self.heads, s,
                                                                                             self.head_dim)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim) + mask
        probs = nn.functional.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(probs, v).transpose(1, 2).contiguous().reshape(b, t, -1)
        return self.o_proj(out)


class MLP(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.act = c.act
        self.gate_proj = nn.Linear(c.hidden, c.intermediate, bias=False)
        self.up_proj = nn.Linear(c.hidden, c.intermediate, bias=False)
        self.down_proj = nn.Linear(c.intermediate, c.hidden, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        return self.down_proj(activation(self.act, self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, c: TextConfig, layer_idx: int):
        super().__init__()
        self.input_layernorm = RMSNorm(c.hidden, c.eps)
        self.self_attn = Attention(c, layer_idx)
        self.post_attention_layernorm = RMSNorm(c.hidden, c.eps)
        self.mlp = MLP(c)

    def forward(self, x: Tensor, cos: Tensor, sin: Tensor, mask: Tensor, k_cache: Tensor, v_cache: Tensor,
                cache_position: Tensor, use_cache: bool) -> Tensor:
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask, k_cache, v_cache, cache_position, use_cache)
        return x + self.mlp(self.post_attention_layernorm(x))


class TextModel(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.embed_tokens = nn.Embedding(c.vocab_size, c.hidden)
        self.layers = nn.ModuleList([DecoderLayer(c, i) for i in range(c.layers)])
        self.norm = RMSNorm(c.hidden, c.eps)


class CausalLM(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.model = TextModel(c)
        self.lm_head = nn.Linear(c.hidden, c.vocab_size, bias=False)


# ---------------------------------------------------------------- the package's entry points
class DecoderVLM(nn.Module):
    """What every converted family shares: the decoder, embed and decode with the external KV cache.
    A family adds its vision side (encode_images), forward, and its rope() where positions differ."""

    def __init__(self, t: TextConfig, image_token_index: int):
        super().__init__()
        self.language_model = CausalLM(t)
        self.image_token_index = image_token_index
        self.register_buffer("inv_freq", t.inv_freq.clone(), persistent=False)  # computed as transformers does

    @torch.jit.export
    def embed(self, ids: Tensor) -> Tensor:
        return self.language_model.model.embed_tokens(ids)

    def rope(self, position_ids: Tensor, dtype: torch.dtype) -> Tuple[Tensor, Tensor]:
        """LlamaRotaryEmbedding.forward: [B, T] positions -> cos, sin [B, 1, T, head_dim]."""
        inv = self.inv_freq[None, :, None].float().expand(position_ids.shape[0], -1, 1)
        freqs = torch.matmul(inv.float(), position_ids[:, None, :].float()).transpose(1, 2)
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos().to(dtype).unsqueeze(1), emb.sin().to(dtype).unsqueeze(1)

    def run_decoder(self, embeds: Tensor, position_ids: Tensor, allowed: Tensor, k_cache: Tensor, v_cache: Tensor,
                    cache_position: Tensor, use_cache: bool) -> Tensor:
        cos, sin = self.rope(position_ids, embeds.dtype)
        # transformers adds the dtype's minimum where attention is not allowed, 0 where it is.
        mask = torch.zeros(allowed.shape, dtype=embeds.dtype, device=embeds.device).masked_fill(
            ~allowed, dtype_min(embeds.dtype))
        x = embeds
        for layer in self.language_model.model.layers:
            x = layer(x, cos, sin, mask, k_cache, v_cache, cache_position, use_cache)
        return self.language_model.lm_head(self.language_model.model.norm(x[:, -1:]))[:, 0].float()

    @torch.jit.export
    def decode(self, embeds: Tensor, position_ids: Tensor, cache_position: Tensor, key_mask: Tensor,
               k_cache: Tensor, v_cache: Tensor) -> Tensor:
        """embeds [B,T,D], position_ids [B,T] ([3,B,T] for M-RoPE), cache_position [T] (cache slots
        written), key_mask [B,S] bool (slots holding real tokens), caches [L,B,H_kv,S,D_h] updated in
        place -> last-position logits [B,V]."""
        slots = torch.arange(k_cache.shape[3], device=embeds.device)
        causal = slots.view(1, -1) <= cache_position.view(-1, 1)             # [T, S]
        allowed = (causal.unsqueeze(0) & key_mask.unsqueeze(1)).unsqueeze(1)  # [B, 1, T, S]
        return self.run_decoder(embeds, position_ids, allowed, k_cache, v_cache, cache_position, True)

    def splice_images(self, input_ids: Tensor, image_embeds: Tensor) -> Tensor:
        """The embedded prompt with each row's image tokens replaced by its image embeddings."""
        x = self.embed(input_ids)
        image_slots = (input_ids == self.image_token_index).unsqueeze(-1).expand_as(x)
        return x.masked_scatter(image_slots, image_embeds.to(x.dtype))

    def recompute(self, embeds: Tensor, position_ids: Tensor) -> Tensor:
        """Full recomputation, no cache and no padding: causal attention over all of embeds."""
        t = embeds.shape[1]
        pos = torch.arange(t, device=embeds.device)
        allowed = (pos.view(1, -1) <= pos.view(-1, 1)).view(1, 1, t, t)
        empty = torch.empty(0)
        return self.run_decoder(embeds, position_ids, allowed, empty, empty, pos, False)


class LlavaVLM(DecoderVLM):
    def __init__(self, v: VisionConfig, t: TextConfig, projector_act: str, feature_layer: int, keep_cls: bool,
                 image_token_index: int):
        super().__init__(t, image_token_index)
        self.vision_tower = CLIPVisionModel(v)
        self.multi_modal_projector = LlavaMultiModalProjector(v.hidden, t.hidden, projector_act)
        # hidden_states[feature_layer] of CLIP: index 0 is the embeddings, index i the output of layer i.
        self.vision_layers_run = feature_layer % (v.layers + 1) if feature_layer < 0 else feature_layer
        self.first_feature = 0 if keep_cls else 1  # "full" keeps the CLS token, "default" drops it

    @torch.jit.export
    def encode_images(self, pixels: Tensor) -> Tensor:
        """pixels [B, 3, H, W] normalised -> projected image features [B, N_img, hidden]."""
        vm = self.vision_tower.vision_model
        x = vm.pre_layrnorm(vm.embeddings(pixels))
        for i, layer in enumerate(vm.encoder.layers):
            if i < self.vision_layers_run:
                x = layer(x)
        return self.multi_modal_projector(x[:, self.first_feature:])

    def forward(self, input_ids: Tensor, image_embeds: Tensor) -> Tensor:
        """input_ids [B,T] holding N_img image tokens per row, no padding -> last-position logits [B,V]."""
        b, t = input_ids.shape
        pos = torch.arange(t, device=input_ids.device).unsqueeze(0).expand(b, t)
        return self.recompute(self.splice_images(input_ids, image_embeds), pos)


def rope_inv_freq(theta: float, head_dim: int) -> Tensor:
    """transformers' _compute_default_rope_parameters, expression for expression."""
    return 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))

