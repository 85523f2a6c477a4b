"""Checks of a gallery's layout before it is saved or published; problems name the placement at fault.

The numbers, mounts and references are checked as the document is read (museum.studio.documents). The geometric
checks - exhibits that overlap, anything outside the room, anything unreachable from a spawn point - come from
`scenes.placement` through `museum.catalogue.scene_export.gallery_problems`. A save is refused for a problem of one
object (it overlaps, sticks out of the room, floats off its wall); reachability is a property of the whole room
that a curator builds up over several saves, so it is required only to publish. An exhibit without a model yet
has no bounds to check and blocks nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import object_session

from museum.core.errors import Unprocessable
from museum.models import Gallery

SAVE_BLOCKING = frozenset({"OVERLAP", "OUTSIDE_ROOM", "ABOVE_CEILING", "BELOW_FLOOR", "NOT_ON_WALL", "BAD_MOUNT",
                           "PLINTH_OFF_FLOOR"})
NOT_BLOCKING = frozenset({"NO_BOUNDS"})


def geometric_problems(gallery: Gallery) -> list[dict[str, Any]]:
    """Return the layout problems `scenes` finds: [{pointer, code, message, placement_id, exhibit, ...}]."""
    from museum.catalogue.scene_export import gallery_problems

    session = object_session(gallery)
    if session is None:
        return []
    session.flush()
    return gallery_problems(session, gallery)


def _refuse_first(problems: list[dict[str, Any]]) -> None:
    if problems:
        first = problems[0]
        raise Unprocessable(first["message"], code=first["code"], pointer=first["pointer"])


def check_saved(gallery: Gallery) -> None:
    """Refuse a layout with an object at fault, pointing at the first placement (or door) concerned."""
    _refuse_first([p for p in geometric_problems(gallery) if p["code"] in SAVE_BLOCKING])


def check_publishable(gallery: Gallery) -> None:
    """Refuse to publish a gallery that shows unpublished exhibits or that visitors cannot walk."""
    for i, placement in enumerate(gallery.placements):
        if not placement.exhibit.is_published:
            raise Unprocessable(
                f"Placement {i + 1} shows the exhibit {placement.exhibit.slug!r}, which is not published yet; "
                "publish the exhibit first.", code="placement_unpublished", pointer=f"/placements/{i}/exhibit_id")
    _refuse_first([p for p in geometric_problems(gallery) if p["code"] not in NOT_BLOCKING])
