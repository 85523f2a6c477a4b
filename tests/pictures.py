"""Pictures that lie: built byte by byte for the tests of every upload that takes an image."""

from __future__ import annotations

import struct
import zlib


def png_claiming(width: int, height: int) -> bytes:
    """Return a valid PNG of a few dozen bytes whose header claims `width` x `height` RGB pixels (a decompression
    bomb when large): a reader that trusts the header before decoding refuses it without decoding anything."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1024, 9)) + \
        chunk(b"IEND", b"")
