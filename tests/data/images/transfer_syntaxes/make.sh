#!/usr/bin/env bash
# Writes the DICOM files of tests/data/images/transfer_syntaxes/ with other tools than ours:
# DCMTK's command-line programs (Debian package `dcmtk`: apt-get install dcmtk) and python3's
# standard library for the raw pixels. One 40x24 image (12 bits stored in 16) in every common
# transfer syntax, each with an undefined-length sequence before Rows/Columns whose item holds a
# Rows of its own (a reader must skip it), plus an 8-bit one for JPEG baseline, and the broken
# files a split may point at. Usage: make.sh [OUT_DIR] (default: this script's folder).
# The committed files were made by DCMTK 3.6.7 (Debian 12); UIDs made by img2dcm differ per run.
set -euo pipefail
out="$(cd "${1:-$(dirname "$0")}" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

python3 - <<'PY'
import struct
w, h = 40, 24
with open("p16.raw", "wb") as f:  # 12-bit values, a different one in most pixels
    for y in range(h):
        for x in range(w):
            f.write(struct.pack("<H", (x * 97 + y * 53 + (x * y) % 17 * 31) % 4096))
row = (w + 3) // 4 * 4  # an 8-bit gray-palette BMP for img2dcm
palette = b"".join(bytes([i, i, i, 0]) for i in range(256))
pixels = b"".join(bytes((x * 5 + y * 7) % 256 for x in range(w)) + b"\0" * (row - w) for y in reversed(range(h)))
offset = 14 + 40 + len(palette)
with open("src8.bmp", "wb") as f:
    f.write(b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset))
    f.write(struct.pack("<IiiHHIIiiII", 40, w, h, 1, 8, 0, len(pixels), 2835, 2835, 256, 0))
    f.write(palette + pixels)
PY
cat > src16.dump <<'DUMP'
(0002,0001) OB 00\01
(0002,0002) UI =SecondaryCaptureImageStorage
(0002,0003) UI [1.2.826.0.1.3680043.10.1.1]
(0002,0010) UI =LittleEndianExplicit
(0008,0016) UI =SecondaryCaptureImageStorage
(0008,0018) UI [1.2.826.0.1.3680043.10.1.1]
(0008,0060) CS [OT]
(0008,1140) SQ (Sequence with undefined length #=1)
  (fffe,e000) na (Item with undefined length #=3)
    (0008,1150) UI =SecondaryCaptureImageStorage
    (0008,1155) UI [1.2.826.0.1.3680043.10.1.2]
    (0028,0010) US 7
  (fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
(0010,0010) PN [Test^Transfer^Syntax]
(0028,0002) US 1
(0028,0004) CS [MONOCHROME2]
(0028,0010) US 24
(0028,0011) US 40
(0028,0100) US 16
(0028,0101) US 12
(0028,0102) US 11
(0028,0103) US 0
(7fe0,0010) OW =p16.raw
DUMP
dump2dcm -e src16.dump src16.dcm
img2dcm -i BMP src8.bmp src8.dcm
dcmodify -nb -i "(0008,1140)[0].(0008,1150)=1.2.840.10008.5.1.4.1.1.7" \
  -i "(0008,1140)[0].(0008,1155)=1.2.826.0.1.3680043.10.1.3" -i "(0008,1140)[0].(0028,0010)=7" src8.dcm
# -e: sequences and items with undefined length, as many modalities write them.
dcmconv -e +te src16.dcm "$out/explicit_le.dcm"
dcmconv -e +ti src16.dcm "$out/implicit_le.dcm"
dcmconv -e +tb src16.dcm "$out/big_endian.dcm"
dcmconv -e +td src16.dcm "$out/deflated.dcm"
dcmcrle -e src16.dcm "$out/rle.dcm"
dcmconv -e +te src8.dcm "$out/explicit_le_8bit.dcm"
dcmcjpeg -e +eb src8.dcm "$out/jpeg_baseline.dcm"
dcmcjpeg -e +ee src16.dcm "$out/jpeg_extended_12bit.dcm"
dcmcjpeg -e +el src16.dcm "$out/jpeg_lossless.dcm"
dcmcjpeg -e +e1 src16.dcm "$out/jpeg_lossless_sv1.dcm"
dcmcjpls -e +el src16.dcm "$out/jpeg_ls_lossless.dcm"
dcmcjpls -e +en src16.dcm "$out/jpeg_ls_near_lossless.dcm"
python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
# JPEG 2000, which this build has no codec for: the JPEG lossless file relabelled (same UID length).
d = open(f"{out}/jpeg_lossless_sv1.dcm", "rb").read()
a, b = b"1.2.840.10008.1.2.4.70", b"1.2.840.10008.1.2.4.90"
i = d.index(a)
open(f"{out}/jpeg2000_relabelled.dcm", "wb").write(d[:i] + b + d[i + len(a):])
open(f"{out}/not_dicom.dcm", "wb").write(b"A text file saved with a .dcm name, not a DICOM image.\n" * 4)
e = open(f"{out}/explicit_le.dcm", "rb").read()
open(f"{out}/truncated.dcm", "wb").write(e[:len(e) - 700])  # cut inside the pixel data
# The deflated file with its Pixel Data length field claiming 3.9 GB (fuzz_image_header's find).
import struct, zlib
d = open(f"{out}/deflated.dcm", "rb").read()
meta_end = 128 + 4 + 12 + struct.unpack("<I", d[140:144])[0]  # after (0002,0000)'s group
body = zlib.decompress(d[meta_end:], -15)
i = body.index(b"\xe0\x7f\x10\x00OW") + 8  # (7FE0,0010) OW, two reserved bytes, then the length
z = zlib.compressobj(9, zlib.DEFLATED, -15)
bad = body[:i] + struct.pack("<I", 0xE8000000) + body[i + 4:]
open(f"{out}/deflated_bad_length.dcm", "wb").write(d[:meta_end] + z.compress(bad) + z.flush())
PY
for f in "$out"/*.dcm; do printf '%-28s %s\n' "$(basename "$f")" "$(dcmdump -M +P 0002,0010 "$f" 2>/dev/null | cut -c17-60)"; done
