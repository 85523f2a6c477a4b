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
