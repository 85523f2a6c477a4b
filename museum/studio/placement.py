"""Checks of a gallery's layout before it is saved or published; problems name the placement at fault.

The numbers, mounts and references are checked as the document is read (museum.studio.documents). The geometric
checks - exhibits that overlap, anything outside the room, anything unreachable from a spawn point - belong to
`scenes`; `geometric_problems` is the one place that asks for them.
"""

from __future__ import annotations

from typing import Any

from museum.errors import Unprocessable
from museum.models import Gallery


def geometric_problems(gallery: Gallery) -> list[dict[str, Any]]:
    """Return the layout problems `scenes` finds: [{pointer, code, message}] (none until `scenes` offers it)."""
    try:
        from scenes.layout import check_layout  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return []
    layout = {
        "size_m": list(gallery.size_m), "floor": [list(p) for p in gallery.floor], "spawns": list(gallery.spawns),
        "placements": [{"index": i, "exhibit": p.exhibit.slug if p.exhibit else None,
                        "translation": list(p.translation), "rotation_deg": list(p.rotation_deg),
                        "scale": p.scale, "target_size_m": p.target_size_m, "mount": p.mount,
                        "bounds": (p.exhibit.model_asset.inspection or {}).get("bounds")
                        if p.exhibit and p.exhibit.model_asset else None}
                       for i, p in enumerate(gallery.placements)],
    }
    return [{"pointer": f"/placements/{item['index']}", "code": item.get("code", "layout"),
             "message": item["message"]} for item in check_layout(layout)]


def check_saved(gallery: Gallery) -> None:
    """Refuse a layout with a geometric problem, pointing at the first placement at fault."""
    problems = geometric_problems(gallery)
    if problems:
        first = problems[0]
        raise Unprocessable(first["message"], code=first["code"], pointer=first["pointer"])


def check_publishable(gallery: Gallery) -> None:
    """Refuse to publish a gallery that shows exhibits visitors cannot see yet."""
    for i, placement in enumerate(gallery.placements):
        if not placement.exhibit.is_published:
            raise Unprocessable(
                f"Placement {i + 1} shows the exhibit {placement.exhibit.slug!r}, which is not published yet; "
                "publish the exhibit first.", code="placement_unpublished", pointer=f"/placements/{i}/exhibit_id")
