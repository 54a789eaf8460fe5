"""A tiny baseline JPEG encoder (ITU T.81): one grayscale component, the Annex K luminance
quantisation table scaled like libjpeg's quality setting, and the Annex K standard Huffman tables.

It exists so the sample suite exercises the harness's JPEG path without a dependency; it is
deterministic (fixed tables, no timestamps), not fast.
"""
import math
import struct

_ZIGZAG = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41,
           34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30,
           37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63]

_LUMA_QUANT = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
               14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
               18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
               49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]

_DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
_DC_VALS = list(range(12))
_AC_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D]
_AC_VALS = [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61,
    0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52,
    0xD1, 0xF0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25,
    0x26, 0x27, 0x28, 0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45,
    0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64,
    0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83,
    0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
    0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6,
    0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3,
    0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8,
    0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA]

# cos((2x+1) u pi / 16) * C(u) / 2, so one 1-D pass is the orthonormal DCT-II of length 8.
_COS = [[(math.sqrt(0.5) if u == 0 else 1.0) * 0.5 * math.cos((2 * x + 1) * u * math.pi / 16)
         for x in range(8)] for u in range(8)]


def _huffman_codes(bits, vals):
    """symbol -> (code, length), the canonical code of T.81 Annex C."""
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


_DC_CODES = _huffman_codes(_DC_BITS, _DC_VALS)
_AC_CODES = _huffman_codes(_AC_BITS, _AC_VALS)


class _BitWriter:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def write(self, value, length):
        self.acc = (self.acc << length) | (value & ((1 << length) - 1))
        self.n += length
        while self.n >= 8:
            self.n -= 8
            byte = (self.acc >> self.n) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0)  # byte stuffing
        self.acc &= (1 << self.n) - 1

    def flush(self):
        if self.n:
            self.write((1 << (8 - self.n)) - 1, 8 - self.n)  # pad with one bits


def _magnitude(v):
    """(category, extra bits) of a DC difference or AC coefficient."""
    a = abs(v)
    size = a.bit_length()
    return size, (v if v >= 0 else v + (1 << size) - 1)


def _dct8x8(block):
    tmp = [[sum(_COS[u][x] * block[y * 8 + x] for x in range(8)) for u in range(8)]
           for y in range(8)]
    return [[sum(_COS[v][y] * tmp[y][u] for y in range(8)) for u in range(8)] for v in range(8)]


def _segment(marker, payload):
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def jpeg_bytes(width, height, values, quality=90):
    """Baseline grayscale JPEG of row-major 8-bit `values`."""
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    quant = [min(255, max(1, (q * scale + 50) // 100)) for q in _LUMA_QUANT]
    bw = _BitWriter()
    prev_dc = 0
    for by in range(0, height, 8):
        for bx in range(0, width, 8):
            block = []
            for y in range(8):
                yy = min(by + y, height - 1)  # replicate the edge into partial blocks
                row = yy * width
                for x in range(8):
                    block.append(values[row + min(bx + x, width - 1)] - 128)
            coef = _dct8x8(block)
            q = [int(math.floor(coef[i // 8][i % 8] / quant[i] + 0.5)) for i in range(64)]
            zz = [q[_ZIGZAG[k]] for k in range(64)]
            size, extra = _magnitude(zz[0] - prev_dc)
            prev_dc = zz[0]
            bw.write(*_DC_CODES[size])
            if size:
                bw.write(extra, size)
            run = 0
            for k in range(1, 64):
                if zz[k] == 0:
                    run += 1
                    continue
                while run > 15:
                    bw.write(*_AC_CODES[0xF0])
                    run -= 16
                size, extra = _magnitude(zz[k])
                bw.write(*_AC_CODES[(run << 4) | size])
                bw.write(extra, size)
                run = 0
            if run:
                bw.write(*_AC_CODES[0x00])
    bw.flush()
    app0 = b"JFIF\0" + struct.pack(">BBBHHBB", 1, 1, 0, 1, 1, 0, 0)
    dqt = b"\x00" + bytes(quant[_ZIGZAG[k]] for k in range(64))
    sof = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    dht = (b"\x00" + bytes(_DC_BITS) + bytes(_DC_VALS) +
           b"\x10" + bytes(_AC_BITS) + bytes(_AC_VALS))
    sos = b"\x01\x01\x00\x00\x3f\x00"
    return (b"\xff\xd8" + _segment(0xE0, app0) + _segment(0xDB, dqt) + _segment(0xC0, sof) +
            _segment(0xC4, dht) + _segment(0xDA, sos) + bytes(bw.out) + b"\xff\xd9")
