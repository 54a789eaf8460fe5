#!/usr/bin/env bash
# `import mimic-cxr` on fixtures in MIMIC-CXR's documented layouts (tests/data/import/mimic: the
# JPG release's metadata and CheXpert-label CSVs, a consensus edema-severity CSV, two reports; no
# patient data; images are copies of a sample-suite JPEG): one frontal image per study shared by
# its tasks, labels, grades and findings as references, every row not imported reported by file,
# line and reason, --uncertain honoured, and a malformed CSV named by line.
# Usage: import_mimic.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
source "$2/tests/tools/cli_common.sh"
cli_test_start "$@"

fx="$src/tests/data/import/mimic"
for image in s50000001/bbbb2222-frontal s50000001/aaaa1111-lateral s50000002/cccc3333-portable; do
  mkdir -p "$tmp/jpg/files/p10/p10000001/$(dirname "$image")"
  cp "$src/suites/sample/images/cxr_003.jpg" "$tmp/jpg/files/p10/p10000001/$image.jpg"
done
import() {  # import OUT [extra args...]
  local out="$1"
  shift
  "$bin" import mimic-cxr --root "$tmp/jpg" --metadata "$fx/metadata.csv" --chexpert "$fx/chexpert.csv" \
    --edema "$fx/edema.csv" --reports "$fx/reports" --out "$out" "$@"
}
import "$tmp/jpg/suite" > "$tmp/out.txt" || fail "import failed: $(cat "$tmp/out.txt")"
grep -q "5 samples imported" "$tmp/out.txt" || fail "$(cat "$tmp/out.txt")"
grep -q "^overall  *5  *5  *0  *2" "$tmp/out.txt" || fail "expected 5 valid records on 2 images: $(cat "$tmp/out.txt")"
for want in "chexpert.csv:2: an uncertain (-1.0) label" "chexpert.csv:4: the metadata has no image of this study" \
            "chexpert.csv:5: image not found under --root" "chexpert.csv:6: a label value other than" \
            "edema.csv:4: image not found under --root" "edema.csv:5: edema_severity must be 0, 1, 2 or 3" \
            "s50000003.txt: no report file"; do
  grep -qF "$want" "$tmp/out.txt" || fail "missing report line '$want': $(cat "$tmp/out.txt")"
done

python3 - "$tmp/jpg/suite" <<'PY'
import json, os, sys
d = sys.argv[1]
got = {}
for f in os.listdir(d):
    if f.endswith(".jsonl"):
        for line in open(os.path.join(d, f)):
            r = json.loads(line)
            got[r["id"]] = r
want = {
    "s50000002-multilabel_classification": ("cccc3333-portable", ["No Finding"]),
    "s50000001-multiclass_classification": ("bbbb2222-frontal", "interstitial edema"),
    "s50000002-multiclass_classification": ("cccc3333-portable", "none"),
    "s50000001-report_generation": ("bbbb2222-frontal", "The heart is mildly enlarged. There are small bilateral pleural effusions. No pneumothorax."),
    "s50000002-report_generation": ("cccc3333-portable", "No acute cardiopulmonary process."),
}
assert sorted(got) == sorted(want), sorted(got)
for i, (image, ref) in want.items():
    assert got[i]["image_id"] == image and got[i]["reference"] == ref, got[i]
    assert got[i]["image"] == "../files/p10/p10000001/%s/%s.jpg" % (i.split("-")[0], image), got[i]
PY

# --uncertain positive keeps the study with an uncertain label, the label counted.
import "$tmp/jpg/suite2" --uncertain positive > "$tmp/out2.txt" || fail "$(cat "$tmp/out2.txt")"
grep -q '"id":"s50000001-multilabel_classification".*"reference":\["Cardiomegaly","Edema","Pleural Effusion"\]' \
  "$tmp/jpg/suite2/multilabel_classification.jsonl" || fail "$(cat "$tmp/jpg/suite2/multilabel_classification.jsonl")"

# A CSV with a quote that never closes: one message naming the file and line.
printf 'subject_id,study_id,edema_severity\n10000001,"50000001,2\n' > "$tmp/bad.csv"
set +e
"$bin" import mimic-cxr --root "$tmp/jpg" --metadata "$fx/metadata.csv" --edema "$tmp/bad.csv" --out "$tmp/x" \
  > /dev/null 2> "$tmp/bad.err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "a malformed CSV exited $rc, expected 1"
grep -q "bad.csv:2: a quoted field never closes" "$tmp/bad.err" || fail "unclear message: $(cat "$tmp/bad.err")"
echo "import_mimic: ok"
