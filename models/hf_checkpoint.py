"""Reads a local Hugging Face checkpoint folder for models/convert_hf.py, without transformers and
without the network: config.json (with the defaults transformers 4.45's config classes fill in, since
save_pretrained writes only non-default values), safetensors / pytorch_model.bin shards, the
tokenizer files, preprocessor_config.json and the chat template. Every refusal names the file and
what is supported.
"""
import json
import mmap
import os
import struct
import warnings
from typing import Dict, List, Optional, Tuple

import torch


class CheckpointError(Exception):
    """A checkpoint this converter cannot turn into a package; the message says why and what to do."""


SUPPORTED = {
    "LlavaForConditionalGeneration": "llava-hf layout (transformers < 4.52 and >= 4.52 key names); "
                                     "text model Llama, Mistral or Qwen2; CLIP vision tower",
    "Qwen2VLForConditionalGeneration": "Qwen2-VL at one fixed input resolution (--image-size); transformers < 4.52 "
                                       "and >= 4.52 key names",
    "LlavaLlamaForCausalLM": "original LLaVA layout (haotian-liu/LLaVA: llava-v1.5-7b/13b): mm_projector "
                             "linear or mlp2x_gelu, CLIP tower embedded or in a folder (--vision-tower), "
                             "image_aspect_ratio pad, --conv-mode",
    "LlavaMistralForCausalLM": "original LLaVA layout with a Mistral text model (microsoft/LLaVA-Med: "
                               "llava-med-v1.5-mistral-7b), as LlavaLlamaForCausalLM",
}
NOT_YET = {
    "LlavaQwen2ForCausalLM": "the original LLaVA layout with a Qwen2 text model (LLaVA-OneVision's code) is not "
                             "converted yet; convert it to the llava-hf layout first or serve it and use "
                             "--backend openai",
    "Qwen2_5_VLForConditionalGeneration": "Qwen2.5-VL is not converted yet (its windowed vision attention and "
                                          "RMSNorm/SwiGLU vision blocks differ from Qwen2-VL's); serve it with "
                                          "vLLM and use --backend openai",
}

# Defaults of transformers 4.45's config classes for the fields the converter reads.
TEXT_DEFAULTS = {
    "llama": dict(vocab_size=32000, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32,
                  num_attention_heads=32, num_key_value_heads=None, hidden_act="silu",
                  max_position_embeddings=2048, rms_norm_eps=1e-6, rope_theta=10000.0, rope_scaling=None,
                  tie_word_embeddings=False, attention_bias=False, head_dim=None, eos_token_id=2, bos_token_id=1),
    "mistral": dict(vocab_size=32000, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                    num_attention_heads=32, num_key_value_heads=8, hidden_act="silu",
                    max_position_embeddings=4096 * 32, rms_norm_eps=1e-6, rope_theta=10000.0, rope_scaling=None,
                    tie_word_embeddings=False, attention_bias=False, head_dim=None, eos_token_id=2, bos_token_id=1),
    "qwen2": dict(vocab_size=151936, hidden_size=4096, intermediate_size=22016, num_hidden_layers=32,
                  num_attention_heads=32, num_key_value_heads=32, hidden_act="silu", max_position_embeddings=32768,
                  rms_norm_eps=1e-6, rope_theta=10000.0, rope_scaling=None, tie_word_embeddings=False,
                  attention_bias=True, head_dim=None, eos_token_id=None, bos_token_id=None),
    "qwen2_vl": dict(vocab_size=152064, hidden_size=8192, intermediate_size=29568, num_hidden_layers=80,
                     num_attention_heads=64, num_key_value_heads=8, hidden_act="silu", max_position_embeddings=32768,
                     rms_norm_eps=1e-5, rope_theta=1000000.0, rope_scaling=None, tie_word_embeddings=False,
                     attention_bias=True, head_dim=None, eos_token_id=None, bos_token_id=None),
}
# Qwen2's (and Qwen2-VL's) q/k/v always carry a bias in transformers, whatever the config says.
QKV_BIAS_ALWAYS = {"qwen2", "qwen2_vl"}
QWEN2_VL_VISION_DEFAULTS = dict(depth=32, embed_dim=1280, hidden_act="quick_gelu", mlp_ratio=4, num_heads=16,
                                in_channels=3, patch_size=14, spatial_merge_size=2, temporal_patch_size=2)
