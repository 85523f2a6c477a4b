"""The visitor's pages (museum, gallery, exhibit, tour stop, timeline) and the front end's static files.

Pages are small HTML shells: the title and language are filled in on the server (so a link sent by SMS previews
well), everything else is built in the browser from the JSON API by static/build/*.js.

Static files: bundles whose names carry a content hash (build/chunks/) and URLs with ?v=<hash> are immutable;
everything else is revalidated by ETag. A precompressed `<file>.gz` written by the build is sent to clients that
accept gzip.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
import threading
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, request
from markupsafe import escape
from werkzeug.security import safe_join

from museum.catalogue import queries, serialize
from museum.catalogue.help import TITLE as HELP_TITLE
from museum.catalogue.help import help_sections
from museum.catalogue.iiif import base_url, exhibit_jsonld, linked_events
from museum.catalogue.manifest import pick_tier
from museum.catalogue.params import lang as request_lang
from museum.core import db, openapi
from museum.core.errors import NotFound
from museum.core.i18n import pick
from museum.core.icons import ICON_LINKS, favicon_ico, touch_icon_png
from museum.identity.principal import can_see_drafts
from museum.models import Exhibit, Gallery, Setting, Tour
from scenes.tiers import tier_for_device

bp = Blueprint("pages", __name__)

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".glb": "model/gltf-binary",
    ".gltf": "model/gltf+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"
_hashes: dict[tuple[str, int, int], str] = {}
_hash_lock = threading.Lock()

UI_TITLES = {
    "timeline": {"zh-Hans": "院史时间轴", "zh-Hant": "院史時間軸", "en": "Timeline"},
}


def file_hash(path: Path) -> str:
    """Return the SHA-256 of a file, remembered until the file changes."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _hash_lock:
        found = _hashes.get(key)
    if found is None:
        found = hashlib.sha256(path.read_bytes()).hexdigest()
        with _hash_lock:
            _hashes[key] = found
    return found


def static_url(name: str) -> str:
    """Return the URL of a static file with its content hash, so it can be cached for ever."""
    path = STATIC_DIR / name
    version = file_hash(path)[:16] if path.is_file() else "missing"
    return f"/static/{name}?v={version}"


def _media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _cache_control(name: str) -> str:
    if request.args.get("v") or name.startswith("build/chunks/"):
        return IMMUTABLE
    if name.startswith("vendor/"):
        return "public, max-age=86400"
    return REVALIDATE


@bp.get("/static/<path:name>")
def static_file(name: str) -> Response:
    """Send a front-end file with its media type, an ETag, caching rules and gzip when the client accepts it."""
    joined = safe_join(str(STATIC_DIR), name)
    if joined is None or name.startswith("src/") or "/." in "/" + name:
        raise NotFound("No such file.", code="static_not_found")
    path = Path(joined)
    if not path.is_file() or path.suffix == ".gz":
        raise NotFound("No such file.", code="static_not_found")
    send = path
    gz = path.with_name(path.name + ".gz")
    encoded = "gzip" in request.headers.get("Accept-Encoding", "") and gz.is_file()
    if encoded:
        send = gz
    etag = file_hash(send)[:32] + ("-gz" if encoded else "")
    response = Response(status=200, content_type=_media_type(path))
    response.set_etag(etag)
    response.headers["Cache-Control"] = _cache_control(name)
    response.headers["Vary"] = "Accept-Encoding"
    if request.if_none_match.contains(etag):
        response.status_code = 304
        return response
    response.set_data(send.read_bytes())
    if encoded:
        response.headers["Content-Encoding"] = "gzip"
    return response


def _museum_name(lang: str) -> str:
    info = db.session().get(Setting, "museum")
    name = pick((info.value if info else {}).get("name"), lang)
    return name or {"zh-Hans": "医院历史博物馆", "zh-Hant": "醫院歷史博物館", "en": "Hospital History Museum"}[lang]


def _json_ld(data: dict[str, Any]) -> str:
    """Return a JSON-LD script element (with "</" escaped so the data cannot close the element)."""
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>\n'


_CHUNK_IMPORT = re.compile(r'(?:from|import)\s*"\./(chunks/[A-Za-z0-9_-]+\.js)"')
_preloads: dict[str, list[str]] = {}


