"""The demo's rooms: Khronos-valid, inside the phone budget, textured and lit, doors and spawns that make sense."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest

from assets.gltfio import read_glb
from assets.inspection import inspect_asset
from scenes.demo.exhibits import build_exhibit_models
from scenes.demo.layout import LAYOUT, PEDESTALS, point_in_polygon
from scenes.demo.model import DemoModel
from scenes.demo.rooms import DemoRoom, build_rooms
from scenes.placement import PlacementSpec, RoomSpec, WalkableFloor, walkable_floor

PHONE_BUDGET_BYTES = 1_500_000


@pytest.fixture(scope="module")
def models() -> dict[str, DemoModel]:
    return build_exhibit_models()


@pytest.fixture(scope="module")
def rooms(models: dict[str, DemoModel]) -> dict[str, DemoRoom]:
    return build_rooms(models)


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


def test_rooms_hold_no_plinths_the_placements_carry_them(rooms: dict[str, DemoRoom]) -> None:
    """A pedestal or showcase moves with its exhibit, so no room has one (nor its glass or label plate)."""
    from scenes.demo.layout import LAYOUT, PEDESTALS

    for slug in ("history-hall", "smart-hospital-5g"):
        gltf = _gltf_json(rooms[slug].glb)
        assert "label_plates" not in gltf["scenes"][0].get("extras", {}), slug
        assert not {m.get("name") for m in gltf["materials"]} & {"glass", "paper"}, slug
    carried = {i["exhibit"]: i["plinth"] for items in LAYOUT.values() for i in items if i.get("plinth")}
    assert set(carried) == set(PEDESTALS)
    stethoscope = carried["monaural-stethoscope"]
    assert stethoscope["height_m"] == 1.0 and stethoscope["case_height_m"] == 0.45
    assert carried["medical-uav"]["case_height_m"] == 0.0 and carried["medical-uav"]["height_m"] == 0.2


def _hall_floor(room: DemoRoom, models: dict[str, DemoModel]) -> WalkableFloor:
    """Return the history hall's walkable floor as the museum computes it (obstacles from the room's inspection, plinths
    from the placements)."""
    inspection = inspect_asset(read_glb(room.glb))
    spec = RoomSpec(floor=room.floor, height_m=room.size[1], spawns=[s["position"] for s in room.spawn],
                    obstacles=inspection.get("obstacles", []))
    placements = [PlacementSpec(i, p["exhibit"], p["position"], p["rotation_deg"], mount=p["mount"],
                                plinth=p.get("plinth"),
                                bounds={"min": models[p["exhibit"]].bounds[0], "max": models[p["exhibit"]].bounds[1]})
                  for i, p in enumerate(LAYOUT["history-hall"])]
    floor = walkable_floor(spec, placements)
    assert floor is not None
    return floor


def test_the_history_halls_bed_ropes_and_cases_are_off_the_walkable_floor(rooms: dict[str, DemoRoom],
                                                                          models: dict[str, DemoModel]) -> None:
    room = rooms["history-hall"]
    floor = _hall_floor(room, models)

    def walkable(x: float, z: float) -> bool:
        return bool(floor.mask[int((z - floor.origin[1]) // floor.cell_m), int((x - floor.origin[0]) // floor.cell_m)])

    x, _, z = room.spawn[0]["position"]
    assert walkable(x, z)
    # The rope barriers (2.1 m at z = -2.55, x = +-3.2) and every point of them, with the visitor's radius.
    for rx in (-3.2, 3.2):
        for dx in (-1.0, -0.5, 0.0, 0.5, 1.0):
            assert not walkable(rx + dx, -2.55), (rx + dx, -2.55)
    # The iron bed behind its rope.
    assert not any(walkable(x, z) for x, z in ((3.2, -3.9), (3.6, -3.0), (2.8, -4.6), (2.55, -3.9)))
    # Each glass case, its corners included, and the open floor a step in front of it.
    for item in LAYOUT["history-hall"]:
        if item["mount"] != "showcase":
            continue
        cx, _, cz = item["position"]
        half = PEDESTALS[item["exhibit"]][0] / 2
        for ox, oz in ((0, 0), (half, half), (-half, half), (half, -half), (-half, -half)):
            assert not walkable(cx + ox, cz + oz), item["exhibit"]
        assert walkable(cx, cz + 1.2), item["exhibit"]
    # Open floor in the middle of the hall stays open.
    assert walkable(0.0, 2.0) and walkable(-6.0, 2.0)
