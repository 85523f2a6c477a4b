"""Queries over the catalogue that honour the draft/published state."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from museum.errors import NotFound
from museum.models import (
    Asset,
    Era,
    Exhibit,
    Gallery,
    Hotspot,
    Placement,
    Status,
    TimelineEvent,
    Tour,
    TourStop,
)

T = TypeVar("T", Exhibit, Gallery, Tour, Era, TimelineEvent)


def visible(stmt: Select[Any], model: Any, drafts: bool) -> Select[Any]:
    """Restrict a query to published rows unless drafts may be seen."""
    return stmt if drafts else stmt.where(model.status == Status.PUBLISHED.value)


EXHIBIT_LOAD = (
    selectinload(Exhibit.tags),
    selectinload(Exhibit.era),
    selectinload(Exhibit.model_asset).selectinload(Asset.tiers),
)

EXHIBIT_DETAIL_LOAD = (
    *EXHIBIT_LOAD,
    selectinload(Exhibit.rights),
    selectinload(Exhibit.media),
    selectinload(Exhibit.hotspots).selectinload(Hotspot.image_asset),
    selectinload(Exhibit.hotspots).selectinload(Hotspot.audio_asset),
    selectinload(Exhibit.hotspots).selectinload(Hotspot.captions_asset),
)


def by_slug(session: Session, model: type[T], slug: str, drafts: bool, *options: Any) -> T:
    """Return the content with this slug, or raise NotFound (drafts are not found by visitors)."""
    stmt = visible(select(model).where(model.slug == slug), model, drafts).options(*options)
    found = session.scalars(stmt).first()
    if found is None:
        raise NotFound(f"No {model.__name__.lower()} with slug {slug!r}.", code=f"{model.__tablename__}_not_found")
    return found


def gallery_load() -> tuple[Any, ...]:
    """Return the loader options for a gallery with its placements and doors."""
    return (
        selectinload(Gallery.room_asset).selectinload(Asset.tiers),
        selectinload(Gallery.placements).selectinload(Placement.exhibit).selectinload(Exhibit.model_asset)
        .selectinload(Asset.tiers),
        selectinload(Gallery.placements).selectinload(Placement.exhibit).selectinload(Exhibit.hotspots),
        selectinload(Gallery.doors),
    )


def tour_load() -> tuple[Any, ...]:
    """Return the loader options for a tour with its stops."""
    return (
        selectinload(Tour.stops).selectinload(TourStop.gallery),
        selectinload(Tour.stops).selectinload(TourStop.exhibit),
        selectinload(Tour.stops).selectinload(TourStop.hotspot),
    )
