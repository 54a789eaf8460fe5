#!/usr/bin/env bash
# Converted Hugging Face checkpoints equal transformers (issue 13): for each supported layout, a
# small random-initialised LlavaForConditionalGeneration or Qwen2VLForConditionalGeneration is built
# and saved by transformers 4.45.2 (pip, in a virtualenv over Debian's python3-torch, cached in the
# build folder), converted with models/convert_hf.py, run by `imaxbench run --backend torchscript`
# on the whole sample suite at batch size 4 (left-padded batches) with --trace-tokens, and
# tests/tools/hf_equivalence.py checks every sample: prompt ids, pixel tensor, greedy ids against
# model.generate, first-step logits.
# Layouts: Llama text model, llava-1.5 chat template, a BOS-adding tokenizer, key names of
# transformers < 4.52; Qwen2 text model (q/k/v biases, another RoPE theta), ChatML, key names of
# transformers >= 4.52; Qwen2-VL (vision rotary positions, patch merger, M-RoPE, its chat template
# with vision tokens) at a fixed non-square 112x84 input, with both key layouts, and once with
# decoding "full" (forward's own positions). Skips (exit 0, says
# why) without LibTorch, without python3-torch, or where pip cannot install transformers (no network).
# Usage: hf_equivalence.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
source "$src/tests/tools/cli_common.sh"
build="$(cd "$(dirname "$bin")" && pwd)"

torchscript_test_setup
hf_venv_setup

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
for layout in "llama old" "qwen2 new" "qwen2_vl old" "qwen2_vl new"; do
  read -r text keys <<<"$layout"
  model="llava-hf, $text text model"
  convert=(--max-new-tokens 12)
  if [[ $text == qwen2_vl ]]; then  # a non-square fixed input: 4 x 3 merged image tokens
    model="Qwen2-VL"
    convert+=(--image-size 112x84)
  fi
  echo "== $model, key names of transformers $([[ $keys == new ]] && echo '>=' || echo '<') 4.52"
  at="$tmp/$text-$keys"  # this layout's files: hf (what transformers loads), hf-new-keys, pkg, run, trace
  converted="$at/hf"
  if [[ $keys == new ]]; then converted="$at/hf-new-keys"; fi
  "$venv/bin/python" "$src/tests/tools/hf_equivalence.py" make --text "$text" --out "$at/hf" \
    $([[ $keys == new ]] && echo --new-keys "$converted") 2> >(grep -v -i warn >&2)
  "$py" "$src/models/convert_hf.py" "$converted" --out "$at/pkg" "${convert[@]}"
  "$bin" run --suite "$src/suites/sample/suite.json" --backend torchscript --model "$at/pkg" --device cpu \
    --batch-size 4 --out "$at/run" --trace-tokens "$at/trace.jsonl" --no-record --progress off --quiet
  "$venv/bin/python" "$src/tests/tools/hf_equivalence.py" check --hf "$at/hf" --trace "$at/trace.jsonl" \
    2>/dev/null || status=1
  if [[ $layout == "qwen2_vl old" ]]; then  # forward() computes its own M-RoPE positions: the same answers
    echo "== Qwen2-VL, decoding full (forward)"
    cp -r "$at/pkg" "$at/pkg-full"
    sed -i 's/"decoding": "kv_cache"/"decoding": "full"/' "$at/pkg-full/imaxbench-model.json"
    "$bin" run --suite "$src/suites/sample/suite.json" --backend torchscript --model "$at/pkg-full" --device cpu \
      --batch-size 4 --out "$at/run-full" --trace-tokens "$at/trace-full.jsonl" --no-record --progress off --quiet
    "$venv/bin/python" "$src/tests/tools/hf_equivalence.py" check --hf "$at/hf" --trace "$at/trace-full.jsonl" \
      2>/dev/null || status=1
  fi
done
exit $status
