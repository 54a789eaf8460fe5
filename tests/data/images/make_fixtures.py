#!/usr/bin/env python3
"""Writes the small image fixtures tests/unit/image_decode_test.cc decodes.

PNG and DICOM files are written byte by byte with the standard library, so every pixel value is
known; JPEG files come from Pillow (Debian's python3-pil 9.4 on libjpeg-turbo 2.1.5):
    /usr/bin/python3 tests/data/images/make_fixtures.py
(or `python3 -m venv --system-site-packages .venv-img && .venv-img/bin/python ...`). Deterministic:
no randomness except a seeded generator for the noise image.
"""
import pathlib
import random
import struct
import zlib

OUT = pathlib.Path(__file__).resolve().parent


# ---------------------------------------------------------------- PNG (stdlib only)
def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pack_row(samples, bit_depth):
    if bit_depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    if bit_depth == 8:
        return bytes(samples)
    per_byte = 8 // bit_depth
    out = bytearray()
    for i in range(0, len(samples), per_byte):
        byte = 0
        group = samples[i:i + per_byte]
        for j, s in enumerate(group):
            byte |= s << (8 - bit_depth * (j + 1))
        out.append(byte)
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(rows, bit_depth, color_type, channels, interlace=False, extra_chunks=()):
    """rows: list of rows, each a flat list of samples (channels per pixel)."""
    height, width = len(rows), len(rows[0]) // channels
    raw = bytearray()
    if not interlace:
        for row in rows:
            raw += b"\x00" + pack_row(row, bit_depth)
    else:
        for x0, y0, dx, dy in ADAM7:
            for y in range(y0, height, dy):
                px = [rows[y][x * channels:(x + 1) * channels] for x in range(x0, width, dx)]
                if px:
                    raw += b"\x00" + pack_row([s for p in px for s in p], bit_depth)
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 1 if interlace else 0)
    body = png_chunk(b"IHDR", ihdr)
    for kind, data in extra_chunks:
        body += png_chunk(kind, data)
    body += png_chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + png_chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def write(name, data):
    (OUT / name).write_bytes(data)


def make_pngs():
    gray8 = [[0, 10, 20, 30], [100, 128, 200, 255], [1, 2, 254, 253]]
    write("gray8.png", png(gray8, 8, 0, 1))
    write("gray16.png", png([[0, 1, 256], [4095, 32768, 65535]], 16, 0, 1))
    # gray + alpha: alpha is ignored
    write("gray_alpha8.png", png([[7, 0, 77, 128], [200, 255, 255, 1]], 8, 4, 2))
    rgb = [[255, 0, 0, 0, 255, 0, 0, 0, 255], [10, 20, 30, 255, 255, 255, 123, 45, 67]]
    write("rgb8.png", png(rgb, 8, 2, 3))
    rgba16 = [[65535, 0, 0, 0, 1000, 2000, 3000, 65535], [65535, 65535, 65535, 7, 40000, 20000, 100, 9]]
    write("rgba16.png", png(rgba16, 16, 6, 4))
    palette = bytes([0, 0, 0, 255, 255, 255, 200, 50, 100, 10, 200, 30])
    write("palette2.png", png([[0, 1, 2, 3, 2], [3, 3, 0, 1, 1]], 2, 3, 1,
                              extra_chunks=[(b"PLTE", palette), (b"tRNS", bytes([0, 128]))]))
    write("gray1.png", png([[0, 1, 1, 0, 1, 0, 0, 1, 1]], 1, 0, 1))   # 9 wide: row padding
    write("gray2.png", png([[0, 1, 2, 3, 3]], 2, 0, 1))
    write("gray4.png", png([[0, 3, 9, 15, 1]], 4, 0, 1))
    inter = [[(x + 10 * y) % 256 for x in range(11)] for y in range(9)]
    write("interlaced8.png", png(inter, 8, 0, 1, interlace=True))

    good = png(gray8, 8, 0, 1)
    idat = good.index(b"IDAT")
    corrupt = bytearray(good)
    corrupt[idat + 6] ^= 0xFF  # inside the zlib stream; the chunk CRC no longer matches
    write("corrupt_crc.png", bytes(corrupt))
    big = [[(x * y) % 256 for x in range(64)] for y in range(64)]
    full = png(big, 8, 0, 1)
    write("truncated.png", full[: full.index(b"IDAT") + 40])
    write("no_iend.png", full[: full.index(b"IEND") - 4])  # pixels complete, file cut after IDAT
    # A decompression bomb's header: 100000 x 100000 gray, with a token IDAT.
    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 0, 0, 0, 0)
    write("bomb.png", b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) +
          png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + png_chunk(b"IEND", b""))
    write("not_an_image.png", b"this is a text file, not a PNG\n")
    write("empty.png", b"")


