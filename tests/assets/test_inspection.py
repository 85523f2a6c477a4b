"""Inspection of code-built and corpus assets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assets.gltfio import Gltf, read_glb
from assets.inspection import inspect_asset
from assets.intake import check_upload
from assets.pack import pack_glb


def test_triangle_counts_and_bounds(triangle: tuple[dict[str, Any], bytes]) -> None:
    doc, binary = triangle
    doc["nodes"] = [{"children": [1], "scale": [2, 2, 2]}, {"mesh": 0, "translation": [1, 0, 0]}]
    result = inspect_asset(Gltf(doc, [binary]))
    assert result["triangles"] == 1
    assert result["vertices"] == 3
    assert result["draw_calls"] == 1
    assert result["bounds"] == {"min": [2.0, 0.0, 0.0], "max": [4.0, 2.0, 0.0]}
    assert result["size_m"] == [2.0, 2.0, 0.0]


def test_a_room_lists_the_footprints_of_its_furniture(triangle: tuple[dict[str, Any], bytes]) -> None:
    doc, binary = triangle
    assert "obstacles" not in inspect_asset(Gltf(doc, [binary]))
    rope = [[-1, 1.4], [1, 1.4], [1, 1.6], [-1, 1.6]]
    doc.setdefault("scenes", [{"nodes": [0]}])
    doc["scenes"][0]["extras"] = {"obstacles": [rope, [[0, 0], [1, 1]], [[0, 0], [1, "x"], [1, 1]], "bed",
                                                [[0, 0], [1, 0], [float("nan"), 1]], [[0, 0], [1, 0], [True, 1]]]}
    assert inspect_asset(Gltf(doc, [binary]))["obstacles"] == [rope]


def test_strip_and_points(triangle: tuple[dict[str, Any], bytes]) -> None:
    doc, binary = triangle
    doc["meshes"][0]["primitives"].append({"attributes": {"POSITION": 0}, "mode": 0})
    doc["meshes"][0]["primitives"][0]["mode"] = 5
    result = inspect_asset(Gltf(doc, [binary]))
    assert result["triangles"] == 1
    assert result["draw_calls"] == 2


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("CesiumMan/glTF-Binary/CesiumMan.glb", {"skins": 1, "animations": 1, "triangles": 4672}),
        ("AnimatedMorphCube/glTF-Binary/AnimatedMorphCube.glb", {"morph_targets": 2, "animations": 1}),
        ("Cameras/glTF/Cameras.gltf", {"cameras": 2, "triangles": 2}),
        ("MeshoptPirate/glTF-Meshopt/pirate.glb", {"triangles": 5010}),
        ("SimpleInstancing/glTF-Binary/SimpleInstancing.glb", {"draw_calls": 1}),
    ],
)
def test_corpus_inspection(corpus: Path, entry: str, expected: dict[str, int]) -> None:
    result = inspect_asset(read_glb(pack_glb(check_upload(corpus / entry))))
    for key, value in expected.items():
        assert result[key] == value, key
    assert all(v > 0 for v in result["size_m"][:2])


def test_textures_are_described(corpus: Path) -> None:
    result = inspect_asset(read_glb(pack_glb(check_upload(corpus / "DamagedHelmet/glTF/DamagedHelmet.gltf"))))
    assert result["textures"][0] == {"width": 2048, "height": 2048, "mime": "image/jpeg"}
    assert len(result["textures"]) == 5


def test_instancing_widens_bounds(corpus: Path) -> None:
    result = inspect_asset(
        read_glb(pack_glb(check_upload(corpus / "SimpleInstancing/glTF-Binary/SimpleInstancing.glb")))
    )
    assert result["size_m"][0] > 5