CLIP_VISION_DEFAULTS = dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
                            num_channels=3, image_size=224, patch_size=32, hidden_act="quick_gelu",
                            layer_norm_eps=1e-5)
# LlavaConfig's vision_config when config.json has none.
LLAVA_DEFAULT_VISION = dict(intermediate_size=4096, hidden_size=1024, patch_size=14, image_size=336,
                            num_hidden_layers=24, num_attention_heads=16)
LLAVA_DEFAULTS = dict(image_token_index=32000, projector_hidden_act="gelu", vision_feature_select_strategy="default",
                      vision_feature_layer=-2, image_seq_length=576)


def read_json(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise CheckpointError(f"{path}: missing") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise CheckpointError(f"{path}: not valid JSON: {e}") from None
    if not isinstance(doc, dict):
        raise CheckpointError(f"{path}: must hold one JSON object")
    return doc


def with_defaults(values: dict, defaults: dict) -> dict:
    out = dict(defaults)
    out.update({k: v for k, v in values.items() if v is not None or k not in defaults})
    return out


def architecture(config: dict, path: str) -> str:
    archs = config.get("architectures") or []
    arch = archs[0] if archs else ""
    if arch in SUPPORTED:
        return arch
    supported = "; ".join(f"{a} ({why})" for a, why in SUPPORTED.items())
    if arch in NOT_YET:
        raise CheckpointError(f"{path}: {NOT_YET[arch]}. Supported: {supported}")
    named = arch or '(none: config.json has no "architectures")'
    raise CheckpointError(f"{path}: architecture {named} is not supported. Supported: {supported}")


# ---------------------------------------------------------------- weights
SAFETENSORS_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
                      "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
                      "U8": torch.uint8, "BOOL": torch.bool}


def read_safetensors(path: str) -> Dict[str, torch.Tensor]:
    """The safetensors format (an 8-byte header length, a JSON header, raw little-endian data), read
    through mmap so a shard is not held twice in memory."""
    out: Dict[str, torch.Tensor] = {}
    with open(path, "rb") as f:
        head = f.read(8)
        if len(head) != 8:
            raise CheckpointError(f"{path}: not a safetensors file (shorter than its header)")
        (n,) = struct.unpack("<Q", head)
        size = os.fstat(f.fileno()).st_size
        if n > size - 8:
            raise CheckpointError(f"{path}: not a safetensors file (header length {n} past the end)")
        try:
            header = json.loads(f.read(n))
        except ValueError as e:
            raise CheckpointError(f"{path}: safetensors header is not JSON: {e}") from None
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size > 8 + n else None
        for name, info in header.items():
            if name == "__metadata__":
                continue
            dtype = SAFETENSORS_DTYPES.get(info.get("dtype"))
            if dtype is None:
                raise CheckpointError(f"{path}: tensor {name} has dtype {info.get('dtype')}, which is not supported")
            begin, end = info["data_offsets"]
            shape = info["shape"]
            count = 1
            for d in shape:
                count *= d
            if count == 0:
                out[name] = torch.empty(shape, dtype=dtype)
                continue
            if 8 + n + end > size or end - begin != count * torch.empty(0, dtype=dtype).element_size():
                raise CheckpointError(f"{path}: tensor {name} lies outside the file or has the wrong byte size")
            with warnings.catch_warnings():  # the mmap is read-only; clone() makes the tensor its own
                warnings.simplefilter("ignore")
                t = torch.frombuffer(mm, dtype=dtype, count=count, offset=8 + n + begin)
            out[name] = t.reshape(shape).clone()
        if mm is not None:
            mm.close()
    return out