def module_preloads(page: str) -> str:
    """Return modulepreload links for the chunks a page's bundle imports, so they download beside it.

    Without them a phone learns of the chunks only once the entry has arrived: one more round trip on a slow link.
    """
    path = STATIC_DIR / "build" / f"{page}.js"
    if not path.is_file():
        return ""
    key = f"{page}:{file_hash(path)}"
    if key not in _preloads:
        _preloads[key] = list(dict.fromkeys(_CHUNK_IMPORT.findall(path.read_text(encoding="utf-8")[:4000])))
    return "".join(f'<link rel="modulepreload" href="/static/build/{name}">\n' for name in _preloads[key])


def _first_view(detail: dict[str, Any]) -> str:
    """Render an exhibit's title, summary and poster into the first HTML, shown before any script has run."""
    poster = detail.get("poster_url")
    image = (f'<img class="first-poster" src="{escape(poster)}" alt="" width="512" height="512" '
             'fetchpriority="high">') if poster else ""
    return (f'<article class="first-view" id="first-view" aria-labelledby="first-title">{image}'
            f'<h2 id="first-title" elementtiming="exhibit-title">{escape(detail.get("title") or "")}</h2>'
            f'<p class="lead">{escape(detail.get("summary") or "")}</p></article>\n')


def _shell(page: str, route: dict[str, Any], title: str = "", description: str = "", head: str = "",
           first: str = "", body: str = "") -> Response:
    """Render the HTML shell of a page; the bundle builds the rest."""
    lang = request_lang()
    museum = _museum_name(lang)
    full_title = f"{title} · {museum}" if title else museum
    data = escape(json.dumps(route | {"page": page}, ensure_ascii=False))
    html = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>{escape(full_title)}</title>
<meta name="description" content="{escape(description or museum)}">
<meta property="og:title" content="{escape(full_title)}">
<meta property="og:description" content="{escape(description or museum)}">
<meta name="theme-color" content="#1d1a16">
{ICON_LINKS}
<link rel="stylesheet" href="{static_url('build/museum.css')}">
{module_preloads(page)}{head}</head><body data-route="{data}">
<noscript><p class="noscript">{escape(full_title)} - JavaScript is needed to visit the museum.</p></noscript>
{first}<div id="app">{body}</div>
<script type="module" src="{static_url(f'build/{page}.js')}"></script>
</body></html>
"""
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.get("/")
def museum_home() -> Response:
    """Open the museum at its first gallery."""
    return _shell("museum", {"view": "home"})


@bp.get("/g/<slug>")
def gallery_page(slug: str) -> Response:
    """Open the museum in a gallery."""
    gallery = queries.by_slug(db.session(), Gallery, slug, can_see_drafts("galleries", slug))
    lang = request_lang()
    event = {"@context": "https://schema.org", "@type": "ExhibitionEvent", "@id": f"{base_url()}/g/{slug}",
             "name": pick(gallery.title, lang), "description": pick(gallery.summary, lang), "inLanguage": lang,
             "url": f"{base_url()}/g/{slug}", "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
             "location": {"@type": "VirtualLocation", "url": f"{base_url()}/g/{slug}"}}
    return _shell("museum", {"view": "gallery", "gallery": slug}, pick(gallery.title, lang),
                  pick(gallery.summary, lang), _json_ld(event))


@bp.get("/e/<slug>")
def exhibit_page(slug: str) -> Response:
    """Open the museum in front of an exhibit, with its panel open."""
    drafts = can_see_drafts()
    session = db.session()
    exhibit = queries.by_slug(session, Exhibit, slug, can_see_drafts("exhibits", slug), *queries.EXHIBIT_DETAIL_LOAD)
    lang = request_lang()
    linked = exhibit_jsonld(exhibit, base_url(), linked_events(session, exhibit, drafts), lang)
    # The panel's data comes with the page (an SMS link shows the exhibit at once, without asking the API first).
    detail = serialize.exhibit_detail(exhibit, lang, *queries.exhibit_context(session, exhibit, drafts)).answer()
    return _shell("museum", {"view": "exhibit", "exhibit": slug, "detail": detail}, pick(exhibit.title, lang),
                  pick(exhibit.summary, lang), _json_ld(linked) + _exhibit_preloads(exhibit, detail, lang),
                  _first_view(detail))


def _exhibit_preloads(exhibit: Exhibit, detail: dict[str, Any], lang: str) -> str:
    """Return preload links for the exhibit's own model and its gallery's manifest, fetched beside the scripts."""
    links = []
    if detail["galleries"]:
        manifest = f"/api/v1/galleries/{detail['galleries'][0]['slug']}/manifest?lang={lang}"
        links.append(f'<link rel="preload" as="fetch" crossorigin href="{escape(manifest)}">\n')
    tier, _ = tier_for_device(None, request.headers.get("User-Agent", ""),
                              save_data=request.headers.get("Save-Data", "").lower() == "on",
                              mobile_hint=request.headers.get("Sec-CH-UA-Mobile") == "?1")
    model = pick_tier(exhibit.model_asset, tier)
    if model is not None:
        url = serialize.model_file(model).url
        links.append(f'<link rel="preload" as="fetch" crossorigin href="{escape(url)}">\n')
    return "".join(links)


@bp.get("/t/<slug>")
def tour_page(slug: str) -> Response:
    """Start a guided tour at its first stop."""
    return tour_stop_page(slug, 1)


@bp.get("/t/<slug>/<int:n>")
def tour_stop_page(slug: str, n: int) -> Response:
    """Open a guided tour at its n-th stop (counting from 1)."""
    tour = queries.by_slug(db.session(), Tour, slug, can_see_drafts("tours", slug))
    if not 1 <= n <= len(tour.stops):
        raise NotFound(f"The tour {slug!r} has no stop {n}.", code="tour_stop_not_found")
    lang = request_lang()
    return _shell("museum", {"view": "tour", "tour": slug, "stop": n}, pick(tour.title, lang),
                  pick(tour.summary, lang))


@bp.get("/timeline")
def timeline_page() -> Response:
    """Show the hospital's history as eras and events."""
    return _shell("timeline", {"view": "timeline"}, UI_TITLES["timeline"][request_lang()])


