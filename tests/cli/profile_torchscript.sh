#!/usr/bin/env bash
# `imaxbench profile` with the torchscript backend on CPU: the seeded demo VLM package
# (models/export_demo_vlm.py) on the first 4 samples of each task, offline and single-stream;
# check_profile_json.py also requires TTFT and TPOT, and one encode_images run per decoded image with
# some prompt tokens from a cached image prefix. Skips (exit 0, "SKIPPED:") when the backend is
# not built or no python3 with torch can export the package.
# Usage: profile_torchscript.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
source "$src/tests/tools/cli_common.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

torchscript_test_setup
"$py" "$src/models/export_demo_vlm.py" --out "$tmp/model" > /dev/null

common=(--suite "$src/suites/sample/suite.json" --backend torchscript --model "$tmp/model" --device cpu
        --limit 4 --max-new-tokens 16 --min-duration 0.2 --min-queries 0 --warmup 1)
check="$src/tests/cli/check_profile_json.py"
"$bin" profile "${common[@]}" --scenario offline --batch-size 4 --out "$tmp/offline" > "$tmp/offline.txt"
python3 "$check" "$tmp/offline/profile.json" --scenario offline --samples 28 --generative --backend-reuse
grep -q "time to first token" "$tmp/offline.txt" || { echo "FAIL: no TTFT row in the table" >&2; exit 1; }
grep -q "from a cached image prefix" "$tmp/offline.txt" || { echo "FAIL: no prefix reuse line" >&2; exit 1; }
"$bin" profile "${common[@]}" --scenario single-stream --format json > "$tmp/single.json"
python3 "$check" "$tmp/single.json" --scenario single-stream --samples 28 --generative
echo "profile torchscript ok"
