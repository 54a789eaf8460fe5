#!/usr/bin/env bash
# `import mimic-cxr --ms-cxr --diff-vqa` on fixtures in MS-CXR's and Medical-Diff-VQA's documented
# layouts (tests/data/import/mimic: MS_CXR_Local_Alignment_v1.1.0.csv's columns, x/y/w/h pixels of
# image_width x image_height; mimic_pair_questions.csv's columns; no patient data; images are copies
# of a 320x256 sample-suite JPEG): a phrase with one box is a rec and a reg sample, one with two boxes
# two reg samples; boxes drawn on a 640x512 original are scaled to the 320x256 file, one reaching
# past the edge is clipped, one outside is reported; the image MS-CXR names becomes its study's image
# for every task that names none; a difference question, a blank question, an unknown dicom_id and a missing image are
# reported by line; --diff-vqa-split keeps one split.
# Usage: import_ms_cxr_diff_vqa.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
source "$2/tests/tools/cli_common.sh"
cli_test_start "$@"

fx="$src/tests/data/import/mimic"
for image in s50000001/bbbb2222-frontal s50000001/aaaa1111-lateral s50000002/cccc3333-portable s50000002/cccc9999-ap2; do
  mkdir -p "$tmp/jpg/files/p10/p10000001/$(dirname "$image")"
  cp "$src/suites/sample/images/cxr_003.jpg" "$tmp/jpg/files/p10/p10000001/$image.jpg"
done
"$bin" import mimic-cxr --root "$tmp/jpg" --metadata "$fx/metadata.csv" --edema "$fx/edema.csv" \
  --ms-cxr "$fx/ms_cxr.csv" --diff-vqa "$fx/diff_vqa.csv" --diff-vqa-split test --out "$tmp/jpg/suite" \
  > "$tmp/out.txt" || fail "import failed: $(cat "$tmp/out.txt")"
grep -q "; 11 samples imported (multiclass_classification 2, rec 2, reg 4, vqa 3)" "$tmp/out.txt" ||
  fail "$(cat "$tmp/out.txt")"
for want in "ms_cxr.csv:3: rec: the phrase has several boxes" "ms_cxr.csv:6: the metadata has no such dicom_id" \
            "ms_cxr.csv:7: x, y, w, h, image_width and image_height must be numbers" \
            "ms_cxr.csv:8: a box that is empty or outside the image (320x256)" \
            "diff_vqa.csv:4: a difference question compares two studies" \
            "diff_vqa.csv:7: image not found under --root" "diff_vqa.csv:8: question or answer is blank"; do
  grep -qF "$want" "$tmp/out.txt" || fail "missing report line '$want': $(cat "$tmp/out.txt")"
done
grep -q "diff_vqa.csv:6" "$tmp/out.txt" && fail "a train question was read despite --diff-vqa-split test"

python3 - "$tmp/jpg/suite" <<'PY'
import json, os, sys
d = sys.argv[1]
got = {}
for f in sorted(os.listdir(d)):
    if f.endswith(".jsonl"):
        for line in open(os.path.join(d, f)):
            r = json.loads(line)
            got[r["id"]] = r
def rec(i, image, **fields):
    study = {"bbbb2222-frontal": "s50000001", "cccc9999-ap2": "s50000002", "cccc3333-portable": "s50000002"}[image]
    r = {"id": i, "task": fields.pop("task"), "image": "../files/p10/p10000001/%s/%s.jpg" % (study, image),
         "image_id": image}
    r.update(fields)
    return r
want = [
    rec("mscxr-bbbb2222-frontal-1-rec", "bbbb2222-frontal", task="rec", image_size=[320, 256],
        phrase="enlarged cardiac silhouette", reference=[100.0, 110.0, 220.0, 200.0]),
    rec("mscxr-bbbb2222-frontal-1-reg-1", "bbbb2222-frontal", task="reg", image_size=[320, 256],
        box=[100.0, 110.0, 220.0, 200.0], reference="enlarged cardiac silhouette"),
    rec("mscxr-bbbb2222-frontal-2-reg-1", "bbbb2222-frontal", task="reg", image_size=[320, 256],
        box=[20.0, 150.0, 80.0, 200.0], reference="small bilateral pleural effusions"),
    rec("mscxr-bbbb2222-frontal-2-reg-2", "bbbb2222-frontal", task="reg", image_size=[320, 256],
        box=[240.0, 150.0, 300.0, 200.0], reference="small bilateral pleural effusions"),
    rec("mscxr-cccc9999-ap2-1-rec", "cccc9999-ap2", task="rec", image_size=[320, 256],
        phrase="left apical pneumothorax", reference=[250.0, 20.0, 320.0, 80.0]),
    rec("mscxr-cccc9999-ap2-1-reg-1", "cccc9999-ap2", task="reg", image_size=[320, 256],
        box=[250.0, 20.0, 320.0, 80.0], reference="left apical pneumothorax"),
    # The edema file names its image (dicom_id), which holds for that record alone.
    rec("s50000002-multiclass_classification", "cccc3333-portable", task="multiclass_classification", reference="none"),
    rec("s50000001-vqa-1", "bbbb2222-frontal", task="vqa", question="what abnormalities are seen in this image?",
        answer_type="open", reference="cardiomegaly, pleural effusion"),
    rec("s50000001-vqa-2", "bbbb2222-frontal", task="vqa",
        question="is there evidence of pneumothorax in this image?", answer_type="closed", reference="no"),
]
for w in want:
    assert got.get(w["id"]) == w, (w["id"], got.get(w["id"]), w)
# MS-CXR's image is its study's image for the tasks that do not name one: s50000002's question.
assert "s50000002-vqa-1" in got and got["s50000002-vqa-1"]["image_id"] == "cccc9999-ap2", got.get("s50000002-vqa-1")
assert len(got) == 11, sorted(got)
PY

# Without MS-CXR, the study keeps its first frontal image (cccc3333 before cccc9999).
"$bin" import mimic-cxr --root "$tmp/jpg" --metadata "$fx/metadata.csv" --diff-vqa "$fx/diff_vqa.csv" \
  --out "$tmp/jpg/suite2" > "$tmp/out2.txt" || fail "$(cat "$tmp/out2.txt")"
grep -q '"id":"s50000002-vqa-1".*"image_id":"cccc3333-portable"' "$tmp/jpg/suite2/vqa.jsonl" ||
  fail "$(cat "$tmp/jpg/suite2/vqa.jsonl")"
grep -q '"id":"s50000002-vqa-2".*"answer_type":"closed","reference":"yes"' "$tmp/jpg/suite2/vqa.jsonl" ||
  fail "without --diff-vqa-split every split is read: $(cat "$tmp/jpg/suite2/vqa.jsonl")"
echo "import_ms_cxr_diff_vqa: ok"
