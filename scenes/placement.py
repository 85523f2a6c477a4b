"""Check a gallery's layout: exhibits apart, inside the room, and reachable on foot from a spawn point.

Rooms are in their own frame: metres, Y up, floor at y=0. A placement's world transform is T(translation) ·
R(rotation_deg, Euler XYZ as three.js applies it) · S(scale), where `target_size_m`, when set, replaces the scale
so that the model's height is that many metres (as the visitor front end does).

Reachability rasterises the walkable floor on a grid (`CELL_M`): cells inside the floor polygon, at least
`VISITOR_RADIUS_M` from the walls, from the room's own furniture (`RoomSpec.obstacles`: beds, rope barriers, glass
cases) and from every exhibit that stands in the way, flood-filled from the spawn points. An exhibit or a door is
reachable when a reached cell lies within `REACH_M` of it. The same reached cells are the floor the front end lets a
visitor walk and teleport on (`walkable_floor`).

A placement with a plinth (`scenes.plinth`) is checked as one object: its box is the smallest one, in the
placement's turned frame, that holds the model and the plinth with its glass case; the plinth stands under the
placement's position and must reach down to the floor (`PLINTH_OFF_FLOOR` otherwise).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from scenes.plinth import Plinth

CELL_M = 0.1
VISITOR_RADIUS_M = 0.25
REACH_M = 1.2
TOLERANCE_M = 0.02  # overlaps and overhangs smaller than this are modelling noise, not mistakes
WALL_GAP_M = 0.15  # a wall mount may stand this far off the floor edge (wall panels, skirting, frames)
BLOCKING_BELOW_M = 1.5  # exhibits whose underside is higher than this do not block a walking visitor
MOUNTS = ("pedestal", "wall", "floor", "showcase")


@dataclass(frozen=True)
class DoorSpec:
    """A doorway in the room's wall: centre on the floor [x, y, z] and its width."""

    id: int | str
    position: Sequence[float]
    yaw_deg: float = 0.0
    width_m: float = 1.6
    to: str = ""


@dataclass(frozen=True)
class RoomSpec:
    """A gallery room: floor polygon [[x, z], ...], ceiling height, spawn points [x, y, z], doors, and the floor
    footprints [[[x, z], ...], ...] of the room's own furniture that a visitor walks around."""

    floor: Sequence[Sequence[float]]
    height_m: float
    spawns: Sequence[Sequence[float]] = ()
    doors: Sequence[DoorSpec] = ()
    obstacles: Sequence[Sequence[Sequence[float]]] = ()


@dataclass(frozen=True)
class PlacementSpec:
    """An exhibit placed in a room, with its model's bounds {"min": [x, y, z], "max": [x, y, z]} in model space."""

    id: int | str
    exhibit: str
    translation: Sequence[float] = (0.0, 0.0, 0.0)
    rotation_deg: Sequence[float] = (0.0, 0.0, 0.0)
    scale: float = 1.0
    target_size_m: float | None = None
    mount: str = "floor"
    bounds: Mapping[str, Sequence[float]] | None = None
    plinth: Mapping[str, Any] | None = None  # {"width_m", "depth_m", "height_m", "case_height_m"?}


@dataclass(frozen=True)
class PlacementProblem:
    """One thing wrong with a layout; `placement_id` and `exhibit` are None for a problem of a door or the room."""

    placement_id: int | str | None
    exhibit: str | None
    code: str
    message: str
    door_id: int | str | None = None
    other_id: int | str | None = field(default=None)

    def as_dict(self) -> dict[str, Any]:
        """Return the problem as JSON-ready data."""
        return {"placement_id": self.placement_id, "exhibit": self.exhibit, "code": self.code,
                "message": self.message, "door_id": self.door_id, "other_id": self.other_id}


@dataclass
class _Placed:
    spec: PlacementSpec
    corners: NDArray[np.float64]  # (8, 3) world-space corners of the oriented box
    axes: NDArray[np.float64]  # (3, 3) rows: the box's world axes (unit)
    footprint: NDArray[np.float64]  # (k, 2) convex hull of the corners in [x, z], counter-clockwise


def rotation_matrix(rotation_deg: Sequence[float]) -> NDArray[np.float64]:
    """Return the (3, 3) matrix of an Euler XYZ rotation in degrees (three.js order: Rx · Ry · Rz)."""
    rx, ry, rz = (math.radians(float(a)) for a in rotation_deg)
    cx, sx, cy, sy, cz, sz = math.cos(rx), math.sin(rx), math.cos(ry), math.sin(ry), math.cos(rz), math.sin(rz)
    mx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    my = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    mz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return mx @ my @ mz


