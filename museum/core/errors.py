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

from ar_photo.errors import PhotoRejected
from assets.errors import AssetRejected
from museum.core.icons import ICON_LINKS
from scenes.errors import ComposeFailed, LayoutInvalid

# Paths whose clients are programs: their errors are always the JSON body.
MACHINE_PREFIXES = ("/api/", "/files/")

# What a person reads on an error page, in the museum's three languages (zh-Hans, zh-Hant, en): a title and a
# sentence saying what to do. The API's message (English, for programs) is never shown on the page.
_PAGE_TEXTS: dict[int, tuple[tuple[str, str], tuple[str, str], tuple[str, str]]] = {
    400: (("这个请求有误", "请返回博物馆，重新打开。"),
          ("這個請求有誤", "請返回博物館，重新打開。"),
          ("Something in this request was wrong", "Please go back to the museum and open it again.")),
    401: (("需要登录", "这个页面只对工作人员开放。"),
          ("需要登入", "這個頁面只對工作人員開放。"),
          ("Please sign in", "This page is for the museum's staff.")),
    403: (("无法打开这个页面", "这个页面只对工作人员开放。"),
          ("無法打開這個頁面", "這個頁面只對工作人員開放。"),
          ("This page cannot be opened", "This page is for the museum's staff.")),
    404: (("找不到这个页面", "链接可能有误，或者内容已经移走。"),
          ("找不到這個頁面", "連結可能有誤，或者內容已經移走。"),
          ("We could not find this page", "The link may be mistyped, or the content has moved.")),
    405: (("无法这样打开这个页面", "请返回博物馆，重新打开。"),
          ("無法這樣打開這個頁面", "請返回博物館，重新打開。"),
          ("This page cannot be opened this way", "Please go back to the museum and open it again.")),
    410: (("这个链接已失效", "链接已过期或已被删除。"),
          ("這個連結已失效", "連結已過期或已被刪除。"),
          ("This link is no longer available", "The link has expired or was removed.")),
    413: (("文件太大", "请换一个较小的文件。"),
          ("檔案太大", "請換一個較小的檔案。"),
          ("The file is too large", "Please choose a smaller file.")),
    429: (("请求太频繁", "请稍等一分钟再试。"),
          ("請求太頻繁", "請稍等一分鐘再試。"),
          ("Too many requests", "Please wait a minute and try again.")),
}
# Back to the museum, and to the help, in each language.
_NAV = ('<a href="/?lang=zh-Hans">返回博物馆</a><a href="/?lang=zh-Hant" lang="zh-Hant">返回博物館</a>'
        '<a href="/?lang=en" lang="en">Back to the museum</a><br>'
        '<a href="/help?lang=zh-Hans">使用帮助</a><a href="/help?lang=zh-Hant" lang="zh-Hant">使用說明</a>'
        '<a href="/help?lang=en" lang="en">Help</a>')
_PAGE_TEXT_OTHER = (("出错了", "请稍后再试。"), ("出錯了", "請稍後再試。"),
                    ("Something went wrong", "Please try again later."))


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
    """Return a small error page in the museum's three languages, for people rather than programs.

    Only the museum's own words are shown (Werkzeug's or the API's English message is for programs); the error
    code rides along in a meta element for whoever reads the source.
    """
    (hans, hans_text), (hant, hant_text), (en, en_text) = _PAGE_TEXTS.get(status, _PAGE_TEXT_OTHER)
    html = f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><meta name="museum-error" content="{escape(code)}">
<title>{escape(hans)} · {escape(en)} ({status})</title>{ICON_LINKS}
<style>body{{font:20px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;
color:#1b1b1b}} h1{{font-size:1.6rem;margin:0 0 .2em}} h2{{font-size:1.3rem;margin:1.2em 0 .2em}}
a{{color:#0b57d0}} p.code{{color:#555;font-size:.9rem}} nav a{{display:inline-block;padding:.4em 0;margin-right:1em}}
</style></head>
<body><main><section><h1>{escape(hans)}</h1><p>{escape(hans_text)}</p></section>
<section lang="zh-Hant"><h2>{escape(hant)}</h2><p>{escape(hant_text)}</p></section>
<section lang="en"><h2>{escape(en)}</h2><p>{escape(en_text)}</p></section>
<nav aria-label="博物馆 / 博物館 / Museum">{_NAV}</nav>
<p class="code">{status}</p></main></body></html>"""
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


LibraryRefusal = AssetRejected | LayoutInvalid | ComposeFailed | PhotoRejected


def library_error(exc: LibraryRefusal, pointer: str | None = None) -> ApiError:
    """Return the HTTP error for a refusal of the asset, scene or photo library: the one place they are mapped.

    Each library names the problem (`code`, `message`) and, where it knows them, the status and the JSON pointer;
    `pointer` replaces the library's when the view knows better where the input came from (a form field).
    """
    return ApiError(exc.message, code=exc.code, status=getattr(exc, "status", 422),
                    pointer=pointer if pointer is not None else getattr(exc, "pointer", None))


def init_app(app: Flask) -> None:
    """Answer every error, ours, the libraries' refusals or Werkzeug's, with the JSON error body."""

    @app.errorhandler(AssetRejected)
    @app.errorhandler(LayoutInvalid)
    @app.errorhandler(ComposeFailed)
    @app.errorhandler(PhotoRejected)
    def _library_error(exc: LibraryRefusal) -> Response:
        error = library_error(exc)
        return error_response(error.status, error.code, error.message, error.pointer)

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
