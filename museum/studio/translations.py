"""Which visitor-facing texts still lack a language."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.core.i18n import missing_langs
from museum.models import Era, Exhibit, Gallery, Hotspot, Placement, TimelineEvent, Tour, TourStop

# For each kind of content, the fields a visitor reads.
TEXT_FIELDS: dict[type[Any], tuple[str, ...]] = {
    Exhibit: ("title", "summary", "body"),
    Gallery: ("title", "summary"),
    Tour: ("title", "summary"),
    Era: ("title", "summary"),
    TimelineEvent: ("title", "body"),
    Hotspot: ("title", "text"),
    TourStop: ("title", "text"),
    Placement: (),
}


def _name(row: Any) -> str:
    if isinstance(row, Hotspot):
        return f"{row.exhibit.slug}#{row.slug}"
    if isinstance(row, TourStop):
        return f"{row.tour.slug}/{row.position + 1}"
    return str(row.slug)


def untranslated(session: Session) -> list[dict[str, Any]]:
    """List every text field missing one of the three languages: type, slug, field, missing languages."""
    rows: list[dict[str, Any]] = []
    for model, fields in TEXT_FIELDS.items():
        for item in session.scalars(select(model)):
            for field in fields:
                missing = missing_langs(getattr(item, field))
                if missing:
                    rows.append({"type": model.__tablename__, "slug": _name(item), "field": field,
                                 "missing": missing})
    return rows