def shard_files(folder: str) -> List[str]:
    for index_name, single in (("model.safetensors.index.json", "model.safetensors"),
                               ("pytorch_model.bin.index.json", "pytorch_model.bin")):
        index = os.path.join(folder, index_name)
        if os.path.isfile(index):
            weight_map = read_json(index).get("weight_map")
            if not isinstance(weight_map, dict):
                raise CheckpointError(f"{index}: has no weight_map")
            return [os.path.join(folder, s) for s in sorted(set(weight_map.values()))]
        if os.path.isfile(os.path.join(folder, single)):
            return [os.path.join(folder, single)]
    raise CheckpointError(f"{folder}: no model.safetensors, pytorch_model.bin or their .index.json shards")


def load_weights(folder: str) -> Dict[str, torch.Tensor]:
    weights: Dict[str, torch.Tensor] = {}
    for path in shard_files(folder):
        if not os.path.isfile(path):
            raise CheckpointError(f"{path}: named by the shard index but missing")
        if path.endswith(".safetensors"):
            weights.update(read_safetensors(path))
        else:
            weights.update(torch.load(path, map_location="cpu"))
    return weights


def rename_llava_hf(sd: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """llava-hf keys of transformers >= 4.52 (model.vision_tower, model.language_model, lm_head) to the
    older ones the package uses; older checkpoints pass unchanged."""
    out = {}
    for k, v in sd.items():
        if k.startswith("model.vision_tower.") or k.startswith("model.multi_modal_projector."):
            k = k[len("model."):]
        elif k.startswith("model.language_model."):
            k = "language_model.model." + k[len("model.language_model."):]
        elif k.startswith("lm_head."):
            k = "language_model." + k
        out[k] = v
    return out


def rename_qwen2_vl(sd: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Qwen2-VL keys of transformers < 4.52 (visual., model., lm_head.) and >= 4.52 (model.visual.,
    model.language_model., lm_head.) to the package's (visual., language_model.model., language_model.lm_head.)."""
    out = {}
    for k, v in sd.items():
        if k.startswith("model.visual."):
            k = k[len("model."):]
        elif k.startswith("model.language_model."):
            k = "language_model.model." + k[len("model.language_model."):]
        elif k.startswith("model.") or k.startswith("lm_head."):
            k = "language_model." + k
        out[k] = v
    return out


# ---------------------------------------------------------------- tokenizer and template
def tokenizer_files(folder: str) -> Tuple[str, str]:
    """(kind, path) of the tokenizer imaxbench reads: a byte-level BPE tokenizer.json, else a
    SentencePiece tokenizer.model."""
    tj = os.path.join(folder, "tokenizer.json")
    if os.path.isfile(tj):
        doc = read_json(tj)
        pre = json.dumps(doc.get("pre_tokenizer"))
        if doc.get("model", {}).get("type") == "BPE" and "ByteLevel" in pre:
            return "hf-bpe", tj
    sp = os.path.join(folder, "tokenizer.model")
    if os.path.isfile(sp):
        return "sentencepiece", sp
    raise CheckpointError(f"{folder}: needs a byte-level BPE tokenizer.json or a SentencePiece tokenizer.model")


def token_table(folder: str, kind: str, path: str) -> Dict[str, int]:
    """Added tokens (content -> id) from tokenizer.json or added_tokens.json / tokenizer_config.json."""
    ids: Dict[str, int] = {}
    if kind == "hf-bpe":
        for t in read_json(path).get("added_tokens", []):
            ids[t["content"]] = t["id"]
    added = os.path.join(folder, "added_tokens.json")
    if os.path.isfile(added):
        ids.update({k: int(v) for k, v in read_json(added).items()})
    cfg = os.path.join(folder, "tokenizer_config.json")
    if os.path.isfile(cfg):
        for i, t in read_json(cfg).get("added_tokens_decoder", {}).items():
            ids.setdefault(t["content"], int(i))
    return ids


def token_text(value) -> Optional[str]:
    if isinstance(value, dict):
        return value.get("content")
    return value


def tokenizer_adds(folder: str, kind: str, path: str) -> Tuple[List[str], List[str]]:
    """Special tokens the tokenizer puts around a text when called with add_special_tokens=True (as the
    HF processor calls it): (before, after)."""
    cfg_path = os.path.join(folder, "tokenizer_config.json")
    cfg = read_json(cfg_path) if os.path.isfile(cfg_path) else {}
    if kind == "hf-bpe":
        post = read_json(path).get("post_processor") or {}
        if post.get("type") == "TemplateProcessing":
            single = post.get("single", [])
            before, after, seen_a = [], [], False
            for piece in single:
                if "Sequence" in piece:
                    seen_a = True
                elif "SpecialToken" in piece:
                    (after if seen_a else before).append(piece["SpecialToken"]["id"])
            return before, after
        return [], []
    before = [token_text(cfg.get("bos_token")) or "<s>"] if cfg.get("add_bos_token", True) else []
    after = [token_text(cfg.get("eos_token")) or "</s>"] if cfg.get("add_eos_token", False) else []
    return before, after


def chat_template_source(folder: str) -> Optional[str]:
    for name, key in (("chat_template.json", "chat_template"), ("processor_config.json", "chat_template"),
                      ("tokenizer_config.json", "chat_template")):
        p = os.path.join(folder, name)
        if os.path.isfile(p):
            t = read_json(p).get(key)
            if isinstance(t, list):  # named templates: the default one
                t = next((x.get("template") for x in t if x.get("name") == "default"), None)
            if isinstance(t, str) and t:
                return t
    return None


SENTINEL = "\u2063IMAXBENCH_PROMPT\u2063"


def render_chat_template(source: str, image_token: str, special: Dict[str, Optional[str]]) -> str:
    """The checkpoint's Jinja chat template rendered for one user turn holding an image and a sentinel
    text, with the generation prompt, as transformers' apply_chat_template renders it (sandboxed,
    trim_blocks, lstrip_blocks); the sentinel then becomes {prompt}."""
    try:
        from jinja2.ext import Extension
        from jinja2.sandbox import ImmutableSandboxedEnvironment
    except ImportError:
        raise CheckpointError("rendering the checkpoint's chat template needs jinja2 (pip install jinja2, "
                              "or apt-get install python3-jinja2)") from None

    class GenerationTag(Extension):
        """{% generation %}...{% endgeneration %} (transformers marks assistant text with it): the body as is."""
        tags = {"generation"}

        def parse(self, parser):
            next(parser.stream)
            return parser.parse_statements(("name:endgeneration",), drop_needle=True)

    def raise_exception(message):
        raise CheckpointError(f"the chat template refused the conversation: {message}")

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTag])
    env.globals["raise_exception"] = raise_exception
    template = env.from_string(source)
    tried = []
    for content in ([{"type": "image"}, {"type": "text", "text": SENTINEL}], f"{image_token}\n{SENTINEL}"):
        text = template.render(messages=[{"role": "user", "content": content}], add_generation_prompt=True,
                               **special)
        tried.append(text)
        if text.count(SENTINEL) == 1 and text.count(image_token) == 1:
            return text.replace(SENTINEL, "{prompt}")
    raise CheckpointError(f"the chat template does not render one user turn with one {image_token} and the "
                          f"prompt; it gave {tried[-1]!r}; pass --chat-template")


