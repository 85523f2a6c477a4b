"""The demo's layout: every exhibit placed once, inside its room, clear of the others, walls and furniture,
reachable on foot from a spawn point."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest

from scenes.demo.exhibits import DemoModel, build_exhibit_models
from scenes.demo.layout import (
    LAYOUT,
    PEDESTALS,
    placement_footprint,
    point_in_polygon,
    polygons_intersect,
    rectangle_footprint,
)
from scenes.demo.rooms import DemoRoom, build_rooms

BODY_RADIUS = 0.3  # a visitor needs this much room either side to pass
CELL = 0.1


@pytest.fixture(scope="module")
def models() -> dict[str, DemoModel]:
    return build_exhibit_models()


@pytest.fixture(scope="module")
def rooms(models: dict[str, DemoModel]) -> dict[str, DemoRoom]:
    return build_rooms(models)


def test_footprint_turns_like_gltf() -> None:
    # A model 2 m long in x, turned 90 degrees about +Y, is 2 m long in z.
    corners = rectangle_footprint(1.0, 0.25, (0.0, 0.0), 90.0)
    assert np.ptp(corners[:, 0]) == pytest.approx(0.5) and np.ptp(corners[:, 1]) == pytest.approx(2.0)


def test_polygon_helpers() -> None:
    a = rectangle_footprint(1, 1, (0, 0), 0)
    assert polygons_intersect(a, rectangle_footprint(1, 1, (1.5, 0), 45))
    assert not polygons_intersect(a, rectangle_footprint(1, 1, (2.5, 0), 0))
    assert not polygons_intersect(a, rectangle_footprint(1, 1, (2.0, 0), 0))  # touching is not overlapping
    assert point_in_polygon((0.5, 0.5), a) and not point_in_polygon((1.5, 0.5), a)


def test_every_exhibit_is_placed_once_in_its_gallery(models: dict[str, DemoModel]) -> None:
    placed = [item["exhibit"] for items in LAYOUT.values() for item in items]
    assert sorted(placed) == sorted(models)
    assert [i["exhibit"] for i in LAYOUT["lobby"]] == ["hospital-emblem", "digital-museum-terminal",
                                                        "sms-internet-hospital"]
    for items in LAYOUT.values():
        for item in items:
            assert set(item) - {"plinth"} == {"exhibit", "position", "rotation_deg", "mount", "scale"}
            assert ("plinth" in item) == (item["mount"] in ("pedestal", "showcase"))
            assert item["mount"] in ("pedestal", "wall", "floor", "showcase")
            assert item["rotation_deg"][0] == 0 and item["rotation_deg"][2] == 0


def test_small_objects_stand_on_pedestals(models: dict[str, DemoModel]) -> None:
    for items in LAYOUT.values():
        for item in items:
            if item["exhibit"] in ("monaural-stethoscope", "brass-microscope", "cardiac-surgery-heart-model"):
                assert item["mount"] in ("pedestal", "showcase") and item["position"][1] >= 0.8
            if item["mount"] in ("pedestal", "showcase"):
                w, d, glass = PEDESTALS[item["exhibit"]]
                (x0, y0, z0), (x1, y1, z1) = models[item["exhibit"]].bounds
                assert x1 - x0 <= w and z1 - z0 <= d, item["exhibit"]
                if item["mount"] == "showcase":
                    assert y1 - y0 < glass, f"{item['exhibit']} must fit under its glass"
            else:
                assert item["position"][1] == 0.0


@pytest.mark.parametrize("gallery", sorted(LAYOUT))
def test_placements_are_inside_the_room_and_apart(models: dict[str, DemoModel], rooms: dict[str, DemoRoom],
                                                  gallery: str) -> None:
    room = rooms[gallery]
    prints = {i["exhibit"]: placement_footprint(i, models[i["exhibit"]].bounds) for i in LAYOUT[gallery]}
    for slug, corners in prints.items():
        assert all(point_in_polygon(c, room.floor) for c in corners), f"{slug} crosses a wall"
        item = next(i for i in LAYOUT[gallery] if i["exhibit"] == slug)
        assert models[slug].height_m * item["scale"] + item["position"][1] < room.size[1], f"{slug} hits the ceiling"
        for other, other_corners in prints.items():
            if other < slug:
                assert not polygons_intersect(corners, other_corners), f"{slug} intersects {other}"
        for obstacle in room.obstacles:
            assert not polygons_intersect(corners, np.array(obstacle)), f"{slug} intersects the room's furniture"


def _blocked(room: DemoRoom, prints: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w, _, d = room.size
    xs = np.arange(-w / 2 + CELL / 2, w / 2, CELL)
    zs = np.arange(-d / 2 + CELL / 2, d / 2, CELL)
    blocked = np.zeros((len(xs), len(zs)), dtype=bool)
    blocked[xs < -w / 2 + BODY_RADIUS, :] = blocked[xs > w / 2 - BODY_RADIUS, :] = True
    blocked[:, zs < -d / 2 + BODY_RADIUS] = blocked[:, zs > d / 2 - BODY_RADIUS] = True
    for poly in prints:
        lo, hi = poly.min(axis=0) - BODY_RADIUS, poly.max(axis=0) + BODY_RADIUS
        for i in np.nonzero((xs >= lo[0]) & (xs <= hi[0]))[0]:
            for j in np.nonzero((zs >= lo[1]) & (zs <= hi[1]))[0]:
                blocked[i, j] |= polygons_intersect(poly, rectangle_footprint(BODY_RADIUS, BODY_RADIUS,
                                                                              (xs[i], zs[j]), 0.0))
    return xs, zs, blocked


@pytest.mark.parametrize("gallery", sorted(LAYOUT))
def test_every_exhibit_and_door_can_be_walked_to_from_a_spawn(models: dict[str, DemoModel],
                                                              rooms: dict[str, DemoRoom], gallery: str) -> None:
    room = rooms[gallery]
    prints = [placement_footprint(i, models[i["exhibit"]].bounds) for i in LAYOUT[gallery]]
    xs, zs, blocked = _blocked(room, prints + [np.array(o) for o in room.obstacles])
    x, _, z = room.spawn[0]["position"]
    start = (int(np.argmin(np.abs(xs - x))), int(np.argmin(np.abs(zs - z))))
    assert not blocked[start]
    seen = np.zeros_like(blocked)
    seen[start] = True
    queue = deque([start])
    while queue:
        i, j = queue.popleft()
        for a, b in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
            if 0 <= a < len(xs) and 0 <= b < len(zs) and not blocked[a, b] and not seen[a, b]:
                seen[a, b] = True
                queue.append((a, b))
    gx, gz = np.meshgrid(xs, zs, indexing="ij")
    for item, poly in zip(LAYOUT[gallery], prints, strict=True):
        centre = poly.mean(axis=0)
        near = np.hypot(gx - centre[0], gz - centre[1]) <= np.max(np.ptp(poly, axis=0)) / 2 + 1.0
        assert (seen & near).any(), f"{item['exhibit']} cannot be reached"
    for door in room.doors:
        dx, _, dz = door["position"]
        near = np.hypot(gx - dx, gz - dz) <= 0.8
        assert (seen & near).any(), f"the door to {door['to']} cannot be reached"
    for spawn in room.spawn[1:]:
        sx, _, sz = spawn["position"]
        assert seen[int(np.argmin(np.abs(xs - sx))), int(np.argmin(np.abs(zs - sz)))], spawn["name"]
