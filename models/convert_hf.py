#!/usr/bin/env python3
"""Converts a local Hugging Face checkpoint folder into an imaxbench model package
(docs/model-package.md) for `imaxbench run --backend torchscript --model PKG`:

  python3 models/convert_hf.py HF_DIR --out PKG [--dtype float32|bfloat16|float16]
  python3 models/convert_hf.py HF_DIR --out PKG --random-weights     # config.json alone: profile shapes
  python3 models/convert_hf.py QWEN2_VL_DIR --out PKG --image-size 448  # Qwen2-VL: the fixed input size

Supported: LlavaForConditionalGeneration (llava-hf layout, key names of transformers before and after
4.52; text model Llama, Mistral or Qwen2; CLIP vision tower; vision_feature_layer and
vision_feature_select_strategy from the config); the original LLaVA layout, LlavaLlamaForCausalLM and
LlavaMistralForCausalLM (LLaVA-1.5, LLaVA-Med v1.5: models/llava_original.py; --conv-mode,
--vision-tower, --pad-color); Qwen2VLForConditionalGeneration at one fixed input size (--image-size,
default 448; key names of transformers before and after 4.52). Anything else is refused with the list.

Everything the package needs is read from the folder, not retyped: the chat template (rendered with
Jinja as transformers does), the special tokens the tokenizer adds, the image token, eos and pad ids
(generation_config.json first), the image processor's resize, crop, mean and std. Needs PyTorch (Debian's
python3-torch 1.13 writes packages every newer LibTorch loads) and jinja2; not transformers, not the
network.
"""
import argparse
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_checkpoint as ckpt  # noqa: E402
import llava_original  # noqa: E402
from hf_qwen2_vl import Qwen2VisionConfig, Qwen2VLM  # noqa: E402
from hf_vlm import (SUPPORTED_ACTIVATIONS, DecoderVLM, LlavaVLM, TextConfig, VisionConfig, rope_inv_freq)  # noqa: E402


def text_config(raw: dict, where: str) -> dict:
    kind = raw.get("model_type", "llama")
    if kind not in ckpt.TEXT_DEFAULTS:
        raise ckpt.CheckpointError(f"{where}: text model {kind} is not supported (llama, mistral, qwen2)")
    tc = ckpt.with_defaults(raw, ckpt.TEXT_DEFAULTS[kind])
    scaling = tc.get("rope_scaling")
    if scaling and scaling.get("rope_type", scaling.get("type")) not in (None, "default"):
        raise ckpt.CheckpointError(f"{where}: rope_scaling {scaling} is not supported (plain RoPE only)")
    if tc.get("mlp_bias"):
        raise ckpt.CheckpointError(f"{where}: mlp_bias true is not supported")
    tc["model_type"] = kind
    tc["num_key_value_heads"] = tc["num_key_value_heads"] or tc["num_attention_heads"]
    tc["head_dim"] = tc["head_dim"] or tc["hidden_size"] // tc["num_attention_heads"]
    tc["qkv_bias"] = bool(tc["attention_bias"]) or kind in ckpt.QKV_BIAS_ALWAYS
    return tc


def llava_configs(config: dict, where: str):
    lc = ckpt.with_defaults(config, ckpt.LLAVA_DEFAULTS)
    tc = text_config(config.get("text_config") or {"model_type": "llama"}, where + " text_config")
    vraw = config.get("vision_config") or dict(ckpt.LLAVA_DEFAULT_VISION, model_type="clip_vision_model")
    if vraw.get("model_type", "clip_vision_model") != "clip_vision_model":
        raise ckpt.CheckpointError(f"{where}: vision tower {vraw.get('model_type')} is not supported (CLIP only)")
    vc = ckpt.with_defaults(vraw, ckpt.CLIP_VISION_DEFAULTS)
    if not isinstance(lc["vision_feature_layer"], int):
        raise ckpt.CheckpointError(f"{where}: vision_feature_layer {lc['vision_feature_layer']}: one layer only")
    if lc["vision_feature_select_strategy"] not in ("default", "full"):
        raise ckpt.CheckpointError(f"{where}: vision_feature_select_strategy must be default or full")
    for act in (vc["hidden_act"], tc["hidden_act"], lc["projector_hidden_act"]):
        if act not in SUPPORTED_ACTIVATIONS:
            raise ckpt.CheckpointError(f"{where}: activation {act} is not supported ({', '.join(SUPPORTED_ACTIVATIONS)})")
    return lc, tc, vc


