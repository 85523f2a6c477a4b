"""Building blocks of the demo rooms: walls with door openings, skirting, frames, furniture, lights.

A wall is built in its own frame (running along +x, its inside face at z=0 looking +z) and then turned into place,
so one function serves all four sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scenes.demo.geometry import Array, Part, box, compose, cylinder, lathe, quad, rotate, sphere, translate, tube
from scenes.demo.layout import yaw_matrix

WALL_T = 0.2  # wall thickness (m), outside the interior rectangle


@dataclass(frozen=True)
class Door:
    """An opening in one wall ("north" is z=-d/2, "east" is x=+w/2) leading to another gallery."""

    to: str
    wall: str
    offset: float  # along the wall: x on north/south walls, z on east/west walls
    width: float = 2.0
    height: float = 2.8
    glow: str = "lamp-light"  # the material of the lit far end of the passage behind the opening


@dataclass(frozen=True)
class Finish:
    """The materials of a room's shell (keys of the room's material table)."""

    floor: str
    wall: str
    ceiling: str
    skirting: str
    frame: str
    wainscot: str | None = None
    wainscot_height: float = 1.0


def wall_frame(wall: str, width: float, depth: float) -> tuple[Array, float, float]:
    """Return (4x4 transform, interior length, sign of the offset) of a wall's own frame."""
    return {
        "north": (translate((0, 0, -depth / 2)), width, 1.0),
        "south": (compose(translate((0, 0, depth / 2)), rotate(180, "y")), width, -1.0),
        "east": (compose(translate((width / 2, 0, 0)), rotate(-90, "y")), depth, 1.0),
        "west": (compose(translate((-width / 2, 0, 0)), rotate(90, "y")), depth, -1.0),
    }[wall]


def door_pose(door: Door, width: float, depth: float) -> dict[str, object]:
    """Return the door's manifest entry: floor centre of the opening and the yaw that faces out through it."""
    position = {"north": [door.offset, 0.0, -depth / 2], "south": [door.offset, 0.0, depth / 2],
                "east": [width / 2, 0.0, door.offset], "west": [-width / 2, 0.0, door.offset]}[door.wall]
    yaw = {"north": 0.0, "south": 180.0, "east": -90.0, "west": 90.0}[door.wall]
    return {"to": door.to, "position": position, "yaw_deg": yaw, "width": door.width, "height": door.height}


def _spans(length: float, openings: Sequence[tuple[float, float]], margin: float) -> list[tuple[float, float]]:
    """Return the solid stretches [a, b] of a wall of a length, between openings (centre, width)."""
    spans, start = [], -length / 2 - margin
    for centre, width in sorted(openings):
        spans.append((start, centre - width / 2))
        start = centre + width / 2
    spans.append((start, length / 2 + margin))
    return [(a, b) for a, b in spans if b - a > 1e-6]


def shell(width: float, height: float, depth: float, doors: Sequence[Door], finish: Finish) -> list[Part]:
    """Return floor, ceiling, four walls with openings, skirting, wainscot, door frames and short vestibules."""
    parts = [
        box((width, 0.02, depth), (0, -0.01, 0), finish.floor, faces="Y"),
        box((width, 0.02, depth), (0, height + 0.01, 0), finish.ceiling, faces="y"),
    ]
    for wall in ("north", "south", "east", "west"):
        frame, length, sign = wall_frame(wall, width, depth)
        on_this_wall = [d for d in doors if d.wall == wall]
        openings = [(sign * d.offset, d.width, d.height) for d in on_this_wall]
        local: list[Part] = []
        for a, b in _spans(length, [(c, w) for c, w, _ in openings], WALL_T):
            local.append(box((b - a, height, WALL_T), ((a + b) / 2, height / 2, -WALL_T / 2), finish.wall))
        for c, w, h in openings:
            local.append(box((w, height - h, WALL_T), (c, (height + h) / 2, -WALL_T / 2), finish.wall))
        for a, b in _spans(length, [(c, w + 0.24) for c, w, _ in openings], 0.0):
            local.append(box((b - a, 0.12, 0.016), ((a + b) / 2, 0.06, 0.008), finish.skirting, faces="XxYZ"))
            if finish.wainscot:
                hw = finish.wainscot_height
                local.append(box((b - a, hw - 0.12, 0.012), ((a + b) / 2, 0.12 + (hw - 0.12) / 2, 0.006),
                                 finish.wainscot, faces="XxYZ"))
                local.append(box((b - a, 0.04, 0.03), ((a + b) / 2, hw + 0.02, 0.015), finish.skirting,
                                 faces="XxYyZ"))
        for (c, w, h), door in zip(openings, on_this_wall, strict=True):
            local += door_frame(c, w, h, finish.frame)
            local += vestibule(c, w, h, finish, door.glow)
        parts += [p.transformed(frame) for p in local]
    return parts


