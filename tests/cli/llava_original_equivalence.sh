#!/usr/bin/env bash
# Checkpoints in the ORIGINAL LLaVA layout (haotian-liu/LLaVA, microsoft/LLaVA-Med v1.5) convert to
# packages equal to what LLaVA's own code feeds the model (issue 13): as tests/cli/hf_equivalence.sh,
# a small random-initialised llava-hf model is built with transformers 4.45.2, then
# tests/tools/llava_original_equivalence.py writes an original-layout copy of it (keys of the
# original, config.json as LLaVA saves it, image_aspect_ratio pad, a BOS-adding tokenizer without an
# "<image>" token); that copy is converted with models/convert_hf.py, run by `imaxbench run
# --backend torchscript --batch-size 4 --trace-tokens` on the whole sample suite, and every sample is
# checked: prompt ids against tokenizer_image_token + the conversation template, pixels against
# expand2square + CLIPImageProcessor, greedy ids and first-step logits against the llava-hf model.
# Layouts: LlavaLlamaForCausalLM, vicuna_v1, per-channel pad, tower embedded in the checkpoint;
# LlavaMistralForCausalLM, mistral_instruct, LLaVA-Med's gray pad, tower in a folder (--vision-tower).
# Then --random-weights from config.json alone, and bad input refused naming the file. Skips (exit 0,
# says why) as hf_equivalence.sh does.
# Usage: llava_original_equivalence.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
source "$src/tests/tools/cli_common.sh"
build="$(cd "$(dirname "$bin")" && pwd)"

torchscript_test_setup
hf_venv_setup

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tool="$src/tests/tools/llava_original_equivalence.py"
status=0
for layout in "llama embedded vicuna_v1 rgb-mean" "mistral separate mistral_instruct gray-mean"; do
  read -r text tower conv pad <<<"$layout"
  echo "== original LLaVA layout, $text text model, tower $tower, $conv, pad $pad"
  "$venv/bin/python" "$src/tests/tools/hf_equivalence.py" make --text "$text" --out "$tmp/hf-$text" \
    2> >(grep -v -i warn >&2)
  "$venv/bin/python" "$tool" original --hf "$tmp/hf-$text" --out "$tmp/orig-$text" --tower "$tower" \
    2> >(grep -v -i warn >&2)
  # The defaults per architecture are the ones tested: vicuna_v1 + rgb-mean, mistral_instruct + gray-mean.
  "$py" "$src/models/convert_hf.py" "$tmp/orig-$text" --out "$tmp/pkg-$text" --max-new-tokens 12 \
    $([[ $tower == separate ]] && echo --vision-tower "$tmp/orig-$text-tower")
  "$bin" run --suite "$src/suites/sample/suite.json" --backend torchscript --model "$tmp/pkg-$text" --device cpu \
    --batch-size 4 --out "$tmp/run-$text" --trace-tokens "$tmp/trace-$text.jsonl" --no-record --progress off --quiet
  "$venv/bin/python" "$tool" check --hf "$tmp/hf-$text" --orig "$tmp/orig-$text" --tower-dir "$tmp/orig-$text-tower" \
    --trace "$tmp/trace-$text.jsonl" --conv-mode "$conv" --pad-color "$pad" 2>/dev/null || status=1
done

echo "== --random-weights from config.json alone (no weights in the folder)"
mkdir -p "$tmp/config-only"
cp "$tmp/orig-llama/"{config.json,tokenizer.json,tokenizer_config.json,special_tokens_map.json} "$tmp/config-only/"
"$py" "$src/models/convert_hf.py" "$tmp/config-only" --out "$tmp/pkg-random" --random-weights --max-new-tokens 4
"$bin" run --suite "$src/suites/sample/suite.json" --backend torchscript --model "$tmp/pkg-random" --device cpu \
  --batch-size 4 --limit 8 --out "$tmp/run-random" --no-record --progress off --quiet || status=1

echo "== bad input: one error naming the file and what to fix"
refused() {  # refused WHAT EXPECTED_TEXT CONVERT_ARGS...
  local what="$1" expected="$2"
  shift 2
  local err
  if err="$("$py" "$src/models/convert_hf.py" "$@" --out "$tmp/pkg-bad" 2>&1)"; then
    echo "FAIL: $what was converted"; status=1
  elif [[ $err != *"$expected"* ]]; then
    echo "FAIL: $what: expected '$expected' in: $err"; status=1
  else
    echo "ok: $what: $err"
  fi
}
edit_config() {  # edit_config DIR PYTHON_STATEMENT_ON_c
  "$py" -c "import json,sys; p=sys.argv[1]+'/config.json'; c=json.load(open(p)); $2; json.dump(c, open(p,'w'))" "$1"
}
cp -r "$tmp/orig-llama" "$tmp/bad"
edit_config "$tmp/bad" "c['mm_projector_type']='mlp3x_gelu'"
refused "unknown mm_projector_type" "bad/config.json: mm_projector_type 'mlp3x_gelu' is not supported (mlp2x_gelu, linear)" "$tmp/bad"
edit_config "$tmp/bad" "c['mm_projector_type']='mlp2x_gelu'; c['mm_vision_tower']='$tmp/no-such-tower'"
refused "missing tower folder" "mm_vision_tower $tmp/no-such-tower is not a folder; pass --vision-tower DIR" "$tmp/bad"
refused "missing --vision-tower folder" "--vision-tower $tmp/nowhere: no such folder" "$tmp/orig-llama" --vision-tower "$tmp/nowhere"
cp -r "$tmp/orig-llama" "$tmp/bad2"
"$venv/bin/python" -c "
import sys; from safetensors.torch import load_file, save_file
p = sys.argv[1] + '/model.safetensors'
save_file({k: v for k, v in load_file(p).items() if 'mm_projector' not in k}, p, metadata={'format': 'pt'})" "$tmp/bad2"
refused "missing mm_projector weights" "bad2: no model.mm_projector.* weights" "$tmp/bad2"
edit_config "$tmp/bad" "c['architectures']=['LlavaQwen2ForCausalLM']"
refused "unsupported architecture" "Supported: LlavaForConditionalGeneration" "$tmp/bad"
exit $status
