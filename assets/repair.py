"""Repair the validator errors the pipeline can fix safely, so a curator's export is accepted as it is.

    blocking_errors(report) -> the error messages no repair covers (the upload is refused on the first)
    repair_model(node, source, target, report) -> one curator problem per repair made

Repairs run in the ingest's node process (`assets/js/repair.cjs`, glTF-Transform) on a copy: the uploaded file
is never changed, and the tiers are built from the repaired copy once the validator finds no error in it.

Repairs by validator error code:
    MESH_PRIMITIVE_NO_TANGENT_SPACE      MikkTSpace tangents (npm `mikktspace`, the algorithm glTF names), after
                                         flat normals where a primitive has none (what a viewer would draw)
    ACCESSOR_VECTOR3_NON_UNIT            normals and tangents scaled to unit length
    ACCESSOR_INVALID_SIGN                tangent handedness set to +1 or -1 by its sign
    ACCESSOR_WEIGHTS_NON_NORMALIZED      skin weights scaled to add up to 1
    ROTATION_NON_UNIT                    node rotations scaled to unit quaternions
    ACCESSOR_MIN_MISMATCH, ACCESSOR_MAX_MISMATCH, MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS
                                         bounds rewritten from the data
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assets.nodeworker import NodeWorker
from assets.validator import ValidationReport

REPAIRABLE = frozenset(
    {
        "MESH_PRIMITIVE_NO_TANGENT_SPACE",
        "ACCESSOR_VECTOR3_NON_UNIT",
        "ACCESSOR_INVALID_SIGN",
        "ACCESSOR_WEIGHTS_NON_NORMALIZED",
        "ROTATION_NON_UNIT",
        "ACCESSOR_MIN_MISMATCH",
        "ACCESSOR_MAX_MISMATCH",
        "MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS",
    }
)

_PLAIN = {
    "MESH_PRIMITIVE_NO_TANGENT_SPACE": "A surface uses a normal map but the mesh has no tangents",
    "ACCESSOR_VECTOR3_NON_UNIT": "Some normals or tangents were not of unit length",
    "ACCESSOR_INVALID_SIGN": "Some tangents had a handedness other than 1 or -1",
    "ACCESSOR_WEIGHTS_NON_NORMALIZED": "Some skin weights did not add up to 1",
    "ROTATION_NON_UNIT": "Some rotations were not unit quaternions",
    "ACCESSOR_MIN_MISMATCH": "Stored bounds did not match the data",
    "ACCESSOR_MAX_MISMATCH": "Stored bounds did not match the data",
    "MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS": "Vertex positions had no stored bounds",
}


def blocking_errors(report: ValidationReport) -> list[dict[str, Any]]:
    """Return the validator's error messages that no repair covers."""
    blocking = [m for m in report.error_messages if m.get("code") not in REPAIRABLE]
    if report.errors and not report.error_messages:
        # Counted errors without messages (the validator's issue cap): nothing is known to be repairable.
        return [{"code": "GLTF_VALIDATION_ERROR", "message": "the validator found errors", "severity": 0}]
    return blocking


def repair_model(node: NodeWorker, source: Path, target: Path, report: ValidationReport) -> list[dict[str, Any]]:
    """Write a repaired copy of the GLB `source` to `target`; return one curator problem per repair made."""
    codes = sorted({str(m.get("code")) for m in report.error_messages})
    rows = node.call("repair", input=str(source), output=str(target), codes=codes).result(timeout=600)
    firsts = {str(m.get("code")): m.get("pointer") for m in reversed(report.error_messages)}
    problems = []
    for row in rows:
        code = str(row["code"])
        pointer = firsts.get(code) or row.get("pointer")
        problem: dict[str, Any] = {
            "code": code,
            "message": f"{_PLAIN.get(code, code)}: the pipeline {row['action']} ({row['count']}).",
            "count": int(row["count"]),
            "repaired": True,
            "action": str(row["action"]),
        }
        if pointer:
            problem["pointer"] = pointer
        problems.append(problem)
    return problems
