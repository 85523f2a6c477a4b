"""Content-hashed files: immutable, with Range requests, HEAD, ETag = the content hash, right media types."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, request, send_file

from museum.core import db, headers
from museum.core.errors import NotFound
from museum.core.media_types import MEDIA_TYPES, extension
from museum.core.storage import is_sha256
from museum.models import StoredFile

bp = Blueprint("files", __name__, url_prefix="/files")
PREFIX = "/files/"
KNOWN_MAX = 65536


class KnownFiles:
    """The stored files this worker has checked against their rows, by name (`<sha256>.<ext>`), with media type.

    A file's row never changes its media type (the name is its content's hash) and is never deleted (`museum check`
    only reports unreferenced rows), so once checked a name stays good; the file itself is looked for on disk at
    every request, so a file removed from the store is not answered for.
    """

    def __init__(self) -> None:
        self._types: dict[str, str] = {}

    def add(self, name: str, media_type: str) -> None:
        if len(self._types) >= KNOWN_MAX:
            self._types.clear()
        self._types[name] = media_type

    def get(self, name: str) -> str | None:
        return self._types.get(name)


class AcceleratedFiles:
    """WSGI fast path for stored files behind nginx (MUSEUM_ACCEL_REDIRECT): a file this worker already checked is
    handed to nginx without Flask or the database, so a model download costs the app a dictionary look-up and a
    stat (nginx answers Range requests from the file, as it does for the view's answer); any other request (a name
    not checked yet, a bad one, another method) goes to the view.
    """

    def __init__(self, wsgi_app: Any, app: Flask, known: KnownFiles) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        self.known = known
        self.prefix = str(app.config["MUSEUM_ACCEL_REDIRECT"])
        self.extra = headers.security_headers(app)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX) and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            name = path[len(PREFIX):]
            media_type = self.known.get(name)
            sha256 = name.partition(".")[0]
            if media_type is not None and self.app.extensions["museum.storage"].path(sha256) is not None:
                status, answer = _accel_answer(self.prefix, sha256, media_type, environ.get("HTTP_IF_NONE_MATCH"))
                start_response(status, [*answer, *self.extra])
                return [b""]
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """Serve stored files; behind nginx, through the fast path for files already checked."""
    app.register_blueprint(bp)
    known = KnownFiles()
    app.extensions["museum.files.known"] = known
    if app.config.get("MUSEUM_ACCEL_REDIRECT"):
        app.wsgi_app = AcceleratedFiles(app.wsgi_app, app, known)  # type: ignore[method-assign]


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
        current_app.extensions["museum.files.known"].add(name, row.media_type)
        status, answer = _accel_answer(accel, sha256, row.media_type, request.headers.get("If-None-Match"))
        return Response(b"", status=int(status[:3]), headers=answer[:-1], content_type=row.media_type)
    response = send_file(path, mimetype=row.media_type, conditional=True, etag=sha256, max_age=31536000,
                         download_name=name)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Accept-Ranges"] = "bytes"
    return response


def _accel_answer(prefix: str, sha256: str, media_type: str,
                  if_none_match: str | None) -> tuple[str, list[tuple[str, str]]]:
    """Return the status and headers that hand the sending of a file to nginx (X-Accel-Redirect to its internal
    location over the same store), or a 304 when the client holds it; the content type comes last.

    The worker thread is free at once, whatever the client's speed; nginx answers Range requests from the file.
    """
    etag = f'"{sha256}"'
    answer = [("ETag", etag), ("Cache-Control", "public, max-age=31536000, immutable"), ("Accept-Ranges", "bytes")]
    if etag in [tag.strip() for tag in (if_none_match or "").split(",")]:
        return "304 NOT MODIFIED", [*answer, ("Content-Type", media_type)]
    answer.append(("X-Accel-Redirect", f"{prefix.rstrip('/')}/{sha256[:2]}/{sha256[2:4]}/{sha256}"))
    return "200 OK", [*answer, ("Content-Length", "0"), ("Content-Type", media_type)]
