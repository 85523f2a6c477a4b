"""A gallery as the layout rules read it (`scenes.placement`), and the floor its visitors may walk on.

The studio's layout check and the scene manifest's `walkable` field come from the same room and placements, so the
floor the front end lets a visitor walk and teleport on is the floor the placement rules found reachable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from museum.models import Gallery, Placement
from scenes.placement import DoorSpec, PlacementSpec, RoomSpec, walkable_floor


def room_spec(gallery: Gallery) -> RoomSpec:
    """Return the gallery's room as `scenes.placement` reads it (its furniture from the room model's inspection)."""
    height = float(gallery.size_m[1]) if len(gallery.size_m) >= 2 else 0.0
    inspection = gallery.room_asset.inspection if gallery.room_asset is not None else None
    return RoomSpec(
        floor=[list(p) for p in gallery.floor],
        height_m=height,
        spawns=[list(s.get("position", [0.0, 0.0, 0.0])) for s in gallery.spawns],
        doors=[DoorSpec(d.id, list(d.translation), d.yaw_deg, d.width_m, d.to_gallery.slug if d.to_gallery else "")
               for d in gallery.doors],
        obstacles=list((inspection or {}).get("obstacles") or []),
    )


SCREEN_DEPTH_M = 0.06  # a film's screen: its frame stands this far out from what it hangs on


def screen_bounds(width: int, height: int) -> dict[str, list[float]]:
    """Return the bounds of a film's screen at scale 1: 1 m tall, as wide as the film's aspect, its back at z = 0
    and its face towards +z, the middle of its lower edge at the origin (a placement's `target_size_m` is its
    height, as for a model)."""
    half = width / height / 2 if width > 0 and height > 0 else 16 / 9 / 2
    return {"min": [-half, 0.0, 0.0], "max": [half, 1.0, SCREEN_DEPTH_M]}


def placement_spec(placement: Placement) -> PlacementSpec:
    """Return a placement with its exhibit's bounds: its model's, else its film's screen (None without either)."""
    exhibit = placement.exhibit
    asset = exhibit.model_asset if exhibit else None
    bounds = (asset.inspection or {}).get("bounds") if asset is not None else None
    if bounds is None and exhibit is not None:
        film = next((m.asset for m in exhibit.media if m.role == "film"), None)
        if film is not None and film.status == "ready":
            bounds = screen_bounds(int(film.inspection.get("width", 0)), int(film.inspection.get("height", 0)))
    return PlacementSpec(
        id=placement.id, exhibit=placement.exhibit.slug if placement.exhibit else "",
        translation=list(placement.translation), rotation_deg=list(placement.rotation_deg),
        scale=placement.scale, target_size_m=placement.target_size_m, mount=placement.mount, bounds=bounds,
        plinth=placement.plinth,
    )


def walkable_json(gallery: Gallery, placements: Iterable[Placement]) -> dict[str, Any] | None:
    """Return the walkable floor of a gallery with these placements as JSON-ready data (None without a floor)."""
    floor = walkable_floor(room_spec(gallery), [placement_spec(p) for p in placements])
    return floor.as_dict() if floor is not None else None
