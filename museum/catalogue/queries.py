"""Queries over the catalogue that honour the draft/published state."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased, selectinload

from museum.core.errors import NotFound
from museum.models import (
    Asset,
    Door,
    Era,
    Exhibit,
    ExhibitMedia,
    Gallery,
    Hotspot,
    Placement,
    SoundZone,
    Status,
    TimelineEvent,
    Tour,
    TourStop,
    event_exhibits,
)

T = TypeVar("T", Exhibit, Gallery, Tour, Era, TimelineEvent)


def visible(stmt: Select[Any], model: Any, drafts: bool) -> Select[Any]:
    """Restrict a query to published rows unless drafts may be seen."""
    return stmt if drafts else stmt.where(model.status == Status.PUBLISHED.value)


EXHIBIT_LOAD = (
    selectinload(Exhibit.tags),
    selectinload(Exhibit.era),
    selectinload(Exhibit.model_asset).selectinload(Asset.tiers),
    # A summary's poster may be its film's: without this, each exhibit of a page asks for its media on its own.
    selectinload(Exhibit.media).selectinload(ExhibitMedia.asset).selectinload(Asset.tiers),
)

EXHIBIT_DETAIL_LOAD = (
    *EXHIBIT_LOAD,
    selectinload(Exhibit.rights),
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


def exhibit_context(session: Session, exhibit: Exhibit, drafts: bool) -> tuple[list[TimelineEvent], list[Gallery]]:
    """Return the timeline events that name an exhibit and the galleries that show it, in their order."""
    events = session.scalars(visible(
        select(TimelineEvent).join(event_exhibits).where(event_exhibits.c.exhibit_id == exhibit.id),
        TimelineEvent, drafts).order_by(TimelineEvent.year, TimelineEvent.month, TimelineEvent.day)).all()
    galleries = session.scalars(visible(
        select(Gallery).where(Gallery.id.in_(select(Placement.gallery_id).where(Placement.exhibit_id == exhibit.id))),
        Gallery, drafts).order_by(Gallery.position)).all()
    return list(events), list(galleries)


def exhibit_subjects(slug: str) -> tuple[str, ...]:
    """Return the changes an exhibit's own page depends on: itself, and the galleries, events and eras it names."""
    return (f"exhibit:{slug}", "gallery", "event", "era")


def gallery_subjects(session: Session, slug: str) -> tuple[str, ...]:
    """Return the changes a gallery's own page depends on: itself, every exhibit placed (drafts too), its doors."""
    placed = session.scalars(select(Exhibit.slug).join(Placement, Placement.exhibit_id == Exhibit.id)
                             .join(Gallery, Gallery.id == Placement.gallery_id).where(Gallery.slug == slug))
    target = aliased(Gallery)
    doors = session.scalars(select(target.slug).select_from(Door).join(Gallery, Gallery.id == Door.gallery_id)
                            .join(target, target.id == Door.to_gallery_id).where(Gallery.slug == slug))
    return (f"gallery:{slug}", "era", *(f"exhibit:{s}" for s in placed), *(f"gallery:{s}" for s in doors))


def gallery_load() -> tuple[Any, ...]:
    """Return the loader options for a gallery with its placements and doors."""
    return (
        selectinload(Gallery.room_asset).selectinload(Asset.tiers),
        selectinload(Gallery.placements).selectinload(Placement.exhibit).selectinload(Exhibit.model_asset)
        .selectinload(Asset.tiers),
        selectinload(Gallery.placements).selectinload(Placement.exhibit).selectinload(Exhibit.hotspots),
        selectinload(Gallery.placements).selectinload(Placement.exhibit).selectinload(Exhibit.media)
        .selectinload(ExhibitMedia.asset).selectinload(Asset.tiers),
        selectinload(Gallery.doors),
        selectinload(Gallery.sounds).selectinload(SoundZone.asset),
    )


def tour_load() -> tuple[Any, ...]:
    """Return the loader options for a tour with its stops."""
    return (
        selectinload(Tour.stops).selectinload(TourStop.gallery),
        selectinload(Tour.stops).selectinload(TourStop.exhibit),
        selectinload(Tour.stops).selectinload(TourStop.hotspot),
    )
