"""Where each demo exhibit stands in its gallery, and the footprints that keep placements apart.

Rooms are in their own frame: metres, Y up, floor at y=0, centred on x/z=0. `rotation_deg` is [0, yaw, 0] about +Y
(counter-clockwise seen from above, as glTF and three.js rotate). Objects on a pedestal or in a showcase have
`position` on the pedestal's top and carry that plinth (`plinth`, as `scenes.plinth` reads it) from `PEDESTALS`:
the plinth belongs to the placement and moves with it, the room has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray


def _place(exhibit: str, x: float, y: float, z: float, yaw: float, mount: str) -> dict[str, Any]:
    return {"exhibit": exhibit, "position": [x, y, z], "rotation_deg": [0.0, yaw, 0.0], "mount": mount, "scale": 1.0}


LAYOUT: dict[str, list[dict[str, Any]]] = {
    "lobby": [
        _place("hospital-emblem", -2.4, 0.0, 0.2, 20.0, "floor"),
        _place("digital-museum-terminal", -4.9, 0.0, -2.7, 40.0, "floor"),
        _place("sms-internet-hospital", 3.6, 0.0, -2.0, -35.0, "floor"),
    ],
    "history-hall": [
        _place("monaural-stethoscope", -2.2, 1.0, 0.4, 20.0, "showcase"),
        _place("brass-microscope", 0.0, 1.0, 0.4, 0.0, "showcase"),
        _place("cardiac-surgery-heart-model", 2.2, 1.0, 0.4, -20.0, "showcase"),
        _place("apothecary-cabinet", -3.2, 0.0, -4.62, 0.0, "wall"),
        _place("iron-ward-bed", 3.2, 0.0, -3.88, 0.0, "floor"),
        _place("operating-lamp", 3.4, 0.0, 3.7, 180.0, "floor"),
        _place("x-ray-apparatus", -4.2, 0.0, 3.95, 180.0, "floor"),
    ],
    "smart-hospital-5g": [
        _place("5g-base-station", -6.6, 0.0, -4.9, 20.0, "floor"),
        _place("medical-uav", -2.6, 0.2, 3.6, 30.0, "pedestal"),
        _place("logistics-robot", 3.2, 0.0, 4.0, 200.0, "floor"),
        _place("patrol-robot", 6.8, 0.0, 1.2, -120.0, "floor"),
        _place("remote-consultation-station", 6.6, 0.0, -4.6, -20.0, "floor"),
        _place("peritoneal-dialysis-unit", -7.6, 0.0, 4.4, 135.0, "floor"),
        _place("president-cockpit-screen", 1.2, 0.0, -6.62, 0.0, "wall"),
    ],
}

# Plinths of "pedestal" and "showcase" placements: width, depth (metres) and
# the glass case's height above the plinth top (0 for an open pedestal); the plinth height is the placement's y.
PEDESTALS: dict[str, tuple[float, float, float]] = {
    "monaural-stethoscope": (0.6, 0.6, 0.45),
    "brass-microscope": (0.6, 0.6, 0.55),
    "cardiac-surgery-heart-model": (0.6, 0.6, 0.65),
    "medical-uav": (1.9, 1.9, 0.0),
}


_FINISH = {"history-hall": "walnut", "smart-hospital-5g": "white"}


def _with_plinths() -> None:
    """Give each pedestal or showcase placement its plinth, the height of its position's y."""
    for gallery, items in LAYOUT.items():
        for item in items:
            size = PEDESTALS.get(item["exhibit"])
            if size is None or item["mount"] not in ("pedestal", "showcase"):
                continue
            w, d, glass = size
            item["plinth"] = {"width_m": w, "depth_m": d, "height_m": item["position"][1],
                              "case_height_m": glass if item["mount"] == "showcase" else 0.0,
                              "finish": _FINISH.get(gallery, "walnut")}


_with_plinths()


def yaw_matrix(yaw_deg: float) -> NDArray[np.float64]:
    """Return the 2x2 matrix that turns model [x, z] into room [x, z] for a yaw about +Y."""
    a = np.radians(yaw_deg)
    c, s = np.cos(a), np.sin(a)
    # R_y maps (x, z) to (x c + z s, -x s + z c).
    return np.array([[c, s], [-s, c]])


def rectangle_footprint(half_x: float, half_z: float, centre: Sequence[float], yaw_deg: float,
                        offset: Sequence[float] = (0.0, 0.0)) -> NDArray[np.float64]:
    """Return the corners (4, 2) in room [x, z] of a model-space rectangle turned by yaw and moved to centre."""
    corners = np.array([[-half_x, -half_z], [half_x, -half_z], [half_x, half_z], [-half_x, half_z]])
    corners = corners + np.asarray(offset, dtype=np.float64)
    return corners @ yaw_matrix(yaw_deg).T + np.asarray(centre, dtype=np.float64)


def placement_footprint(placement: dict[str, Any], bounds: Sequence[Sequence[float]]) -> NDArray[np.float64]:
    """Return the floor footprint (4, 2) of a placement: its plinth's when it has one, else the model's bounds."""
    x, _, z = placement["position"]
    yaw = float(placement["rotation_deg"][1])
    s = float(placement["scale"])
    (x0, _, z0), (x1, _, z1) = bounds
    half_x, half_z = s * (x1 - x0) / 2, s * (z1 - z0) / 2
    offset = (s * (x0 + x1) / 2, s * (z0 + z1) / 2)
    plinth = placement.get("plinth")
    if plinth:
        return rectangle_footprint(plinth["width_m"] / 2, plinth["depth_m"] / 2, (x, z), yaw)
    return rectangle_footprint(half_x, half_z, (x, z), yaw, offset)


def polygons_intersect(a: NDArray[np.float64], b: NDArray[np.float64]) -> bool:
    """Return whether two convex polygons (k, 2) overlap (separating-axis test; touching edges do not count)."""
    for poly in (a, b):
        edges = np.roll(poly, -1, axis=0) - poly
        for nx, nz in np.stack([-edges[:, 1], edges[:, 0]], axis=1):
            axis = np.array([nx, nz])
            pa, pb = a @ axis, b @ axis
            if pa.max() <= pb.min() + 1e-9 or pb.max() <= pa.min() + 1e-9:
                return False
    return True


def point_in_polygon(point: Sequence[float], polygon: Sequence[Sequence[float]]) -> bool:
    """Return whether a point [x, z] lies inside a simple polygon (k, 2) (even-odd rule)."""
    x, z = point
    poly = np.asarray(polygon, dtype=np.float64)
    inside = False
    for (x0, z0), (x1, z1) in zip(poly, np.roll(poly, -1, axis=0), strict=True):
        if (z0 > z) != (z1 > z) and x < x0 + (z - z0) * (x1 - x0) / (z1 - z0):
            inside = not inside
    return inside
