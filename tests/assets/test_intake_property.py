"""Property: whatever bytes arrive, the intake returns a checked model or its own refusal, never anything else."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.errors import AssetRejected
from assets.intake import check_upload
from tests.assets.conftest import glb_bytes, triangle_gltf

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _valid_glb() -> bytes:
    doc, binary = triangle_gltf()
    return glb_bytes(doc, binary)


def _mutated(seed: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    data = bytearray(seed)
    for offset, value in edits:
        data[offset % len(data)] = value
    return bytes(data[:cut] if cut is not None else data)


def _intake(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            check_upload(path)
        except AssetRejected as exc:
            assert 400 <= exc.status < 500 and exc.code and exc.message


edits = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8)


@SETTINGS
@given(st.binary(max_size=4096), st.sampled_from([".glb", ".gltf", ".zip"]))
def test_any_bytes_are_a_model_or_a_refusal(data: bytes, suffix: str) -> None:
    _intake(data, suffix)


@SETTINGS
@given(edits, st.one_of(st.none(), st.integers(0, 2000)))
def test_a_damaged_glb_is_a_model_or_a_refusal(changes: list[tuple[int, int]], cut: int | None) -> None:
    _intake(_mutated(_valid_glb(), changes, cut), ".glb")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=30)


@SETTINGS
@given(st.sampled_from(["buffers", "bufferViews", "accessors", "nodes", "meshes", "images", "scenes", "asset"]),
       json_values)
def test_a_gltf_with_any_value_in_any_array_is_a_model_or_a_refusal(key: str, value: object) -> None:
    doc, binary = triangle_gltf()
    doc[key] = value
    _intake(glb_bytes(doc, binary), ".glb")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("scene.gltf", json.dumps(doc))
    _intake(buffer.getvalue(), ".zip")
