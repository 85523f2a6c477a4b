"""The kiosk API: booths send photos with a device token; templates, props and backdrops are public lists."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.catalogue import params
from museum.core import db, payloads
from museum.core.errors import BadRequest, Unprocessable
from museum.core.http_cache import cached_json
from museum.models import KioskDevice, StoredFile
from museum.models.base import utcnow
from museum.photos.backdrops import backdrop_galleries, backdrop_reply
from museum.photos.kiosks import BOOTH, kiosk_of_request
from museum.photos.localtime import zone
from museum.photos.payloads import KioskConfig, KioskPhotoCreated, ShareLinks
from museum.photos.props import prop_exhibits, prop_reply
from museum.photos.service import check_background, check_layer, check_photo, check_props, take_photo
from museum.photos.store import photo_store
from museum.photos.templates import published_template, published_templates, template_reply
from museum.photos.urls import share_link_problem, share_urls

bp = Blueprint("kiosk_api", __name__, url_prefix="/api/v1/kiosk")
_TRUE = "true"


def current_kiosk(session: Session) -> KioskDevice:
    """Return the booth whose device token the request carries; 401 without one, 403 for another kind of token."""
    return kiosk_of_request(session, BOOTH)


def _consent() -> dict[str, Any]:
    if request.form.get("consent", "").strip().lower() != _TRUE:
        raise Unprocessable("The guests' consent is required: send consent=true once they agreed on screen.",
                            code="consent_required", pointer="/consent")
    return {"photo": True, "guardian": request.form.get("guardian", "").strip().lower() == _TRUE,
            "at": utcnow().isoformat()}


@bp.post("/photos")
def post_photo() -> Any:
    """Take in a booth photo: 201 with the share link, its QR code and expiry; composition follows in a job."""
    session = db.session()
    kiosk = current_kiosk(session)
    consent = _consent()
    upload = request.files.get("photo")
    if upload is None:
        raise BadRequest("Send the photo as the multipart field `photo`.", code="photo_missing", pointer="/photo")
    data = upload.read()
    photo_size = check_photo(data)
    template = published_template(session, request.form.get("template", "").strip() or None)
    if template is None:
        raise Unprocessable("No published photo template has this slug.", code="template_unknown",
                            pointer="/template")
    known = {e.slug for e in prop_exhibits(session)} if request.form.get("props") else set()
    poses = check_props(request.form.get("props"), template, known)
    layer_upload = request.files.get("prop_layer")
    layer = check_layer(layer_upload.read() if layer_upload is not None else None,
                        request.form.get("prop_layer_box"), poses, photo_size, template)
    background_upload = request.files.get("background")
    background = check_background(session, background_upload.read() if background_upload is not None else None,
                                  request.form.get("background_gallery", "").strip() or None)
    behind_upload = request.files.get("prop_layer_behind")
    behind = check_layer(behind_upload.read() if behind_upload is not None else None,
                         request.form.get("prop_layer_behind_box"), poses, photo_size, template, "prop_layer_behind")
    if behind is not None and background is None:
        raise Unprocessable("Props behind the guests need the gallery they stand in (background).",
                            code="behind_without_background", pointer="/prop_layer_behind")
    retention = timedelta(days=int(current_app.config["MUSEUM_PHOTO_RETENTION_DAYS"]))
    consent["retention_days"] = retention.days
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
