"""Layout checks: overlaps of oriented boxes, the room's floor and ceiling, wall mounts, reachability on foot."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.placement import (
    DoorSpec,
    PlacementProblem,
    PlacementSpec,
    RoomSpec,
    WalkableFloor,
    placement_matrix,
    rotation_matrix,
    validate_gallery,
    walkable_floor,
)

CUBE = {"min": [-0.5, 0.0, -0.5], "max": [0.5, 1.0, 0.5]}  # a 1 m cube standing on its origin
ROOM = RoomSpec(floor=[[-5, -4], [5, -4], [5, 4], [-5, 4]], height_m=3.0, spawns=[[0.0, 0.0, 3.0]],
                doors=[DoorSpec(1, [5.0, 0.0, 0.0], 90.0, 1.6, "hall")])


def cube(pid: int, x: float, z: float, yaw: float = 0.0, **kw: object) -> PlacementSpec:
    return PlacementSpec(pid, f"exhibit-{pid}", [x, 0.0, z], [0.0, yaw, 0.0], bounds=CUBE, **kw)  # type: ignore[arg-type]


def codes(problems: list[PlacementProblem]) -> list[tuple[object, str]]:
    return [(p.placement_id, p.code) for p in problems]


def test_a_clear_layout_has_no_problems() -> None:
    assert validate_gallery(ROOM, [cube(1, -2.0, 0.0), cube(2, 2.0, 0.0), cube(3, 0.0, -2.5)]) == []


def test_overlap_names_both_placements() -> None:
    problems = validate_gallery(ROOM, [cube(1, 0.0, 0.0), cube(2, 0.6, 0.0)])
    assert codes(problems) == [(1, "OVERLAP")]
    assert problems[0].other_id == 2 and problems[0].exhibit == "exhibit-1"
    assert "exhibit-2" in problems[0].message


def test_touching_boxes_do_not_overlap() -> None:
    assert validate_gallery(ROOM, [cube(1, 0.0, 0.0), cube(2, 1.01, 0.0)]) == []


def test_rotation_is_taken_into_account() -> None:
    # Axis-aligned boxes 1.15 m apart are clear; turned 45 degrees their corners (0.71 m out) meet.
    assert validate_gallery(ROOM, [cube(1, 0.0, 0.0), cube(2, 1.15, 0.0)]) == []
    turned = validate_gallery(ROOM, [cube(1, 0.0, 0.0, 45.0), cube(2, 1.15, 0.0, 45.0)])
    assert codes(turned) == [(1, "OVERLAP")]


def test_boxes_stacked_apart_in_height_do_not_overlap() -> None:
    high = PlacementSpec(2, "lamp", [0.0, 1.5, 0.0], bounds=CUBE)
    assert codes(validate_gallery(ROOM, [cube(1, 0.0, 0.0), high])) == []


def test_scale_and_target_size_grow_the_box() -> None:
    assert codes(validate_gallery(ROOM, [cube(1, 0.0, 0.0), cube(2, 1.4, 0.0, scale=2.0)])) == [(1, "OVERLAP")]
    tall = cube(1, 0.0, 0.0, target_size_m=3.5)
    assert codes(validate_gallery(ROOM, [tall])) == [(1, "ABOVE_CEILING")]
    assert placement_matrix(tall)[1, 1] == pytest.approx(3.5)


def test_outside_the_floor_and_below_it() -> None:
    problems = validate_gallery(ROOM, [cube(1, 4.8, 0.0), PlacementSpec(2, "sunk", [0, -0.3, 0], bounds=CUBE)])
    assert (1, "OUTSIDE_ROOM") in codes(problems)
    assert (2, "BELOW_FLOOR") in codes(problems)
    assert "x=5.30" in next(p.message for p in problems if p.code == "OUTSIDE_ROOM")


def test_l_shaped_floor_counts_the_missing_corner_as_outside() -> None:
    room = RoomSpec(floor=[[0, 0], [6, 0], [6, 3], [3, 3], [3, 6], [0, 6]], height_m=3.0, spawns=[[1.0, 0, 1.0]])
    assert validate_gallery(room, [cube(1, 1.5, 4.5)]) == []
    assert codes(validate_gallery(room, [cube(1, 4.5, 4.5)])) == [(1, "OUTSIDE_ROOM"), (1, "UNREACHABLE")]


def test_wall_mounts_must_touch_a_wall() -> None:
    on_wall = cube(1, 0.0, -3.5, mount="wall")
    off_wall = cube(2, 2.0, -2.0, mount="wall")
    assert codes(validate_gallery(ROOM, [on_wall, off_wall])) == [(2, "NOT_ON_WALL")]


def test_an_exhibit_walled_in_by_others_is_unreachable() -> None:
    # A ring of cases around the centre exhibit leaves no gap a visitor fits through.
    ring = [cube(10 + i, x, z) for i, (x, z) in enumerate(
        [(-1.5, -1.5), (-0.5, -1.5), (0.5, -1.5), (1.5, -1.5), (-1.5, -0.5), (1.5, -0.5),
         (-1.5, 0.5), (1.5, 0.5), (-1.5, 1.5), (-0.5, 1.5), (0.5, 1.5), (1.5, 1.5)])]
    room = RoomSpec(ROOM.floor, 3.0, spawns=[[-4.0, 0.0, 3.0]])
    inner = PlacementSpec(1, "hidden", [0.0, 0.0, 0.0], bounds={"min": [-0.1, 0, -0.1], "max": [0.1, 1, 0.1]})
    problems = validate_gallery(room, [*ring, inner])
    assert codes(problems) == [(1, "UNREACHABLE")]
    # Open one side of the ring and the exhibit is reachable again.
    opened = [p for p in ring if p.id not in (14,)]
    assert validate_gallery(room, [*opened, inner]) == []


def test_doors_and_spawns_are_checked() -> None:
    # A wall of exhibits across the room cuts the door off from the spawn point.
    barrier = [cube(i, 3.5, z) for i, z in enumerate(np.arange(-3.5, 4.0, 1.0))]
    problems = validate_gallery(ROOM, barrier)
    assert [(p.door_id, p.code) for p in problems] == [(1, "DOOR_UNREACHABLE")]
    assert codes(validate_gallery(RoomSpec(ROOM.floor, 3.0), [cube(1, 0, 0)])) == [(None, "NO_SPAWN"),
                                                                                    (1, "UNREACHABLE")]
    blocked = RoomSpec(ROOM.floor, 3.0, spawns=[[0.0, 0.0, 0.0]])
    assert (None, "SPAWN_BLOCKED") in codes(validate_gallery(blocked, [cube(1, 0, 0, scale=1.5)]))


def test_missing_bounds_and_mount_are_reported() -> None:
    problems = validate_gallery(ROOM, [PlacementSpec(1, "no-model"), cube(2, 0, 0, mount="ceiling")])
    assert codes(problems) == [(1, "NO_BOUNDS"), (2, "BAD_MOUNT")]
    assert codes(validate_gallery(RoomSpec([[0, 0], [1, 1]], 3.0), [])) == [(None, "NO_FLOOR")]


def test_rotation_matrix_follows_three_js_euler_xyz() -> None:
    # three.js: Euler(90deg, 0, 90deg, 'XYZ') sends +X to +Z... checked by hand: Rx(90) . Rz(90) applied to +X.
    m = rotation_matrix([90.0, 0.0, 90.0])
    np.testing.assert_allclose(m @ [1.0, 0.0, 0.0], [0.0, 0.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(rotation_matrix([0.0, 90.0, 0.0]) @ [1.0, 0.0, 0.0], [0.0, 0.0, -1.0], atol=1e-12)


def test_fifty_rotated_placements_in_a_large_room_have_no_problems() -> None:
    # Its speed is measured by bench/scenes/run.py (placement checks of this layout), not here.
    room = RoomSpec(floor=[[-12, -10], [12, -10], [12, 10], [-12, 10]], height_m=5.0, spawns=[[0.0, 0.0, 9.0]])
    specs = [cube(i, -10.0 + 2.2 * (i % 10), -8.0 + 3.5 * (i // 10), yaw=7.0 * i) for i in range(50)]
    assert validate_gallery(room, specs) == []


def decoded(floor: WalkableFloor) -> np.ndarray:
    """Return the mask the front end reads back from the run lengths."""
    data = floor.as_dict()
    cells = np.zeros(data["width"] * data["height"], dtype=bool)
    at = 0
    for i, length in enumerate(data["runs"]):
        cells[at:at + length] = bool(i % 2)
        at += length
    assert at == data["width"] * data["height"]
    return cells.reshape(data["height"], data["width"])


def walkable_at(floor: WalkableFloor, x: float, z: float) -> bool:
    col = int((x - floor.origin[0]) // floor.cell_m)
    row = int((z - floor.origin[1]) // floor.cell_m)
    return bool(decoded(floor)[row, col])


def test_walkable_floor_round_trips_through_its_run_lengths() -> None:
    floor = walkable_floor(ROOM, [cube(1, 0.0, 0.0)])
    assert floor is not None
    assert np.array_equal(decoded(floor), floor.mask)
    data = floor.as_dict()
    assert data["cell_m"] == pytest.approx(0.1) and data["origin"] == pytest.approx([-5.1, -4.1])
    assert len(data["runs"]) < 3 * data["height"]  # a few runs a row, not a number per cell
    assert walkable_at(floor, 0.0, 3.0) and walkable_at(floor, -3.0, -2.0)
    # The exhibit and the visitor's radius around it, and a strip along the walls, are not walkable.
    assert not walkable_at(floor, 0.0, 0.0) and not walkable_at(floor, 0.0, 0.62)
    assert walkable_at(floor, 0.0, 0.9)
    assert not walkable_at(floor, 4.9, 0.0) and not walkable_at(floor, 0.0, -3.9)


def test_room_obstacles_are_walked_around_and_block_reachability() -> None:
    rope = [[-1.05, 1.38], [1.05, 1.38], [1.05, 1.62], [-1.05, 1.62]]  # a rope barrier 2.1 m long
    roped = RoomSpec(floor=ROOM.floor, height_m=3.0, spawns=ROOM.spawns, obstacles=[rope])
    floor = walkable_floor(roped, [])
    assert floor is not None
    assert not walkable_at(floor, 0.0, 1.5) and not walkable_at(floor, 0.9, 1.8)
    assert walkable_at(floor, 0.0, 2.0) and walkable_at(floor, 1.5, 1.5)
    # A barrier from wall to wall leaves the far side unreached: off the visitor's floor, and its exhibit unreachable.
    wall_to_wall = [[-5, -0.1], [5, -0.1], [5, 0.1], [-5, 0.1]]
    split = RoomSpec(floor=ROOM.floor, height_m=3.0, spawns=ROOM.spawns, obstacles=[wall_to_wall])
    cut = walkable_floor(split, [cube(1, 0.0, -2.5)])
    assert cut is not None and walkable_at(cut, 0.0, 2.0) and not walkable_at(cut, -3.0, -2.0)
    assert codes(validate_gallery(split, [cube(1, 0.0, -2.5)])) == [(1, "UNREACHABLE")]


def test_walkable_floor_without_a_reached_cell_is_every_free_cell() -> None:
    boxed_in = RoomSpec(floor=ROOM.floor, height_m=3.0, spawns=[[0.0, 0.0, 0.0]])
    floor = walkable_floor(boxed_in, [cube(1, 0.0, 0.0, scale=1.5)])
    assert floor is not None and walkable_at(floor, 3.0, 2.0)
    assert walkable_floor(RoomSpec(floor=[[0, 0], [1, 0]], height_m=3.0), []) is None

SMALL = {"min": [-0.1, 0.0, -0.1], "max": [0.1, 0.2, 0.1]}  # a 20 cm object
SHOWCASE = {"width_m": 0.8, "depth_m": 0.8, "height_m": 1.0, "case_height_m": 0.5}


def on_plinth(pid: int, x: float, z: float, y: float = 1.0, yaw: float = 0.0) -> PlacementSpec:
    return PlacementSpec(pid, f"small-{pid}", [x, y, z], [0.0, yaw, 0.0], bounds=SMALL, plinth=SHOWCASE)


def test_a_plinth_is_one_object_with_its_exhibit() -> None:
    # The 20 cm object alone would clear a cube 0.5 m away; its 0.8 m plinth beneath it does not.
    assert codes(validate_gallery(ROOM, [PlacementSpec(1, "small", [0.0, 1.0, 0.0], bounds=SMALL),
                                         cube(2, 0.8, 0.0)])) == []
    assert codes(validate_gallery(ROOM, [on_plinth(1, 0.0, 0.0), cube(2, 0.8, 0.0)])) == [(1, "OVERLAP")]
    # Its footprint turns with the placement, and its glass case counts under the ceiling.
    assert codes(validate_gallery(ROOM, [on_plinth(1, 4.55, 0.0)])) == []
    assert codes(validate_gallery(ROOM, [on_plinth(1, 4.55, 0.0, yaw=45.0)])) == [(1, "OUTSIDE_ROOM")]
    low = RoomSpec(floor=ROOM.floor, height_m=1.4, spawns=ROOM.spawns)
    assert codes(validate_gallery(low, [on_plinth(1, 0.0, 0.0)])) == [(1, "ABOVE_CEILING")]


def test_a_plinth_stands_on_the_floor() -> None:
    assert codes(validate_gallery(ROOM, [on_plinth(1, 0.0, 0.0, y=1.4)])) == [(1, "PLINTH_OFF_FLOOR")]
    assert codes(validate_gallery(ROOM, [on_plinth(1, 0.0, 0.0, y=0.8)])) == [(1, "BELOW_FLOOR")]


def test_a_plinth_can_wall_an_exhibit_in() -> None:
    # Three plinths close a corner that three small objects alone would leave open.
    room = RoomSpec(floor=[[-3, -3], [3, -3], [3, 3], [-3, 3]], height_m=3.0, spawns=[[0.0, 0.0, 2.0]])
    corner = PlacementSpec(9, "corner", [-2.8, 0.0, -2.8], bounds=SMALL)
    wall = [(-1.6, -2.6), (-2.6, -1.6), (-1.6, -1.6)]
    alone = [PlacementSpec(i, f"small-{i}", [x, 1.0, z], bounds=SMALL) for i, (x, z) in enumerate(wall, 1)]
    assert codes(validate_gallery(room, [corner, *alone])) == []
    plinths = [on_plinth(i, x, z) for i, (x, z) in enumerate(wall, 1)]
    assert (9, "UNREACHABLE") in codes(validate_gallery(room, [corner, *plinths]))
