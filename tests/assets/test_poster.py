"""The CPU poster renderer draws the object lit and textured on a transparent background."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from assets.gltfio import Gltf, read_glb
from assets.intake import check_upload
from assets.pack import pack_glb
from assets.poster import render_poster, render_rgba
from assets.textures import TextureEncoder
from tests.assets.conftest import textured_quad


def encoder_for(gltf: Gltf, tmp_path: Path) -> TextureEncoder:
    return TextureEncoder({i: gltf.image_bytes(i) for i in range(len(gltf.doc.get("images", [])))}, tmp_path)


def test_red_triangle_on_transparent_background(triangle: tuple[dict[str, Any], bytes], tmp_path: Path) -> None:
    doc, binary = triangle
    doc["materials"] = [{"pbrMetallicRoughness": {"baseColorFactor": [1, 0, 0, 1]}, "doubleSided": True}]
    doc["meshes"][0]["primitives"][0]["material"] = 0
    gltf = Gltf(doc, [binary])
    rgba = render_rgba(gltf, encoder_for(gltf, tmp_path), size=128)
    assert rgba is not None and rgba.shape == (128, 128, 4)
    assert rgba[0, 0, 3] == 0 and rgba[-1, -1, 3] == 0
    drawn = rgba[rgba[..., 3] == 255]
    assert len(drawn) > 128 * 128 * 0.1
    assert (drawn[:, 0] > 100).all() and (drawn[:, 1] < 40).all() and (drawn[:, 2] < 40).all()


def test_back_face_of_single_sided_material_is_culled(triangle: tuple[dict[str, Any], bytes], tmp_path: Path) -> None:
    doc, binary = triangle
    doc["nodes"][0]["rotation"] = [0, 1, 0, 0]  # turned around: the camera sees its back
    gltf = Gltf(doc, [binary])
    rgba = render_rgba(gltf, encoder_for(gltf, tmp_path), size=64)
    assert rgba is not None and rgba[..., 3].max() == 0


def test_duck_poster_is_a_textured_yellow_duck(corpus: Path, tmp_path: Path) -> None:
    gltf = read_glb(pack_glb(check_upload(corpus / "Duck/glTF-Binary/Duck.glb")))
    out = render_poster(gltf, tmp_path / "duck.webp", encoder_for(gltf, tmp_path))
    assert out is not None
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert image.format == "WEBP" and image.size == (512, 512) and image.mode == "RGBA"
    rgba = np.asarray(image)
    assert rgba[0, 0, 3] == 0
    opaque = rgba[rgba[..., 3] > 250][:, :3].astype(int)
    assert len(opaque) > 512 * 512 * 0.2
    yellow = (opaque[:, 0] > 150) & (opaque[:, 1] > 120) & (opaque[:, 2] < 90)
    assert yellow.mean() > 0.5
    # Lit: the shading varies across the body, not one flat colour.
    assert opaque[yellow][:, 0].std() > 8


def test_scene_without_triangles_has_no_poster(tmp_path: Path) -> None:
    doc = {
        "asset": {"version": "2.0"},
        "scenes": [{"nodes": []}],
        "scene": 0,
    }
    gltf = Gltf(doc, [])
    assert render_poster(gltf, tmp_path / "p.webp", encoder_for(gltf, tmp_path)) is None


def quad_colours(tmp_path: Path, info: dict[str, Any]) -> np.ndarray:
    """Return the distinct opaque colours of the poster of an unlit quad whose base colour texture is `info`."""
    doc, binary = textured_quad(texcoord_sets=2)
    doc["materials"][0] = {
        "pbrMetallicRoughness": {"baseColorTexture": info},
        "doubleSided": True,
        "extensions": {"KHR_materials_unlit": {}},
    }
    doc["extensionsUsed"] = ["KHR_materials_unlit", "KHR_texture_transform"]
    gltf = Gltf(doc, [binary])
    rgba = render_rgba(gltf, encoder_for(gltf, tmp_path), size=96)
    assert rgba is not None
    return np.unique(rgba[rgba[..., 3] == 255][:, :3], axis=0)


def test_texture_transform_texcoord_override(tmp_path: Path) -> None:
    # TEXCOORD_1 spans only the texture's red top-left quarter; TEXCOORD_0 spans all four colours.
    assert len(quad_colours(tmp_path, {"index": 0})) == 4
    override = {"index": 0, "extensions": {"KHR_texture_transform": {"texCoord": 1}}}
    assert quad_colours(tmp_path, override).tolist() == [[255, 0, 0]]
    assert quad_colours(tmp_path, {"index": 0, "texCoord": 1}).tolist() == [[255, 0, 0]]


def test_texture_transform_offset_and_scale(tmp_path: Path) -> None:
    # Scaled to half and moved right by half: the quad shows the green top-right quarter alone.
    transform = {"offset": [0.5, 0.0], "scale": [0.5, 0.5]}
    colours = quad_colours(tmp_path, {"index": 0, "extensions": {"KHR_texture_transform": transform}})
    assert colours.tolist() == [[0, 255, 0]]
