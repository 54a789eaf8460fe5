#!/usr/bin/env bash
# Converted Hugging Face checkpoints equal transformers (issue 13): for each supported layout, a
# small random-initialised LlavaForConditionalGeneration is built and saved by transformers 4.45.2
# (pip, in a virtualenv over Debian's python3-torch, cached in the build folder), converted with
# models/convert_hf.py, run by `imaxbench run --backend torchscript` on the whole sample suite at
# batch size 4 (left-padded batches) with --trace-tokens, and tests/tools/hf_equivalence.py checks
# every sample: prompt ids, pixel tensor, greedy ids against model.generate, first-step logits.
# Layouts: Llama text model, llava-1.5 chat template, a BOS-adding tokenizer, key names of
# transformers < 4.52; Qwen2 text model (q/k/v biases, another RoPE theta), ChatML, key names of
# transformers >= 4.52. Skips (exit 0, says why) without LibTorch, without python3-torch, or where
# pip cannot install transformers (no network).
# Usage: hf_equivalence.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
source "$src/tests/tools/cli_common.sh"
build="$(cd "$(dirname "$bin")" && pwd)"

torchscript_test_setup
venv="$build/hf-venv"
pins=(transformers==4.45.2 "jinja2>=3.1.4" pillow==13.0.0 safetensors==0.8.0)
if ! "$venv/bin/python" -c 'import transformers, PIL, safetensors' 2>/dev/null; then
  rm -rf "$venv"
  if ! "$py" -m venv --system-site-packages "$venv" >/dev/null 2>&1 ||
     ! timeout 900 "$venv/bin/pip" install -q --disable-pip-version-check "${pins[@]}" >/dev/null 2>&1; then
    echo "SKIPPED: could not pip-install ${pins[*]} into $venv"
    rm -rf "$venv"
    exit 0
  fi
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
for layout in "llama old" "qwen2 new"; do
  read -r text keys <<<"$layout"
  echo "== llava-hf, $text text model, key names of transformers $([[ $keys == new ]] && echo '>=' || echo '<') 4.52"
  converted="$tmp/hf-$text"
  if [[ $keys == new ]]; then converted="$tmp/hf-$text-new-keys"; fi
  "$venv/bin/python" "$src/tests/tools/hf_equivalence.py" make --text "$text" --out "$tmp/hf-$text" \
    $([[ $keys == new ]] && echo --new-keys "$converted") 2> >(grep -v -i warn >&2)
  "$py" "$src/models/convert_hf.py" "$converted" --out "$tmp/pkg-$text" --max-new-tokens 12
  "$bin" run --suite "$src/suites/sample/suite.json" --backend torchscript --model "$tmp/pkg-$text" --device cpu \
    --batch-size 4 --out "$tmp/run-$text" --trace-tokens "$tmp/trace-$text.jsonl" --no-record --progress off --quiet
  "$venv/bin/python" "$src/tests/tools/hf_equivalence.py" check --hf "$tmp/hf-$text" \
    --trace "$tmp/trace-$text.jsonl" 2>/dev/null || status=1
done
exit $status
