"""Fixtures that build small glTF assets in code."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "gltf"


def triangle_gltf() -> tuple[dict[str, Any], bytes]:
    """Return a one-triangle document and its buffer bytes (positions then uint16 indices)."""
    positions = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], dtype="<f4")  # (3, 3)
    indices = np.array([0, 1, 2], dtype="<u2")
    binary = positions.tobytes() + indices.tobytes() + b"\0\0"
    doc: dict[str, Any] = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1}]}],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
            {"bufferView": 1, "componentType": 5123, "count": 3, "type": "SCALAR"},
        ],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": 36, "target": 34962},
            {"buffer": 0, "byteOffset": 36, "byteLength": 6, "target": 34963},
        ],
        "buffers": [{"byteLength": len(binary)}],
    }
    return doc, binary


def glb_bytes(doc: dict[str, Any], binary: bytes | None, json_text: bytes | None = None) -> bytes:
    """Return GLB bytes for a document (or raw JSON text) and an optional BIN chunk."""
    text = json_text if json_text is not None else json.dumps(doc).encode()
    text += b" " * (-len(text) % 4)
    body = struct.pack("<II", len(text), 0x4E4F534A) + text
    if binary is not None:
        binary += b"\0" * (-len(binary) % 4)
        body += struct.pack("<II", len(binary), 0x004E4942) + binary
    return struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body


@pytest.fixture
def write_glb(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that writes a GLB into tmp_path and returns its path."""

    def write(
        doc: dict[str, Any], binary: bytes | None, name: str = "model.glb", json_text: bytes | None = None
    ) -> Path:
        path = tmp_path / name
        path.write_bytes(glb_bytes(doc, binary, json_text))
        return path

    return write


@pytest.fixture
def triangle() -> tuple[dict[str, Any], bytes]:
    """Return a fresh one-triangle document and its buffer bytes."""
    return triangle_gltf()


@pytest.fixture
def make_glb_bytes() -> Callable[..., bytes]:
    """Return the GLB serialiser used to build hostile files."""
    return glb_bytes


@pytest.fixture
def corpus() -> Path:
    """Return the shared folder of real glTF models (read only)."""
    return CORPUS
