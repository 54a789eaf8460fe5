#!/usr/bin/env bash
# `import vindr-cxr` on a fixture in VinDr-CXR's annotation layout (tests/data/import/vindr:
# image_id, rad_id, class_name, x_min, y_min, x_max, y_max; no patient data; images are copies of a
# 320x256 sample-suite PNG): a finding with one box is a rec and a reg sample, with two boxes two reg
# samples; --radiologist keeps one reader's boxes; the finding's name is the phrase ("Nodule/Mass" ->
# "nodule or mass"); "No finding", a box that is not numbers and a missing image are reported by
# line; a box past the image's edge is clipped.
# Usage: import_vindr.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
source "$2/tests/tools/cli_common.sh"
cli_test_start "$@"

mkdir -p "$tmp/test"
for id in vin_a vin_b vin_d; do cp "$src/suites/sample/images/cxr_000.png" "$tmp/test/$id.png"; done
csv="$src/tests/data/import/vindr/annotations_test.csv"
"$bin" import vindr-cxr "$csv" --images "$tmp/test" --image-suffix .png --radiologist R8 --out "$tmp/suite" \
  > "$tmp/out.txt" 2>&1 || fail "import failed: $(cat "$tmp/out.txt")"
grep -q "; 6 samples imported (rec 2, reg 4)" "$tmp/out.txt" || fail "$(cat "$tmp/out.txt")"
for want in "annotations_test.csv:3: rec: the phrase has several boxes" "annotations_test.csv:6: No finding" \
            "annotations_test.csv:7: class_name blank, or x_min, y_min, x_max, y_max not numbers" \
            "annotations_test.csv:8: image not found"; do
  grep -qF "$want" "$tmp/out.txt" || fail "missing report line '$want': $(cat "$tmp/out.txt")"
done
python3 - "$tmp/suite" <<'PY'
import json, os, sys
d = sys.argv[1]
got = {}
for f in ("rec.jsonl", "reg.jsonl"):
    for line in open(os.path.join(d, f)):
        r = json.loads(line)
        got[r["id"]] = r
common = lambda i: {"image": "../test/%s.png" % i, "image_id": i, "image_size": [320, 256]}
want = {
    "vindr-vin_a-1-rec": dict(task="rec", **common("vin_a"), phrase="aortic enlargement", reference=[150.5, 60.0, 190.25, 100.0]),
    "vindr-vin_a-1-reg-1": dict(task="reg", **common("vin_a"), box=[150.5, 60.0, 190.25, 100.0], reference="aortic enlargement"),
    "vindr-vin_a-2-reg-1": dict(task="reg", **common("vin_a"), box=[40.0, 50.0, 60.0, 70.0], reference="nodule or mass"),
    "vindr-vin_a-2-reg-2": dict(task="reg", **common("vin_a"), box=[250.0, 50.0, 270.0, 70.0], reference="nodule or mass"),
    "vindr-vin_d-1-rec": dict(task="rec", **common("vin_d"), phrase="cardiomegaly", reference=[100.0, 120.0, 320.0, 256.0]),
    "vindr-vin_d-1-reg-1": dict(task="reg", **common("vin_d"), box=[100.0, 120.0, 320.0, 256.0], reference="cardiomegaly"),
}
for i, w in want.items():
    w = dict({"id": i}, **w)
    assert got.get(i) == w, (i, got.get(i), w)
assert len(got) == len(want), sorted(got)
PY
# Every reader: R8's and R9's aortic boxes make two boxes for one finding, so no rec sample for it.
"$bin" import vindr-cxr "$csv" --images "$tmp/test" --image-suffix .png --out "$tmp/suite2" > "$tmp/out2.txt" 2>&1 ||
  fail "$(cat "$tmp/out2.txt")"
grep -q "; 6 samples imported (rec 1, reg 5)" "$tmp/out2.txt" || fail "$(cat "$tmp/out2.txt")"
echo "import_vindr: ok"
