"""Decode EXT_meshopt_compression so the Khronos validator can see the data it hides."""

from __future__ import annotations

import copy

import meshopt
import numpy as np

from assets.gltfio import BinaryBuilder, Gltf, write_glb

_NAMES = ("EXT_meshopt_compression", "KHR_meshopt_compression")


def has_meshopt(gltf: Gltf) -> bool:
    """Return True if any bufferView is meshopt-compressed."""
    return any(any(n in v.get("extensions", {}) for n in _NAMES) for v in gltf.doc.get("bufferViews", []))


def decode_view(gltf: Gltf, index: int) -> bytes:
    """Return the plain bytes of bufferView `index`, decoding meshopt data if it is compressed."""
    view = gltf.doc["bufferViews"][index]
    ext = next((view["extensions"][n] for n in _NAMES if n in view.get("extensions", {})), None)
    if ext is None:
        return gltf.view_bytes(index)
    source = gltf.buffers[ext["buffer"]]
    assert source is not None
    start = int(ext.get("byteOffset", 0))
    data = source[start : start + int(ext["byteLength"])]
    count, stride = int(ext["count"]), int(ext["byteStride"])
    filt = ext.get("filter", "NONE")
    decoded = meshopt.decode_gltf_buffer(data, count, stride, ext["mode"], None if filt == "NONE" else filt)
    plain = np.ascontiguousarray(decoded).tobytes()
    return plain.ljust(int(view["byteLength"]), b"\0")


def decoded(gltf: Gltf) -> Gltf:
    """Return a copy of the asset with every bufferView plain and one buffer (meshopt removed)."""
    doc = copy.deepcopy(gltf.doc)
    builder = BinaryBuilder()
    for i, view in enumerate(doc.get("bufferViews", [])):
        data = decode_view(gltf, i)
        view["byteOffset"] = builder.add(data, 16)
        view["buffer"] = 0
        extensions = view.get("extensions", {})
        for name in _NAMES:
            extensions.pop(name, None)
        if not extensions:
            view.pop("extensions", None)
    for key in ("extensionsUsed", "extensionsRequired"):
        if key in doc:
            doc[key] = [e for e in doc[key] if e not in _NAMES]
            if not doc[key]:
                del doc[key]
    binary = builder.getvalue()
    doc["buffers"] = [{"byteLength": len(binary)}] if binary else []
    if not doc["buffers"]:
        del doc["buffers"]
    return Gltf(doc, [binary] if binary else [])


def decoded_glb(gltf: Gltf) -> bytes:
    """Return GLB bytes of the meshopt-decoded copy."""
    plain = decoded(gltf)
    return write_glb(plain.doc, plain.buffers[0] or b"" if plain.buffers else b"")