def door_frame(centre: float, width: float, height: float, material: str) -> list[Part]:
    """Return an architrave (two jambs and a head) around an opening, in the wall's frame."""
    return [
        box((0.12, height + 0.12, 0.05), (centre - width / 2 - 0.06, (height + 0.12) / 2, 0.025), material),
        box((0.12, height + 0.12, 0.05), (centre + width / 2 + 0.06, (height + 0.12) / 2, 0.025), material),
        box((width, 0.12, 0.05), (centre, height + 0.06, 0.025), material),
        box((width, 0.01, WALL_T), (centre, 0.005, -WALL_T / 2), material, faces="Y"),
    ]


def vestibule(centre: float, width: float, height: float, finish: Finish, glow: str) -> list[Part]:
    """Return a short passage behind an opening, lit at its far end, so a door never looks into the void."""
    length = 1.6
    z = -WALL_T - length / 2
    return [
        box((width, 0.02, length), (centre, -0.01, z), finish.floor, faces="Y"),
        box((width, 0.02, length), (centre, height + 0.01, z), finish.ceiling, faces="y"),
        box((0.02, height, length), (centre - width / 2 - 0.01, height / 2, z), finish.wall, faces="X"),
        box((0.02, height, length), (centre + width / 2 + 0.01, height / 2, z), finish.wall, faces="x"),
        box((width, height, 0.02), (centre, height / 2, -WALL_T - length - 0.01), glow, faces="Z"),
    ]


def on_wall(parts: Sequence[Part], wall: str, width: float, depth: float, offset: float, y: float) -> list[Part]:
    """Return parts built facing +z at the origin, hung on a wall at an offset along it and a height y."""
    frame, _, sign = wall_frame(wall, width, depth)
    place = compose(frame, translate((sign * offset, y, 0)))
    return [p.transformed(place) for p in parts]


def wall_footprint(wall: str, width: float, depth: float, offset: float, along: float,
                   out: float) -> list[list[float]]:
    """Return the floor rectangle [[x, z] x 4] of something against a wall: `along` wide, standing `out` off it."""
    frame, _, sign = wall_frame(wall, width, depth)
    c = sign * offset
    corners = np.array([[c - along / 2, 0, 0, 1], [c + along / 2, 0, 0, 1], [c + along / 2, 0, out, 1],
                        [c - along / 2, 0, out, 1]])
    room = corners @ frame.T
    return [[round(float(x), 4), round(float(z), 4)] for x, z in room[:, [0, 2]]]


def framed_picture(width: float, height: float, picture: str, frame: str, border: float = 0.06) -> list[Part]:
    """Return a picture quad in a moulded frame, facing +z with its back at z=0."""
    w, h, b = width, height, border
    return [
        box((w + 2 * b, b, 0.04), (0, (h + b) / 2, 0.02), frame),
        box((w + 2 * b, b, 0.04), (0, -(h + b) / 2, 0.02), frame),
        box((b, h, 0.04), (-(w + b) / 2, 0, 0.02), frame),
        box((b, h, 0.04), ((w + b) / 2, 0, 0.02), frame),
        quad(w, h, picture).moved((0, 0, 0.012)),
        box((w, h, 0.01), (0, 0, 0.005), frame, faces="Z"),
    ]


def placed(parts: Sequence[Part], x: float, z: float, yaw_deg: float) -> list[Part]:
    """Return parts turned by a yaw about +Y and moved to [x, z] on the floor."""
    return [p.transformed(compose(translate((x, 0, z)), rotate(yaw_deg, "y"))) for p in parts]


