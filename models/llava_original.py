"""The original LLaVA layout for models/convert_hf.py: checkpoints saved by haotian-liu/LLaVA
(LlavaLlamaForCausalLM: llava-v1.5-7b/13b) and microsoft/LLaVA-Med v1.5 (LlavaMistralForCausalLM:
llava-med-v1.5-mistral-7b). What llava-hf keeps in the checkpoint, this layout keeps in LLaVA's code,
so it is reproduced here from that code:

  prompt       llava/conversation.py's templates (--conv-mode) around DEFAULT_IMAGE_TOKEN + "\\n" +
               question, as llava/eval/model_vqa.py builds it (mm_use_im_start_end false);
  tokens       llava/mm_utils.py's tokenizer_image_token: the prompt split at "<image>", each chunk
               tokenized alone (so each gets the tokenizer's BOS), the BOS kept once at the start and
               IMAGE_TOKEN_INDEX (-200, no tokenizer token) between the chunks. The package's template
               splits at the same places (pieces between its marks are encoded alone), holds the BOS
               once, and names the placeholder's id (image_token_id, package version 3);
  image        process_images with image_aspect_ratio "pad": expand2square with the background
               tuple(int(x * 255) for x in image_mean) (LLaVA-Med: int(255 * mean(image_mean)) in every
               channel for a gray "L" file, which it does not convert to RGB), then the CLIP tower's
               CLIPImageProcessor (package resize "pad_square_shortest_edge_crop");
  weights      model.embed_tokens / model.layers.* / model.norm / lm_head, model.mm_projector.0/.2
               (mlp2x_gelu) or model.mm_projector (linear), and the CLIP tower: LLaVA loads it from
               mm_vision_tower (a folder, or a hub name such as openai/clip-vit-large-patch14-336) and
               ignores a copy embedded as model.vision_tower.vision_tower.*; the copy is used only when
               no tower folder with weights is given (--vision-tower DIR, or mm_vision_tower a local
               folder). The key mapping is transformers' convert_llava_weights_to_hf.py's.
  features     mm_vision_select_layer (hidden_states index), mm_vision_select_feature patch (drops
               CLS) or cls_patch.

Not reproduced: LLaVA-Med's expand2square draws the paste offset between d // 2 and d // 2 + 1 with
Python's random (seeded 0 per run by its model_vqa.py); this uses d // 2, original LLaVA's. LLaVA-Med's
model_vqa.py also strips "<image>" and surrounding spaces from the question; imaxbench's prompts are used
as they are.
"""
import os
from typing import Dict, Optional

import torch

import hf_checkpoint as ckpt
from hf_vlm import SUPPORTED_ACTIVATIONS, LlavaVLM, VisionConfig

IMAGE = "<image>"  # llava/constants.py DEFAULT_IMAGE_TOKEN: where the prompt is split

# llava/conversation.py, one user turn holding the image and the question, then the assistant's turn
# (append_message(roles[1], None)) as get_prompt() renders it.
VICUNA_SYSTEM = ("A chat between a curious user and an artificial intelligence assistant. "
                 "The assistant gives helpful, detailed, and polite answers to the user's questions.")
LLAVA_SYSTEM = ("A chat between a curious human and an artificial intelligence assistant. "
                "The assistant gives helpful, detailed, and polite answers to the human's questions.")
CONV_MODES = {
    # SeparatorStyle.TWO, sep " ": system + sep + "USER: " + message + sep + "ASSISTANT:"
    "vicuna_v1": VICUNA_SYSTEM + " USER: " + IMAGE + "\n{prompt} ASSISTANT:",
    "llava_v1": LLAVA_SYSTEM + " USER: " + IMAGE + "\n{prompt} ASSISTANT:",
    # SeparatorStyle.LLAMA_2, empty system (no <<SYS>> block), sep "": "[INST] " + message + " [/INST]"
    "mistral_instruct": "[INST] " + IMAGE + "\n{prompt} [/INST]",
}
# The --conv-mode LLaVA's and LLaVA-Med's evaluation scripts pass for these checkpoints
# (LLaVA's scripts/v1_5/eval/*.sh: vicuna_v1; LLaVA-Med's README: mistral_instruct).
DEFAULT_CONV = {"LlavaLlamaForCausalLM": "vicuna_v1", "LlavaMistralForCausalLM": "mistral_instruct"}
# Which repository's process_images a checkpoint is evaluated with: its pad colour for gray images.
DEFAULT_PAD = {"LlavaLlamaForCausalLM": "rgb-mean", "LlavaMistralForCausalLM": "gray-mean"}
TEXT_MODEL = {"LlavaLlamaForCausalLM": "llama", "LlavaMistralForCausalLM": "mistral"}
PROJECTORS = ("mlp2x_gelu", "linear")
PROJECTOR_LAYERS = {"0": "linear_1", "2": "linear_2"}  # mlp2x_gelu's nn.Sequential indices

