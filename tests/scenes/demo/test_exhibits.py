"""The demo's exhibit models: Khronos-valid, real-world sized, anchored, light enough for phones, reproducible."""

from __future__ import annotations

import io
import json
import struct
from typing import Any

import numpy as np
import pytest
import trimesh

from scenes.demo.exhibits import GENERATORS, DemoModel, build_exhibit_models

# Real-world heights (metres) of what each model shows, generous enough for design freedom.
HEIGHTS = {
    "hospital-emblem": (1.8, 2.6),
    "digital-museum-terminal": (1.3, 1.8),
    "sms-internet-hospital": (1.6, 2.4),
    "monaural-stethoscope": (0.14, 0.25),
    "brass-microscope": (0.25, 0.45),
    "apothecary-cabinet": (1.7, 2.2),
    "iron-ward-bed": (1.0, 1.4),
    "cardiac-surgery-heart-model": (0.25, 0.55),
    "operating-lamp": (1.7, 2.3),
    "x-ray-apparatus": (1.5, 2.2),
    "5g-base-station": (3.0, 4.6),
    "medical-uav": (0.3, 0.8),
    "logistics-robot": (1.0, 1.6),
    "patrol-robot": (1.2, 1.8),
    "remote-consultation-station": (1.1, 1.7),
    "peritoneal-dialysis-unit": (0.9, 1.3),
    "president-cockpit-screen": (2.0, 3.0),
}
ANCHORS = {
    "hospital-emblem": {"center"},
    "digital-museum-terminal": {"screen"},
    "sms-internet-hospital": {"screen"},
    "monaural-stethoscope": {"earpiece"},
    "brass-microscope": {"eyepiece", "stage"},
    "apothecary-cabinet": {"drawers"},
    "iron-ward-bed": {"headboard"},
    "cardiac-surgery-heart-model": {"aorta"},
    "operating-lamp": {"lamp-head"},
    "x-ray-apparatus": {"tube"},
    "5g-base-station": {"antenna"},
    "medical-uav": {"payload", "rotor"},
    "logistics-robot": {"cargo"},
    "patrol-robot": {"sensor-head"},
    "remote-consultation-station": {"screen"},
    "peritoneal-dialysis-unit": {"panel"},
    "president-cockpit-screen": {"screen"},
}


@pytest.fixture(scope="module")
def models() -> dict[str, DemoModel]:
    return build_exhibit_models()


def _gltf_json(glb: bytes) -> Any:
    length = struct.unpack_from("<I", glb, 12)[0]
    return json.loads(glb[20 : 20 + length])


def test_every_listed_exhibit_has_a_generator(models: dict[str, DemoModel]) -> None:
    assert set(models) == set(HEIGHTS) == set(GENERATORS)
    assert all(m.slug == slug for slug, m in models.items())


@pytest.mark.parametrize("slug", sorted(HEIGHTS))
def test_model_stands_on_the_floor_at_real_scale(models: dict[str, DemoModel], slug: str) -> None:
    model = models[slug]
    low, high = HEIGHTS[slug]
    assert low <= model.height_m <= high
    mesh = trimesh.load(io.BytesIO(model.glb), file_type="glb", force="mesh")
    bounds = mesh.bounds  # (2, 3)
    assert bounds[0][1] == pytest.approx(0.0, abs=1e-4)
    assert bounds[1][1] == pytest.approx(model.height_m, abs=1e-3)
    assert (bounds[0][0] + bounds[1][0]) / 2 == pytest.approx(0.0, abs=1e-3)
    assert (bounds[0][2] + bounds[1][2]) / 2 == pytest.approx(0.0, abs=1e-3)
    np.testing.assert_allclose(bounds, np.array(model.bounds), atol=1e-3)


@pytest.mark.parametrize("slug", sorted(ANCHORS))
def test_anchors_are_named_and_lie_on_the_model(models: dict[str, DemoModel], slug: str) -> None:
    model = models[slug]
    assert set(model.anchors) == ANCHORS[slug]
    low, high = np.array(model.bounds)
    for name, point in model.anchors.items():
        assert np.all(np.array(point) >= low - 1e-3) and np.all(np.array(point) <= high + 1e-3), name
    nodes = _gltf_json(model.glb)["nodes"]
    assert {n["name"] for n in nodes if n["name"].startswith("anchor:")} == {f"anchor:{a}" for a in ANCHORS[slug]}


def test_models_are_light_enough_for_phones(models: dict[str, DemoModel]) -> None:
    for slug, model in models.items():
        assert 200 <= model.triangles <= 6000, slug
        assert len(model.glb) <= 400_000, slug
        materials = _gltf_json(model.glb)["materials"]
        assert len(materials) <= 16, slug


def test_materials_are_pbr_with_metals_where_metal_is(models: dict[str, DemoModel]) -> None:
    materials = {m["name"]: m for m in _gltf_json(models["brass-microscope"].glb)["materials"]}
    assert materials["brass"]["pbrMetallicRoughness"]["metallicFactor"] == 1.0
    screen = {m["name"]: m for m in _gltf_json(models["president-cockpit-screen"].glb)["materials"]}["dash-0"]
    assert "emissiveTexture" in screen


def test_generation_is_deterministic(models: dict[str, DemoModel]) -> None:
    again = build_exhibit_models()
    assert {s: m.glb for s, m in again.items()} == {s: m.glb for s, m in models.items()}