def footprint(half_x: float, half_z: float, x: float, z: float, yaw_deg: float) -> list[list[float]]:
    """Return the floor rectangle [[x, z] x 4] of furniture placed with `placed`."""
    corners = np.array([[-half_x, -half_z], [half_x, -half_z], [half_x, half_z], [-half_x, half_z]])
    return [[round(float(a), 4), round(float(b), 4)] for a, b in corners @ yaw_matrix(yaw_deg).T + [x, z]]


def downlight(x: float, z: float, ceiling: float, light: str, trim: str, radius: float = 0.12) -> list[Part]:
    """Return a recessed round ceiling light: a glowing disc in a trim ring."""
    return [
        cylinder(radius, 0.012, 20, light, y0=ceiling - 0.012).moved((x, 0, z)),
        lathe([[radius, ceiling - 0.014], [radius + 0.035, ceiling - 0.014], [radius + 0.035, ceiling]], 20,
              trim).moved((x, 0, z)),
    ]


def pendant(x: float, z: float, ceiling: float, drop: float, shade: str, bulb: str) -> list[Part]:
    """Return a pendant lamp: a cord, a conical metal shade and a glowing bulb."""
    y = ceiling - drop
    profile = [[0.025, 0.19], [0.21, 0.0], [0.22, 0.0], [0.03, 0.2], [0.0, 0.2]]
    return [
        cylinder(0.006, drop - 0.2, 6, "cast-iron", y0=y + 0.2).moved((x, 0, z)),
        lathe(profile, 24, shade).moved((x, y, z)),
        sphere(0.06, 12, 6, bulb).moved((x, y + 0.06, z)),
        cylinder(0.05, 0.015, 12, "cast-iron", y0=ceiling - 0.015).moved((x, 0, z)),
    ]


def bench(length: float, seat: str, legs: str) -> list[Part]:
    """Return a museum bench (seat 0.45 m high) along x, centred at the origin."""
    parts = [box((length, 0.06, 0.45), (0, 0.42, 0), seat)]
    for x in (-length / 2 + 0.12, length / 2 - 0.12):
        parts.append(box((0.06, 0.39, 0.4), (x, 0.195, 0), legs))
    parts.append(box((length - 0.3, 0.04, 0.06), (0, 0.12, 0), legs))
    return parts


def planter(pot: str, leaves: str, seed: int) -> list[Part]:
    """Return a potted plant: a tapered pot and a cluster of foliage spheres (about 1.4 m tall)."""
    rng = np.random.default_rng(seed)
    parts = [lathe([[0.0, 0.0], [0.2, 0.0], [0.27, 0.5], [0.28, 0.52], [0.0, 0.52]], 20, pot)]
    for _ in range(9):
        r = rng.uniform(0.16, 0.26)
        c = np.array([rng.uniform(-0.18, 0.18), rng.uniform(0.75, 1.25), rng.uniform(-0.18, 0.18)])
        parts.append(sphere(r, 12, 6, leaves).moved(c))
    parts.append(cylinder(0.025, 0.4, 6, "walnut", y0=0.5))
    return parts


def rope_barrier(length: float, post: str, rope: str, posts: int = 3) -> list[Part]:
    """Return brass stanchions along x with a sagging velvet rope between them (0.95 m tall)."""
    xs = np.linspace(-length / 2, length / 2, posts)
    parts: list[Part] = []
    for x in xs:
        parts += [lathe([[0, 0], [0.15, 0], [0.15, 0.02], [0.03, 0.04], [0, 0.04]], 20, post).moved((x, 0, 0)),
                  cylinder(0.022, 0.86, 12, post, y0=0.04).moved((x, 0, 0)),
                  sphere(0.035, 12, 6, post).moved((x, 0.93, 0))]
    for a, b in zip(xs[:-1], xs[1:], strict=True):
        t = np.linspace(0, 1, 12)
        path = np.stack([a + (b - a) * t, 0.86 - 0.14 * np.sin(np.pi * t), np.zeros_like(t)], axis=1)
        parts.append(tube(path, 0.018, 8, rope))
    return parts
