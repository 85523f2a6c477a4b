"""The timeline: eras and events as the museum's JSON and as TimelineJS JSON."""

from __future__ import annotations

from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from museum.catalogue import queries, serialize
from museum.catalogue.payloads import (
    Timeline,
    TimelineJS,
    TimelineJSDate,
    TimelineJSEra,
    TimelineJSEvent,
    TimelineJSMedia,
    TimelineJSText,
    TimelineJSTitle,
)
from museum.core import db
from museum.core.i18n import Lang, pick
from museum.core.media_types import file_url
from museum.identity.preview import shown_by_cookie
from museum.identity.principal import can_see_drafts, shows
from museum.models import Era, Setting, TimelineEvent


def _load() -> tuple[list[Era], list[TimelineEvent], bool]:
    drafts = can_see_drafts()
    # A preview link of one era or event adds just that one to the published timeline.
    previewing = not drafts and bool(shown_by_cookie())
    session = db.session()
    eras = session.scalars(queries.visible(select(Era), Era, drafts or previewing)
                           .order_by(Era.start_year, Era.position)).all()
    events = session.scalars(
        queries.visible(select(TimelineEvent), TimelineEvent, drafts or previewing)
        .options(selectinload(TimelineEvent.exhibits), selectinload(TimelineEvent.era),
                 selectinload(TimelineEvent.image_asset))
        .order_by(TimelineEvent.year, TimelineEvent.month, TimelineEvent.day, TimelineEvent.id)
    ).all()
    if previewing:
        return ([e for e in eras if shows(e, "eras")], [e for e in events if shows(e, "events")], drafts)
    return list(eras), list(events), drafts


def timeline_of(lang: Lang, era: str | None = None) -> Timeline:
    """Return the eras and events in a language, only one era's events if one is named."""
    eras, events, drafts = _load()
    # Like /api/v1/exhibits?era=: an era that does not exist (or not yet) filters everything out; it is no error.
    if era:
        events = [e for e in events if e.era is not None and e.era.slug == era]
    return Timeline(
        lang=lang,
        eras=[serialize.era_of(e, lang) for e in eras],
        events=[serialize.event_of(e, lang, [x for x in e.exhibits if drafts or x.is_published]) for e in events],
    )


def _date(year: int, month: int | None = None, day: int | None = None) -> TimelineJSDate:
    return TimelineJSDate(year=year, month=month, day=day)


def timelinejs(lang: Lang) -> TimelineJS:
    """Return the timeline in the JSON format TimelineJS reads as is."""
    eras, events, drafts = _load()
    info = db.session().get(Setting, "museum")
    texts = info.value if info else {}
    out_events = []
    for event in events:
        exhibits = [x for x in event.exhibits if drafts or x.is_published]
        links = "".join(f'<p><a href="/e/{escape(x.slug)}">{escape(pick(x.title, lang))}</a></p>' for x in exhibits)
        out_events.append(TimelineJSEvent(
            unique_id=event.slug,
            start_date=_date(event.year, event.month, event.day),
            text=TimelineJSText(headline=pick(event.title, lang),
                                text=f"<p>{escape(pick(event.body, lang))}</p>{links}"),
            group=pick(event.era.title, lang) if event.era else "",
            media=TimelineJSMedia(url=file_url(event.image_asset.sha256, event.image_asset.media_type))
            if event.image_asset is not None else None,
        ))
    out_eras = [
        TimelineJSEra(
            start_date=_date(era.start_year),
            end_date=_date(era.end_year if era.end_year is not None else max(
                [era.start_year, *[e.year for e in events]])),
            text=TimelineJSText(headline=pick(era.title, lang), text=pick(era.summary, lang)),
        )
        for era in eras
    ]
    return TimelineJS(
        title=TimelineJSTitle(text=TimelineJSText(headline=pick(texts.get("name"), lang),
                                                  text=pick(texts.get("tagline"), lang))),
        events=out_events,
        eras=out_eras,
    )
