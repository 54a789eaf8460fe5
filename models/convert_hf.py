#!/usr/bin/env python3
"""Converts a local Hugging Face checkpoint folder into an imaxbench model package
(docs/model-package.md) for `imaxbench run --backend torchscript --model PKG`:

  python3 models/convert_hf.py HF_DIR --out PKG [--dtype float32|bfloat16|float16]
  python3 models/convert_hf.py HF_DIR --out PKG --random-weights     # config.json alone: profile shapes

Supported: LlavaForConditionalGeneration (llava-hf layout, key names of transformers before and after
4.52; text model Llama, Mistral or Qwen2; CLIP vision tower; vision_feature_layer and
vision_feature_select_strategy from the config). Anything else is refused with the list.

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
from hf_vlm import (SUPPORTED_ACTIVATIONS, LlavaVLM, TextConfig, VisionConfig, rope_inv_freq)  # noqa: E402


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


def build_model(lc: dict, tc: dict, vc: dict) -> LlavaVLM:
    v = VisionConfig(vc["hidden_size"], vc["num_hidden_layers"], vc["num_attention_heads"], vc["intermediate_size"],
                     vc["image_size"], vc["patch_size"], vc["num_channels"], vc["layer_norm_eps"], vc["hidden_act"])
    t = TextConfig(tc["vocab_size"], tc["hidden_size"], tc["num_hidden_layers"], tc["num_attention_heads"],
                   tc["num_key_value_heads"], tc["head_dim"], tc["intermediate_size"], tc["rms_norm_eps"],
                   tc["hidden_act"], tc["qkv_bias"], rope_inv_freq(float(tc["rope_theta"]), tc["head_dim"]),
                   tc["max_position_embeddings"])
    return LlavaVLM(v, t, lc["projector_hidden_act"], lc["vision_feature_layer"],
                    lc["vision_feature_select_strategy"] == "full", lc["image_token_index"])


def load_checkpoint_weights(model: LlavaVLM, folder: str, tie: bool) -> None:
    sd = ckpt.rename_llava_hf(ckpt.load_weights(folder))
    sd = {k: v for k, v in sd.items() if not k.endswith("rotary_emb.inv_freq") and not k.endswith("position_ids")}
    if tie and "language_model.lm_head.weight" not in sd:
        sd["language_model.lm_head.weight"] = sd["language_model.model.embed_tokens.weight"]
    expected = set(model.state_dict().keys())
    missing, unexpected = sorted(expected - sd.keys()), sorted(sd.keys() - expected)
    if missing or unexpected:
        raise ckpt.CheckpointError(f"{folder}: weights do not match the architecture: missing {missing[:5]}"
                                   f"{' ...' if len(missing) > 5 else ''}, unexpected {unexpected[:5]}"
                                   f"{' ...' if len(unexpected) > 5 else ''}")
    model.load_state_dict({k: v.float() for k, v in sd.items()}, strict=True)


def random_weights(model: LlavaVLM, seed: int) -> None:
    """Seeded N(0, 0.02) weights (transformers' initializer_range), ones for norms, zero biases."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
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
    ap.add_argument("--chat-template", help="only when the checkpoint has none: the prompt around {prompt}, "
                                            "holding the image token once")
    args = ap.parse_args()
    try:
        write_package(args)
    except ckpt.CheckpointError as e:
        print(f"convert_hf: {e}", file=sys.stderr)
        return 1
    return 0


def write_package(args) -> None:
    folder = args.hf_dir
    config_path = os.path.join(folder, "config.json")
    config = ckpt.read_json(config_path)
    arch = ckpt.architecture(config, config_path)
    lc, tc, vc = llava_configs(config, config_path)

    kind, tok_path = ckpt.tokenizer_files(folder)
    table = ckpt.token_table(folder, kind, tok_path)
    tok_cfg_path = os.path.join(folder, "tokenizer_config.json")
    tok_cfg = ckpt.read_json(tok_cfg_path) if os.path.isfile(tok_cfg_path) else {}
    image_token = next((t for t, i in table.items() if i == lc["image_token_index"]), None)
    if image_token is None:
        raise ckpt.CheckpointError(f"{config_path}: image_token_index {lc['image_token_index']} is not an added "
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
    eos, pad = generation_ids(folder, tc, table, tok_cfg)

    image = ckpt.clip_image_settings(folder, vc["image_size"])
    patches = (vc["image_size"] // vc["patch_size"]) ** 2
    image["tokens"] = patches + (1 if lc["vision_feature_select_strategy"] == "full" else 0)

    torch.manual_seed(args.seed)  # module constructors draw from the global generator
    model = build_model(lc, tc, vc).eval()
    if args.random_weights:
        random_weights(model, args.seed)
    else:
        load_checkpoint_weights(model, folder, bool(tc["tie_word_embeddings"]))
    scripted = torch.jit.script(model)
    os.makedirs(args.out, exist_ok=True)
    scripted.to(getattr(torch, args.dtype)).save(os.path.join(args.out, "model.pt"))
    tok_name = os.path.basename(tok_path)
    shutil.copyfile(tok_path, os.path.join(args.out, tok_name))
    name = os.path.basename(os.path.normpath(folder))
    manifest = {
        "format": "imaxbench-model", "format_version": 2, "name": name, "family": "llava",
        "description": f"{arch} ({tc['model_type']} text model) converted by models/convert_hf.py from {name}"
                       + (f", random weights (seed {args.seed})" if args.random_weights else ""),
        "module": "model.pt", "dtype": args.dtype, "decoding": "kv_cache",
        "image": image,
        "tokenizer": {"kind": kind, "file": tok_name},
        "chat_template": template, "image_token": image_token, "special_tokens": specials,
        "eos_token_ids": eos, "pad_token_id": pad, "max_new_tokens": args.max_new_tokens,
        "answer": {"box_format": "llava"},
        "text": {"hidden_size": tc["hidden_size"], "vocab_size": tc["vocab_size"],
                 "layers": tc["num_hidden_layers"], "kv_heads": tc["num_key_value_heads"],
                 "head_dim": tc["head_dim"], "max_positions": tc["max_position_embeddings"]},
    }
    with open(os.path.join(args.out, "imaxbench-model.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    n_params = sum(p.numel() for p in model.parameters())
    print(f"wrote {args.out}: {arch}, {tc['model_type']} text model, {n_params / 1e6:.2f}M parameters, "
          f"{args.dtype}, {image['tokens']} image tokens, torch {torch.__version__}")


if __name__ == "__main__":
    sys.exit(main())