def effective_scale(spec: PlacementSpec) -> float:
    """Return the uniform scale a placement draws its model at (target height wins over scale)."""
    if spec.target_size_m and spec.bounds:
        height = float(spec.bounds["max"][1]) - float(spec.bounds["min"][1])
        if height > 0:
            return float(spec.target_size_m) / height
    return float(spec.scale)


def placement_matrix(spec: PlacementSpec) -> NDArray[np.float64]:
    """Return the (4, 4) model-to-room matrix of a placement."""
    m = np.eye(4)
    m[:3, :3] = rotation_matrix(spec.rotation_deg) * effective_scale(spec)
    m[:3, 3] = [float(v) for v in spec.translation]
    return m


def _hull(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the convex hull (k, 2) of points (n, 2), counter-clockwise (monotone chain)."""
    pts = sorted({(round(float(x), 9), round(float(z), 9)) for x, z in points})
    if len(pts) < 3:
        return np.array(pts, dtype=np.float64).reshape(-1, 2)

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1], dtype=np.float64)


def _box_corners(lo: NDArray[np.float64], hi: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the 8 corners (8, 3) of an axis-aligned box."""
    return np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])


def _place(spec: PlacementSpec) -> _Placed:
    lo = np.asarray(spec.bounds["min"], dtype=np.float64) if spec.bounds else np.zeros(3)
    hi = np.asarray(spec.bounds["max"], dtype=np.float64) if spec.bounds else np.zeros(3)
    m = placement_matrix(spec)
    rot = rotation_matrix(spec.rotation_deg)
    if spec.plinth:
        # The model's box in the placement's turned (unscaled) frame, joined with the plinth's.
        local = _box_corners(lo, hi) * effective_scale(spec)  # (8, 3)
        plinth = Plinth.from_json(spec.plinth).bounds()
        lo = np.minimum(local.min(axis=0), np.asarray(plinth["min"], dtype=np.float64))
        hi = np.maximum(local.max(axis=0), np.asarray(plinth["max"], dtype=np.float64))
        corners = _box_corners(lo, hi) @ rot.T + m[:3, 3]
    else:
        corners = _box_corners(lo, hi) @ m[:3, :3].T + m[:3, 3]
    return _Placed(spec, corners, rot.T.copy(), _hull(corners[:, [0, 2]]))


def _penetration(a: _Placed, b: _Placed) -> float:
    """Return how deep two oriented boxes overlap (<= 0 when apart), by the separating-axis test."""
    axes = [*a.axes, *b.axes]
    axes += [np.cross(u, v) for u in a.axes for v in b.axes]
    depth = math.inf
    for axis in axes:
        norm = float(np.linalg.norm(axis))
        if norm < 1e-9:
            continue
        pa, pb = a.corners @ (axis / norm), b.corners @ (axis / norm)
        depth = min(depth, min(float(pa.max() - pb.min()), float(pb.max() - pa.min())))
        if depth <= 0:
            return depth
    return depth