# ---------------------------------------------------------------- images
def clip_image_settings(folder: str, image_size: int) -> dict:
    """The package's image block from preprocessor_config.json (CLIPImageProcessor)."""
    path, pre = read_preprocessor(folder, "CLIPImageProcessor", "size, crop, mean, std",
                                  " (for an original LLaVA checkpoint, copy the CLIP tower's file)")
    size, crop = pre.get("size", {"shortest_edge": 224}), pre.get("crop_size", {"height": 224, "width": 224})
    if isinstance(size, int):
        size = {"shortest_edge": size}
    if isinstance(crop, int):
        crop = {"height": crop, "width": crop}
    if "shortest_edge" not in size or not pre.get("do_resize", True):
        raise CheckpointError(f"{path}: only do_resize with size.shortest_edge is supported, got {size}")
    if not pre.get("do_center_crop", True):
        raise CheckpointError(f"{path}: only do_center_crop true is supported")
    if (crop["height"], crop["width"]) != (image_size, image_size):
        raise CheckpointError(f"{path}: crop_size {crop} differs from the vision tower's image_size {image_size}")
    mean, std = normalisation(pre)
    return {"width": crop["width"], "height": crop["height"], "channels": 3, "mean": mean, "std": std,
            "resize": "shortest_edge_crop", "shortest_edge": size["shortest_edge"]}


