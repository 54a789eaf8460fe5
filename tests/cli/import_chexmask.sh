#!/usr/bin/env bash
# `import chexmask` on a fixture in CheXmask's CSV layout (tests/data/import/chexmask/VinDr-CXR.csv:
# drawn 12x4 masks in its run-length encoding, quoted landmarks; no patient data): the ratio of a
# heart 5 columns wide in a thorax 10 wide is 0.5; masks below --min-dice, a heart wider than the
# thorax, a missing image and a run outside the grid are reported by line; --min-dice 0.5 keeps the
# lower-quality row.
# Usage: import_chexmask.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
source "$2/tests/tools/cli_common.sh"
cli_test_start "$@"

mkdir -p "$tmp/images"
for id in img_a img_b img_c img_e; do cp "$src/suites/sample/images/cxr_000.png" "$tmp/images/$id.png"; done
csv="$src/tests/data/import/chexmask/VinDr-CXR.csv"
"$bin" import chexmask "$csv" --id-column image_id --images "$tmp/images" --image-suffix .png --out "$tmp/images/ctr" \
  > "$tmp/out.txt" || fail "import failed: $(cat "$tmp/out.txt")"
grep -q "1 samples imported (calculation 1)" "$tmp/out.txt" || fail "$(cat "$tmp/out.txt")"
for want in "VinDr-CXR.csv:3: Dice RCA (Mean) below --min-dice" \
            "VinDr-CXR.csv:4: the heart is wider than the thorax" "VinDr-CXR.csv:5: image not found" \
            "VinDr-CXR.csv:6: Right Lung: a run outside the Height x Width grid"; do
  grep -qF "$want" "$tmp/out.txt" || fail "missing report line '$want': $(cat "$tmp/out.txt")"
done
python3 - "$tmp/images/ctr/calculation.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert rows == [{"id": "ctr-img_a", "task": "calculation", "image": "../img_a.png", "image_id": "img_a",
                 "quantity": "ctr", "reference": 0.5}], rows
PY
"$bin" import chexmask "$csv" --id-column image_id --images "$tmp/images" --image-suffix .png --min-dice 0.5 \
  --out "$tmp/images/ctr2" > "$tmp/out2.txt" || fail "$(cat "$tmp/out2.txt")"
grep -q "2 samples imported" "$tmp/out2.txt" || fail "$(cat "$tmp/out2.txt")"
set +e
"$bin" import chexmask "$csv" --images "$tmp/images" --out "$tmp/x" > /dev/null 2> "$tmp/err.txt"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q "no column 'dicom_id' (the header has: image_id" "$tmp/err.txt" ||
  fail "a wrong --id-column: rc $rc, $(cat "$tmp/err.txt")"
echo "import_chexmask: ok"