def text_model(tc: dict) -> TextConfig:
    return TextConfig(tc["vocab_size"], tc["hidden_size"], tc["num_hidden_layers"], tc["num_attention_heads"],
                      tc["num_key_value_heads"], tc["head_dim"], tc["intermediate_size"], tc["rms_norm_eps"],
                      tc["hidden_act"], tc["qkv_bias"], rope_inv_freq(float(tc["rope_theta"]), tc["head_dim"]),
                      tc["max_position_embeddings"])


def build_model(lc: dict, tc: dict, vc: dict) -> LlavaVLM:
    v = VisionConfig(vc["hidden_size"], vc["num_hidden_layers"], vc["num_attention_heads"], vc["intermediate_size"],
                     vc["image_size"], vc["patch_size"], vc["num_channels"], vc["layer_norm_eps"], vc["hidden_act"])
    return LlavaVLM(v, text_model(tc), lc["projector_hidden_act"], lc["vision_feature_layer"],
                    lc["vision_feature_select_strategy"] == "full", lc["image_token_index"])


def load_checkpoint_weights(model: DecoderVLM, folder: str, tie: bool, rename) -> None:
    sd = rename(ckpt.load_weights(folder))
    sd = {k: v for k, v in sd.items() if not k.endswith("rotary_emb.inv_freq") and not k.endswith("position_ids")}
    if tie and "language_model.lm_head.weight" not in sd:
        sd["language_model.lm_head.weight"] = sd["language_model.model.embed_tokens.weight"]
    expected = set(model.state_dict().keys())
    missing, unexpected = sorted(expected - sd.keys()), sorted(sd.keys() - expected)
    if missing or unexpected:
        raise ckpt.CheckpointError(f"{folder}: weights do not match the architecture: missing {missing[:5]}"
                                   f"{' ...' if len(missing) > 5 else ''}, unexpected {unexpected[:5]}"
                                   f"{' ...' if len(unexpected) > 5 else ''}")
    try:
        model.load_state_dict(sd, strict=True)  # copied into the parameters' dtype, tensor by tensor
    except RuntimeError as e:  # shapes that disagree with config.json
        detail = " ".join(str(e).split("\n\t")[1:3])
        raise ckpt.CheckpointError(f"{folder}: weights do not have config.json's shapes: {detail}") from None


