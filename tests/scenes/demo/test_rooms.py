"""The demo's rooms: Khronos-valid, inside the phone budget, textured and lit, doors and spawns that make sense."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest

from scenes.demo.layout import point_in_polygon
from scenes.demo.rooms import DemoRoom, build_rooms

PHONE_BUDGET_BYTES = 1_500_000


@pytest.fixture(scope="module")
def rooms() -> dict[str, DemoRoom]:
    return build_rooms()


def _gltf_json(glb: bytes) -> Any:
    length = struct.unpack_from("<I", glb, 12)[0]
    return json.loads(glb[20 : 20 + length])


def test_three_rooms_are_built(rooms: dict[str, DemoRoom]) -> None:
    assert set(rooms) == {"lobby", "history-hall", "smart-hospital-5g"}
    assert all(room.slug == slug for slug, room in rooms.items())


def test_rooms_fit_the_phone_budget(rooms: dict[str, DemoRoom]) -> None:
    for slug, room in rooms.items():
        assert len(room.glb) <= PHONE_BUDGET_BYTES, slug
        gltf = _gltf_json(room.glb)
        triangles = sum(gltf["accessors"][p["indices"]]["count"] // 3 for p in gltf["meshes"][0]["primitives"])
        assert triangles <= 60_000, slug
        assert len(gltf["meshes"][0]["primitives"]) <= 40, slug  # one draw call per material


def test_rooms_are_textured_and_glow(rooms: dict[str, DemoRoom]) -> None:
    for slug, room in rooms.items():
        gltf = _gltf_json(room.glb)
        images = gltf.get("images", [])
        assert images, slug
        for image in images:
            data = room.glb[28 + struct.unpack_from("<I", room.glb, 12)[0]:]  # BIN chunk payload
            view = gltf["bufferViews"][image["bufferView"]]
            blob = data[view["byteOffset"]: view["byteOffset"] + view["byteLength"]]
            assert image["mimeType"] in ("image/png", "image/jpeg")
            assert blob[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0"), (slug, image["name"])
        emissive = [m for m in gltf["materials"] if "KHR_materials_emissive_strength" in m.get("extensions", {})]
        assert emissive, slug
        assert "KHR_materials_emissive_strength" in gltf["extensionsUsed"]
        glass = [m for m in gltf["materials"] if m.get("alphaMode") == "BLEND"
                 or "KHR_materials_transmission" in m.get("extensions", {})]
        if slug == "history-hall":
            assert glass, "the history hall's showcases are glass"


def test_doors_lead_to_each_other(rooms: dict[str, DemoRoom]) -> None:
    links = {(slug, door["to"]) for slug, room in rooms.items() for door in room.doors}
    assert all((to, frm) in links for frm, to in links)
    assert {to for _, to in links} == set(rooms)
    for slug, room in rooms.items():
        w, _, d = room.size
        for door in room.doors:
            x, y, z = door["position"]
            assert y == 0.0
            on_wall = abs(abs(x) - w / 2) < 1e-6 or abs(abs(z) - d / 2) < 1e-6
            assert on_wall, (slug, door)
            assert 1.0 <= door["width"] and 2.0 <= door["height"] < room.size[1]


def test_spawns_stand_on_the_floor_clear_of_furniture(rooms: dict[str, DemoRoom]) -> None:
    for slug, room in rooms.items():
        assert room.spawn, slug
        for spawn in room.spawn:
            x, y, z = spawn["position"]
            assert y == 0.0 and point_in_polygon((x, z), room.floor), (slug, spawn)
            assert not any(point_in_polygon((x, z), o) for o in room.obstacles), (slug, spawn)


def test_generation_is_deterministic(rooms: dict[str, DemoRoom]) -> None:
    assert {s: r.glb for s, r in build_rooms().items()} == {s: r.glb for s, r in rooms.items()}


def test_suggested_lights_hang_inside_the_room(rooms: dict[str, DemoRoom]) -> None:
    for slug, room in rooms.items():
        w, h, d = room.size
        assert 1 <= len(room.lights) <= 4, slug  # a phone can afford a handful
        for light in room.lights:
            x, y, z = light["position"]
            assert abs(x) < w / 2 and 0 < y < h and abs(z) < d / 2, (slug, light)
            assert all(0 <= c <= 1 for c in light["color"]) and light["intensity"] > 0 and light["range"] > 0
        assert room.lighting in ("warm", "cool")