# CLIP towers LLaVA names by hub id, for a checkpoint whose tower is embedded (or --random-weights)
# when no local copy of the tower's folder is given: their config.json vision_config and
# preprocessor_config.json (shortest edge = crop = image size, bicubic, CLIP's mean and std).
KNOWN_TOWERS = {
    "openai/clip-vit-large-patch14-336": dict(hidden_size=1024, intermediate_size=4096, num_hidden_layers=24,
                                              num_attention_heads=16, image_size=336, patch_size=14),
    "openai/clip-vit-large-patch14": dict(hidden_size=1024, intermediate_size=4096, num_hidden_layers=24,
                                          num_attention_heads=16, image_size=224, patch_size=14),
}
CLIP_MEAN, CLIP_STD = [0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711]


def has_weights(folder: str) -> bool:
    return any(os.path.isfile(os.path.join(folder, n)) for n in
               ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"))


class Original:
    """One original-layout checkpoint: its settings, checked; the model, key renames and prompt
    template convert_hf.py's write_package needs."""

    def __init__(self, config: dict, config_path: str, folder: str, args, text_config, text_model):
        self.folder, self.config_path, self.text_model = folder, config_path, text_model
        arch = config["architectures"][0]
        self.conv_mode = args.conv_mode or DEFAULT_CONV[arch]
        if self.conv_mode not in CONV_MODES:
            raise ckpt.CheckpointError(f"--conv-mode {self.conv_mode}: one of {', '.join(CONV_MODES)}")
        where = config_path
        for key, allowed in (("mm_use_im_start_end", (False, None)), ("mm_patch_merge_type", ("flat", None)),
                             ("image_aspect_ratio", ("pad", "square", None))):
            if config.get(key) not in allowed:
                raise ckpt.CheckpointError(f"{where}: {key} {config.get(key)!r} is not supported "
                                           f"({' or '.join(repr(a) for a in allowed if a is not None)} only)")
        self.projector = config.get("mm_projector_type", "linear")
        if self.projector not in PROJECTORS:
            raise ckpt.CheckpointError(f"{where}: mm_projector_type {self.projector!r} is not supported "
                                       f"({', '.join(PROJECTORS)})")
        self.select_feature = config.get("mm_vision_select_feature", "patch")
        if self.select_feature not in ("patch", "cls_patch"):
            raise ckpt.CheckpointError(f"{where}: mm_vision_select_feature {self.select_feature!r}: patch or cls_patch")
        self.select_layer = config.get("mm_vision_select_layer", -1)
        if not isinstance(self.select_layer, int):
            raise ckpt.CheckpointError(f"{where}: mm_vision_select_layer must be one whole number")

        # The text model: LlavaConfig is the text model's config with the mm_* fields added.
        raw = {k: v for k, v in config.items() if not k.startswith("mm_")}
        self.tc = text_config(dict(raw, model_type=TEXT_MODEL[arch]), where)
        window = self.tc.get("sliding_window")
        if window and window < self.tc["max_position_embeddings"]:  # longer sequences would attend differently
            self.tc["max_position_embeddings"] = window

        self.tower_name = config.get("mm_vision_tower", config.get("vision_tower"))
        self.tower_dir = self.find_tower(args.vision_tower, where)
        self.vc = self.tower_config(where)
        if config.get("mm_hidden_size", self.vc["hidden_size"]) != self.vc["hidden_size"]:
            raise ckpt.CheckpointError(f"{where}: mm_hidden_size {config.get('mm_hidden_size')} differs from the "
                                       f"vision tower's hidden_size {self.vc['hidden_size']}")
        self.image = self.image_settings(config, args.pad_color or DEFAULT_PAD[arch])
        patches = (self.vc["image_size"] // self.vc["patch_size"]) ** 2
        self.image["tokens"] = patches + (1 if self.select_feature == "cls_patch" else 0)
        self.image_token_id = self.placeholder_id(config)
        self.tie = bool(self.tc["tie_word_embeddings"])

    # ------------------------------------------------------------ vision tower
    def find_tower(self, option: Optional[str], where: str) -> Optional[str]:
        """The tower's local folder: --vision-tower, else mm_vision_tower when it is one (LLaVA's
        build_vision_tower: os.path.exists, so relative to the current directory)."""
        if option:
            if not os.path.isdir(option):
                raise ckpt.CheckpointError(f"--vision-tower {option}: no such folder; give the local folder of the "
                                           "CLIP tower (CLIPVisionModel or CLIPModel checkpoint: config.json, "
                                           "preprocessor_config.json, weights)")
            return option
        if not self.tower_name:
            raise ckpt.CheckpointError(f"{where}: has no mm_vision_tower; pass --vision-tower DIR")
        if os.path.isdir(self.tower_name):
            return self.tower_name
        if os.path.isabs(self.tower_name) or self.tower_name.startswith("."):
            raise ckpt.CheckpointError(f"{where}: mm_vision_tower {self.tower_name} is not a folder; pass "
                                       "--vision-tower DIR with the CLIP tower it names")
        return None  # a hub name: the embedded copy and KNOWN_TOWERS serve

    def tower_config(self, where: str) -> dict:
        if self.tower_dir and os.path.isfile(os.path.join(self.tower_dir, "config.json")):
            path = os.path.join(self.tower_dir, "config.json")
            doc = ckpt.read_json(path)
            raw = (doc.get("vision_config") or {}) if doc.get("model_type") == "clip" else doc
            if raw.get("model_type", "clip_vision_model") != "clip_vision_model":
                raise ckpt.CheckpointError(f"{path}: model_type {raw.get('model_type')}; a CLIP tower is needed")
        elif self.tower_name in KNOWN_TOWERS:
            raw = KNOWN_TOWERS[self.tower_name]
        else:
            raise ckpt.CheckpointError(f"{where}: mm_vision_tower {self.tower_name!r} is not a local folder and not one "
                                       f"of {', '.join(KNOWN_TOWERS)}; pass --vision-tower DIR (its config.json)")
        vc = ckpt.with_defaults(raw, ckpt.CLIP_VISION_DEFAULTS)
        if vc["hidden_act"] not in SUPPORTED_ACTIVATIONS:
            raise ckpt.CheckpointError(f"{where}: vision activation {vc['hidden_act']} is not supported")
        return vc

    def image_settings(self, config: dict, pad_color: str) -> dict:
        """CLIPImageProcessor.from_pretrained(mm_vision_tower), as LLaVA's CLIPVisionTower loads it."""
        for folder in (self.tower_dir, self.folder):
            if folder and os.path.isfile(os.path.join(folder, "preprocessor_config.json")):
                image = ckpt.clip_image_settings(folder, self.vc["image_size"])
                break
        else:
            if self.tower_name not in KNOWN_TOWERS:
                raise ckpt.CheckpointError(f"{self.folder}: no preprocessor_config.json here or in the vision tower's "
                                           "folder; pass --vision-tower DIR")
            size = self.vc["image_size"]
            image = {"width": size, "height": size, "channels": 3, "mean": CLIP_MEAN, "std": CLIP_STD,
                     "resize": "shortest_edge_crop", "shortest_edge": size}
        if config.get("image_aspect_ratio") == "pad":
            mean = image["mean"]
            if pad_color == "rgb-mean":  # LLaVA: tuple(int(x * 255) for x in image_mean)
                pad = [int(x * 255) for x in mean]
            else:  # LLaVA-Med, "L" image: int(255 * sum(image_mean) / len(image_mean))
                pad = [int(255 * sum(mean) / len(mean))] * len(mean)
            image["resize"], image["pad_values"] = "pad_square_shortest_edge_crop", pad
        return image

    def placeholder_id(self, config: dict) -> int:
        """The id at the image positions before their rows are replaced (package image_token_id): the
        pad id (generation_config.json, else config.json), else the first eos id. decode() never sees it;
        forward() (decoding "full") would look for it."""
        gen_path = os.path.join(self.folder, "generation_config.json")
        gen = ckpt.read_json(gen_path) if os.path.isfile(gen_path) else {}
        for value in (gen.get("pad_token_id"), config.get("pad_token_id"), gen.get("eos_token_id"),
                      self.tc.get("eos_token_id")):
            value = value[0] if isinstance(value, list) and value else value
            if isinstance(value, int) and 0 <= value < self.tc["vocab_size"]:
                return value
        raise ckpt.CheckpointError(f"{self.config_path}: no pad or eos token id to hold the image positions")

    # ------------------------------------------------------------ model and weights
    def build(self) -> LlavaVLM:
        vc = self.vc
        v = VisionConfig(vc["hidden_size"], vc["num_hidden_layers"], vc["num_attention_heads"], vc["intermediate_size"],
                         vc["image_size"], vc["patch_size"], vc["num_channels"], vc["layer_norm_eps"], vc["hidden_act"])
        model = LlavaVLM(v, self.text_model(self.tc), "gelu", self.select_layer, self.select_feature == "cls_patch",
                         self.image_token_id)
        if self.projector == "linear":  # nn.Linear(mm_hidden_size, hidden_size): linear_1 alone
            model.multi_modal_projector = LinearProjector(vc["hidden_size"], self.tc["hidden_size"])
        return model

    def rename(self, sd: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        """Original keys -> the package's (llava-hf's before 4.52), the tower from its folder when there
        is one with weights; every missing part is named with its file."""
        if not any(k.startswith("model.mm_projector.") for k in sd):
            raise ckpt.CheckpointError(f"{self.folder}: no model.mm_projector.* weights; an original LLaVA checkpoint "
                                       "holds them (a pretraining-stage folder with mm_projector.bin alone is not a "
                                       "full model)")
        separate = self.tower_dir is not None and has_weights(self.tower_dir)
        out = {}
        for k, v in sd.items():
            if k.startswith("model.vision_tower.vision_tower."):
                if not separate:
                    out["vision_tower." + k[len("model.vision_tower.vision_tower."):]] = v
            elif k.startswith("model.mm_projector."):
                rest = k[len("model.mm_projector."):]
                if self.projector == "linear":
                    out["multi_modal_projector.linear_1." + rest] = v
                else:  # nn.Sequential(Linear, GELU, Linear): indices 0 and 2
                    index, _, name = rest.partition(".")
                    out[f"multi_modal_projector.{PROJECTOR_LAYERS.get(index, index)}.{name}"] = v
            elif k == "model.image_newline":
                continue  # unused with mm_patch_merge_type "flat"
            elif k.startswith("model."):
                out["language_model." + k] = v
            elif k.startswith("lm_head."):
                out["language_model." + k] = v
            else:
                out[k] = v
        if separate:
            tower = ckpt.load_weights(self.tower_dir)  # CLIPVisionModel or CLIPModel: vision_model.* only
            out.update({"vision_tower." + k: v for k, v in tower.items() if k.startswith("vision_model.")})
            if not any(k.startswith("vision_model.") for k in tower):
                raise ckpt.CheckpointError(f"{self.tower_dir}: no vision_model.* weights (a CLIPVisionModel or "
                                           "CLIPModel checkpoint is needed)")
        elif not any(k.startswith("vision_tower.") for k in out):
            raise ckpt.CheckpointError(f"{self.folder}: no vision tower weights: none embedded "
                                       f"(model.vision_tower.vision_tower.*) and mm_vision_tower {self.tower_name!r} "
                                       "is no local folder with weights; pass --vision-tower DIR (e.g. a download of "
                                       f"{self.tower_name})")
        return out

    # ------------------------------------------------------------ prompt
    def prompt_template(self, folder: str, config_path: str, image_token_index: int, args):
        """convert_hf.prompt_template's tuple for this layout: tokenizer_image_token on the conversation,
        written as a template whose marks split where LLaVA's chunks end."""
        kind, tok_path = ckpt.tokenizer_files(folder)
        table = ckpt.token_table(folder, kind, tok_path)
        tok_cfg_path = os.path.join(folder, "tokenizer_config.json")
        tok_cfg = ckpt.read_json(tok_cfg_path) if os.path.isfile(tok_cfg_path) else {}
        before, after = ckpt.tokenizer_adds(folder, kind, tok_path)
        first, rest = CONV_MODES[self.conv_mode].split(IMAGE)
        # tokenizer(chunk) is before + chunk + after; chunks after the first lose their first id when the
        # first chunk starts with the BOS (offset 1).
        offset = 1 if before and before[0] == (ckpt.token_text(tok_cfg.get("bos_token")) or before[0]) else 0
        template = "".join(before) + first + "".join(after) + IMAGE + "".join(before[offset:]) + rest + "".join(after)
        specials = sorted(set(before + after) | {t for t in table if t != IMAGE and t in template}, key=len,
                          reverse=True)
        return kind, tok_path, template, IMAGE, specials, table, tok_cfg


class LinearProjector(torch.nn.Module):
    """mm_projector_type "linear": one nn.Linear (its weights under linear_1)."""

    def __init__(self, vision_hidden: int, text_hidden: int):
        super().__init__()
        self.linear_1 = torch.nn.Linear(vision_hidden, text_hidden)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear_1(x)


def conv_mode_help() -> str:
    return (f"original LLaVA layout: the conversation template ({', '.join(CONV_MODES)}); default "
            + ", ".join(f"{m} for {a}" for a, m in DEFAULT_CONV.items()))


def pad_color_help() -> str:
    return ("original LLaVA layout with image_aspect_ratio pad: rgb-mean pads each channel with int(255 * "
            "image_mean[c]) (LLaVA's process_images), gray-mean all with int(255 * mean(image_mean)) (LLaVA-Med's "
            "for a gray file); default " + ", ".join(f"{p} for {a}" for a, p in DEFAULT_PAD.items()))


def vision_tower_help() -> str:
    return ("original LLaVA layout: the local folder of the CLIP tower mm_vision_tower names (a CLIPVisionModel or "
            "CLIPModel checkpoint); its weights replace an embedded copy, as in LLaVA")
