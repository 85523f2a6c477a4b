"""ingest(): tiers, poster, validation, cleanup on rejection, and features that must survive every tier."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assets.errors import AssetRejected, ValidationFailed
from assets.gltfio import read_glb
from assets.pipeline import IngestLimits, IngestResult, TierFile, ingest
from tests.assets.conftest import corpus_entries

TIERS = ("phone", "desktop", "vr")
_CACHE: dict[str, tuple[IngestResult, dict[str, Any]]] = {}


def test_box_ingest(corpus: Path, tmp_path: Path) -> None:
    stages: list[str] = []
    result = ingest(corpus / "Box/glTF/Box.gltf", tmp_path / "out", progress=lambda s, f: stages.append(s))
    assert set(result.tiers) == {"original", "phone", "desktop", "vr"}
    assert result.media_type == "model/gltf+json" and result.original_name == "Box.gltf"
    assert result.validator["errors"] == 0
    assert result.inspection["triangles"] == 12
    for name, tier in result.tiers.items():
        assert isinstance(tier, TierFile)
        assert tier.path.parent == tmp_path / "out" and tier.path.stat().st_size == tier.bytes
        assert tier.triangles == 12, name
    for name in TIERS:
        assert result.tiers[name].stats["validator"]["errors"] == 0
        assert result.tiers[name].stats["validator_meshopt_decoded"]["errors"] == 0
    assert result.poster is not None and result.poster.read_bytes()[8:12] == b"WEBP"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "desktop.glb",
        "original.glb",
        "phone.glb",
        "poster.webp",
        "vr.glb",
    ]
    assert stages[0] == "intake" and stages[-1] == "done"
    assert {"validate", "phone", "desktop", "vr", "poster", "check"} <= set(stages)
    json.dumps(result.inspection)
    json.dumps(result.validator)


def test_glb_original_is_kept_byte_for_byte(corpus: Path, tmp_path: Path) -> None:
    source = corpus / "BoxInterleaved/glTF-Binary/BoxInterleaved.glb"
    result = ingest(source, tmp_path)
    assert result.tiers["original"].path.read_bytes() == source.read_bytes()


def test_rejected_upload_leaves_nothing(tmp_path: Path, make_glb_bytes: Callable[..., bytes], triangle: Any) -> None:
    doc, binary = triangle
    doc["accessors"][0]["count"] = 99
    bad = tmp_path / "bad.glb"
    bad.write_bytes(make_glb_bytes(doc, binary))
    out = tmp_path / "out"
    with pytest.raises(AssetRejected) as info:
        ingest(bad, out)
    assert info.value.code == "ACCESSOR_OUT_OF_BOUNDS"
    assert list(out.iterdir()) == []


def test_validator_errors_reject_and_clean_up(
    tmp_path: Path, make_glb_bytes: Callable[..., bytes], triangle: Any
) -> None:
    doc, binary = triangle
    # A sheared matrix: a validator error (not an intake one) that no repair covers.
    doc["nodes"][0]["matrix"] = [1, 0.5, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    bad = tmp_path / "bad.glb"
    bad.write_bytes(make_glb_bytes(doc, binary))
    out = tmp_path / "out"
    with pytest.raises(ValidationFailed) as info:
        ingest(bad, out)
    assert info.value.code == "NODE_MATRIX_NON_TRS"
    assert info.value.pointer == "/nodes/0/matrix"
    assert list(out.iterdir()) == []


def test_limits_are_applied(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(AssetRejected) as info:
        ingest(corpus / "Duck/glTF-Binary/Duck.glb", tmp_path, limits=IngestLimits(max_texture_pixels=64 * 64))
    assert info.value.code == "TEXTURE_TOO_LARGE"


def ingested(corpus: Path, tmp_path_factory: pytest.TempPathFactory, entry: str) -> tuple[IngestResult, dict[str, Any]]:
    if entry not in _CACHE:
        result = ingest(corpus / entry, tmp_path_factory.mktemp("ingest"))
        docs = {name: read_glb(tier.path.read_bytes()).doc for name, tier in result.tiers.items()}
        _CACHE[entry] = (result, docs)
    return _CACHE[entry]


def attributes(doc: dict[str, Any]) -> set[str]:
    return {a for m in doc.get("meshes", []) for p in m["primitives"] for a in p.get("attributes", {})}


def material_extensions(doc: dict[str, Any]) -> set[str]:
    return {e for e in doc.get("extensionsUsed", []) if e.startswith("KHR_materials_")}


def texture_transforms(doc: dict[str, Any]) -> int:
    return json.dumps(doc.get("materials", [])).count("KHR_texture_transform")


FEATURES: list[tuple[str, Callable[[dict[str, Any], dict[str, Any]], bool]]] = [
    (
        "CesiumMan/glTF-Binary/CesiumMan.glb",
        lambda o, t: (
            len(t["skins"]) == len(o["skins"])
            and len(t["skins"][0]["joints"]) == len(o["skins"][0]["joints"])
            and len(t["animations"]) == len(o["animations"])
            and len(t["animations"][0]["channels"]) > 0
            and {"JOINTS_0", "WEIGHTS_0"} <= attributes(t)
        ),
    ),
    (
        "AnimatedMorphCube/glTF-Binary/AnimatedMorphCube.glb",
        lambda o, t: (
            len(t["meshes"][0]["primitives"][0]["targets"]) == len(o["meshes"][0]["primitives"][0]["targets"])
            and t["animations"][0]["channels"][0]["target"]["path"] == "weights"
        ),
    ),
    (
        "Cameras/glTF/Cameras.gltf",
        lambda o, t: (
            len(t.get("cameras", [])) == len(o["cameras"])
            and sum("camera" in n for n in t["nodes"]) == sum("camera" in n for n in o["nodes"])
        ),
    ),
    (
        "TextureTransformTest/glTF/TextureTransformTest.gltf",
        lambda o, t: "KHR_texture_transform" in t["extensionsUsed"] and texture_transforms(t) >= texture_transforms(o),
    ),
    (
        "MultiUVTest/glTF-Binary/MultiUVTest.glb",
        lambda o, t: "TEXCOORD_1" in attributes(t) and '"texCoord": 1' in json.dumps(t["materials"]),
    ),
    ("VertexColorTest/glTF-Binary/VertexColorTest.glb", lambda o, t: "COLOR_0" in attributes(t)),
    (
        "SheenChair/glTF/SheenChair.gltf",
        lambda o, t: (
            material_extensions(t) == material_extensions(o)
            and len(t["extensions"]["KHR_materials_variants"]["variants"])
            == len(o["extensions"]["KHR_materials_variants"]["variants"])
            and "TEXCOORD_1" in attributes(t)
            and "KHR_texture_transform" in t["extensionsUsed"]
        ),
    ),
    (
        "IridescenceSuzanne/glTF-Binary/IridescenceSuzanne.glb",
        lambda o, t: (
            material_extensions(t) == material_extensions(o)
            and len(t["extensions"]["KHR_lights_punctual"]["lights"])
            == len(o["extensions"]["KHR_lights_punctual"]["lights"])
        ),
    ),
    (
        "AnisotropyBarnLamp/glTF-KTX2-Basisu/AnisotropyBarnLamp.gltf",
        lambda o, t: material_extensions(t) == material_extensions(o),
    ),
    (
        "CesiumMan/glTF-Draco/CesiumMan.gltf",
        lambda o, t: (
            "KHR_draco_mesh_compression" not in t["extensionsUsed"]
            and len(t["skins"]) == 1
            and len(t["animations"]) == 1
        ),
    ),
    ("MeshoptPirate/glTF-Meshopt/pirate.glb", lambda o, t: "KHR_meshopt_compression" in t["extensionsUsed"]),
    ("MultipleScenes/glTF/MultipleScenes.gltf", lambda o, t: len(t["scenes"]) == len(o["scenes"])),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("entry", "check"), FEATURES, ids=[f[0].split("/")[0] + "-" + f[0].split("/")[1] for f in FEATURES]
)
def test_features_survive_every_tier(
    corpus: Path,
    tmp_path_factory: pytest.TempPathFactory,
    entry: str,
    check: Callable[[dict[str, Any], dict[str, Any]], bool],
) -> None:
    result, docs = ingested(corpus, tmp_path_factory, entry)
    for name in TIERS:
        assert check(docs["original"], docs[name]), name
        assert result.tiers[name].stats["validator"]["errors"] == 0, name
        assert result.tiers[name].stats["validator_meshopt_decoded"]["errors"] == 0, name


@pytest.mark.slow
def test_ktx2_input_comes_through(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    result, docs = ingested(corpus, tmp_path_factory, "AnisotropyBarnLamp/glTF-KTX2-Basisu/AnisotropyBarnLamp.gltf")
    desktop = result.tiers["desktop"].stats["textures"]
    assert all(t["mime"] == "image/ktx2" and t["passed_through"] for t in desktop)
    assert "KHR_texture_basisu" in docs["desktop"]["extensionsRequired"]
    assert all(max(t["width"], t["height"]) <= 1024 for t in result.tiers["phone"].stats["textures"])
    assert all(t["mime"] == "image/ktx2" for t in result.tiers["vr"].stats["textures"])
    assert result.poster is not None


@pytest.mark.slow
def test_phone_textures_are_webp_within_1024(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    result, docs = ingested(corpus, tmp_path_factory, "SheenChair/glTF/SheenChair.gltf")
    rows = result.tiers["phone"].stats["textures"]
    assert rows and all(max(r["width"], r["height"]) <= 1024 for r in rows)
    assert any(r["mime"] == "image/webp" for r in rows)
    assert "EXT_texture_webp" in docs["phone"]["extensionsRequired"]
    assert all(max(r["width"], r["height"]) <= 2048 for r in result.tiers["desktop"].stats["textures"])


CORPUS_ROWS = corpus_entries()


@pytest.mark.slow
@pytest.mark.parametrize("entry", CORPUS_ROWS)
def test_every_corpus_model_ingests_without_validator_errors(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory, entry: str
) -> None:
    result, docs = ingested(corpus, tmp_path_factory, entry)
    assert result.validator["errors"] == 0
    for name in TIERS:
        stats = result.tiers[name].stats
        assert stats["validator"]["errors"] == 0, name
        assert stats["validator_meshopt_decoded"]["errors"] == 0, name
        assert result.tiers[name].triangles <= result.inspection["triangles"], name
        assert len(docs[name].get("animations", [])) == len(docs["original"].get("animations", [])), name
    if result.inspection["triangles"]:
        assert result.poster is not None and result.poster.stat().st_size > 0


@pytest.mark.slow
def test_triangle_budget_simplifies_every_tier(corpus: Path, tmp_path: Path) -> None:
    result = ingest(corpus / "SpecularTest/glTF-Binary/SpecularTest.glb", tmp_path, triangle_budget=5000)
    total = result.inspection["triangles"]
    assert result.tiers["phone"].triangles < total / 2
    assert result.tiers["phone"].triangles <= result.tiers["vr"].triangles <= result.tiers["desktop"].triangles
    for name in TIERS:
        assert result.tiers[name].stats["validator"]["errors"] == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    "entry",
    [
        "Duck/glTF-Binary/Duck.glb",
        "TextureTransformTest/glTF/TextureTransformTest.gltf",
        "CesiumMan/glTF-Binary/CesiumMan.glb",
        "SheenChair/glTF/SheenChair.gltf",
    ],
)
def test_tiers_look_like_the_original(corpus: Path, tmp_path_factory: pytest.TempPathFactory, entry: str) -> None:
    from assets.gltfio import Gltf
    from assets.poster import render_rgba
    from assets.textures import TextureEncoder

    result, _ = ingested(corpus, tmp_path_factory, entry)

    def render(path: Path) -> Any:
        gltf = read_glb(path.read_bytes())
        images = {i: gltf.image_bytes(i) for i in range(len(gltf.doc.get("images", [])))}
        return render_rgba(Gltf(gltf.doc, gltf.buffers), TextureEncoder(images, tmp_path_factory.mktemp("t")), 128)

    original = render(result.tiers["original"].path)
    for name in TIERS:
        tier = render(result.tiers[name].path)
        a, b = original[..., 3] > 127, tier[..., 3] > 127
        assert (a & b).sum() / (a | b).sum() > 0.95, name
        both = a & b
        difference = abs(original[both][:, :3].astype(int) - tier[both][:, :3].astype(int)).mean()
        assert difference < 12, (name, difference)


def test_zip_upload_with_unicode_names(corpus: Path, tmp_path: Path) -> None:
    import zipfile

    folder = corpus / "Unicode❤♻Test/glTF"
    upload = tmp_path / "upload.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, f"model/{path.name}")
    result = ingest(upload, tmp_path / "out")
    assert result.media_type == "application/zip" and result.original_name == "upload.zip"
    assert result.inspection["textures"][0]["mime"] == "image/png"
    assert read_glb(result.tiers["original"].path.read_bytes()).doc["images"][0]["mimeType"] == "image/png"
    assert all(result.tiers[name].stats["validator"]["errors"] == 0 for name in TIERS)


def test_model_without_geometry_is_rejected(tmp_path: Path) -> None:
    doc = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"camera": 0}],
        "cameras": [{"type": "perspective", "perspective": {"yfov": 0.8, "znear": 0.1}}],
    }
    (tmp_path / "camera.gltf").write_text(json.dumps(doc))
    with pytest.raises(AssetRejected) as info:
        ingest(tmp_path / "camera.gltf", tmp_path / "out")
    assert info.value.code == "NO_GEOMETRY" and info.value.status < 500
    assert list((tmp_path / "out").iterdir()) == []


def test_image_no_material_uses_still_validates(corpus: Path, tmp_path: Path) -> None:
    from assets.gltfio import write_glb

    gltf = read_glb((corpus / "Duck/glTF-Binary/Duck.glb").read_bytes())
    gltf.doc["materials"][0]["pbrMetallicRoughness"].pop("baseColorTexture")
    source = tmp_path / "duck.glb"
    source.write_bytes(write_glb(gltf.doc, gltf.buffers[0] or b""))
    result = ingest(source, tmp_path / "out")
    for name in TIERS:
        assert result.tiers[name].stats["validator"]["errors"] == 0, name
