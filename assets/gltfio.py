"""Read and write glTF 2.0 binaries and accessors as numpy arrays.

`Gltf` holds a parsed document and the bytes of its buffers. GLB parsing here checks only framing; the
hostile-input checks live in `assets.intake`, which every upload passes first.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assets.errors import AssetRejected

GLB_MAGIC = b"glTF"
CHUNK_JSON = 0x4E4F534A
CHUNK_BIN = 0x004E4942

COMPONENT_DTYPES: dict[int, str] = {
    5120: "<i1",
    5121: "<u1",
    5122: "<i2",
    5123: "<u2",
    5125: "<u4",
    5126: "<f4",
}
COMPONENT_SIZES: dict[int, int] = {5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4}
TYPE_SIZES: dict[str, int] = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}
_NORMALIZE_DIVISORS: dict[int, float] = {5120: 127.0, 5121: 255.0, 5122: 32767.0, 5123: 65535.0}


@dataclass
class Gltf:
    """A glTF document and its buffers' bytes (None for a buffer without data, e.g. a meshopt fallback)."""

    doc: dict[str, Any]
    buffers: list[bytes | None] = field(default_factory=list)

    def view_bytes(self, index: int) -> bytes:
        """Return the bytes of bufferView `index` (compressed bytes stay compressed)."""
        view = self.doc["bufferViews"][index]
        data = self.buffers[view["buffer"]]
        if data is None:
            raise AssetRejected(
                "BUFFER_WITHOUT_DATA", "a bufferView reads a buffer that has no data", f"/bufferViews/{index}"
            )
        start = int(view.get("byteOffset", 0))
        return data[start : start + int(view["byteLength"])]

    def image_bytes(self, index: int) -> bytes:
        """Return the encoded bytes of image `index` (the document must be packed: images in bufferViews)."""
        image = self.doc["images"][index]
        if "bufferView" not in image:
            raise AssetRejected("IMAGE_NOT_PACKED", "image has no bufferView", f"/images/{index}")
        return self.view_bytes(int(image["bufferView"]))


def split_glb(data: bytes) -> tuple[bytes, bytes | None]:
    """Return the JSON chunk and the BIN chunk (or None) of a GLB, checking header and chunk lengths."""
    if len(data) < 20:
        raise AssetRejected("GLB_TRUNCATED", "GLB is shorter than its 12-byte header and first chunk header")
    magic, version, length = struct.unpack_from("<4sII", data, 0)
    if magic != GLB_MAGIC:
        raise AssetRejected("GLB_BAD_MAGIC", "file does not start with the GLB magic 'glTF'")
    if version != 2:
        raise AssetRejected("GLB_BAD_VERSION", f"GLB container version {version} is not 2")
    if length != len(data):
        raise AssetRejected("GLB_BAD_LENGTH", f"GLB header says {length} bytes, the file has {len(data)}")
    offset = 12
    chunks: list[tuple[int, bytes]] = []
    while offset < length:
        if offset + 8 > length:
            raise AssetRejected("GLB_TRUNCATED", f"GLB chunk header at byte {offset} runs past the end")
        chunk_length, chunk_type = struct.unpack_from("<II", data, offset)
        if chunk_length % 4 or offset + 8 + chunk_length > length:
            raise AssetRejected("GLB_BAD_CHUNK_LENGTH", f"GLB chunk at byte {offset} has a bad length {chunk_length}")
        chunks.append((chunk_type, data[offset + 8 : offset + 8 + chunk_length]))
        offset += 8 + chunk_length
    if not chunks or chunks[0][0] != CHUNK_JSON:
        raise AssetRejected("GLB_NO_JSON", "the first GLB chunk is not JSON")
    binary = None
    if len(chunks) > 1 and chunks[1][0] == CHUNK_BIN:
        binary = chunks[1][1]
    if sum(1 for kind, _ in chunks if kind in (CHUNK_JSON, CHUNK_BIN)) > (2 if binary is not None else 1):
        raise AssetRejected("GLB_EXTRA_CHUNK", "GLB has more than one JSON or BIN chunk")
    return chunks[0][1], binary


