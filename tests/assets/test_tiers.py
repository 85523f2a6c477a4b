"""Tier plans, budgets and the placeholder round trip around gltfpack."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from assets.gltfio import Gltf, read_glb
from assets.textures import TextureEncoder, texture_usages
from assets.tiers import PLANS, build_tier, placeholder_glb, plan_for, simplify_ratio


def test_simplify_ratio() -> None:
    assert simplify_ratio(1000, 50_000, 0.5) == 1.0
    assert simplify_ratio(200_000, 50_000, 0.5) == 0.5
    assert simplify_ratio(80_000, 60_000, 0.5) == pytest.approx(0.75)
    assert simplify_ratio(0, 10, 0.5) == 1.0


def test_plan_for_budget() -> None:
    assert plan_for("phone") is PLANS["phone"]
    phone, vr, desktop = (plan_for(n, 10_000) for n in ("phone", "vr", "desktop"))
    assert (phone.triangle_budget, vr.triangle_budget, desktop.triangle_budget) == (10_000, 12_000, 100_000)
    assert phone.min_ratio < PLANS["phone"].min_ratio
    assert phone.textures.max_size == 1024 and desktop.textures.max_size == 2048 and vr.textures.codec == "ktx2"


def png(color: tuple[int, int, int], size: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), color).save(out, "PNG")
    return out.getvalue()


def textured_triangle(triangle: tuple[dict[str, Any], bytes], image: bytes) -> Gltf:
    doc, binary = triangle
    uv = b"".join(v.to_bytes(4, "little") for v in (0, 0, 0x3F800000, 0, 0, 0x3F800000))
    binary = binary + uv + image
    doc["bufferViews"] += [
        {"buffer": 0, "byteOffset": 44, "byteLength": 24},
        {"buffer": 0, "byteOffset": 68, "byteLength": len(image)},
    ]
    doc["accessors"].append({"bufferView": 2, "componentType": 5126, "count": 3, "type": "VEC2"})
    doc["meshes"][0]["primitives"][0]["attributes"]["TEXCOORD_0"] = 2
    doc["meshes"][0]["primitives"][0]["material"] = 0
    doc["materials"] = [{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}, "normalTexture": {"index": 1}}]
    doc["textures"] = [{"source": 0}, {"source": 0}]
    doc["images"] = [{"bufferView": 3, "mimeType": "image/png"}]
    doc["buffers"][0]["byteLength"] = len(binary)
    return Gltf(doc, [binary])


def test_placeholders_stand_in_for_images(triangle: tuple[dict[str, Any], bytes]) -> None:
    gltf = textured_triangle(triangle, png((200, 30, 30), 8))
    doc = read_glb(placeholder_glb(gltf)).doc
    assert doc["images"] == [{"uri": "img0.png"}]
    assert texture_usages(gltf.doc) == {0: "color"}


def test_tier_replaces_placeholders_with_webp(triangle: tuple[dict[str, Any], bytes], tmp_path: Path) -> None:
    noisy = Image.linear_gradient("L").resize((1500, 1500)).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "PNG", compress_level=1)
    gltf = textured_triangle(triangle, out.getvalue())
    placeholder = tmp_path / "p.glb"
    placeholder.write_bytes(placeholder_glb(gltf))
    encoder = TextureEncoder({0: gltf.image_bytes(0)}, tmp_path)
    tier = build_tier(PLANS["phone"], placeholder, 1, encoder, texture_usages(gltf.doc), tmp_path / "phone.glb")
    doc = read_glb(tier.path.read_bytes()).doc
    assert "EXT_texture_webp" in doc["extensionsRequired"]
    assert doc["images"][0]["mimeType"] == "image/webp"
    assert all("source" not in t and t["extensions"]["EXT_texture_webp"]["source"] == 0 for t in doc["textures"])
    assert tier.stats["textures"][0]["width"] == 1024
    assert tier.triangles == 1


def test_phone_drops_only_triangles_no_one_would_see(tmp_path: Path) -> None:
    # Within the budget the phone tier simplifies toward half the triangles, but only as far as the surface
    # moves by 0.1 % of its extent: a finely cut flat slab loses half of them, a round sphere (whose facets
    # already lie 0.1 % from the true surface) keeps every one. The desktop keeps both whole.
    import trimesh

    slab = trimesh.creation.box(extents=(1, 1, 0.001))
    fine_slab = trimesh.Trimesh(*trimesh.remesh.subdivide_to_size(slab.vertices, slab.faces, 0.03))
    sphere = trimesh.creation.icosphere(subdivisions=4)
    kept = {}
    for name, mesh in (("slab", fine_slab), ("sphere", sphere)):
        placeholder = tmp_path / f"{name}.glb"
        placeholder.write_bytes(placeholder_glb(read_glb(trimesh.Scene(mesh).export(file_type="glb"))))
        for tier in ("phone", "desktop"):
            built = build_tier(PLANS[tier], placeholder, len(mesh.faces), TextureEncoder({}, tmp_path), {},
                               tmp_path / f"{name}-{tier}.glb")
            kept[name, tier] = built.triangles / len(mesh.faces)
    assert kept["slab", "phone"] <= 0.55 and kept["sphere", "phone"] == 1.0
    assert kept["slab", "desktop"] == kept["sphere", "desktop"] == 1.0
