"""Byte-exact writers for grayscale PNG (8 and 16 bit) and DICOM Part-10 files.

Standard library only, so the sample suite regenerates anywhere Python 3 runs. Every output is a
pure function of its inputs: no timestamps, no random UIDs.
"""
import hashlib
import struct
import zlib


# --------------------------------------------------------------------------------------------
# PNG


def _png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _filter_rows(raw_rows, bpp):
    """Filters each scanline with Sub, Up or Paeth, whichever has the smallest sum of absolute
    residuals (the libpng heuristic); smooth radiographs compress about twice as well as with
    no filter, which keeps the bundled suite small."""
    out = bytearray()
    prev = bytes(len(raw_rows[0]))
    for row in raw_rows:
        n = len(row)
        sub = bytes((row[i] - (row[i - bpp] if i >= bpp else 0)) & 0xFF for i in range(n))
        up = bytes((row[i] - prev[i]) & 0xFF for i in range(n))
        paeth = bytes((row[i] - _paeth(row[i - bpp] if i >= bpp else 0, prev[i],
                                       prev[i - bpp] if i >= bpp else 0)) & 0xFF
                      for i in range(n))
        best_kind, best = 1, sub
        best_cost = sum(b if b < 128 else 256 - b for b in sub)
        for kind, cand in ((2, up), (4, paeth)):
            cost = sum(b if b < 128 else 256 - b for b in cand)
            if cost < best_cost:
                best_kind, best, best_cost = kind, cand, cost
        out.append(best_kind)
        out += best
        prev = row
    return bytes(out)


def png_bytes(width, height, values, bit_depth):
    """Grayscale PNG (colour type 0). `values` is a row-major list of integers already in
    0..2**bit_depth-1."""
    assert bit_depth in (8, 16) and len(values) == width * height
    rows = []
    for y in range(height):
        line = values[y * width:(y + 1) * width]
        rows.append(bytes(line) if bit_depth == 8 else struct.pack(">%dH" % width, *line))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    idat = zlib.compress(_filter_rows(rows, bit_depth // 8), 9)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) +
            _png_chunk(b"IEND", b""))


# --------------------------------------------------------------------------------------------
# DICOM Part 10, explicit VR little endian

EXPLICIT_VR_LE = "1.2.840.10008.1.2.1"
SOP_CLASS_DX = "1.2.840.10008.5.1.4.1.1.1.1"  # Digital X-Ray Image Storage - For Presentation
SOP_CLASS_CR = "1.2.840.10008.5.1.4.1.1.1"    # Computed Radiography Image Storage
_LONG_VRS = {"OB", "OW", "OF", "SQ", "UT", "UN"}


def stable_uid(name):
    """A valid UID under the 2.25 (UUID-derived) root, fixed for a given name."""
    digest = hashlib.sha256(name.encode()).digest()[:16]
    return "2.25." + str(int.from_bytes(digest, "big"))


def _element(group, elem, vr, value):
    if isinstance(value, str):
        data = value.encode("ascii")
        if len(data) % 2:
            data += b"\0" if vr == "UI" else b" "
    else:
        data = value
        if len(data) % 2:
            data += b"\0"
    head = struct.pack("<HH", group, elem) + vr.encode("ascii")
    if vr in _LONG_VRS:
        return head + b"\0\0" + struct.pack("<I", len(data)) + data
    return head + struct.pack("<H", len(data)) + data


def _us(v):
    return struct.pack("<H", v)


def _ds(v):
    return ("%.6g" % v)


def dicom_bytes(name, width, height, stored, photometric, slope, intercept, center, window,
                modality):
    """A minimal single-frame radiograph: 16 bits allocated, 12 stored, unsigned.

    `stored` is the row-major list of stored values (0..4095) exactly as they go into PixelData;
    the caller has already inverted them for MONOCHROME1."""
    assert photometric in ("MONOCHROME1", "MONOCHROME2") and len(stored) == width * height
    assert all(0 <= v <= 4095 for v in stored)
    sop_class = SOP_CLASS_DX if modality == "DX" else SOP_CLASS_CR
    sop_instance = stable_uid("imaxbench-sample/" + name + "/sop")
    meta_body = b"".join([
        _element(0x0002, 0x0001, "OB", b"\x00\x01"),
        _element(0x0002, 0x0002, "UI", sop_class),
        _element(0x0002, 0x0003, "UI", sop_instance),
        _element(0x0002, 0x0010, "UI", EXPLICIT_VR_LE),
        _element(0x0002, 0x0012, "UI", stable_uid("imaxbench-sample/implementation")),
        _element(0x0002, 0x0013, "SH", "IMAXBENCH_GEN"),
    ])
    meta = _element(0x0002, 0x0000, "UL", struct.pack("<I", len(meta_body))) + meta_body
    # Data elements in ascending tag order, as Part 5 requires.
    body = b"".join([
        _element(0x0008, 0x0016, "UI", sop_class),
        _element(0x0008, 0x0018, "UI", sop_instance),
        _element(0x0008, 0x0060, "CS", modality),
        _element(0x0010, 0x0010, "PN", "SYNTHETIC^PHANTOM"),
        _element(0x0010, 0x0020, "LO", name),
        _element(0x0018, 0x5101, "CS", "PA"),
        _element(0x0020, 0x000D, "UI", stable_uid("imaxbench-sample/" + name + "/study")),
        _element(0x0020, 0x000E, "UI", stable_uid("imaxbench-sample/" + name + "/series")),
        _element(0x0028, 0x0002, "US", _us(1)),
        _element(0x0028, 0x0004, "CS", photometric),
        _element(0x0028, 0x0010, "US", _us(height)),
        _element(0x0028, 0x0011, "US", _us(width)),
        _element(0x0028, 0x0100, "US", _us(16)),
        _element(0x0028, 0x0101, "US", _us(12)),
        _element(0x0028, 0x0102, "US", _us(11)),
        _element(0x0028, 0x0103, "US", _us(0)),
        _element(0x0028, 0x1050, "DS", _ds(center)),
        _element(0x0028, 0x1051, "DS", _ds(window)),
        _element(0x0028, 0x1052, "DS", _ds(intercept)),
        _element(0x0028, 0x1053, "DS", _ds(slope)),
        _element(0x0028, 0x1054, "LO", "US"),
        _element(0x7FE0, 0x0010, "OW", struct.pack("<%dH" % len(stored), *stored)),
    ])
    return b"\0" * 128 + b"DICM" + meta + body
