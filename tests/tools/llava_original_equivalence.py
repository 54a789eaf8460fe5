#!/usr/bin/env python3
"""Holds a package converted from the ORIGINAL LLaVA layout (haotian-liu/LLaVA, microsoft/LLaVA-Med
v1.5) to what LLaVA's own code feeds the model, sample by sample (issue 13).

  llava_original_equivalence.py original --hf HF_DIR --out DIR --tower embedded|separate
      writes DIR, an original-layout copy of a llava-hf model made by hf_equivalence.py make: the keys
      inverted from transformers' convert_llava_weights_to_hf.py (model.embed_tokens, model.layers.*,
      model.norm, lm_head, model.mm_projector.0/.2), config.json as LLaVA saves it (LlavaLlamaForCausalLM
      or LlavaMistralForCausalLM, mm_* fields, image_aspect_ratio pad), a tokenizer that adds its BOS and
      has no "<image>" token. "embedded": the CLIP tower's weights inside the checkpoint
      (model.vision_tower.vision_tower.*) and mm_vision_tower naming a folder with the tower's config.json
      and preprocessor_config.json only; "separate": mm_vision_tower a hub name, and DIR-tower holds the
      tower as CLIPVisionModel.save_pretrained writes it (for --vision-tower).
  llava_original_equivalence.py check --hf HF_DIR --tower-dir DIR --trace FILE --conv-mode M --pad-color P
      for every line of `imaxbench run --trace-tokens FILE`: the prompt ids, with the image positions
      as one -200, equal tokenizer_image_token(conversation prompt) (llava/mm_utils.py and
      llava/conversation.py, re-implemented below from the original code); the pixels equal
      expand2square + CLIPImageProcessor (process_images; 8-bit PNG and JPEG files); the generated ids
      equal the llava-hf model's generate(do_sample=False) on those ids (-200 expanded to its image
      tokens, as llava_arch.prepare_inputs_labels_for_multimodal splices the features); the first
      step's logits agree within the tolerance. Exits 1 naming the first samples that differ.

Runs in the transformers 4.45.2 virtualenv of tests/cli/hf_equivalence.sh.
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hf_equivalence import compare_generation, eight_bit_file, floats, read_trace, report  # noqa: E402

IMAGE_TOKEN_INDEX = -200  # llava/constants.py
BOS = "<|endoftext|>"


# ---------------------------------------------------------------- the original code, re-implemented
def conversation_prompt(conv_mode: str, question: str) -> str:
    """model_vqa.py: qs = DEFAULT_IMAGE_TOKEN + '\\n' + qs; conv.append_message(roles[0], qs);
    conv.append_message(roles[1], None); conv.get_prompt() (llava/conversation.py)."""
    qs = "<image>" + "\n" + question
    if conv_mode in ("vicuna_v1", "llava_v1"):  # SeparatorStyle.TWO, sep " ", sep2 "</s>"
        system = {"vicuna_v1": "A chat between a curious user and an artificial intelligence assistant. "
                               "The assistant gives helpful, detailed, and polite answers to the user's questions.",
                  "llava_v1": "A chat between a curious human and an artificial intelligence assistant. "
                              "The assistant gives helpful, detailed, and polite answers to the human's questions."
                  }[conv_mode]
        seps = [" ", "</s>"]
        ret = system + seps[0]
        for i, (role, message) in enumerate([("USER", qs), ("ASSISTANT", None)]):
            ret += role + ": " + message + seps[i % 2] if message else role + ":"
        return ret
    if conv_mode == "mistral_instruct":  # SeparatorStyle.LLAMA_2, system "", sep "", sep2 "</s>"
        def wrap_sys(msg):
            return f"<<SYS>>\n{msg}\n<</SYS>>\n\n" if len(msg) > 0 else msg

        ret, sep = "", ""
        for i, (role, message) in enumerate([("USER", qs), ("ASSISTANT", None)]):
            if message:
                if i == 0:
                    message = wrap_sys("") + message
                if i % 2 == 0:
                    ret += sep + f"[INST] {message} [/INST]"
                else:
                    ret += " " + message + " " + "</s>"
        return ret.lstrip(sep)
    raise ValueError(conv_mode)


def tokenizer_image_token(prompt, tokenizer, image_token_index=IMAGE_TOKEN_INDEX):
    """llava/mm_utils.py, the same in LLaVA and LLaVA-Med."""
    prompt_chunks = [tokenizer(chunk).input_ids for chunk in prompt.split("<image>")]

    def insert_separator(x, sep):
        return [ele for sublist in zip(x, [sep] * len(x)) for ele in sublist][:-1]

    input_ids = []
    offset = 0
    if len(prompt_chunks) > 0 and len(prompt_chunks[0]) > 0 and prompt_chunks[0][0] == tokenizer.bos_token_id:
        offset = 1
        input_ids.append(prompt_chunks[0][0])
    for x in insert_separator(prompt_chunks, [image_token_index] * (offset + 1)):
        input_ids.extend(x[offset:])
    return input_ids


def expand2square(pil_img, background_color):
    """llava/mm_utils.py (LLaVA-Med draws the paste offset from d // 2 .. d // 2 + 1; d // 2 here)."""
    from PIL import Image
    width, height = pil_img.size
    if width == height:
        return pil_img
    if width > height:
        result = Image.new(pil_img.mode, (width, width), background_color)
        result.paste(pil_img, (0, (width - height) // 2))
        return result
    result = Image.new(pil_img.mode, (height, height), background_color)
    result.paste(pil_img, ((height - width) // 2, 0))
    return result


def process_image(path: str, image_processor, pad_color: str):
    """process_images with image_aspect_ratio 'pad': LLaVA's model_vqa.py opens .convert('RGB') and pads
    with tuple(int(x*255) for x in image_mean); LLaVA-Med's opens the file as it is and pads an 'L' image
    with int(255*sum(image_mean)/len(image_mean))."""
    from PIL import Image
    with Image.open(path) as im:
        im.load()
        if pad_color == "rgb-mean":
            image = im.convert("RGB")
            background = tuple(int(x * 255) for x in image_processor.image_mean)
        else:
            image = im.copy()
            assert image.mode == "L", image.mode
            background = int(255 * sum(image_processor.image_mean) / len(image_processor.image_mean))
    image = expand2square(image, background)
    return image_processor.preprocess(image, return_tensors="pt")["pixel_values"][0]


# ---------------------------------------------------------------- the original-layout copy
def original(args) -> None:
    from safetensors.torch import load_file, save_file
    from tokenizers import Tokenizer, processors
    from transformers import CLIPImageProcessor, LlavaConfig, PreTrainedTokenizerFast
    cfg = LlavaConfig.from_pretrained(args.hf)
    text, vision = cfg.text_config.to_dict(), cfg.vision_config.to_dict()
    arch = {"llama": "LlavaLlamaForCausalLM", "mistral": "LlavaMistralForCausalLM"}[text["model_type"]]
    os.makedirs(args.out, exist_ok=True)
    tower = args.out.rstrip("/") + "-tower"
    os.makedirs(tower, exist_ok=True)

    sd, out, tower_sd = load_file(os.path.join(args.hf, "model.safetensors")), {}, {}
    for k, v in sd.items():  # convert_llava_weights_to_hf.py's KEYS_TO_MODIFY_MAPPING, inverted
        if k.startswith("language_model.model."):
            out["model." + k[len("language_model.model."):]] = v
        elif k.startswith("language_model.lm_head."):
            out[k[len("language_model."):]] = v
        elif k.startswith("multi_modal_projector.linear_1."):
            out["model.mm_projector.0." + k.split(".")[-1]] = v
        elif k.startswith("multi_modal_projector.linear_2."):
            out["model.mm_projector.2." + k.split(".")[-1]] = v
        elif k.startswith("vision_tower.vision_model."):
            if args.tower == "embedded":
                out["model.vision_tower.vision_tower." + k[len("vision_tower."):]] = v
            else:
                tower_sd[k[len("vision_tower."):]] = v
        else:
            raise SystemExit(f"unexpected key {k}")
    save_file({k: v.contiguous() for k, v in out.items()}, os.path.join(args.out, "model.safetensors"),
              metadata={"format": "pt"})
    if tower_sd:
        save_file({k: v.contiguous() for k, v in tower_sd.items()}, os.path.join(tower, "model.safetensors"),
                  metadata={"format": "pt"})
    with open(os.path.join(tower, "config.json"), "w") as f:
        json.dump(dict(vision, model_type="clip_vision_model", architectures=["CLIPVisionModel"]), f, indent=2)
    CLIPImageProcessor.from_pretrained(args.hf).save_pretrained(tower)

    # config.json as LLaVA's train.py leaves it: the text model's config with the mm_* fields.
    config = dict(text, architectures=[arch], model_type="llava_" + text["model_type"],
                  mm_hidden_size=vision["hidden_size"], mm_projector_type="mlp2x_gelu",
                  mm_vision_select_layer=cfg.vision_feature_layer, mm_vision_select_feature="patch",
                  mm_vision_tower=os.path.abspath(tower) if args.tower == "embedded"
                  else "openai/clip-vit-large-patch14-336",
                  mm_use_im_start_end=False, mm_use_im_patch_token=False, mm_patch_merge_type="flat",
                  image_aspect_ratio="pad", tokenizer_model_max_length=1024, tokenizer_padding_side="right",
                  freeze_mm_mlp_adapter=False, tune_mm_mlp_adapter=False, use_mm_proj=True)
    for k in ("_name_or_path", "transformers_version", "id2label", "label2id"):
        config.pop(k, None)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(args.hf, "generation_config.json")) as f:
        gen = f.read()
    with open(os.path.join(args.out, "generation_config.json"), "w") as f:
        f.write(gen)

    # Llama's and Mistral's tokenizers add a BOS; "<image>" is no token in LLaVA's tokenizer.
    doc = json.load(open(os.path.join(args.hf, "tokenizer.json")))
    doc["added_tokens"] = [t for t in doc["added_tokens"] if t["content"] != "<image>"]
    tok = Tokenizer.from_str(json.dumps(doc))
    tok.post_processor = processors.TemplateProcessing(single=f"{BOS} $A", pair=f"{BOS} $A {BOS} $B",
                                                       special_tokens=[(BOS, tok.token_to_id(BOS))])
    tok_path = os.path.join(args.out, "tokenizer.json")
    tok.save(tok_path)
    PreTrainedTokenizerFast(tokenizer_file=tok_path, bos_token=BOS, eos_token="<|im_end|>",
                            pad_token=BOS).save_pretrained(args.out)
    assert tok.encode("<image>", add_special_tokens=False).ids != [cfg.image_token_index]
    print(f"wrote {args.out}: {arch}, tower {args.tower} ({tower})")


# ---------------------------------------------------------------- the check
def check(args) -> int:
    from transformers import AutoTokenizer, CLIPImageProcessor, LlavaForConditionalGeneration
    tokenizer = AutoTokenizer.from_pretrained(args.orig)
    image_processor = CLIPImageProcessor.from_pretrained(args.tower_dir)
    model = LlavaForConditionalGeneration.from_pretrained(args.hf, attn_implementation="eager").eval()
    n_img = model.config.image_seq_length
    lines, stats, failures = read_trace(args.trace)
    for t in lines:
        llava_ids = tokenizer_image_token(conversation_prompt(args.conv_mode, t["prompt"]), tokenizer)
        s = t["image_start"]
        ours = t["prompt_ids"][:s] + [IMAGE_TOKEN_INDEX] + t["prompt_ids"][s + n_img:]
        ours_pixels = torch.from_numpy(floats(t["pixels_f32"], t["pixels_shape"]).copy()).unsqueeze(0)
        if eight_bit_file(t["image"]):
            pixels = process_image(t["image"], image_processor, args.pad_color).unsqueeze(0)
            stats["pixels_compared"] += 1
            if torch.equal(pixels, ours_pixels):
                stats["pixels_equal"] += 1
            else:
                d = (pixels - ours_pixels).abs().max().item()
                failures.append(f"{t['id']}: pixel_values differ (max |diff| {d:g})")
        else:
            pixels = ours_pixels
        if ours == llava_ids:
            stats["prompt_ids_equal"] += 1
        else:
            at = next((i for i, (a, b) in enumerate(zip(ours, llava_ids)) if a != b), min(len(ours), len(llava_ids)))
            failures.append(f"{t['id']}: prompt ids differ from position {at}: LLaVA {llava_ids[max(0, at - 3):at + 5]} "
                            f"ours {ours[max(0, at - 3):at + 5]} ({len(llava_ids)} and {len(ours)} ids)")
            continue
        # The llava-hf model splices the image features where its image tokens are, as LLaVA does at -200.
        hf_ids = []
        for i in llava_ids:
            hf_ids.extend([model.config.image_token_index] * n_img if i == IMAGE_TOKEN_INDEX else [i])
        input_ids = torch.tensor([hf_ids])
        compare_generation(model, {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids),
                                   "pixel_values": pixels}, t, stats, failures, args.tolerance)
    return report(stats, failures, len(lines),
                  "LLaVA's tokenization, expand2square + CLIPImageProcessor and transformers")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    o = sub.add_parser("original")
    o.add_argument("--hf", required=True)
    o.add_argument("--out", required=True)
    o.add_argument("--tower", choices=["embedded", "separate"], required=True)
    c = sub.add_parser("check")
    c.add_argument("--hf", required=True)
    c.add_argument("--orig", required=True, help="the original-layout copy (its tokenizer)")
    c.add_argument("--tower-dir", required=True, help="the tower folder (its preprocessor_config.json)")
    c.add_argument("--trace", required=True)
    c.add_argument("--conv-mode", required=True)
    c.add_argument("--pad-color", choices=["rgb-mean", "gray-mean"], required=True)
    c.add_argument("--tolerance", type=float, default=1e-4)  # as hf_equivalence.py's, for the same reason
    args = ap.parse_args()
    return original(args) or 0 if args.cmd == "original" else check(args)


if __name__ == "__main__":
    sys.exit(main())
