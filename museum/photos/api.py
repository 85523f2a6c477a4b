"""The kiosk API: booths send photos with a device token; templates, props and backdrops are public lists."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from flask import Blueprint, current_app, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from ar_photo.props import PropPose
from museum.catalogue import params
from museum.core import db, payloads
from museum.core.errors import BadRequest, Unprocessable
from museum.core.http_cache import cached_json
from museum.models import KioskDevice, PhotoTemplate, StoredFile
from museum.models.base import utcnow
from museum.photos.backdrops import backdrop_galleries, backdrop_reply
from museum.photos.kiosks import BOOTH, kiosk_of_request
from museum.photos.localtime import zone
from museum.photos.payloads import KioskConfig, KioskPhotoCreated, KioskPhotoForm, ShareLinks
from museum.photos.props import prop_exhibits, prop_reply
from museum.photos.service import (
    LayerUpload,
    check_background,
    check_layer,
    check_photo,
    check_props,
    take_photo,
)
from museum.photos.store import photo_store
from museum.photos.templates import published_template, published_templates, template_reply
from museum.photos.urls import share_link_problem, share_urls

bp = Blueprint("kiosk_api", __name__, url_prefix="/api/v1/kiosk")


def current_kiosk(session: Session) -> KioskDevice:
    """Return the booth whose device token the request carries; 401 without one, 403 for another kind of token."""
    return kiosk_of_request(session, BOOTH)


def _upload(name: str) -> bytes | None:
    """Return the bytes of the multipart file `name`, or None when it was not sent."""
    upload = request.files.get(name)
    return upload.read() if upload is not None else None


def _layer(form: KioskPhotoForm, field: Literal["prop_layer", "prop_layer_behind"], poses: list[PropPose],
           photo_size: tuple[int, int], template: PhotoTemplate) -> LayerUpload | None:
    """Return the prop layer sent as the file `field` with its box; its box is read only with it."""
    data = _upload(field)
    if data is None:
        return None
    box_field = f"{field}_box"
    form.check(box_field)
    return check_layer(data, getattr(form, box_field), poses, photo_size, template, field)


@bp.post("/photos")
def post_photo() -> Any:
    """Take in a booth photo: 201 with the share link, its QR code and expiry; composition follows in a job."""
    session = db.session()
    kiosk = current_kiosk(session)
    # The text fields are read here, once; the consent is checked first, any other field when its turn comes.
    form = KioskPhotoForm.read(request.form.to_dict())
    data = _upload("photo")
    if data is None:
        raise BadRequest("Send the photo as the multipart field `photo`.", code="photo_missing", pointer="/photo")
    photo_size = check_photo(data)
    template = published_template(session, form.template)
    if template is None:
        raise Unprocessable("No published photo template has this slug.", code="template_unknown",
                            pointer="/template")
    form.check("props")
    known = {e.slug for e in prop_exhibits(session)} if form.props else set()
    poses = check_props(form.props, template, known)
    layer = _layer(form, "prop_layer", poses, photo_size, template)
    background = check_background(session, _upload("background"), form.background_gallery)
    behind = _layer(form, "prop_layer_behind", poses, photo_size, template)
    if behind is not None and background is None:
        raise Unprocessable("Props behind the guests need the gallery they stand in (background).",
                            code="behind_without_background", pointer="/prop_layer_behind")
    retention = timedelta(days=int(current_app.config["MUSEUM_PHOTO_RETENTION_DAYS"]))
    consent = {"photo": True, "guardian": form.guardian, "at": utcnow().isoformat(), "retention_days": retention.days}
    taken = take_photo(session, photo_store(), kiosk, data, template, poses, consent, retention, layer, background,
                       behind)
    session.commit()
    urls = share_urls(taken.token)
    body = KioskPhotoCreated(id=taken.photo.public_id, share_url=urls.share, qr_url=urls.qr_png,
                             qr_svg_url=urls.qr_svg, expires_at=taken.photo.expires_at.isoformat())
    return body.answer(), 201, {"Location": urls.share, "Cache-Control": "no-store"}


@bp.get("/templates")
@cached_json(params.cache_key)
def list_templates() -> dict[str, Any]:
    """List the published photo templates (the first is the default)."""
    session = db.session()
    rows = published_templates(session)
    # A frame uploaded through the studio is stored as WebP, the built-in ones as PNG: link each by its own type.
    types: dict[str, str] = {sha: media for sha, media in session.execute(
        select(StoredFile.sha256, StoredFile.media_type).where(
            StoredFile.sha256.in_([r.frame_sha256 for r in rows if r.frame_sha256])))}
    return payloads.listing([template_reply(row, types.get(row.frame_sha256 or "", "image/png")) for row in rows])


@bp.get("/props")
@cached_json(params.cache_key)
def list_props() -> dict[str, Any]:
    """List the props guests can place: published exhibits with a model or a poster."""
    return payloads.listing([prop_reply(e) for e in prop_exhibits(db.session())])


@bp.get("/backdrops")
@cached_json(params.cache_key)
def list_backdrops() -> dict[str, Any]:
    """List the galleries guests can stand in: published galleries with a room, and the view to render."""
    return payloads.listing([backdrop_reply(g) for g in backdrop_galleries(db.session())])


@bp.get("/config")
def kiosk_config() -> Any:
    """Tell the booth how long photos are kept, the museum's time zone, and whether its share links can work."""
    problem = share_link_problem(current_app.config.get("MUSEUM_BASE_URL"))
    return KioskConfig(retention_days=int(current_app.config["MUSEUM_PHOTO_RETENTION_DAYS"]),
                       timezone=zone(current_app.config.get("MUSEUM_TIMEZONE")).key,
                       share_links=ShareLinks(ok=problem is None, problem=problem)).answer()
