#!/usr/bin/env python3
"""Holds a package written by models/convert_hf.py to transformers, sample by sample (issue 13).

  hf_equivalence.py make --text llama|mistral|qwen2 --out DIR [--new-keys DIR2]
      a small random-initialised LlavaForConditionalGeneration with this repository's byte-level BPE
      tokenizer, a CLIP image processor (shortest edge 32, crop 28) and a chat template, saved with
      save_pretrained (no hub access); --new-keys also writes a copy in DIR2 whose weights carry the
      key names of transformers >= 4.52 (model.language_model.*, lm_head.*), which this transformers
      cannot read: convert DIR2, check against DIR.
  hf_equivalence.py check --hf DIR --trace FILE [--tolerance X]
      for every line of `imaxbench run --trace-tokens FILE`: the prompt ids equal the HF processor's
      input_ids for the same text and image; the pixel tensor equals its pixel_values (8-bit PNG and
      JPEG files; 16-bit PNG and DICOM, which PIL cannot read as imaxbench does, feed imaxbench's
      pixels to the model); the generated ids equal model.generate(do_sample=False); the first step's
      logits agree within the tolerance. Exits 1 naming the first samples that differ.

Runs in a virtualenv with transformers 4.45.2 over Debian's python3-torch (tests/cli/hf_equivalence.sh
builds it under build/).
"""
import argparse
import base64
import json
import math
import os
import shutil
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZER = os.path.join(HERE, "..", "..", "models", "tokenizers", "radiology-bpe", "tokenizer.json")
CHATML = ("{% for message in messages %}<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}"
          "{{ message['content'] }}{% else %}{% for c in message['content'] %}{% if c['type'] == 'image' %}"
          "<image>\n{% else %}{{ c['text'] }}{% endif %}{% endfor %}{% endif %}<|im_end|>\n{% endfor %}"
          "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
# llava-hf/llava-1.5-7b-hf's chat_template.json, verbatim (it uses transformers' {% generation %} tag).
LLAVA_15 = ("{% for message in messages %}{% if message['role'] != 'system' %}{{ message['role'].upper() + ': '}}"
            "{% endif %}{# Render all images first #}{% for content in message['content'] | selectattr('type', "
            "'equalto', 'image') %}{{ '<image>\n' }}{% endfor %}{# Render all text next #}{% if message['role'] "
            "!= 'assistant' %}{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}"
            "{{ content['text'] + ' '}}{% endfor %}{% else %}{% for content in message['content'] | selectattr("
            "'type', 'equalto', 'text') %}{% generation %}{{ content['text'] + ' '}}{% endgeneration %}"
            "{% endfor %}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ 'ASSISTANT:' }}{% endif %}")


def make(args) -> None:
    from tokenizers import Tokenizer, processors
    from transformers import (CLIPImageProcessor, LlavaConfig, LlavaForConditionalGeneration, LlavaProcessor,
                              PreTrainedTokenizerFast)
    tok = Tokenizer.from_file(TOKENIZER)
    ids = {t: tok.token_to_id(t) for t in ("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>")}
    if args.text == "llama":  # a tokenizer that adds a BOS, as Llama's does
        tok.post_processor = processors.TemplateProcessing(
            single="<|endoftext|> $A", pair="<|endoftext|> $A <|endoftext|> $B",
            special_tokens=[("<|endoftext|>", ids["<|endoftext|>"])])
    os.makedirs(args.out, exist_ok=True)
    tok_path = os.path.join(args.out, "tokenizer.json")
    tok.save(tok_path)
    tokenizer = PreTrainedTokenizerFast(tokenizer_file=tok_path, bos_token="<|endoftext|>", eos_token="<|im_end|>",
                                        pad_token="<|endoftext|>", additional_special_tokens=["<image>"])
    vocab = tok.get_vocab_size()
    text = dict(model_type=args.text, vocab_size=vocab, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024, rms_norm_eps=1e-5,
                rope_theta={"llama": 10000.0, "mistral": 100000.0, "qwen2": 1000000.0}[args.text],
                eos_token_id=ids["<|im_end|>"], bos_token_id=ids["<|endoftext|>"], pad_token_id=ids["<|endoftext|>"],
                tie_word_embeddings=False)
    vision = dict(model_type="clip_vision_model", hidden_size=32, intermediate_size=64, num_hidden_layers=3,
                  num_attention_heads=4, image_size=28, patch_size=7, projection_dim=32)
    config = LlavaConfig(vision_config=vision, text_config=text, image_token_index=ids["<image>"],
                         image_seq_length=16, vision_feature_layer=-2, vision_feature_select_strategy="default",
                         projector_hidden_act="gelu")
    save_random_model(LlavaForConditionalGeneration, config, ids, args)
    image_processor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 28, "width": 28})
    processor = LlavaProcessor(image_processor=image_processor, tokenizer=tokenizer, patch_size=7,
                               vision_feature_select_strategy="default",
                               chat_template=LLAVA_15 if args.text == "llama" else CHATML)
    processor.save_pretrained(args.out)
    if args.new_keys:
        shutil.copytree(args.out, args.new_keys, dirs_exist_ok=True)
        rewrite_new_keys(args.new_keys, {"language_model.model.": "model.language_model.",
                                         "language_model.lm_head.": "lm_head.",
                                         "vision_tower.": "model.vision_tower.",
                                         "multi_modal_projector.": "model.multi_modal_projector."})
    print(f"wrote {args.out}: llava-hf with a {args.text} text model, vocab {vocab}")


