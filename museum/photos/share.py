"""The guest's share page at /p/<token>: the photo, a download, "delete now", QR codes; 410 once gone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request, send_file
from sqlalchemy import update

from ar_photo.qr import qr_png, qr_svg
from museum.catalogue.pages import static_url
from museum.cockpit.booth import PHOTO_DELETED, PHOTO_SHARED, record_booth_event
from museum.core import db
from museum.core.errors import ApiError, BadRequest, Gone, NotFound, TooManyRequests, error_response, wants_html
from museum.core.i18n import negotiate
from museum.core.ratelimit import record_attempt, seconds_blocked
from museum.models import Photo
from museum.models.base import utcnow
from museum.photos.localtime import format_local
from museum.photos.payloads import PhotoState, SharedPhotoStatus
from museum.photos.service import erase_photo, photo_for_token
from museum.photos.share_text import LANG_NAMES, SHARE_TEXT, is_wechat, share_lang
from museum.photos.store import photo_store
from museum.photos.urls import share_urls

bp = Blueprint("share", __name__, url_prefix="/p", template_folder="html")
LOOKUP_WINDOW = timedelta(minutes=1)
DEFAULT_LOOKUPS_PER_MINUTE = 30
SHARE_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}
_SIZES = {"photo.jpg": "phone_sha256", "full.jpg": "full_sha256", "thumb.jpg": "thumb_sha256"}


def _limit_key() -> str:
    return f"photo-lookup:{request.remote_addr or 'unknown'}"


def _lookups_per_minute() -> int:
    return int(current_app.config.get("MUSEUM_PHOTO_LOOKUPS_PER_MINUTE", DEFAULT_LOOKUPS_PER_MINUTE))


def lookup(token: str) -> Photo:
    """Return the photo of a token; count unknown links per client address and refuse only those past the limit.

    A valid link always works: a family on the museum's one Wi-Fi address never pays for someone's guessing, and
    guessing gains nothing from that, since a token is 192 random bits.
    """
    session = db.session()
    try:
        return photo_for_token(session, token)
    except NotFound:
        # The request answers 404 whatever follows: end its transaction first. A writing request's (POST .../delete)
        # holds SQLite's write lock, and counting the failure in a transaction of its own waited on it until
        # "database is locked" (a 500 after the busy timeout).
        session.rollback()
        wait = seconds_blocked(_limit_key(), _lookups_per_minute(), LOOKUP_WINDOW)
        if wait:
            raise TooManyRequests("Too many unknown photo links from this address; try again later.",
                                  code="rate_limited", headers={"Retry-After": str(wait)}) from None
        record_attempt(_limit_key(), LOOKUP_WINDOW)
        raise


def _status(photo: Photo, token: str) -> dict[str, Any]:
    base = f"/p/{token}"
    ready = photo.status == "ready"
    return SharedPhotoStatus(
        status=cast(PhotoState, photo.status),  # lookup() answered 410 for the others
        expires_at=photo.expires_at.isoformat(),
        photo_url=f"{base}/photo.jpg" if ready else None, download_url=f"{base}/full.jpg" if ready else None,
        view_url=f"{base}/full.jpg?view=1" if ready else None,
        thumb_url=f"{base}/thumb.jpg" if ready else None).answer()


@bp.get("/<token>")
def share_page(token: str) -> Any:
    """Show the guest's photo page (it waits for the composition when that is still running)."""
    photo = lookup(token)
    if photo.opened_at is None:
        _first_opened(photo.id)
    lang = share_lang(negotiate(request.args.get("lang"), request.headers.get("Accept-Language")))
    zone = current_app.config.get("MUSEUM_TIMEZONE")
    return render_template("photos/share.html", token=token, state=_status(photo, token), lang=lang,
                           t=SHARE_TEXT[lang], langs=LANG_NAMES, wechat=is_wechat(request.user_agent.string),
                           taken=format_local(photo.created_at, zone, lang),
                           expires=format_local(photo.expires_at, zone, lang), static_url=static_url)


