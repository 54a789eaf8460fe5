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
    torch.manual_seed(args.seed)
    model = LlavaForConditionalGeneration(config).eval()
    g = torch.Generator().manual_seed(args.seed)
    with torch.no_grad():  # 1/sqrt(fan_in) weights: answers depend on the image and the prompt
        for name, p in sorted(model.named_parameters()):
            if "norm" in name and name.endswith("weight"):
                p.fill_(1.0)
            elif name.endswith("bias"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
            else:
                std = 1.0 if p.dim() == 1 or "embed" in name else 1.0 / math.sqrt(p[0].numel())
                p.copy_(torch.randn(p.shape, generator=g) * std)
    model.generation_config.eos_token_id = [ids["<|im_end|>"], ids["<|endoftext|>"]]
    model.generation_config.pad_token_id = ids["<|endoftext|>"]
    model.save_pretrained(args.out, safe_serialization=True)
    image_processor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 28, "width": 28})
    processor = LlavaProcessor(image_processor=image_processor, tokenizer=tokenizer, patch_size=7,
                               vision_feature_select_strategy="default",
                               chat_template=LLAVA_15 if args.text == "llama" else CHATML)
    processor.save_pretrained(args.out)
    if args.new_keys:
        shutil.copytree(args.out, args.new_keys, dirs_exist_ok=True)
        rewrite_new_keys(args.new_keys)
    print(f"wrote {args.out}: llava-hf with a {args.text} text model, vocab {vocab}")


def rewrite_new_keys(folder: str) -> None:
    """The key names transformers >= 4.52 saves (this 4.45 cannot write them itself)."""
    from safetensors.torch import load_file, save_file
    path = os.path.join(folder, "model.safetensors")
    sd, out = load_file(path), {}
    for k, v in sd.items():
        if k.startswith("language_model.model."):
            k = "model.language_model." + k[len("language_model.model."):]
        elif k.startswith("language_model.lm_head."):
            k = k[len("language_model."):]
        elif k.startswith(("vision_tower.", "multi_modal_projector.")):
            k = "model." + k
        out[k] = v.contiguous()
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


def check(args) -> int:
    from PIL import Image
    from transformers import AutoProcessor, LlavaForConditionalGeneration
    processor = AutoProcessor.from_pretrained(args.hf)
    model = LlavaForConditionalGeneration.from_pretrained(args.hf, attn_implementation="eager").eval()
    with open(args.trace, encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    stats = {"samples": len(lines), "pixels_compared": 0, "prompt_ids_equal": 0, "pixels_equal": 0,
             "tokens_equal": 0, "max_logit_diff": 0.0}
    failures = []
    for t in lines:
        text = processor.apply_chat_template([{"role": "user", "content": [{"type": "image"},
                                                                           {"type": "text", "text": t["prompt"]}]}],
                                             add_generation_prompt=True)
        ours_pixels = torch.from_numpy(floats(t["pixels_f32"], t["pixels_shape"]).copy()).unsqueeze(0)
        if eight_bit_file(t["image"]):
            with Image.open(t["image"]) as im:
                inputs = processor(images=im.convert("RGB"), text=text, return_tensors="pt")
            stats["pixels_compared"] += 1
            if torch.equal(inputs["pixel_values"], ours_pixels):
                stats["pixels_equal"] += 1
            else:
                d = (inputs["pixel_values"] - ours_pixels).abs().max().item()
                failures.append(f"{t['id']}: pixel_values differ (max |diff| {d:g})")
        else:
            inputs = processor(images=Image.new("RGB", (28, 28)), text=text, return_tensors="pt")
            inputs["pixel_values"] = ours_pixels
        inputs.pop("token_type_ids", None)  # PreTrainedTokenizerFast returns them; Llava does not take them
        hf_ids = inputs["input_ids"][0].tolist()
        if hf_ids == t["prompt_ids"]:
            stats["prompt_ids_equal"] += 1
        else:
            failures.append(f"{t['id']}: prompt ids differ: HF {hf_ids[:40]}... ours {t['prompt_ids'][:40]}...")
            continue
        with torch.no_grad():
            out = model.generate(**inputs, do_sample=False, max_new_tokens=len(t["output_ids"]),
                                 output_logits=True, return_dict_in_generate=True)
        hf_new = out.sequences[0, len(hf_ids):].tolist()
        if hf_new == t["output_ids"]:
            stats["tokens_equal"] += 1
        else:
            failures.append(f"{t['id']}: generated ids differ: HF {hf_new} ours {t['output_ids']}")
        d = float((out.logits[0][0].float() - torch.from_numpy(floats(t["first_logits_f32"]).copy())).abs().max())
        stats["max_logit_diff"] = max(stats["max_logit_diff"], d)
        if not d <= args.tolerance:
            failures.append(f"{t['id']}: first-step logits differ by {d:g} > {args.tolerance:g}")
    print(json.dumps(stats))
    for f in failures[:10]:
        print("DIFFERS", f)
    if failures or not lines:
        print(f"FAIL: {len(failures)} differences over {len(lines)} samples")
        return 1
    print(f"OK: {len(lines)} samples equal to transformers")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("--text", choices=["llama", "mistral", "qwen2"], required=True)
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
    return make(args) or 0 if args.cmd == "make" else check(args)


if __name__ == "__main__":
    sys.exit(main())
