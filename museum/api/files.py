"""Content-hashed files: immutable, with Range requests, HEAD, ETag = the content hash, right media types."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, send_file

from museum import db
from museum.errors import NotFound
from museum.media import MEDIA_TYPES, extension
from museum.models import StoredFile
from museum.storage import is_sha256

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
    response = send_file(path, mimetype=row.media_type, conditional=True, etag=sha256, max_age=31536000,
                         download_name=name)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Accept-Ranges"] = "bytes"
    return response
