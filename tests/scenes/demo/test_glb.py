"""The demo's GLB writer: a well-formed container, faces wound to agree with their normals, anchors as nodes."""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np
import pytest

from assets.validator import validate_bytes
from scenes.demo import build_exhibit_models, build_rooms
from scenes.demo.geometry import box, cylinder, lathe, prism, sphere, tube
from scenes.demo.glb import Material, Texture, write_glb
from scenes.demo.textures import plaster

_COMPONENTS = {5126: np.float32, 5123: np.uint16, 5125: np.uint32}
_WIDTH = {"SCALAR": 1, "VEC2": 2, "VEC3": 3}


def _read(glb: bytes) -> tuple[dict[str, Any], bytes]:
    magic, version, total = struct.unpack_from("<4sII", glb, 0)
    assert (magic, version, total) == (b"glTF", 2, len(glb))
    json_len = struct.unpack_from("<I", glb, 12)[0]
    assert json_len % 4 == 0
    bin_len, kind = struct.unpack_from("<I4s", glb, 20 + json_len)
    assert kind == b"BIN\x00" and bin_len % 4 == 0
    return json.loads(glb[20 : 20 + json_len]), glb[28 + json_len : 28 + json_len + bin_len]


def _accessor(doc: dict[str, Any], binary: bytes, index: int) -> np.ndarray:
    acc = doc["accessors"][index]
    view = doc["bufferViews"][acc["bufferView"]]
    data = np.frombuffer(binary, _COMPONENTS[acc["componentType"]], acc["count"] * _WIDTH[acc["type"]],
                         view["byteOffset"])
    return data.reshape(acc["count"], -1) if _WIDTH[acc["type"]] > 1 else data


def _disagreeing_faces(glb: bytes) -> float:
    """Return the share of triangles whose winding faces away from their vertex normals."""
    doc, binary = _read(glb)
    bad = total = 0
    for prim in doc["meshes"][0]["primitives"]:
        pos = _accessor(doc, binary, prim["attributes"]["POSITION"]).astype(np.float64)
        nrm = _accessor(doc, binary, prim["attributes"]["NORMAL"]).astype(np.float64)
        tri = _accessor(doc, binary, prim["indices"]).reshape(-1, 3)
        face = np.cross(pos[tri[:, 1]] - pos[tri[:, 0]], pos[tri[:, 2]] - pos[tri[:, 0]])
        big = np.linalg.norm(face, axis=1) > 1e-10
        bad += int(np.sum((np.einsum("ij,ij->i", face, nrm[tri].sum(axis=1)) <= 0) & big))
        total += int(big.sum())
    return bad / total


def test_every_builder_winds_faces_along_its_normals() -> None:
    parts = [box((1, 2, 3)), cylinder(0.5, 1.0), sphere(0.4), lathe([[0, 0], [0.3, 0.1], [0.2, 0.5], [0, 0.6]]),
             tube(np.array([[0, 0, 0], [0, 1, 0], [1, 2, 0.5]]), 0.1),
             prism(np.array([[0, 0], [1, 0], [1, 1], [0.5, 0.4], [0, 1]]), 0.2)]
    glb = write_glb("shapes", parts, {"default": Material()})
    assert _disagreeing_faces(glb) == 0.0


@pytest.mark.parametrize("kind", ["exhibits", "rooms"])
def test_generated_models_wind_faces_along_their_normals(kind: str) -> None:
    built = build_exhibit_models() if kind == "exhibits" else build_rooms()
    for slug, item in built.items():
        assert _disagreeing_faces(item.glb) < 0.001, slug


def test_writer_groups_parts_by_material_and_writes_extensions() -> None:
    materials = {
        "a": Material((1, 0, 0, 1)),
        "glow": Material(emissive=(1, 1, 1), emissive_strength=3.0),
        "glass": Material((1, 1, 1, 0.2), alpha_mode="BLEND", transmission=0.9),
        "wall": Material(texture="plaster", uv_scale=0.5),
    }
    parts = [box((1, 1, 1), material="a"), box((1, 1, 1), (2, 0, 0), material="glow"),
             box((1, 1, 1), (4, 0, 0), material="a"), box((1, 1, 1), (6, 0, 0), material="glass"),
             box((2, 2, 0.1), (8, 0, 0), material="wall")]
    glb = write_glb("test", parts, materials, {"plaster": plaster(64)}, {"tip": (0.0, 1.0, 0.0)})
    doc, binary = _read(glb)
    assert [m["name"] for m in doc["materials"]] == ["a", "glow", "glass", "wall"]
    assert len(doc["meshes"][0]["primitives"]) == 4
    assert doc["materials"][1]["extensions"]["KHR_materials_emissive_strength"] == {"emissiveStrength": 3.0}
    assert doc["materials"][2]["extensions"]["KHR_materials_transmission"] == {"transmissionFactor": 0.9}
    assert doc["extensionsUsed"] == ["KHR_materials_emissive_strength", "KHR_materials_transmission"]
    wall = doc["meshes"][0]["primitives"][3]
    uv = _accessor(doc, binary, wall["attributes"]["TEXCOORD_0"])
    assert np.ptp(uv[16:20, 0]) == pytest.approx(1.0)  # the +z face: 2 m of wall at a 2 m texture tile
    assert "TEXCOORD_0" not in doc["meshes"][0]["primitives"][0]["attributes"]
    assert {n["name"]: n.get("translation") for n in doc["nodes"]} == {"test": None, "anchor:tip": [0.0, 1.0, 0.0]}
    report = validate_bytes(glb)
    assert report.errors == 0 and report.warnings == 0, report.summary()


def test_texture_images_are_stored_once_and_named() -> None:
    tex = Texture(b"\x89PNG fake", "image/png")
    materials = {"p": Material(texture="t"), "q": Material(emissive=(1, 1, 1), emissive_texture="t")}
    doc, _ = _read(write_glb("t", [box((1, 1, 1), material="p"), box((1, 1, 1), material="q")], materials,
                             {"t": tex, "unused": tex}))
    assert [i["name"] for i in doc["images"]] == ["t"]
    assert doc["materials"][1]["emissiveTexture"] == {"index": 0}


def test_colours_are_given_in_srgb_and_stored_linear() -> None:
    materials = {"grey": Material((0.5, 0.5, 0.5, 0.5), emissive=(0.5, 0.0, 1.0))}
    doc, _ = _read(write_glb("c", [box((1, 1, 1), material="grey")], materials))
    assert doc["materials"][0]["pbrMetallicRoughness"]["baseColorFactor"] == pytest.approx([0.214, 0.214, 0.214, 0.5],
                                                                                          abs=1e-3)
    assert doc["materials"][0]["emissiveFactor"] == pytest.approx([0.214, 0.0, 1.0], abs=1e-3)