# Qwen/Qwen2-VL-7B-Instruct's chat_template.json, verbatim.
QWEN2_VL = ("{% set image_count = namespace(value=0) %}{% set video_count = namespace(value=0) %}{% for message in "
            "messages %}{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful "
            "assistant.<|im_end|>\n{% endif %}<|im_start|>{{ message['role'] }}\n{% if message['content'] is string "
            "%}{{ message['content'] }}<|im_end|>\n{% else %}{% for content in message['content'] %}{% if "
            "content['type'] == 'image' or 'image' in content or 'image_url' in content %}{% set image_count.value = "
            "image_count.value + 1 %}{% if add_vision_id %}Picture {{ image_count.value }}: {% endif %}"
            "<|vision_start|><|image_pad|><|vision_end|>{% elif content['type'] == 'video' or 'video' in content %}"
            "{% set video_count.value = video_count.value + 1 %}{% if add_vision_id %}Video {{ video_count.value }}: "
            "{% endif %}<|vision_start|><|video_pad|><|vision_end|>{% elif 'text' in content %}{{ content['text'] }}"
            "{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}{% if add_generation_prompt %}"
            "<|im_start|>assistant\n{% endif %}")
QWEN2_VL_SPECIALS = ["<|vision_start|>", "<|vision_end|>", "<|image_pad|>", "<|video_pad|>"]


def make_qwen2_vl(args) -> None:
    """A small random-initialised Qwen2VLForConditionalGeneration (M-RoPE sections 2/3/3 of a 16-wide
    head, two vision blocks, the 2x2 merger) with this repository's BPE tokenizer plus Qwen2-VL's
    vision tokens and its chat template."""
    from tokenizers import Tokenizer
    from transformers import (Qwen2TokenizerFast, Qwen2VLConfig, Qwen2VLForConditionalGeneration,
                              Qwen2VLImageProcessor, Qwen2VLProcessor)
    tok = Tokenizer.from_file(TOKENIZER)
    tok.add_special_tokens(QWEN2_VL_SPECIALS)
    ids = {t: tok.token_to_id(t) for t in ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] + QWEN2_VL_SPECIALS}
    os.makedirs(args.out, exist_ok=True)
    tok_path = os.path.join(args.out, "tokenizer.json")
    tok.save(tok_path)
    tokenizer = Qwen2TokenizerFast(tokenizer_file=tok_path, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   unk_token=None, additional_special_tokens=QWEN2_VL_SPECIALS)
    vocab = tok.get_vocab_size()
    vision = dict(depth=2, embed_dim=32, hidden_size=64, num_heads=4, mlp_ratio=2, in_channels=3, patch_size=14,
                  spatial_merge_size=2, temporal_patch_size=2)
    config = Qwen2VLConfig(vocab_size=vocab, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                           num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
                           rms_norm_eps=1e-6, rope_theta=1000000.0, vision_config=vision,
                           rope_scaling={"type": "mrope", "mrope_section": [2, 3, 3]}, tie_word_embeddings=False,
                           image_token_id=ids["<|image_pad|>"], video_token_id=ids["<|video_pad|>"],
                           vision_start_token_id=ids["<|vision_start|>"], vision_end_token_id=ids["<|vision_end|>"],
                           eos_token_id=ids["<|im_end|>"], pad_token_id=ids["<|endoftext|>"])
    save_random_model(Qwen2VLForConditionalGeneration, config, ids, args)
    processor = Qwen2VLProcessor(image_processor=Qwen2VLImageProcessor(), tokenizer=tokenizer, chat_template=QWEN2_VL)
    processor.save_pretrained(args.out)
    if args.new_keys:
        shutil.copytree(args.out, args.new_keys, dirs_exist_ok=True)
        rewrite_new_keys(args.new_keys, {"visual.": "model.visual.", "model.": "model.language_model."})
    print(f"wrote {args.out}: Qwen2-VL, vocab {vocab}")


