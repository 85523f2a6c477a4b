"""Fixtures that build small glTF assets in code."""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

# The external glTF corpus is extra to the models built here; its tests skip when it is not there.
CORPUS = Path(
    os.environ.get("MUSEUM_TEST_CORPUS") or Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "gltf"
)
CORPUS_MISSING = (
    f"the external glTF corpus is not at {CORPUS}: set MUSEUM_TEST_CORPUS (default ../shared/corpus/gltf) "
    "to a folder of Khronos glTF samples with its corpus.tsv to run this test"
)


def corpus_entries() -> list[Any]:
    """Return the corpus's entry files as pytest parameters, or one skipped parameter when it is absent."""
    table = CORPUS / "corpus.tsv"
    if not table.is_file():
        return [pytest.param("", marks=pytest.mark.skip(reason=CORPUS_MISSING))]
    rows = table.read_text(encoding="utf-8").splitlines()[1:]
    return [row.split("\t")[2] for row in rows if row.strip()]


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
    """Return the shared folder of real glTF models (read only); skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(CORPUS_MISSING)
    return CORPUS


def textured_quad(normals: bool = True, texcoord_sets: int = 1) -> tuple[dict[str, Any], bytes]:
    """Return a unit quad with UVs (TEXCOORD_0 and, with texcoord_sets=2, a second set) and a 4x4 PNG image."""
    import io

    from PIL import Image

    positions = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], dtype="<f4")  # (4, 3)
    normal = np.array([[0, 0, 1]] * 4, dtype="<f4")  # (4, 3)
    uv = np.array([[0, 1], [1, 1], [1, 0], [0, 0]], dtype="<f4")  # (4, 2)
    uv2 = np.array([[0, 0.5], [0.5, 0.5], [0.5, 0], [0, 0]], dtype="<f4")  # (4, 2)
    indices = np.array([0, 1, 2, 0, 2, 3], dtype="<u2")
    pixels = np.zeros((4, 4, 3), np.uint8)
    pixels[:2, :2] = (255, 0, 0)  # top-left quarter red: texture lookups can be told apart
    pixels[:2, 2:] = (0, 255, 0)
    pixels[2:, :2] = (0, 0, 255)
    pixels[2:, 2:] = (255, 255, 255)
    image = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(image, "PNG")
    blocks = [positions.tobytes(), normal.tobytes(), uv.tobytes(), uv2.tobytes(), indices.tobytes(), image.getvalue()]
    views, binary = [], b""
    for block in blocks:
        views.append({"buffer": 0, "byteOffset": len(binary), "byteLength": len(block)})
        binary += block + b"\0" * (-len(block) % 4)
    attributes = {"POSITION": 0, "TEXCOORD_0": 2}
    if normals:
        attributes["NORMAL"] = 1
    if texcoord_sets > 1:
        attributes["TEXCOORD_1"] = 3
    doc: dict[str, Any] = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": attributes, "indices": 4, "material": 0}]}],
        "materials": [{"pbrMetallicRoughness": {"metallicFactor": 0.0}}],
        "textures": [{"source": 0}],
        "images": [{"bufferView": 5, "mimeType": "image/png"}],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
            {"bufferView": 1, "componentType": 5126, "count": 4, "type": "VEC3"},
            {"bufferView": 2, "componentType": 5126, "count": 4, "type": "VEC2"},
            {"bufferView": 3, "componentType": 5126, "count": 4, "type": "VEC2"},
            {"bufferView": 4, "componentType": 5123, "count": 6, "type": "SCALAR"},
        ],
        "bufferViews": views,
        "buffers": [{"byteLength": len(binary)}],
    }
    return doc, binary
