"""Composing a room and placed exhibits into one GLB: valid, complete, transforms where they belong."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest
from PIL import Image

from assets.gltfio import BinaryBuilder, read_accessor, read_glb, write_glb
from assets.validator import validate_bytes
from scenes.compose import Transform, compose_gallery
from scenes.errors import ComposeFailed
from tests.conftest import CORPUS, needs_corpus


def textured_quad(colour: tuple[int, int, int], animated: bool = False) -> bytes:
    """Return a GLB of a textured unit quad on a child node, optionally with a translation animation."""
    positions = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], dtype=np.float32)  # (4, 3)
    uvs = np.array([[0, 1], [1, 1], [1, 0], [0, 0]], dtype=np.float32)  # (4, 2)
    indices = np.array([0, 1, 2, 0, 2, 3], dtype=np.uint16)  # (6,)
    png = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(png, "PNG")
    binary = BinaryBuilder()
    views: list[dict[str, Any]] = []

    def view(data: bytes, target: int | None = None) -> int:
        views.append({"buffer": 0, "byteOffset": binary.add(data), "byteLength": len(data)}
                     | ({"target": target} if target else {}))
        return len(views) - 1

    accessors = [
        {"bufferView": view(positions.tobytes(), 34962), "componentType": 5126, "count": 4, "type": "VEC3",
         "min": [0, 0, 0], "max": [1, 1, 0]},
        {"bufferView": view(uvs.tobytes(), 34962), "componentType": 5126, "count": 4, "type": "VEC2"},
        {"bufferView": view(indices.tobytes(), 34963), "componentType": 5123, "count": 6, "type": "SCALAR"},
    ]
    image_view = view(png.getvalue())
    doc: dict[str, Any] = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"name": "holder", "children": [1]}, {"name": "quad", "mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "TEXCOORD_0": 1}, "indices": 2, "material": 0}]}],
        "materials": [{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}, "metallicFactor": 0.0}}],
        "textures": [{"source": 0, "sampler": 0}],
        "samplers": [{"magFilter": 9729, "minFilter": 9729}],
        "images": [{"bufferView": image_view, "mimeType": "image/png"}],
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": 0}],
    }
    if animated:
        times = np.array([0.0, 1.0], dtype=np.float32)
        moves = np.array([[0, 0, 0], [0, 0.5, 0]], dtype=np.float32)
        accessors.append({"bufferView": view(times.tobytes()), "componentType": 5126, "count": 2,
                          "type": "SCALAR", "min": [0.0], "max": [1.0]})
        accessors.append({"bufferView": view(moves.tobytes()), "componentType": 5126, "count": 2, "type": "VEC3"})
        doc["animations"] = [{"name": "bob", "samplers": [{"input": 3, "output": 4}],
                              "channels": [{"sampler": 0, "target": {"node": 1, "path": "translation"}}]}]
    return write_glb(doc, binary.getvalue())


def world_position(doc: dict[str, Any], node: int) -> np.ndarray:
    """Return the world translation (3,) of a node by walking its parents' matrices and translations."""
    parents = {c: i for i, n in enumerate(doc["nodes"]) for c in n.get("children", [])}
    matrix = np.eye(4)
    while True:
        n = doc["nodes"][node]
        local = np.eye(4)
        if "matrix" in n:
            local = np.array(n["matrix"]).reshape(4, 4).T
        elif "translation" in n:
            local[:3, 3] = n["translation"]
        matrix = local @ matrix
        if node not in parents:
            return matrix[:3, 3]
        node = parents[node]


def test_room_and_exhibits_become_one_valid_glb() -> None:
    room, red, blue = textured_quad((200, 200, 200)), textured_quad((255, 0, 0), True), textured_quad((0, 0, 255))
    moved = np.eye(4)
    moved[:3, 3] = [2.0, 0.0, -3.0]
    out = compose_gallery(room, [(red, moved), (blue, {"translation": [-1.0, 0.5, 0.0]})])
    report = validate_bytes(out)
    assert report.errors == 0, report.summary()
    doc = read_glb(out).doc
    assert [doc["nodes"][i]["name"] for i in doc["scenes"][0]["nodes"]] == ["room", "placement-1", "placement-2"]
    assert len(doc["meshes"]) == 3 and len(doc["materials"]) == 3 and len(doc["images"]) == 3
    quads = [i for i, n in enumerate(doc["nodes"]) if n.get("name") == "quad"]
    expected = np.array([[0, 0, 0], [2, 0, -3], [-1, 0.5, 0]], dtype=np.float64)
    np.testing.assert_allclose(np.array([world_position(doc, i) for i in quads]), expected)
    # Each quad keeps its own texture: the material of placement 2 shows the blue image.
    gltf = read_glb(out)
    material = doc["materials"][doc["meshes"][doc["nodes"][quads[2]]["mesh"]]["primitives"][0]["material"]]
    image = doc["textures"][material["pbrMetallicRoughness"]["baseColorTexture"]["index"]]["source"]
    assert Image.open(io.BytesIO(gltf.image_bytes(image))).getpixel((0, 0)) == (0, 0, 255)
    # The animation still drives the red quad, now under its placement.
    (animation,) = doc["animations"]
    assert animation["channels"][0]["target"]["node"] == quads[1]
    np.testing.assert_allclose(read_accessor(gltf, animation["samplers"][0]["output"])[1], [0, 0.5, 0])


