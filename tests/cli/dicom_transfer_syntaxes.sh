#!/usr/bin/env bash
# DICOM files written by DCMTK's tools in every common transfer syntax (tests/data/images/
# transfer_syntaxes/make.sh) get their sizes read, decode and are scored: a REC split whose boxes
# are scored against the size read from each header. A JPEG 2000 file (no codec in this build), a
# text file named .dcm, a truncated file and a deflated one whose Pixel Data length claims 3.9 GB
# are each one invalid record naming split line and
# problem. A build without DICOM says so for every .dcm record.
# Usage: dicom_transfer_syntaxes.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$1 lacks '$2':"$'\n'"$(cat "$1")"; }

mkdir "$tmp/S"
cp -r "$src/tests/data/images/transfer_syntaxes" "$tmp/S/images"
python3 - "$tmp/S" <<'PY'
import json, os, sys
d = sys.argv[1]
names = sorted(n for n in os.listdir(f"{d}/images") if n.endswith(".dcm"))
with open(f"{d}/rec.jsonl", "w") as split, open(f"{d}/predictions.jsonl", "w") as answers:
    for i, n in enumerate(names):
        # No image_size: the size comes from the header; the 0-100 grid answer is mapped through it.
        split.write(json.dumps({"id": n[:-4], "task": "rec", "image": "images/" + n, "phrase": "the heart",
                                "reference": [4, 6, 20, 18]}) + "\n")
        answers.write(json.dumps({"id": n[:-4], "prediction": "{<10><25><50><75>}"}) + "\n")
json.dump({"name": "dicom-transfer-syntaxes", "version": 1, "tasks": [
    {"task": "rec", "split": "rec.jsonl", "primary_metric": "acc_iou_0.5", "box_format": "grid100"}]},
    open(f"{d}/suite.json", "w"))
PY
line_of() { grep -n "\"images/$1\"" "$tmp/S/rec.jsonl" | cut -d: -f1; }

rc=0; "$bin" inspect --suite "$tmp/S/suite.json" > "$tmp/inspect.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "inspect with invalid records: exit $rc, want 1"
if grep -q "built without DICOM support" "$tmp/inspect.txt"; then
  has "$tmp/inspect.txt" "rec.jsonl:$(line_of explicit_le.dcm): id 'explicit_le': field 'image': this is a DICOM image but imaxbench was built without DICOM support"
  echo "ok (built without DICOM: every DICOM record is refused with that message)"
  exit 0
fi
has "$tmp/inspect.txt" "rec                              16       12        4       12"
has "$tmp/inspect.txt" "rec.jsonl:$(line_of jpeg2000_relabelled.dcm): id 'jpeg2000_relabelled': field 'image': DICOM transfer syntax 'JPEG 2000 (Lossless only)' (1.2.840.10008.1.2.4.90) cannot be decoded by this build"
has "$tmp/inspect.txt" "rec.jsonl:$(line_of not_dicom.dcm): id 'not_dicom': field 'image': not a PNG, JPEG or DICOM image"
has "$tmp/inspect.txt" "rec.jsonl:$(line_of truncated.dcm): id 'truncated': field 'image': not a readable DICOM file"
has "$tmp/inspect.txt" "the file is truncated or damaged: $tmp/S/images/truncated.dcm"
has "$tmp/inspect.txt" "rec.jsonl:$(line_of deflated_bad_length.dcm): id 'deflated_bad_length': field 'image': not a readable DICOM file"

rc=0; "$bin" inspect --suite "$tmp/S/suite.json" --decode > "$tmp/decode.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "inspect --decode with 4 invalid records: exit $rc"
has "$tmp/decode.txt" "decoded 12 images in"
has "$tmp/decode.txt" "0 do not decode"

# Every valid record is scored, and each box hits: {<10><25><50><75>} on 40x24 is [4, 6, 20, 18].
"$bin" score --suite "$tmp/S/suite.json" --predictions "$tmp/S/predictions.jsonl" --no-record --bootstrap 0 \
  --quiet --out "$tmp/results.json" > "$tmp/score.txt" 2>&1 || fail "score: $(cat "$tmp/score.txt")"
python3 - "$tmp/results.json" <<'PY' || fail "scores"
import json, sys
t = json.load(open(sys.argv[1]))["tasks"]["rec"]
assert t["n_samples"]["scored"] == 12 and t["n_samples"]["invalid"] == 4, t["n_samples"]
assert t["metrics"]["acc_iou_0.5"]["score"] == 1.0, t["metrics"]["acc_iou_0.5"]
PY
echo "ok: 12 DICOM files (11 transfer syntaxes) read, decoded and scored; 4 refused by line"
