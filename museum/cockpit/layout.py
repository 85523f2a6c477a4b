"""Each manager's dashboard: which tiles, in which order, at which size."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from museum.core.errors import BadRequest, Unprocessable
from museum.models import CockpitLayout

TILES = ("key_figures", "alerts", "visitors_by_day", "hour_of_week", "top_exhibits", "top_galleries", "films",
         "devices", "languages", "tour_funnel", "sessions", "booth", "zero_searches")
SIZES = ("s", "m", "l")
_DEFAULT_SIZES = {"key_figures": "l", "alerts": "l", "visitors_by_day": "l", "hour_of_week": "l"}
DEFAULT = [{"id": tile, "size": _DEFAULT_SIZES.get(tile, "m")} for tile in TILES]


def layout_for(session: Session, user_id: int) -> list[dict[str, Any]]:
    """Return a user's tiles, or the default layout when they have not chosen yet."""
    row = session.get(CockpitLayout, user_id)
    return list(row.tiles) if row is not None else [dict(tile) for tile in DEFAULT]


def parse_tiles(data: Any) -> list[dict[str, str]]:
    """Return the tiles of {"tiles": [{"id", "size"}, ...]}, or refuse them with a pointer."""
    if not isinstance(data, dict) or not isinstance(data.get("tiles"), list):
        raise BadRequest('Send {"tiles": [{"id", "size"}, ...]}.', code="invalid_layout", pointer="/tiles")
    tiles: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, tile in enumerate(data["tiles"]):
        pointer = f"/tiles/{index}"
        if not isinstance(tile, dict) or set(tile) - {"id", "size"}:
            raise Unprocessable("A tile is {\"id\", \"size\"}.", code="invalid_tile", pointer=pointer)
        if tile.get("id") not in TILES:
            raise Unprocessable(f"Unknown tile; one of {', '.join(TILES)}.", code="unknown_tile",
                                pointer=f"{pointer}/id")
        if tile["id"] in seen:
            raise Unprocessable("A tile appears once.", code="duplicate_tile", pointer=f"{pointer}/id")
        size = tile.get("size", "m")
        if size not in SIZES:
            raise Unprocessable("size is s, m or l.", code="invalid_tile", pointer=f"{pointer}/size")
        seen.add(tile["id"])
        tiles.append({"id": tile["id"], "size": size})
    return tiles


def save_layout(session: Session, user_id: int, tiles: list[dict[str, str]]) -> None:
    """Save a user's tiles (in the caller's transaction)."""
    row = session.get(CockpitLayout, user_id)
    if row is None:
        session.add(CockpitLayout(user_id=user_id, tiles=tiles))
    else:
        row.tiles = tiles
