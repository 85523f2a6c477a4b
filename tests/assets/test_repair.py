"""Validator errors the pipeline can fix are repaired (with a warning naming the code); the rest still refuse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assets.errors import ValidationFailed
from assets.gltfio import read_glb
from assets.pipeline import ingest
from assets.repair import blocking_errors
from assets.validator import ValidationReport, validate_files
from tests.assets.conftest import glb_bytes, textured_quad

TIERS = ("phone", "desktop", "vr")


def clearcoat_normal_mapped(normals: bool = True) -> tuple[dict[str, Any], bytes]:
    """Return a quad whose clearcoat reads a normal map, with no tangents (and no base normal map to make them)."""
    doc, binary = textured_quad(normals=normals)
    doc["materials"][0]["extensions"] = {
        "KHR_materials_clearcoat": {"clearcoatFactor": 1.0, "clearcoatNormalTexture": {"index": 0}}
    }
    doc["extensionsUsed"] = ["KHR_materials_clearcoat"]
    return doc, binary


def upload(tmp_path: Path, doc: dict[str, Any], binary: bytes) -> Path:
    path = tmp_path / "upload.glb"
    path.write_bytes(glb_bytes(doc, binary))
    return path


def attributes(path: Path) -> set[str]:
    doc = read_glb(path.read_bytes()).doc
    return {a for m in doc["meshes"] for p in m["primitives"] for a in p["attributes"]}


def test_normal_map_without_tangents_gets_mikktspace_tangents(tmp_path: Path) -> None:
    source = upload(tmp_path, *clearcoat_normal_mapped())
    assert validate_files([source])[0].error_messages[0]["code"] == "MESH_PRIMITIVE_NO_TANGENT_SPACE"
    result = ingest(source, tmp_path / "out")
    repaired = [p for p in result.problems if p.get("repaired")]
    assert [p["code"] for p in repaired] == ["MESH_PRIMITIVE_NO_TANGENT_SPACE"]
    assert "MikkTSpace" in repaired[0]["message"] and repaired[0]["pointer"] == "/meshes/0/primitives/0/material"
    assert result.validator["errors"] == 0 and result.validator["repaired"]["errors"] == 1
    # The upload is kept as it came; the tiers are built from the repaired copy and validate cleanly.
    assert result.tiers["original"].path.read_bytes() == source.read_bytes()
    reports = validate_files([result.tiers[name].path for name in TIERS])
    for name, report in zip(TIERS, reports, strict=True):
        assert report.errors == 0, (name, report.error_messages)
        assert result.tiers[name].stats["validator"]["errors"] == 0
        assert "TANGENT" in attributes(result.tiers[name].path), name
    assert result.poster is not None


def test_missing_normals_are_generated_before_tangents(tmp_path: Path) -> None:
    result = ingest(upload(tmp_path, *clearcoat_normal_mapped(normals=False)), tmp_path / "out")
    actions = [p["action"] for p in result.problems if p.get("repaired")]
    assert any("flat normals" in a for a in actions) and any("MikkTSpace" in a for a in actions)
    for name in TIERS:
        assert {"NORMAL", "TANGENT"} <= attributes(result.tiers[name].path), name
        assert result.tiers[name].stats["validator"]["errors"] == 0, name


def test_bounds_and_rotations_are_repaired(tmp_path: Path, triangle: tuple[dict[str, Any], bytes]) -> None:
    doc, binary = triangle
    doc["accessors"][0]["max"] = [5, 5, 5]  # disagrees with the data
    doc["nodes"][0]["rotation"] = [0, 0, 0, 0.5]  # not a unit quaternion
    result = ingest(upload(tmp_path, doc, binary), tmp_path / "out")
    codes = {p["code"] for p in result.problems if p.get("repaired")}
    assert codes == {"ACCESSOR_MAX_MISMATCH", "ROTATION_NON_UNIT"}
    for name in TIERS:
        assert result.tiers[name].stats["validator"]["errors"] == 0, name
    phone = read_glb(result.tiers["phone"].path.read_bytes()).doc
    rotations = [n["rotation"] for n in phone["nodes"] if "rotation" in n]
    assert all(abs(sum(v * v for v in r) - 1) < 1e-6 for r in rotations)


def test_unrepairable_error_still_refuses(tmp_path: Path, triangle: tuple[dict[str, Any], bytes]) -> None:
    doc, binary = triangle
    doc["accessors"][0]["max"] = [5, 5, 5]  # repairable on its own
    doc["nodes"][0]["matrix"] = [1, 0.5, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]  # a shear: no TRS
    out = tmp_path / "out"
    with pytest.raises(ValidationFailed) as info:
        ingest(upload(tmp_path, doc, binary), out)
    assert info.value.code == "NODE_MATRIX_NON_TRS" and info.value.pointer == "/nodes/0/matrix"
    assert info.value.status == 422
    assert list(out.iterdir()) == []


def test_blocking_errors() -> None:
    def report(*codes: str) -> ValidationReport:
        return ValidationReport(len(codes), 0, 0, 0, [{"code": c, "severity": 0, "pointer": "/x"} for c in codes])

    assert blocking_errors(report("MESH_PRIMITIVE_NO_TANGENT_SPACE", "ROTATION_NON_UNIT")) == []
    assert [m["code"] for m in blocking_errors(report("ROTATION_NON_UNIT", "NODE_LOOP"))] == ["NODE_LOOP"]
    # Errors counted without their messages cannot be known to be repairable.
    assert blocking_errors(ValidationReport(3, 0, 0, 0, []))
