"""Each manager's dashboard: which tiles, in which order, at which size."""

from __future__ import annotations

from typing import Any, get_args

from sqlalchemy.orm import Session

from museum.cockpit.payloads import TileChoice, TileName, TileSize
from museum.core import payloads
from museum.core.errors import BadRequest, Unprocessable
from museum.models import CockpitLayout

TILES: tuple[str, ...] = get_args(TileName)
SIZES: tuple[str, ...] = get_args(TileSize)
_DEFAULT_SIZES = {"key_figures": "l", "alerts": "l", "visitors_by_day": "l", "hour_of_week": "l"}
DEFAULT = [{"id": tile, "size": _DEFAULT_SIZES.get(tile, "m")} for tile in TILES]


def layout_for(session: Session, user_id: int) -> list[dict[str, Any]]:
    """Return a user's tiles, or the default layout when they have not chosen yet."""
    row = session.get(CockpitLayout, user_id)
    if row is None:
        return [dict(tile) for tile in DEFAULT]
    return [tile for tile in row.tiles if tile.get("id") in TILES]  # a tile retired since is left out


def parse_tiles(data: Any) -> list[dict[str, str]]:
    """Return the tiles of {"tiles": [{"id", "size"}, ...]}, or refuse them with a pointer."""
    if not isinstance(data, dict) or not isinstance(data.get("tiles"), list):
        raise BadRequest('Send {"tiles": [{"id", "size"}, ...]}.', code="invalid_layout", pointer="/tiles")
    tiles = [tile.model_dump() for tile in payloads.validate(TileChoice, data, "invalid_tile").tiles]
    seen: set[str] = set()
    for index, tile in enumerate(tiles):
        if tile["id"] in seen:
            raise Unprocessable("A tile appears once.", code="duplicate_tile", pointer=f"/tiles/{index}/id")
        seen.add(tile["id"])
    return tiles


def save_layout(session: Session, user_id: int, tiles: list[dict[str, str]]) -> None:
    """Save a user's tiles (in the caller's transaction)."""
    row = session.get(CockpitLayout, user_id)
    if row is None:
        session.add(CockpitLayout(user_id=user_id, tiles=tiles))
    else:
        row.tiles = tiles