def _segment_distances(points: NDArray[np.float64], poly: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the distance (n,) of each point (n, 2) to the closed polyline poly (k, 2)."""
    a = poly
    b = np.roll(poly, -1, axis=0)
    ab = b - a  # (k, 2)
    ap = points[:, None, :] - a[None, :, :]  # (n, k, 2)
    length2 = np.maximum((ab**2).sum(axis=1), 1e-18)
    t = np.clip((ap * ab[None]).sum(axis=2) / length2, 0.0, 1.0)
    nearest = a[None] + t[..., None] * ab[None]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def _inside(points: NDArray[np.float64], poly: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Return whether each point (n, 2) lies inside the simple polygon (k, 2) (even-odd rule)."""
    x, z = points[:, 0:1], points[:, 1:2]
    x0, z0 = poly[:, 0][None], poly[:, 1][None]
    x1, z1 = np.roll(poly[:, 0], -1)[None], np.roll(poly[:, 1], -1)[None]
    straddle = (z0 > z) != (z1 > z)
    with np.errstate(divide="ignore", invalid="ignore"):
        cross_x = x0 + (z - z0) * (x1 - x0) / (z1 - z0)
    crossings = straddle & (x < cross_x)
    return (crossings.sum(axis=1) % 2) == 1


def _name(spec: PlacementSpec) -> str:
    return f"Placement {spec.id} ({spec.exhibit})"


def _room_problems(room: RoomSpec, placed: list[_Placed], floor: NDArray[np.float64]) -> list[PlacementProblem]:
    problems: list[PlacementProblem] = []
    for p in placed:
        spec = p.spec
        if spec.mount not in MOUNTS:
            problems.append(PlacementProblem(spec.id, spec.exhibit, "BAD_MOUNT",
                                             f"{_name(spec)} has the unknown mount {spec.mount!r}."))
        outside = ~_inside(p.footprint, floor) & (_segment_distances(p.footprint, floor) > TOLERANCE_M)
        if outside.any():
            x, z = p.footprint[int(np.argmax(outside))]
            problems.append(PlacementProblem(spec.id, spec.exhibit, "OUTSIDE_ROOM",
                                             f"{_name(spec)} reaches outside the room's floor near "
                                             f"x={x:.2f} m, z={z:.2f} m."))
        top, bottom = float(p.corners[:, 1].max()), float(p.corners[:, 1].min())
        if top > room.height_m + TOLERANCE_M:
            problems.append(PlacementProblem(spec.id, spec.exhibit, "ABOVE_CEILING",
                                             f"{_name(spec)} rises to {top:.2f} m, above the ceiling at "
                                             f"{room.height_m:.2f} m."))
        if bottom < -TOLERANCE_M:
            problems.append(PlacementProblem(spec.id, spec.exhibit, "BELOW_FLOOR",
                                             f"{_name(spec)} sinks {-bottom:.2f} m into the floor."))
        elif spec.plinth and bottom > TOLERANCE_M:
            problems.append(PlacementProblem(spec.id, spec.exhibit, "PLINTH_OFF_FLOOR",
                                             f"{_name(spec)} stands on a plinth whose foot floats {bottom:.2f} m "
                                             "above the floor: stand it at the plinth's height."))
        if spec.mount == "wall":
            gap = float(_segment_distances(p.footprint, floor).min())
            if gap > WALL_GAP_M:
                problems.append(PlacementProblem(spec.id, spec.exhibit, "NOT_ON_WALL",
                                                 f"{_name(spec)} is mounted on a wall but stands {gap:.2f} m "
                                                 "away from the nearest wall."))
    return problems


def _overlap_problems(placed: list[_Placed]) -> list[PlacementProblem]:
    problems: list[PlacementProblem] = []
    lo = np.array([p.corners.min(axis=0) for p in placed]).reshape(-1, 3)
    hi = np.array([p.corners.max(axis=0) for p in placed]).reshape(-1, 3)
    for i in range(len(placed)):
        # Axis-aligned boxes first: most pairs are far apart and need no separating-axis test.
        near = np.all((lo[i + 1:] < hi[i] - TOLERANCE_M) & (hi[i + 1:] > lo[i] + TOLERANCE_M), axis=1)
        for j in np.nonzero(near)[0] + i + 1:
            a, b = placed[i], placed[int(j)]
            depth = _penetration(a, b)
            if depth > TOLERANCE_M:
                problems.append(PlacementProblem(
                    a.spec.id, a.spec.exhibit, "OVERLAP",
                    f"{_name(a.spec)} intersects placement {b.spec.id} ({b.spec.exhibit}) by {depth:.2f} m.",
                    other_id=b.spec.id))
    return problems


class _Grid:
    """The room's floor as cells of CELL_M: centres (ny, nx) over the floor's bounding rectangle."""

    def __init__(self, floor: NDArray[np.float64]) -> None:
        self.origin = floor.min(axis=0) - CELL_M  # one cell of margin so the border is never walkable
        size = floor.max(axis=0) + CELL_M - self.origin
        self.nx, self.nz = int(math.ceil(size[0] / CELL_M)) + 1, int(math.ceil(size[1] / CELL_M)) + 1

    def cell(self, x: float, z: float) -> tuple[int, int]:
        """Return the (row, column) of the cell holding a point, clamped to the grid."""
        col = min(max(int((x - self.origin[0]) // CELL_M), 0), self.nx - 1)
        row = min(max(int((z - self.origin[1]) // CELL_M), 0), self.nz - 1)
        return row, col

    def fill(self, poly: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Return the cells (nz, nx) whose centre lies in a simple polygon (k, 2), row by row (even-odd rule)."""
        mask = np.zeros((self.nz, self.nx), dtype=bool)
        zs = self.origin[1] + (np.arange(self.nz) + 0.5) * CELL_M  # (nz,)
        a, b = poly, np.roll(poly, -1, axis=0)
        straddle = (a[None, :, 1] > zs[:, None]) != (b[None, :, 1] > zs[:, None])  # (nz, k)
        with np.errstate(divide="ignore", invalid="ignore"):
            xs = a[:, 0] + (zs[:, None] - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])  # (nz, k)
        for row in range(self.nz):
            crossings = np.sort(xs[row][straddle[row]])
            cols = (crossings - self.origin[0]) / CELL_M - 0.5  # cell centres lie on whole numbers here
            for start, stop in zip(cols[0::2], cols[1::2], strict=False):
                mask[row, max(int(np.ceil(start)), 0):min(int(np.floor(stop)) + 1, self.nx)] = True
        return mask

    def cover(self, poly: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Return the cells (nz, nx) whose centre lies in a convex polygon (k, 2), plus those under its corners."""
        mask = np.zeros((self.nz, self.nx), dtype=bool)
        if len(poly) >= 3:
            (r0, c0), (r1, c1) = self.cell(*poly.min(axis=0)), self.cell(*poly.max(axis=0))
            xs = self.origin[0] + (np.arange(c0, c1 + 1) + 0.5) * CELL_M
            zs = self.origin[1] + (np.arange(r0, r1 + 1) + 0.5) * CELL_M
            gx, gz = np.meshgrid(xs, zs)  # (rows, cols) of the polygon's bounding window only
            rel = np.stack([gx, gz], axis=-1)[:, :, None, :] - poly  # (rows, cols, k, 2)
            edges = np.roll(poly, -1, axis=0) - poly  # (k, 2)
            inside = (edges[:, 0] * rel[..., 1] - edges[:, 1] * rel[..., 0] >= 0).all(axis=-1)
            mask[r0:r1 + 1, c0:c1 + 1] = inside
        for x, z in [*poly, poly.mean(axis=0)] if len(poly) else []:
            mask[self.cell(float(x), float(z))] = True
        return mask


@dataclass(frozen=True)
class WalkableFloor:
    """The floor a visitor may stand on: a grid of `cell_m` cells whose first cell's corner is `origin` [x, z]."""

    origin: tuple[float, float]
    cell_m: float
    mask: NDArray[np.bool_]  # (rows along z, columns along x): True where the visitor's feet may stand

    def runs(self) -> list[int]:
        """Return the mask, row by row, as alternating run lengths of blocked and walkable cells (blocked first)."""
        flat = self.mask.ravel()
        edges = np.flatnonzero(flat[1:] != flat[:-1]) + 1
        bounds = np.concatenate([[0], edges, [flat.size]])
        lengths = np.diff(bounds).tolist()
        return [0, *lengths] if flat.size and flat[0] else lengths

    def as_dict(self) -> dict[str, Any]:
        """Return the floor as JSON-ready data: origin, cell size, width and height in cells, run lengths."""
        rows, cols = self.mask.shape
        return {"origin": [round(self.origin[0], 6), round(self.origin[1], 6)], "cell_m": self.cell_m,
                "width": int(cols), "height": int(rows), "runs": self.runs()}


@dataclass
class _Walk:
    grid: _Grid
    walkable: NDArray[np.bool_]  # (nz, nx) cells with room for the visitor
    reached: NDArray[np.bool_]  # (nz, nx) walkable cells joined to a spawn point
    covers: list[NDArray[np.bool_]]  # one (nz, nx) footprint per placement
    blocked_spawns: list[int]  # indexes of the spawn points that touch no walkable cell


def _walk(room: RoomSpec, placed: list[_Placed], floor: NDArray[np.float64]) -> _Walk:
    grid = _Grid(floor)
    blocked = ~grid.fill(floor)
    covers = [grid.cover(p.footprint) for p in placed]
    for p, cover in zip(placed, covers, strict=True):
        if float(p.corners[:, 1].min()) < BLOCKING_BELOW_M:
            blocked |= cover
    for obstacle in room.obstacles:
        points = np.asarray(obstacle, dtype=np.float64).reshape(-1, 2)  # (k, 2)
        if len(points) >= 3:
            blocked |= grid.cover(_hull(points))
    # Distance in cells from each free cell centre to the nearest blocked cell centre.
    clearance = ndimage.distance_transform_edt(~blocked) * CELL_M
    walkable = clearance >= VISITOR_RADIUS_M
    labels, _ = ndimage.label(walkable)
    seeds: set[int] = set()
    blocked_spawns = []
    for index, spawn in enumerate(room.spawns):
        row, col = grid.cell(float(spawn[0]), float(spawn[2]))
        # A spawn a little too close to a wall still starts the visitor on the nearest free cell.
        window = labels[max(row - 3, 0):row + 4, max(col - 3, 0):col + 4]
        found = {int(v) for v in np.unique(window) if v}
        if not found:
            blocked_spawns.append(index)
        seeds |= found
    reached = np.isin(labels, sorted(seeds)) if seeds else np.zeros_like(walkable)
    return _Walk(grid, walkable, reached, covers, blocked_spawns)


def _reach_problems(room: RoomSpec, walk: _Walk, placed: list[_Placed]) -> list[PlacementProblem]:
    problems: list[PlacementProblem] = []
    for index in walk.blocked_spawns:
        spawn = room.spawns[index]
        problems.append(PlacementProblem(None, None, "SPAWN_BLOCKED",
                                         f"Spawn point {index + 1} at x={spawn[0]:.2f} m, z={spawn[2]:.2f} m "
                                         "is not on walkable floor."))
    if not room.spawns:
        problems.append(PlacementProblem(None, None, "NO_SPAWN", "The room has no spawn point."))
    reached = walk.reached
    if not reached.any():
        far = np.full(reached.shape, np.inf)
    else:
        far = ndimage.distance_transform_edt(~reached) * CELL_M
    for p, cover in zip(placed, walk.covers, strict=True):
        if float(far[cover].min()) > REACH_M:
            problems.append(PlacementProblem(p.spec.id, p.spec.exhibit, "UNREACHABLE",
                                             f"{_name(p.spec)} cannot be reached on foot from a spawn point: "
                                             f"no walkable floor within {REACH_M:.1f} m."))
    for door in room.doors:
        mask = np.zeros_like(reached)
        mask[walk.grid.cell(float(door.position[0]), float(door.position[2]))] = True
        if float(far[mask].min()) > REACH_M:
            problems.append(PlacementProblem(None, None, "DOOR_UNREACHABLE",
                                             f"The door {door.id} to {door.to or 'another gallery'} cannot be "
                                             "reached on foot from a spawn point.", door_id=door.id))
    return problems


def _floor(room: RoomSpec) -> NDArray[np.float64]:
    return np.asarray(room.floor, dtype=np.float64).reshape(-1, 2)  # (k, 2)


def _measured(placements: list[PlacementSpec]) -> list[_Placed]:
    return [_place(spec) for spec in placements if spec.bounds and "min" in spec.bounds and "max" in spec.bounds]


def walkable_floor(room: RoomSpec, placements: list[PlacementSpec]) -> WalkableFloor | None:
    """Return the floor a visitor may walk on: the cells reached from a spawn point (every cell with room for the
    visitor when no spawn reaches any), or None for a room without a floor polygon."""
    floor = _floor(room)
    if len(floor) < 3:
        return None
    walk = _walk(room, _measured(placements), floor)
    mask = walk.reached if walk.reached.any() else walk.walkable
    origin = walk.grid.origin
    return WalkableFloor((float(origin[0]), float(origin[1])), CELL_M, mask)


def validate_gallery(room: RoomSpec, placements: list[PlacementSpec]) -> list[PlacementProblem]:
    """Return every problem of a gallery's layout: overlaps, exhibits outside the room, unreachable places."""
    floor = _floor(room)
    if len(floor) < 3:
        return [PlacementProblem(None, None, "NO_FLOOR", "The room has no floor polygon (3 or more points).")]
    problems: list[PlacementProblem] = []
    placed: list[_Placed] = []
    for spec in placements:
        if not spec.bounds or "min" not in spec.bounds or "max" not in spec.bounds:
            problems.append(PlacementProblem(spec.id, spec.exhibit, "NO_BOUNDS",
                                             f"{_name(spec)} has no model bounds, so it cannot be checked."))
            continue
        placed.append(_place(spec))
    problems += _overlap_problems(placed)
    problems += _room_problems(room, placed, floor)
    problems += _reach_problems(room, _walk(room, placed, floor), placed)
    return problems
