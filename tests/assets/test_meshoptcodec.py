"""Meshopt decoding gives the validator plain data to check."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assets.gltfio import read_accessor, read_glb
from assets.intake import check_upload
from assets.meshoptcodec import decoded, decoded_glb, has_meshopt
from assets.validator import validate_bytes


def test_pirate_decodes_and_validates(corpus: Path) -> None:
    gltf = check_upload(corpus / "MeshoptPirate/glTF-Meshopt/pirate.glb").gltf
    assert has_meshopt(gltf)
    plain = decoded(gltf)
    assert not has_meshopt(plain)
    assert "EXT_meshopt_compression" not in plain.doc.get("extensionsUsed", [])
    positions = read_accessor(plain, plain.doc["meshes"][0]["primitives"][0]["attributes"]["POSITION"])
    assert np.isfinite(positions).all() and np.ptp(positions, axis=0).max() > 0
    report = validate_bytes(decoded_glb(gltf))
    assert report.errors == 0
    assert read_glb(decoded_glb(gltf)).doc["buffers"][0]["byteLength"] > 0


def test_the_codecs_second_version_decodes_to_what_the_first_gives(tmp_path: Path) -> None:
    # Tiers are compressed with KHR_meshopt_compression (gltfpack -cz, the codec's second version): smaller than
    # EXT_meshopt_compression (-cc), and the same vertices and indices once decoded, here as in three.js.
    import trimesh

    from assets.tiers import _gltfpack_process, placeholder_glb

    mesh = trimesh.creation.icosphere(subdivisions=3)
    mesh.visual = trimesh.visual.TextureVisuals(uv=(mesh.vertices[:, :2] + 1) / 2)
    placeholder = tmp_path / "sphere.glb"
    placeholder.write_bytes(placeholder_glb(read_glb(trimesh.Scene(mesh).export(file_type="glb"))))
    packed = {}
    for flag in ("-cc", "-cz"):
        _gltfpack_process([flag, "-i", str(placeholder), "-o", str(tmp_path / f"{flag}.glb")])
        packed[flag] = read_glb((tmp_path / f"{flag}.glb").read_bytes())
    assert "KHR_meshopt_compression" in packed["-cz"].doc["extensionsRequired"]
    assert "EXT_meshopt_compression" in packed["-cc"].doc["extensionsRequired"]
    assert len((tmp_path / "-cz.glb").read_bytes()) < len((tmp_path / "-cc.glb").read_bytes())
    first, second = decoded(packed["-cc"]), decoded(packed["-cz"])
    assert not has_meshopt(second)
    views = range(len(first.doc["bufferViews"]))
    assert [second.view_bytes(i) for i in views] == [first.view_bytes(i) for i in views]