def _first_opened(photo_id: int) -> None:
    """Count a photo as shared the first time its page is opened; later views write nothing.

    A guest reloads the page, a family opens it on three phones: the cockpit's "shared" is photos that reached a
    phone. Writing only once also keeps a busy share page off the database's write lock (SQLite has one writer).
    """
    with db.get_db().write() as session:
        opened = session.execute(update(Photo).where(Photo.id == photo_id, Photo.opened_at.is_(None))
                                 .values(opened_at=utcnow()))
        if opened.rowcount == 1:  # type: ignore[attr-defined]
            record_booth_event(session, PHOTO_SHARED)


@bp.get("/<token>/status")
def share_status(token: str) -> Any:
    """Tell the share page whether the photo is ready, and where it is."""
    return _status(lookup(token), token)


@bp.get("/<token>/photo.jpg", defaults={"name": "photo.jpg"})
@bp.get("/<token>/full.jpg", defaults={"name": "full.jpg"})
@bp.get("/<token>/thumb.jpg", defaults={"name": "thumb.jpg"})
def share_photo(token: str, name: str) -> Response:
    """Send the photo (phone size, full size as a download, or thumbnail), with no metadata."""
    photo = lookup(token)
    sha = getattr(photo, _SIZES[name])
    path = photo_store().path(sha) if sha else None
    if path is None:
        raise NotFound("The photo is not ready yet.", code="photo_not_ready")
    # ?view=1 shows the full size in the browser: WeChat refuses downloads but lets a guest long-press an image.
    download = name == "full.jpg" and not request.args.get("view")
    response = send_file(path, mimetype="image/webp" if name == "thumb.jpg" and _is_webp(path) else "image/jpeg",
                         as_attachment=download, download_name=f"museum-photo-{photo.public_id}.jpg",
                         conditional=True, etag=sha, max_age=0)
    return response


def _is_webp(path: Any) -> bool:
    with open(path, "rb") as handle:
        return handle.read(12)[8:12] == b"WEBP"


@bp.get("/<token>/qr.png", defaults={"name": "qr.png"})
@bp.get("/<token>/qr.svg", defaults={"name": "qr.svg"})
def share_qr(token: str, name: str) -> Response:
    """Send the QR code of the share link as PNG or SVG."""
    lookup(token)
    url = share_urls(token).share
    if name == "qr.png":
        return Response(qr_png(url), content_type="image/png")
    return Response(qr_svg(url), content_type="image/svg+xml")


@bp.post("/<token>/delete")
def delete_photo(token: str) -> Any:
    """Delete the photo now (the form's confirm step sends confirm=yes); then the link answers 410."""
    photo = lookup(token)
    if request.form.get("confirm") != "yes":
        raise BadRequest("Confirm the deletion (confirm=yes).", code="confirm_required", pointer="/confirm")
    session = db.session()
    erase_photo(session, photo_store(), photo, "deleted")
    record_booth_event(session, PHOTO_DELETED)
    session.commit()
    if wants_html():
        return redirect(f"/p/{token}", code=303)
    return {"status": "deleted"}, 200


@bp.errorhandler(Gone)
def _gone(exc: ApiError) -> Response:
    if wants_html():
        response = Response(render_template("photos/gone.html", static_url=static_url), status=410)
        response.headers["Cache-Control"] = "no-store"
        return response
    return error_response(exc.status, exc.code, exc.message, exc.pointer, exc.headers)


def init_app(app: Flask) -> None:
    """Register the share pages and the headers every answer under /p/ carries."""
    app.register_blueprint(bp)

    @app.after_request
    def _share_headers(response: Response) -> Response:
        if request.path.startswith("/p/"):
            response.headers.update(SHARE_HEADERS)
            cache = response.headers.get("Cache-Control", "")
            response.headers["Cache-Control"] = "private, no-store" if "no-store" in cache else "private, no-cache"
        return response
