#!/usr/bin/env python3
"""Draws extension/icon.png (128x128): a Go-blue rounded square with a white
breakpoint dot and a "play" triangle. Pure standard library (zlib PNG writer)."""
import math, struct, zlib, os

N = 128
BLUE = (0, 173, 216)
WHITE = (255, 255, 255)
RED = (229, 57, 53)

def inside_rounded(x, y, r=22):
    cx = min(max(x, r), N - 1 - r)
    cy = min(max(y, r), N - 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

def pixel(x, y):
    if not inside_rounded(x, y):
        return (0, 0, 0, 0)
    # breakpoint dot, left
    if (x - 40) ** 2 + (y - 64) ** 2 <= 18 ** 2:
        return RED + (255,)
    # play triangle, right: points (66,36) (66,92) (106,64)
    if x >= 66 and abs(y - 64) <= (106 - x) * 28 / 40:
        return WHITE + (255,)
    return BLUE + (255,)

rows = b''.join(b'\x00' + b''.join(bytes(pixel(x, y)) for x in range(N)) for y in range(N))
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', N, N, 8, 6, 0, 0, 0)) \
    + chunk(b'IDAT', zlib.compress(rows, 9)) + chunk(b'IEND', b'')
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'extension', 'icon.png')
open(out, 'wb').write(png)
print(out, len(png), 'bytes')