def save_random_model(cls, config, ids: dict, args) -> None:
    """cls(config) with randomise()'s weights, stopping at <|im_end|> or <|endoftext|>, saved to args.out."""
    torch.manual_seed(args.seed)
    model = cls(config).eval()
    randomise(model, args.seed)
    model.generation_config.eos_token_id = [ids["<|im_end|>"], ids["<|endoftext|>"]]
    model.generation_config.pad_token_id = ids["<|endoftext|>"]
    model.save_pretrained(args.out, safe_serialization=True)


def randomise(model, seed: int) -> None:
    """1/sqrt(fan_in) weights, so answers depend on the image and the prompt; noisy biases, unit norms."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if "norm" in name and name.endswith("weight"):
                p.fill_(1.0)
            elif name.endswith("bias"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
            else:
                std = 1.0 if p.dim() == 1 or "embed" in name else 1.0 / math.sqrt(p[0].numel())
                p.copy_(torch.randn(p.shape, generator=g) * std)


def rewrite_new_keys(folder: str, renames: dict) -> None:
    """The key names transformers >= 4.52 saves (this 4.45 cannot write them itself): the first
    matching prefix of `renames` (old -> new) is replaced."""
    from safetensors.torch import load_file, save_file
    path = os.path.join(folder, "model.safetensors")
    sd, out = load_file(path), {}
    for k, v in sd.items():
        prefix = next((p for p in renames if k.startswith(p)), None)
        out[renames[prefix] + k[len(prefix):] if prefix else k] = v.contiguous()
    save_file(out, path, metadata={"format": "pt"})


def floats(b64: str, shape=None) -> np.ndarray:
    a = np.frombuffer(base64.b64decode(b64), dtype="<f4")
    return a.reshape(shape) if shape is not None else a


def eight_bit_file(path: str) -> bool:
    """PNG and JPEG files PIL reads as 8-bit gray ('L'): the processor then sees what imaxbench sees."""
    from PIL import Image
    try:
        with Image.open(path) as im:
            return im.mode == "L"
    except Exception:  # DICOM and anything PIL cannot open
        return False


def qwen2_vl_patches(pixels: torch.Tensor, ip) -> torch.Tensor:
    """Qwen2VLImageProcessor's flattening of one normalised [1, C, H, W] image (its own numpy steps)."""
    c, h, w = pixels.shape[1:]
    m, p, tp = ip.merge_size, ip.patch_size, ip.temporal_patch_size
    x = pixels.repeat(tp, 1, 1, 1).reshape(1, tp, c, h // p // m, m, p, w // p // m, m, p)
    return x.permute(0, 3, 6, 4, 7, 2, 1, 5, 8).reshape(-1, c * tp * p * p)


def check(args) -> int:
    from PIL import Image
    from transformers import AutoConfig, AutoProcessor, LlavaForConditionalGeneration, Qwen2VLForConditionalGeneration
    processor = AutoProcessor.from_pretrained(args.hf)
    qwen = AutoConfig.from_pretrained(args.hf).model_type == "qwen2_vl"
    cls = Qwen2VLForConditionalGeneration if qwen else LlavaForConditionalGeneration
    model = cls.from_pretrained(args.hf, attn_implementation="eager").eval()
    lines, stats, failures = read_trace(args.trace)
    for t in lines:
        text = processor.apply_chat_template([{"role": "user", "content": [{"type": "image"},
                                                                           {"type": "text", "text": t["prompt"]}]}],
                                             add_generation_prompt=True)
        ours_pixels = torch.from_numpy(floats(t["pixels_f32"], t["pixels_shape"]).copy()).unsqueeze(0)
        size = (t["pixels_shape"][2], t["pixels_shape"][1])
        if qwen:  # the package's fixed resolution: transformers' own PIL resize to it, which smart_resize keeps
            ours_pixels = qwen2_vl_patches(ours_pixels, processor.image_processor)
        if eight_bit_file(t["image"]):
            with Image.open(t["image"]) as im:
                rgb = im.convert("RGB")
                if qwen:
                    rgb = rgb.resize(size, resample=Image.BICUBIC)
                inputs = processor(images=rgb, text=text, return_tensors="pt")
            stats["pixels_compared"] += 1
            if torch.equal(inputs["pixel_values"], ours_pixels):
                stats["pixels_equal"] += 1
            else:
                d = (inputs["pixel_values"] - ours_pixels).abs().max().item()
                failures.append(f"{t['id']}: pixel_values differ (max |diff| {d:g})")
        else:
            inputs = processor(images=Image.new("RGB", size), text=text, return_tensors="pt")
            inputs["pixel_values"] = ours_pixels
        inputs.pop("token_type_ids", None)  # PreTrainedTokenizerFast returns them; Llava does not take them
        hf_ids = inputs["input_ids"][0].tolist()
        if hf_ids == t["prompt_ids"]:
            stats["prompt_ids_equal"] += 1
        else:
            failures.append(f"{t['id']}: prompt ids differ: HF {hf_ids[:40]}... ours {t['prompt_ids'][:40]}...")
            continue
        compare_generation(model, inputs, t, stats, failures, args.tolerance)
    return report(stats, failures, len(lines), "transformers")


def read_trace(path: str):
    """The lines of an `imaxbench run --trace-tokens` file, zeroed counts and an empty failure list."""
    with open(path, encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    stats = {"samples": len(lines), "pixels_compared": 0, "prompt_ids_equal": 0, "pixels_equal": 0,
             "tokens_equal": 0, "max_logit_diff": 0.0}
    return lines, stats, []


def compare_generation(model, inputs: dict, t: dict, stats: dict, failures: list, tolerance: float) -> None:
    """model.generate(do_sample=False) on `inputs` against trace line t: the generated ids, and the
    first step's logits within `tolerance`."""
    prompt_len = inputs["input_ids"].shape[1]
    with torch.no_grad():
        out = model.generate(**inputs, do_sample=False, max_new_tokens=len(t["output_ids"]), output_logits=True,
                             return_dict_in_generate=True)
    hf_new = out.sequences[0, prompt_len:].tolist()
    if hf_new == t["output_ids"]:
        stats["tokens_equal"] += 1
    else:
        failures.append(f"{t['id']}: generated ids differ: HF {hf_new} ours {t['output_ids']}")
    d = float((out.logits[0][0].float() - torch.from_numpy(floats(t["first_logits_f32"]).copy())).abs().max())
    stats["max_logit_diff"] = max(stats["max_logit_diff"], d)
    if not d <= tolerance:
        failures.append(f"{t['id']}: first-step logits differ by {d:g} > {tolerance:g}")


def report(stats: dict, failures: list, samples: int, reference: str) -> int:
    """Prints the counts and the first differences; 0 when every sample equals `reference`."""
    print(json.dumps(stats))
    for f in failures[:10]:
        print("DIFFERS", f)
    if failures or not samples:
        print(f"FAIL: {len(failures)} differences over {samples} samples")
        return 1
    print(f"OK: {samples} samples equal to {reference}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("--text", choices=["llama", "mistral", "qwen2", "qwen2_vl"], required=True,
                   help="the llava-hf text model, or qwen2_vl for a Qwen2VLForConditionalGeneration")
    m.add_argument("--out", required=True)
    m.add_argument("--seed", type=int, default=7)
    m.add_argument("--new-keys", metavar="DIR2", help="also write a copy with transformers >= 4.52 key names")
    c = sub.add_parser("check")
    c.add_argument("--hf", required=True)
    c.add_argument("--trace", required=True)
    # float32 logits of order 1-10; the two sides differ only in summation order (a KV cache longer
    # than the prompt, batched GEMMs): observed differences are ~1e-6, so 1e-4 absolute leaves room
    # for BLAS differences while any real conversion error (a swapped projection, another RoPE theta)
    # moves logits by whole units.
    c.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args()
    if args.cmd == "make":
        return (make_qwen2_vl if args.text == "qwen2_vl" else make)(args) or 0
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