# ---------------------------------------------------------------- JPEG (Pillow)
def make_jpegs():
    from PIL import Image

    # Each 8x8 block constant and quality 100 (all quantisers 1): only the DC term is non-zero
    # and it survives exactly, so the decoded block values are known.
    def blocks(mode, values):
        img = Image.new(mode, (16, 16))
        for (bx, by), v in values.items():
            for y in range(8 * by, 8 * by + 8):
                for x in range(8 * bx, 8 * bx + 8):
                    img.putpixel((x, y), v)
        return img

    gray = blocks("L", {(0, 0): 10, (1, 0): 100, (0, 1): 200, (1, 1): 255})
    gray.save(OUT / "gray_blocks.jpg", quality=100)
    gray.save(OUT / "gray_blocks_progressive.jpg", quality=100, progressive=True)
    rgb = blocks("RGB", {(0, 0): (255, 0, 0), (1, 0): (0, 255, 0), (0, 1): (0, 0, 255),
                         (1, 1): (10, 200, 30)})
    rgb.save(OUT / "rgb_blocks.jpg", quality=100, subsampling=0)
    for name in ("gray_blocks.jpg", "gray_blocks_progressive.jpg", "rgb_blocks.jpg"):
        check = Image.open(OUT / name)
        check.draft("L", check.size)  # libjpeg's own grayscale output, as the harness asks for
        print(name, [check.getpixel(p) for p in ((0, 0), (8, 0), (0, 8), (8, 8))])

    rng = random.Random(4)
    noise = Image.new("L", (64, 64))
    noise.putdata([rng.randrange(256) for _ in range(64 * 64)])
    data = _jpeg_bytes(noise)
    write("truncated.jpg", data[: len(data) * 6 // 10])


def _jpeg_bytes(img):
    import io
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=90)
    return buf.getvalue()


# ---------------------------------------------------------------- DICOM (bytes by hand)
LONG_VRS = {b"OB", b"OW", b"OF", b"SQ", b"UT", b"UN"}
XFER_EXPLICIT = "1.2.840.10008.1.2.1"
XFER_IMPLICIT = "1.2.840.10008.1.2"
XFER_J2K = "1.2.840.10008.1.2.4.90"
SOP_DX = "1.2.840.10008.5.1.4.1.1.1.1"  # Digital X-Ray Image Storage - For Presentation


def pad(vr, value: bytes) -> bytes:
    if len(value) % 2:
        value += b"\x00" if vr in (b"UI", b"OB", b"OW") else b" "
    return value


def element(group, elem, vr, value: bytes, explicit=True):
    value = pad(vr, value)
    tag = struct.pack("<HH", group, elem)
    if not explicit:
        return tag + struct.pack("<I", len(value)) + value
    if vr in LONG_VRS:
        return tag + vr + b"\x00\x00" + struct.pack("<I", len(value)) + value
    return tag + vr + struct.pack("<H", len(value)) + value


def us(v):
    return struct.pack("<H", v)


def ss(v):
    return struct.pack("<h", v)


def dicom(elements, xfer=XFER_EXPLICIT, pixel_data=None, pixel_vr=b"OW"):
    """elements: list of (group, element, vr, bytes); pixel_data: raw bytes or an encapsulated blob."""
    meta = b"".join([
        element(0x0002, 0x0001, b"OB", b"\x00\x01"),
        element(0x0002, 0x0002, b"UI", SOP_DX.encode()),
        element(0x0002, 0x0003, b"UI", b"1.2.826.0.1.3680043.10.1"),
        element(0x0002, 0x0010, b"UI", xfer.encode()),
        element(0x0002, 0x0012, b"UI", b"1.2.826.0.1.3680043.10.2"),
    ])
    meta = element(0x0002, 0x0000, b"UL", struct.pack("<I", len(meta))) + meta
    explicit = xfer != XFER_IMPLICIT
    body = b"".join(element(g, e, vr, v, explicit) for g, e, vr, v in sorted(elements))
    if isinstance(pixel_data, bytes):
        body += element(0x7FE0, 0x0010, pixel_vr, pixel_data, explicit)
    elif pixel_data is not None:  # encapsulated: undefined length, offset table, one fragment
        frag = pad(b"OB", pixel_data["fragment"])
        body += struct.pack("<HH", 0x7FE0, 0x0010) + b"OB\x00\x00" + struct.pack("<I", 0xFFFFFFFF)
        body += struct.pack("<HHI", 0xFFFE, 0xE000, 0)
        body += struct.pack("<HHI", 0xFFFE, 0xE000, len(frag)) + frag
        body += struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
    return b"\x00" * 128 + b"DICM" + meta + body


def image_elements(rows, cols, photometric, bits_alloc=16, bits_stored=12, signed=False, spp=1):
    els = [
        (0x0008, 0x0016, b"UI", SOP_DX.encode()),
        (0x0008, 0x0018, b"UI", b"1.2.826.0.1.3680043.10.1"),
        (0x0028, 0x0002, b"US", us(spp)),
        (0x0028, 0x0004, b"CS", photometric.encode()),
        (0x0028, 0x0010, b"US", us(rows)),
        (0x0028, 0x0011, b"US", us(cols)),
        (0x0028, 0x0100, b"US", us(bits_alloc)),
        (0x0028, 0x0101, b"US", us(bits_stored)),
        (0x0028, 0x0102, b"US", us(bits_stored - 1)),
        (0x0028, 0x0103, b"US", us(1 if signed else 0)),
    ]
    if spp == 3:
        els.append((0x0028, 0x0006, b"US", us(0)))
    return els


def ds(text):
    return text.encode()


# Stored values of the 4x2 12-bit test image; the second one carries garbage above High Bit
# (0xF000), which the decoder must mask away.
STORED_12 = [0, 0xF000 | 400, 512, 1000, 1024, 2000, 3000, 4095]
WINDOW = [(0x0028, 0x1050, b"DS", ds("1000")), (0x0028, 0x1051, b"DS", ds("2000\\400")),
          (0x0028, 0x1052, b"DS", ds("-1024")), (0x0028, 0x1053, b"DS", ds("2"))]


def make_dicoms():
    pixels = b"".join(us(v) for v in STORED_12)
    for photometric in ("MONOCHROME2", "MONOCHROME1"):
        els = image_elements(2, 4, photometric) + WINDOW
        write(f"{photometric.lower()}_window.dcm", dicom(els, pixel_data=pixels))
    write("monochrome2_window_implicit.dcm",
          dicom(image_elements(2, 4, "MONOCHROME2") + WINDOW, XFER_IMPLICIT, pixels))
    # Signed 12-bit, no window: min..max of the modality values, padding (-2048) excluded.
    signed = [-2048, -1, 0, 1, 100, 2047]
    els = image_elements(2, 3, "MONOCHROME2", signed=True) + [
        (0x0028, 0x0120, b"SS", ss(-2048)), (0x0028, 0x1052, b"DS", ds("0.5")),
        (0x0028, 0x1053, b"DS", ds("0.25"))]
    write("signed_minmax.dcm", dicom(els, pixel_data=b"".join(ss(v) for v in signed)))
    # 8-bit stored, LINEAR_EXACT window.
    els = image_elements(1, 5, "MONOCHROME2", bits_alloc=8, bits_stored=8) + [
        (0x0028, 0x1050, b"DS", ds("100")), (0x0028, 0x1051, b"DS", ds("64")),
        (0x0028, 0x1056, b"CS", b"LINEAR_EXACT")]
    write("mono8_linear_exact.dcm", dicom(els, pixel_data=bytes([0, 75, 100, 120, 200]), pixel_vr=b"OB"))
    # 8-bit RGB, interleaved.
    els = image_elements(1, 3, "RGB", bits_alloc=8, bits_stored=8, spp=3)
    write("rgb8.dcm", dicom(els, pixel_data=bytes([255, 0, 0, 0, 255, 0, 10, 200, 30]), pixel_vr=b"OB"))

    full = dicom(image_elements(2, 4, "MONOCHROME2") + WINDOW, pixel_data=pixels)
    write("truncated.dcm", full[:-6])
    write("no_pixels.dcm", dicom(image_elements(2, 4, "MONOCHROME2")))
    write("jpeg2000.dcm", dicom(image_elements(2, 4, "MONOCHROME2"), XFER_J2K,
                                {"fragment": b"\xff\x4f\xff\x51" + b"\x00" * 20}))
    write("bomb.dcm", dicom(image_elements(65535, 65535, "MONOCHROME2"), pixel_data=us(0)))


if __name__ == "__main__":
    make_pngs()
    make_jpegs()
    make_dicoms()