def random_weights(model: DecoderVLM, seed: int) -> None:
    """Seeded N(0, 0.02) weights (transformers' initializer_range), ones for norms, zero biases; in name
    order, so the same seed gives the same weights whatever order the modules are built in."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if "norm" in name and name.endswith("weight"):
                p.fill_(1.0)
            elif name.endswith("bias"):
                p.zero_()
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.02)


def generation_ids(folder: str, tc: dict, table: dict, tok_cfg: dict):
    gen_path = os.path.join(folder, "generation_config.json")
    gen = ckpt.read_json(gen_path) if os.path.isfile(gen_path) else {}
    eos = gen.get("eos_token_id", tc.get("eos_token_id"))
    if eos is None and ckpt.token_text(tok_cfg.get("eos_token")) in table:
        eos = table[ckpt.token_text(tok_cfg.get("eos_token"))]
    if eos is None:
        raise ckpt.CheckpointError(f"{folder}: no eos token id in generation_config.json, config.json or the tokenizer")
    eos = eos if isinstance(eos, list) else [eos]
    pad = gen.get("pad_token_id")
    if pad is None and ckpt.token_text(tok_cfg.get("pad_token")) in table:
        pad = table[ckpt.token_text(tok_cfg.get("pad_token"))]
    return eos, eos[0] if pad is None else pad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("hf_dir", help="a local checkpoint folder (config.json, weights, tokenizer, preprocessor)")
    ap.add_argument("--out", required=True, help="package folder to write (created)")
    ap.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"],
                    help="dtype the weights are stored in (imaxbench --dtype can still change it at load)")
    ap.add_argument("--random-weights", action="store_true",
                    help="ignore the weights: seeded random ones of the config's shapes (throughput profiling)")
    ap.add_argument("--seed", type=int, default=0, help="seed of --random-weights")
    ap.add_argument("--max-new-tokens", type=int, default=128, help="the package's default answer length")
    ap.add_argument("--image-size", help="Qwen2-VL: the fixed input resolution, N or WxH, multiples of "
                                         "patch_size * merge_size (28); default 448")
    ap.add_argument("--conv-mode", help=llava_original.conv_mode_help())
    ap.add_argument("--vision-tower", metavar="DIR", help=llava_original.vision_tower_help())
    ap.add_argument("--pad-color", choices=["rgb-mean", "gray-mean"], help=llava_original.pad_color_help())
    ap.add_argument("--chat-template", help="only when the checkpoint has none: the prompt around {prompt}, "
                                            "holding the image token once")
    args = ap.parse_args()
    try:
        write_package(args)
    except ckpt.CheckpointError as e:
        print(f"convert_hf: {e}", file=sys.stderr)
        return 1
    return 0


class Conversion:
    """What one architecture contributes to a package: its text config, image block, model and key
    renames; write_package does the rest the same way for every family."""

    def __init__(self, family: str, tc: dict, image_token_index: int, image: dict, build, rename,
                 box_format: str, manifest: dict):
        self.family, self.tc, self.image_token_index, self.image = family, tc, image_token_index, image
        self.build, self.rename, self.box_format, self.manifest = build, rename, box_format, manifest

    prompt = None  # a family whose template is in its code, not the checkpoint: its own prompt_template


def llava_conversion(config: dict, config_path: str, folder: str, args) -> Conversion:
    lc, tc, vc = llava_configs(config, config_path)
    image = ckpt.clip_image_settings(folder, vc["image_size"])
    patches = (vc["image_size"] // vc["patch_size"]) ** 2
    image["tokens"] = patches + (1 if lc["vision_feature_select_strategy"] == "full" else 0)
    return Conversion("llava", tc, lc["image_token_index"], image, lambda: build_model(lc, tc, vc),
                      ckpt.rename_llava_hf, "llava", {"format_version": 2})


def qwen2_vl_conversion(config: dict, config_path: str, folder: str, args) -> Conversion:
    # Qwen2VLAttention's head_dim is always hidden_size / heads.
    raw = {k: v for k, v in config.items() if k not in ("vision_config", "head_dim")}
    if raw.get("use_sliding_window"):
        raise ckpt.CheckpointError(f"{config_path}: use_sliding_window true is not supported")
    scaling = raw.pop("rope_scaling", None) or {}
    section = scaling.get("mrope_section")
    if scaling.get("rope_type", scaling.get("type")) not in ("mrope", "default") or not isinstance(section, list):
        raise ckpt.CheckpointError(f"{config_path}: rope_scaling must be M-RoPE with an mrope_section, got {scaling}")
    tc = text_config(dict(raw, model_type="qwen2_vl"), config_path)
    if sum(section) * 2 != tc["head_dim"]:
        raise ckpt.CheckpointError(f"{config_path}: mrope_section {section} does not add up to head_dim / 2 = "
                                   f"{tc['head_dim'] // 2}")
    vc = ckpt.with_defaults(config.get("vision_config") or {}, ckpt.QWEN2_VL_VISION_DEFAULTS)
    if vc["hidden_act"] not in SUPPORTED_ACTIVATIONS:
        raise ckpt.CheckpointError(f"{config_path}: vision activation {vc['hidden_act']} is not supported")
    if vc.get("hidden_size", tc["hidden_size"]) != tc["hidden_size"]:
        raise ckpt.CheckpointError(f"{config_path}: vision_config.hidden_size {vc['hidden_size']} (the merger's "
                                   f"output) differs from the text model's hidden_size {tc['hidden_size']}")
    image = ckpt.qwen2_vl_image_settings(folder, args.image_size, vc)
    m = vc["spatial_merge_size"]
    grid_h, grid_w = image["height"] // vc["patch_size"], image["width"] // vc["patch_size"]
    image["grid"] = [grid_h // m, grid_w // m]
    image["tokens"] = image["grid"][0] * image["grid"][1]
    v = Qwen2VisionConfig(vc["embed_dim"], vc["depth"], vc["num_heads"], vc["mlp_ratio"], vc["hidden_act"],
                          vc["in_channels"], vc["patch_size"], vc["temporal_patch_size"], m, tc["hidden_size"],
                          grid_h, grid_w)
    image_token_index = config.get("image_token_id", 151655)
    return Conversion("qwen2_vl", tc, image_token_index, image,
                      lambda: Qwen2VLM(v, text_model(tc), [int(x) for x in section], image_token_index),
                      ckpt.rename_qwen2_vl, "qwen2_vl", {"format_version": 3, "position_ids": "mrope"})


def llava_original_conversion(config: dict, config_path: str, folder: str, args) -> Conversion:
    """LlavaLlamaForCausalLM / LlavaMistralForCausalLM, the original LLaVA layout (models/llava_original.py)."""
    o = llava_original.Original(config, config_path, folder, args, text_config, text_model)
    conv = Conversion("llava", o.tc, o.image_token_id, o.image, o.build, o.rename, "llava",
                      {"format_version": 3, "image_token_id": o.image_token_id})
    conv.prompt = o.prompt_template
    return conv


CONVERSIONS = {"LlavaForConditionalGeneration": llava_conversion,
               "Qwen2VLForConditionalGeneration": qwen2_vl_conversion,
               "LlavaLlamaForCausalLM": llava_original_conversion,
               "LlavaMistralForCausalLM": llava_original_conversion}


def prompt_template(folder: str, config_path: str, image_token_index: int, args):
    """(tokenizer kind, its file, the full prompt template, image token, special tokens spelled in it,
    eos ids source table, tokenizer_config)."""
    kind, tok_path = ckpt.tokenizer_files(folder)
    table = ckpt.token_table(folder, kind, tok_path)
    tok_cfg_path = os.path.join(folder, "tokenizer_config.json")
    tok_cfg = ckpt.read_json(tok_cfg_path) if os.path.isfile(tok_cfg_path) else {}
    image_token = next((t for t, i in table.items() if i == image_token_index), None)
    if image_token is None:
        raise ckpt.CheckpointError(f"{config_path}: image token id {image_token_index} is not an added "
                                   "token of the tokenizer")
    source = ckpt.chat_template_source(folder)
    if source is not None:
        special = {k: ckpt.token_text(tok_cfg.get(k)) for k in ("bos_token", "eos_token", "pad_token", "unk_token")}
        rendered = ckpt.render_chat_template(source, image_token, special)
    elif args.chat_template:
        rendered = args.chat_template
    else:
        raise ckpt.CheckpointError(f"{folder}: no chat template (chat_template.json or tokenizer_config.json); "
                                   "pass --chat-template")
    before, after = ckpt.tokenizer_adds(folder, kind, tok_path)
    template = "".join(before) + rendered + "".join(after)
    specials = sorted((t for t in table if t != image_token and t in template), key=len, reverse=True)
    return kind, tok_path, template, image_token, specials, table, tok_cfg


def write_package(args) -> None:
    folder = args.hf_dir
    config_path = os.path.join(folder, "config.json")
    config = ckpt.read_json(config_path)
    arch = ckpt.architecture(config, config_path)
    conv = CONVERSIONS[arch](config, config_path, folder, args)
    tc = conv.tc
    kind, tok_path, template, image_token, specials, table, tok_cfg = (conv.prompt or prompt_template)(
        folder, config_path, conv.image_token_index, args)
    eos, pad = generation_ids(folder, tc, table, tok_cfg)

    torch.manual_seed(args.seed)  # module constructors draw from the global generator
    previous = torch.get_default_dtype()
    torch.set_default_dtype(getattr(torch, args.dtype))  # parameters made in the package's dtype: 7B in
    try:                                                  # bfloat16 needs 14 GB here, not 28
        model = conv.build().eval()
    finally:
        torch.set_default_dtype(previous)
    if args.random_weights:
        random_weights(model, args.seed)
    else:
        load_checkpoint_weights(model, folder, bool(tc["tie_word_embeddings"]), conv.rename)
    scripted = torch.jit.script(model)
    os.makedirs(args.out, exist_ok=True)
    scripted.to(getattr(torch, args.dtype)).save(os.path.join(args.out, "model.pt"))
    tok_name = os.path.basename(tok_path)
    shutil.copyfile(tok_path, os.path.join(args.out, tok_name))
    name = os.path.basename(os.path.normpath(folder))
    manifest = {
        "format": "imaxbench-model", "format_version": 2, "name": name, "family": conv.family,
        "description": f"{arch} ({tc['model_type']} text model) converted by models/convert_hf.py from {name}"
                       + (f", random weights (seed {args.seed})" if args.random_weights else ""),
        "module": "model.pt", "dtype": args.dtype, "decoding": "kv_cache",
        "image": conv.image,
        "tokenizer": {"kind": kind, "file": tok_name},
        "chat_template": template, "image_token": image_token, "special_tokens": specials,
        "eos_token_ids": eos, "pad_token_id": pad, "max_new_tokens": args.max_new_tokens,
        "answer": {"box_format": conv.box_format},
        "text": {"hidden_size": tc["hidden_size"], "vocab_size": tc["vocab_size"],
                 "layers": tc["num_hidden_layers"], "kv_heads": tc["num_key_value_heads"],
                 "head_dim": tc["head_dim"], "max_positions": tc["max_position_embeddings"]},
    }
    manifest.update(conv.manifest)
    with open(os.path.join(args.out, "imaxbench-model.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    n_params = sum(p.numel() for p in model.parameters())
    print(f"wrote {args.out}: {arch}, {tc['model_type']} text model, {n_params / 1e6:.2f}M parameters, "
          f"{args.dtype}, {conv.image['tokens']} image tokens, torch {torch.__version__}")


if __name__ == "__main__":
    sys.exit(main())
