"""The plinth an exhibit stands on: a pedestal, and a glass case on it when the exhibit is shown in one.

A plinth belongs to its placement, not to the room: it stands under the placement's position (whose y is the
plinth's top), turns with the placement's yaw and moves with it. In the placement's frame (metres, Y up, before the
yaw) the plinth spans x in [-width/2, width/2], z in [-depth/2, depth/2] and y in [-height, case_height]; it is
never scaled with the exhibit's model. Its label plate sits on its front (+z), tilted back 15 degrees.

    spec = Plinth.from_json({"width_m": 0.6, "depth_m": 0.6, "height_m": 1.0, "case_height_m": 0.45})
    spec.bounds()           {"min": [x, y, z], "max": [x, y, z]} in the placement's frame
    plinth_glb(spec)        bytes of a GLB with the plinth's origin at its top centre (the placement's position)
    label_plate(spec)       where the visitor's page writes the exhibit's title on it
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scenes.demo.geometry import Array, Part, box, compose, rotate, translate
from scenes.demo.glb import Material, write_glb
from scenes.demo.materials import PALETTE

LABEL_PLATE_SIZE = (0.22, 0.12)  # width, height of the label plate (metres)
PLATE_THICKNESS = 0.01
FINISHES: dict[str, tuple[str, str]] = {"walnut": ("walnut", "brass"), "white": ("white-plastic", "brushed-steel")}
LIMITS = {"width_m": (0.1, 5.0), "depth_m": (0.1, 5.0), "height_m": (0.05, 2.0), "case_height_m": (0.0, 2.0)}


@dataclass(frozen=True)
class Plinth:
    """A plinth's size in metres (case_height_m 0: an open pedestal) and its finish (a key of FINISHES)."""

    width_m: float
    depth_m: float
    height_m: float
    case_height_m: float = 0.0
    finish: str = "walnut"

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Plinth:
        """Return a plinth from its JSON form (as a placement stores it); the values are checked by the caller."""
        return cls(float(value["width_m"]), float(value["depth_m"]), float(value["height_m"]),
                   float(value.get("case_height_m") or 0.0), str(value.get("finish") or "walnut"))

    def as_json(self) -> dict[str, Any]:
        """Return the plinth as a placement stores it."""
        return {"width_m": self.width_m, "depth_m": self.depth_m, "height_m": self.height_m,
                "case_height_m": self.case_height_m, "finish": self.finish}

    def bounds(self) -> dict[str, list[float]]:
        """Return the plinth's box, glass case included, in the placement's frame (its top at y=0)."""
        w, d = self.width_m / 2 + 0.02, self.depth_m / 2 + 0.02  # the base trim stands 2 cm proud
        return {"min": [-w, -self.height_m, -d], "max": [w, self.case_height_m, d]}


def _plate_frame(plinth: Plinth) -> Array:
    """Return the 4x4 transform of the label plate, in the frame of the plinth's foot (floor at y=0)."""
    return compose(translate((0, plinth.height_m - 0.14, plinth.depth_m / 2 + 0.012)), rotate(-15, "x"))


def plinth_parts(plinth: Plinth) -> list[Part]:
    """Return the plinth's parts with its top centre at the origin: base, body, cap, label plate, glass case."""
    width, depth, height, glass = plinth.width_m, plinth.depth_m, plinth.height_m, plinth.case_height_m
    body, trim = FINISHES.get(plinth.finish, FINISHES["walnut"])
    parts = [
        box((width + 0.04, 0.08, depth + 0.04), (0, 0.04, 0), trim, faces="XxYZz"),
        box((width, max(height - 0.11, 0.001), depth), (0, 0.08 + max(height - 0.11, 0.001) / 2, 0), body,
            faces="XxZz"),
        box((width + 0.03, 0.03, depth + 0.03), (0, height - 0.015, 0), trim),
    ]
    if height >= 0.2:
        parts.append(box((*LABEL_PLATE_SIZE, PLATE_THICKNESS), (0, 0, 0), "paper").transformed(_plate_frame(plinth)))
    if glass > 0:
        parts.append(box((width - 0.02, glass, depth - 0.02), (0, height + glass / 2, 0), "glass", faces="XxYZz"))
        for x in (-1, 1):
            for z in (-1, 1):
                parts.append(box((0.012, glass, 0.012), (x * (width / 2 - 0.016), height + glass / 2,
                                                         z * (depth / 2 - 0.016)), trim))
    return [p.moved((0, -height, 0)) for p in parts]


def plinth_glb(plinth: Plinth) -> bytes:
    """Return the plinth as a GLB whose origin is its top centre, so it takes its placement's transform as it is."""
    materials: dict[str, Material] = dict(PALETTE)
    return write_glb("plinth", plinth_parts(plinth), materials,
                     extras={"plinth": plinth.as_json(), "label_plate": label_plate(plinth)})


def label_plate(plinth: Plinth) -> dict[str, Any] | None:
    """Return where the exhibit's title goes on the plate, in the placement's frame: the centre of the plate's
    front face (a hair in front of it), its rotation ([x, y, z] degrees, three.js order "YXZ") and its size.

    None when the plinth is too low to carry a plate (under 20 cm).
    """
    if plinth.height_m < 0.2:
        return None
    frame = compose(translate((0, -plinth.height_m, 0)), _plate_frame(plinth),
                    translate((0, 0, PLATE_THICKNESS / 2 + 0.0015)))
    return {"position": [round(float(v), 5) for v in frame[:3, 3]], "rotation_deg": [-15.0, 0.0, 0.0],
            "rotation_order": "YXZ", "size_m": list(LABEL_PLATE_SIZE)}
