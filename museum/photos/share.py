"""The guest's share page at /p/<token>: the photo, a download, "delete now", QR codes; 410 once gone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request, send_file

from ar_photo.qr import qr_png, qr_svg
from museum import db
from museum.errors import ApiError, BadRequest, Gone, NotFound, TooManyRequests, error_response, wants_html
from museum.models import Photo
from museum.photos.ratelimit import record_attempt, seconds_blocked
from museum.photos.service import erase_photo, photo_for_token
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
    """Return the photo of a token; count failed look-ups per client address and refuse them past the limit."""
    wait = seconds_blocked(_limit_key(), _lookups_per_minute(), LOOKUP_WINDOW)
    if wait:
        raise TooManyRequests("Too many unknown photo links from this address; try again later.",
                              code="rate_limited", headers={"Retry-After": str(wait)})
    try:
        return photo_for_token(db.session(), token)
    except NotFound:
        record_attempt(_limit_key(), LOOKUP_WINDOW)
        raise


def _status(photo: Photo, token: str) -> dict[str, Any]:
    base = f"/p/{token}"
    ready = photo.status == "ready"
    return {"status": photo.status, "expires_at": photo.expires_at.isoformat(),
            "photo_url": f"{base}/photo.jpg" if ready else None,
            "download_url": f"{base}/full.jpg" if ready else None,
            "thumb_url": f"{base}/thumb.jpg" if ready else None}


@bp.get("/<token>")
def share_page(token: str) -> Any:
    """Show the guest's photo page (it waits for the composition when that is still running)."""
    photo = lookup(token)
    return render_template("photos/share.html", token=token, state=_status(photo, token),
                           expires=photo.expires_at.strftime("%Y-%m-%d %H:%M UTC"))


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
    download = name == "full.jpg"
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
    session.commit()
    if wants_html():
        return redirect(f"/p/{token}", code=303)
    return {"status": "deleted"}, 200


@bp.errorhandler(Gone)
def _gone(exc: ApiError) -> Response:
    if wants_html():
        response = Response(render_template("photos/gone.html"), status=410)
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
