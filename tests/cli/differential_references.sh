#!/usr/bin/env bash
# Differential test of the text metrics against their reference implementations, on fresh random
# inputs every run (each script prints its seed; a mismatch is shrunk to the smallest input that
# shows it). The references are pip-installed into a throwaway venv in the build folder, reused
# by later runs; where they cannot be installed (no network) or Java is missing (pycocoevalcap's
# tokenizer), that part says SKIPPED and passes. Run by CI through ctest.
# Usage: differential_references.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
build="$(cd "$(dirname "$bin")" && pwd)"
venv="$build/reference-venv"
pins=(sacrebleu==2.5.1 nltk==3.10.4 rouge-score==0.1.2 regex==2026.11.19 pycocoevalcap==1.2)

if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import sacrebleu, nltk, rouge_score, pycocoevalcap' 2>/dev/null; then
  rm -rf "$venv"
  if ! python3 -m venv "$venv" >/dev/null 2>&1 ||
     ! timeout 600 "$venv/bin/pip" install -q --disable-pip-version-check "${pins[@]}" >/dev/null 2>&1; then
    echo "SKIPPED: could not install the reference implementations (${pins[*]}) with pip"
    rm -rf "$venv"
    exit 0
  fi
fi

status=0
echo "== sacrebleu, nltk sentence_bleu, rouge-score vs imaxbench"
"$venv/bin/python" "$src/tests/golden/diff_text.py" --tool "$build/tests/imaxbench_text_metric_tool" \
  --samples 120 || status=1
if command -v java >/dev/null 2>&1; then
  echo "== pycocoevalcap (BLEU, ROUGE-L, CIDEr-D, PTB tokenizer) vs imaxbench"
  "$venv/bin/python" "$src/tests/golden/diff_coco.py" --tool "$build/tests/imaxbench_coco_text_tool" \
    --samples 120 --rounds 2 || status=1
else
  echo "SKIPPED: pycocoevalcap part (no java; apt-get install default-jre-headless)"
fi
exit $status