def read_preprocessor(folder: str, kind: str, holds: str, hint: str = "") -> Tuple[str, dict]:
    """preprocessor_config.json of image processor `kind` (or its Fast twin), with the bicubic
    resample and the 1/255 rescale every supported processor uses."""
    path = os.path.join(folder, "preprocessor_config.json")
    if not os.path.isfile(path):
        raise CheckpointError(f"{path}: missing; the image processor's settings ({holds}) come from it{hint}")
    pre = read_json(path)
    got = pre.get("image_processor_type", kind)
    if got not in (kind, kind + "Fast"):
        raise CheckpointError(f"{path}: image_processor_type {got}; this checkpoint needs {kind}")
    if pre.get("resample", 3) != 3 or not pre.get("do_resize", True):
        raise CheckpointError(f"{path}: only do_resize with resample 3 (bicubic) is supported")
    if abs(pre.get("rescale_factor", 1 / 255) - 1 / 255) > 1e-12 or not pre.get("do_rescale", True):
        raise CheckpointError(f"{path}: only do_rescale with rescale_factor 1/255 is supported")
    return path, pre


def normalisation(pre: dict) -> Tuple[list, list]:
    """(mean, std) per channel; OpenAI CLIP's when the file names none (transformers' defaults)."""
    if not pre.get("do_normalize", True):
        return [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]
    return (pre.get("image_mean", [0.48145466, 0.4578275, 0.40821073]),
            pre.get("image_std", [0.26862954, 0.26130258, 0.27577711]))


def parse_image_size(value: Optional[str], default: int) -> Tuple[int, int]:
    """--image-size N or WxH -> (width, height)."""
    if value is None:
        return default, default
    parts = value.lower().split("x")
    if len(parts) in (1, 2) and all(p.isdigit() and int(p) > 0 for p in parts):
        return int(parts[0]), int(parts[-1])
    raise CheckpointError(f"--image-size {value!r}: write N or WxH in pixels, e.g. 448 or 448x336")


def qwen2_vl_image_settings(folder: str, image_size: Optional[str], vision: dict) -> dict:
    """The package's image block from preprocessor_config.json (Qwen2VLImageProcessor) at the fixed
    input resolution --image-size: every image is resized (PIL bicubic) to it, the size the processor's
    smart_resize keeps for an image already that size."""
    path, pre = read_preprocessor(folder, "Qwen2VLImageProcessor", "patch and merge size, mean, std, pixel limits")
    for key in ("patch_size", "temporal_patch_size"):
        if pre.get(key, vision[key]) != vision[key]:
            raise CheckpointError(f"{path}: {key} {pre.get(key)} differs from config.json's vision_config {vision[key]}")
    if pre.get("merge_size", 2) != vision["spatial_merge_size"]:
        raise CheckpointError(f"{path}: merge_size {pre.get('merge_size')} differs from config.json's "
                              f"spatial_merge_size {vision['spatial_merge_size']}")
    factor = vision["patch_size"] * vision["spatial_merge_size"]
    width, height = parse_image_size(image_size, 448)
    if width % factor or height % factor:
        raise CheckpointError(f"--image-size {width}x{height}: both sides must be multiples of patch_size * "
                              f"merge_size = {factor} (e.g. {factor * 16})")
    size = pre.get("size") or {}
    lo = size.get("min_pixels", pre.get("min_pixels", 56 * 56))
    hi = size.get("max_pixels", pre.get("max_pixels", 28 * 28 * 1280))
    if not lo <= width * height <= hi:
        raise CheckpointError(f"--image-size {width}x{height}: {width * height} pixels is outside the processor's "
                              f"[min_pixels {lo}, max_pixels {hi}] in {path}")
    mean, std = normalisation(pre)
    return {"width": width, "height": height, "channels": vision["in_channels"], "mean": mean, "std": std,
            "resize": "bicubic"}
