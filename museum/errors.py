"""The one error hierarchy and the one JSON error body of the HTTP API.

    ApiError                 status 4xx/5xx, code, message, pointer
    ├── BadRequest           400
    ├── Unauthorized         401
    ├── Forbidden            403
    ├── NotFound             404
    ├── Conflict             409
    ├── Gone                 410
    ├── PreconditionFailed   412
    ├── PayloadTooLarge      413
    ├── UnsupportedMedia     415
    ├── Unprocessable        422
    └── TooManyRequests      429
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

# Paths whose clients are programs: their errors are always the JSON body.
MACHINE_PREFIXES = ("/api/", "/files/")

_PAGE_TITLES = {
    404: ("找不到这个页面", "找不到這個頁面", "We could not find this page"),
    410: ("这个链接已失效", "這個連結已失效", "This link is no longer available"),
}


class ApiError(Exception):
    """An error answered to the client with the JSON error body."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None, pointer: str | None = None,
                 status: int | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.pointer = pointer
        self.headers = headers or {}


class BadRequest(ApiError):
    status, code = 400, "bad_request"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class Conflict(ApiError):
    status, code = 409, "conflict"


class Gone(ApiError):
    status, code = 410, "gone"


class PreconditionFailed(ApiError):
    status, code = 412, "precondition_failed"


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"


class UnsupportedMedia(ApiError):
    status, code = 415, "unsupported_media_type"


class Unprocessable(ApiError):
    status, code = 422, "unprocessable"


class TooManyRequests(ApiError):
    status, code = 429, "too_many_requests"


def error_body(code: str, message: str, pointer: str | None = None) -> dict[str, Any]:
    """Build the JSON error body every error response carries."""
    error: dict[str, Any] = {"code": code, "message": message}
    if pointer is not None:
        error["pointer"] = pointer
    return {"error": error}


def wants_html() -> bool:
    """Return whether a person's browser asked for a page (so an error is shown as a friendly page)."""
    if request.path.startswith(MACHINE_PREFIXES) or request.path == "/api":
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]


def error_page(status: int, code: str, message: str) -> Response:
    """Return a small error page in the museum's three languages, for people rather than programs."""
    zh_hans, zh_hant, en = _PAGE_TITLES.get(status, ("出错了", "出錯了", "Something went wrong"))
    html = f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{escape(en)} ({status})</title>
<style>body{{font:20px/1.6 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}}
h1{{font-size:1.6rem}} a{{color:#0b57d0}} p.code{{color:#555;font-size:.9rem}}</style></head>
<body><main><h1>{escape(zh_hans)}</h1><p lang="zh-Hant">{escape(zh_hant)}</p><p lang="en">{escape(en)}</p>
<p lang="en">{escape(message)}</p><p><a href="/">返回博物馆 / 返回博物館 / Back to the museum</a></p>
<p class="code">{status} · {escape(code)}</p></main></body></html>"""
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def error_response(status: int, code: str, message: str, pointer: str | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    """Return the error as the JSON body (or, for a browser on a page, as a friendly page)."""
    if wants_html():
        response = error_page(status, code, message)
    else:
        response = jsonify(error_body(code, message, pointer))
        response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 408: "request_timeout", 409: "conflict", 410: "gone", 411: "length_required",
    412: "precondition_failed", 413: "payload_too_large", 414: "uri_too_long", 415: "unsupported_media_type",
    416: "range_not_satisfiable", 422: "unprocessable", 428: "precondition_required", 429: "too_many_requests",
    431: "request_header_fields_too_large",
}


def init_app(app: Flask) -> None:
    """Answer every error, ours or Werkzeug's, with the JSON error body."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.pointer, exc.headers)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        headers = {}
        if exc.response is not None:
            headers = {k: v for k, v in exc.response.headers.items() if k in ("Allow", "Content-Range")}
        else:
            for key, value in exc.get_headers():
                if key in ("Allow", "Content-Range"):
                    headers[key] = value
        code = _HTTP_CODES.get(status, "http_error" if status < 500 else "internal_error")
        return error_response(status, code, exc.description or exc.name, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", "The museum hit an unexpected error; it has been logged.")
