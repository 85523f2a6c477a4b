"""Content-hashed files: immutable, with Range requests, HEAD, ETag = the content hash, right media types."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, send_file

from museum.core import db
from museum.core.errors import NotFound
from museum.core.media_types import MEDIA_TYPES, extension
from museum.core.storage import is_sha256
from museum.models import StoredFile

bp = Blueprint("files", __name__, url_prefix="/files")


@bp.get("/<name>")
def get_file(name: str) -> Response:
    """Send a stored file by its content hash (`<sha256>.<ext>`)."""
    sha256, _, ext = name.partition(".")
    if not is_sha256(sha256) or ext not in MEDIA_TYPES:
        raise NotFound("No such file.", code="file_not_found")
    row = db.session().get(StoredFile, sha256)
    path = current_app.extensions["museum.storage"].path(sha256)
    if row is None or path is None or extension(row.media_type) != ext and MEDIA_TYPES.get(ext) != row.media_type:
        raise NotFound("No such file.", code="file_not_found")
    accel = current_app.config.get("MUSEUM_ACCEL_REDIRECT") or ""
    if accel:
        return _through_proxy(accel, sha256, row.media_type)
    response = send_file(path, mimetype=row.media_type, conditional=True, etag=sha256, max_age=31536000,
                         download_name=name)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Accept-Ranges"] = "bytes"
    return response


def _through_proxy(prefix: str, sha256: str, media_type: str) -> Response:
    """Hand the sending of a file to nginx (X-Accel-Redirect to its internal location over the same store).

    The worker thread is free at once, whatever the client's speed; nginx answers Range requests from the file.
    """
    etag = f'"{sha256}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=31536000, immutable", "Accept-Ranges": "bytes"}
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        return Response(status=304, headers=headers)
    headers["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{sha256[:2]}/{sha256[2:4]}/{sha256}"
    return Response(b"", status=200, headers=headers, content_type=media_type)