@bp.get("/help")
def help_page() -> Response:
    """Show how to visit: move, open an exhibit, listen, enlarge the text, switch language (three languages)."""
    lang = request_lang()
    return _shell("help", {"view": "help"}, HELP_TITLE[lang], body=help_sections(lang, static_url))


def _icon(data: bytes, media_type: str) -> Response:
    response = Response(data, content_type=media_type)
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.set_etag(hashlib.sha256(data).hexdigest()[:32])
    response.make_conditional(request)
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The museum's icon (browsers ask for it on every site)."""
    return _icon(favicon_ico(), "image/x-icon")


@bp.get("/apple-touch-icon.png")
def touch_icon() -> Response:
    """The icon a phone shows when the museum is added to its home screen."""
    return _icon(touch_icon_png(), "image/png")


def _page_doc(summary: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    return {"get": {
        "summary": summary,
        "tags": ["pages"],
        "parameters": [*params, openapi.LANG_PARAM],
        "responses": {"200": {"description": "HTML page", "content": {"text/html": {"schema": openapi.STR}}},
                      "400": openapi.ERRORS["400"], "404": openapi.ERRORS["404"]},
    }}


N_PARAM = {"name": "n", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
NAME_PARAM = {"name": "name", "in": "path", "required": True, "schema": openapi.STR}
OPENAPI_PATHS = {
    "/": _page_doc("The visitor's museum (opens at the first gallery)", []),
    "/g/{slug}": _page_doc("A gallery in the 3D museum", [openapi.SLUG_PARAM]),
    "/e/{slug}": _page_doc("An exhibit: its gallery with the exhibit's panel open", [openapi.SLUG_PARAM]),
    "/t/{slug}": _page_doc("A guided tour at its first stop", [openapi.SLUG_PARAM]),
    "/t/{slug}/{n}": _page_doc("A guided tour at stop n (from 1)", [openapi.SLUG_PARAM, N_PARAM]),
    "/timeline": _page_doc("The timeline of eras and events", []),
    "/help": _page_doc("How to visit: moving, opening exhibits, listening, larger text, languages", []),
    "/favicon.ico": {"get": {"summary": "The museum's icon (ICO, 16-48 px)", "tags": ["pages"],
                             "responses": {"200": {"description": "The icon", "content": {"image/x-icon": {}}},
                                           "304": {"description": "Not modified"}}}},
    "/apple-touch-icon.png": {"get": {"summary": "The museum's home-screen icon (PNG, 180 px)", "tags": ["pages"],
                                      "responses": {"200": {"description": "The icon", "content": {"image/png": {}}},
                                                    "304": {"description": "Not modified"}}}},
    "/static/{name}": {"get": {
        "summary": "Front-end files (bundles, styles, decoders, controller profiles); ETag, gzip, immutable with ?v=",
        "tags": ["pages"],
        "parameters": [NAME_PARAM],
        "responses": {"200": {"description": "The file, with its media type"},
                      "304": {"description": "Not modified"},
                      "404": openapi.ERRORS["404"]},
    }},
}


def init_app(app: Flask) -> None:
    """Register the pages and document them."""
    app.register_blueprint(bp)
    openapi.add_paths(app, OPENAPI_PATHS)
