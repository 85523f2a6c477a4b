"""The inquiry kiosk's API: its settings (device token), the keys of its on-screen keyboard, and its sessions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from museum.catalogue import params
from museum.catalogue.serialize import exhibit_film
from museum.cockpit.booth import INQUIRY_SESSION, record_booth_event
from museum.core import db, payloads
from museum.core.http_cache import cached_json
from museum.inquiry.keyboard import keyboard
from museum.inquiry.payloads import ExhibitFilm, InquiryConfig, InquirySession
from museum.models import Asset, Exhibit, ExhibitMedia, Gallery, Status
from museum.photos.kiosks import INQUIRY, kiosk_of_request
from museum.photos.urls import public_origin, share_link_problem

bp = Blueprint("inquiry_api", __name__, url_prefix="/api/v1/inquiry")

@bp.get("/config")
def inquiry_config() -> Any:
    """Tell a registered screen its name, the public address its QR codes name, and how long it waits idle."""
    session = db.session()
    kiosk = kiosk_of_request(session, INQUIRY)
    name = kiosk.name
    base = current_app.config.get("MUSEUM_BASE_URL")
    rooms = session.scalars(select(Gallery.slug).where(Gallery.status == Status.PUBLISHED.value,
                                                      Gallery.room_asset_id.is_not(None)).order_by(Gallery.slug))
    body = InquiryConfig(kiosk=name, public_url=public_origin(), public_url_problem=share_link_problem(base),
                         idle_seconds=int(current_app.config["MUSEUM_INQUIRY_IDLE_SECONDS"]),
                         scenes={slug: f"/api/v1/galleries/{slug}/scene.glb?tier=desktop" for slug in rooms},
                         films=_films(session))
    return body.answer(), 200, {"Cache-Control": "private, no-cache", "Vary": "Authorization"}


def _films(session: Any) -> list[ExhibitFilm]:
    """Return the published exhibits' films, for the attract loop (played muted, with captions)."""
    stmt = (select(Exhibit).join(ExhibitMedia, ExhibitMedia.exhibit_id == Exhibit.id)
            .where(Exhibit.status == Status.PUBLISHED.value, ExhibitMedia.role == "film")
            .options(selectinload(Exhibit.media).selectinload(ExhibitMedia.asset).selectinload(Asset.tiers))
            .order_by(Exhibit.slug))
    out = []
    for exhibit in session.scalars(stmt).unique():
        film = exhibit_film(exhibit)
        if film is not None:
            out.append(ExhibitFilm(exhibit=exhibit.slug, **film))
    return out


@bp.get("/keyboard")
@cached_json(params.cache_key)
def inquiry_keyboard() -> dict[str, Any]:
    """Return the titles to suggest and, in Chinese, the characters of the on-screen keyboard."""
    return keyboard(db.session(), params.lang()).answer()


@bp.post("/sessions")
def post_session() -> Any:
    """Record one session of a screen (first touch to reset) for the cockpit: 202."""
    session = db.session()
    kiosk_of_request(session, INQUIRY)
    sent = payloads.read(InquirySession, "invalid_session")
    record_booth_event(session, INQUIRY_SESSION, sent.duration_ms, sent.lang or "")
    session.commit()
    return payloads.Accepted(accepted=1).answer(), 202, {"Cache-Control": "no-store"}