def write_glb(doc: dict[str, Any], binary: bytes) -> bytes:
    """Serialise a document and its single BIN buffer into GLB bytes."""
    doc = dict(doc)
    if binary:
        buffers = [dict(b) for b in doc.get("buffers", [])]
        buffers[0] = {k: v for k, v in buffers[0].items() if k != "uri"}
        buffers[0]["byteLength"] = len(binary)
        doc["buffers"] = buffers
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 4)
    parts = [struct.pack("<II", len(text), CHUNK_JSON), text]
    if binary:
        padded = binary + b"\0" * (-len(binary) % 4)
        parts += [struct.pack("<II", len(padded), CHUNK_BIN), padded]
    body = b"".join(parts)
    return struct.pack("<4sII", GLB_MAGIC, 2, 12 + len(body)) + body


def read_glb(data: bytes) -> Gltf:
    """Parse GLB bytes whose buffers all live in the BIN chunk (packed), without hostile-input checks."""
    text, binary = split_glb(data)
    doc = json.loads(text)
    buffers: list[bytes | None] = []
    for i, buffer in enumerate(doc.get("buffers", [])):
        if i == 0 and "uri" not in buffer and binary is not None:
            buffers.append(binary)
        else:
            buffers.append(None)
    return Gltf(doc, buffers)


class BinaryBuilder:
    """Append byte blocks 4-byte aligned into one buffer and remember where each went."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def add(self, block: bytes, align: int = 4) -> int:
        """Append a block and return its byte offset."""
        pad = -self.size % align
        if pad:
            self.parts.append(b"\0" * pad)
            self.size += pad
        offset = self.size
        self.parts.append(bytes(block))
        self.size += len(block)
        return offset

    def getvalue(self) -> bytes:
        """Return all appended blocks as one bytes object."""
        return b"".join(self.parts)


def accessor_element_size(accessor: dict[str, Any]) -> int:
    """Return the bytes of one element of an accessor (no matrix column padding)."""
    return COMPONENT_SIZES[accessor["componentType"]] * TYPE_SIZES[accessor["type"]]


def read_accessor(gltf: Gltf, index: int, normalized_to_float: bool = True) -> np.ndarray:
    """Return accessor `index` as an array of shape (count, components); normalized integers become floats."""
    accessor = gltf.doc["accessors"][index]
    count = int(accessor["count"])
    ncomp = TYPE_SIZES[accessor["type"]]
    dtype = np.dtype(COMPONENT_DTYPES[accessor["componentType"]])
    if "bufferView" in accessor:
        view = gltf.doc["bufferViews"][accessor["bufferView"]]
        raw = gltf.view_bytes(accessor["bufferView"])
        elem = dtype.itemsize * ncomp
        stride = int(view.get("byteStride", elem))
        start = int(accessor.get("byteOffset", 0))
        flat = np.frombuffer(raw, dtype=np.uint8)
        rows = np.lib.stride_tricks.as_strided(flat[start:], shape=(count, elem), strides=(stride, 1))
        values = np.ascontiguousarray(rows).view(dtype).reshape(count, ncomp).copy()
    else:
        values = np.zeros((count, ncomp), dtype=dtype)
    sparse = accessor.get("sparse")
    if sparse:
        n = int(sparse["count"])
        idx_info = sparse["indices"]
        idx_dtype = np.dtype(COMPONENT_DTYPES[idx_info["componentType"]])
        idx_raw = gltf.view_bytes(idx_info["bufferView"])
        idx_start = int(idx_info.get("byteOffset", 0))
        where = np.frombuffer(idx_raw, dtype=idx_dtype, count=n, offset=idx_start).astype(np.int64)
        val_info = sparse["values"]
        val_raw = gltf.view_bytes(val_info["bufferView"])
        val_start = int(val_info.get("byteOffset", 0))
        values[where] = np.frombuffer(val_raw, dtype=dtype, count=n * ncomp, offset=val_start).reshape(n, ncomp)
    if accessor.get("normalized") and normalized_to_float and dtype.kind in "iu":
        divisor = _NORMALIZE_DIVISORS[accessor["componentType"]]
        return np.maximum(values.astype(np.float32) / divisor, -1.0)
    return values