def test_an_exhibit_placed_twice_shares_its_data() -> None:
    room, exhibit = textured_quad((90, 90, 90)), textured_quad((255, 0, 0), True)
    out = compose_gallery(room, [(exhibit, np.eye(4)), (exhibit, {"translation": [3.0, 0.0, 0.0]})])
    assert validate_bytes(out).errors == 0
    doc = read_glb(out).doc
    assert len(doc["meshes"]) == 2 and len(doc["images"]) == 2
    assert len(doc["nodes"]) == 3 * 3 and len(doc["animations"]) == 2
    targets = {a["channels"][0]["target"]["node"] for a in doc["animations"]}
    assert len(targets) == 2  # each copy animates its own node
    assert "matrix" not in doc["nodes"][doc["scenes"][0]["nodes"][1]]  # an identity adds no transform


def test_refuses_what_it_cannot_merge() -> None:
    with pytest.raises(ComposeFailed) as bad:
        compose_gallery(b"not a glb at all, just text", [])
    assert bad.value.code == "NOT_GLB"
    with pytest.raises(ComposeFailed) as shape:
        compose_gallery(textured_quad((1, 2, 3)), [(textured_quad((4, 5, 6)), [[1, 0, 0], [0, 1, 0]])])
    assert shape.value.code == "BAD_TRANSFORM"
    gltf = read_glb(textured_quad((1, 2, 3)))
    gltf.doc["extensionsUsed"] = gltf.doc["extensionsRequired"] = ["KHR_draco_mesh_compression"]
    with pytest.raises(ComposeFailed) as draco:
        compose_gallery(write_glb(gltf.doc, gltf.buffers[0] or b""), [])
    assert draco.value.code == "UNSUPPORTED_EXTENSION"


@pytest.mark.slow
@needs_corpus
def test_corpus_skins_morphs_and_meshopt_survive() -> None:
    paths = {name: CORPUS / name / folder / file for name, folder, file in [
        ("CesiumMan", "glTF-Binary", "CesiumMan.glb"), ("AnimatedMorphCube", "glTF-Binary", "AnimatedMorphCube.glb"),
        ("MeshoptPirate", "glTF-Meshopt", "pirate.glb"), ("Duck", "glTF-Binary", "Duck.glb")]}
    missing = [str(p) for p in paths.values() if not p.exists()]
    if missing:
        pytest.fail(f"corpus files not present: {missing}")
    data = {name: path.read_bytes() for name, path in paths.items()}
    placed: list[tuple[bytes, Transform]] = [
              (data["CesiumMan"], {"translation": [1.0, 0.0, 0.0]}), (data["CesiumMan"], {"translation": [-1.0, 0, 0]}),
              (data["AnimatedMorphCube"], {"scale": [0.5, 0.5, 0.5]}), (data["MeshoptPirate"], np.eye(4))]
    out = compose_gallery(data["Duck"], placed)
    report = validate_bytes(out)
    assert report.errors == 0, report.summary()
    doc = read_glb(out).doc
    man = read_glb(data["CesiumMan"]).doc
    cube = read_glb(data["AnimatedMorphCube"]).doc
    assert len(doc["skins"]) == 2 * len(man["skins"])
    assert len(doc["animations"]) == 2 * len(man["animations"]) + len(cube["animations"])
    assert any("targets" in p for m in doc["meshes"] for p in m["primitives"])
    assert not any("meshopt" in e.lower() for e in doc.get("extensionsUsed", []))
    joints = [set(s["joints"]) for s in doc["skins"]]
    assert not joints[0] & joints[1]  # the two figures move their own skeletons
    json.dumps(doc)  # plain JSON all the way down
