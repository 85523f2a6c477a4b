"""The OpenAPI description of the booth's routes: kiosk API, share pages, booth page."""

from __future__ import annotations

from typing import Any

from museum.core import payloads
from museum.core.openapi import STR, json_response, list_of, obj, ref
from museum.photos.payloads import MODELS

_ERROR = {"application/json": {"schema": ref("Error")}}
TOKEN = {"name": "token", "in": "path", "required": True, "schema": STR, "description": "The share token"}


def _errors(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {code: {"description": text, "content": _ERROR} for code, text in pairs}


_GONE = ("410", "Deleted or expired")
_UNKNOWN = ("404", "Unknown link")
_LIMITED = ("429", "Too many unknown links from this address (Retry-After)")

SCHEMAS: dict[str, Any] = payloads.schemas(*MODELS)

PATHS: dict[str, Any] = {
    "/api/v1/kiosk/photos": {"post": {
        "summary": "Send a booth photo (kiosk device token); composition follows in the job queue",
        "security": [{"kiosk": []}],
        # The text fields as the form model reads them, with the file parts beside them (KioskPhotoForm).
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": ref("KioskPhotoForm")}}},
        "responses": {
            "201": json_response(ref("KioskPhotoCreated"), "Taken in; open share_url or show qr_url"),
            **_errors(("400", "No photo, a truncated photo, props not a JSON list, a prop layer's box not x,y,w,h"),
                      ("401", "No kiosk token, or unknown or revoked"),
                      ("403", "A curator's token (not accepted at the booth)"),
                      ("413", "File or pixel dimensions too large (refused before decoding), props over 64 KiB"),
                      ("415", "Not an image, or HEIC"),
                      ("422", "No consent, unknown template or prop, damaged photo, a prop layer that is not "
                              "the posed props' own, a background without its published gallery or too small")),
        }}},
    "/api/v1/kiosk/templates": {"get": {
        "summary": "Published photo templates (the first is the default)",
        "responses": {"200": json_response(list_of("KioskTemplate")), "304": {"description": "Not modified"}}}},
    "/api/v1/kiosk/props": {"get": {
        "summary": "Props guests can place: published exhibits with a model or poster",
        "responses": {"200": json_response(list_of("KioskProp")), "304": {"description": "Not modified"}}}},
    "/api/v1/kiosk/backdrops": {"get": {
        "summary": "Galleries guests can stand in: published galleries with a room, and where to view them from",
        "responses": {"200": json_response(list_of("KioskBackdrop")), "304": {"description": "Not modified"}}}},
    "/api/v1/kiosk/config": {"get": {
        "summary": "Booth settings: how long photos are kept, the museum's time zone, whether share links work",
        "responses": {"200": json_response(ref("KioskConfig"))}}},
    "/p/{token}": {"get": {
        "summary": "The guest's photo page (HTML; waits for the composition)", "parameters": [TOKEN],
        "responses": {"200": {"description": "The page"}, **_errors(_UNKNOWN, _GONE, _LIMITED)}}},
    "/p/{token}/status": {"get": {
        "summary": "Whether the photo is ready, and its URLs", "parameters": [TOKEN],
        "responses": {"200": json_response(ref("SharedPhotoStatus")), **_errors(_UNKNOWN, _GONE, _LIMITED)}}},
    **{f"/p/{{token}}/{name}": {"get": {
        "summary": summary, "parameters": [TOKEN],
        "responses": {"200": {"description": "Image bytes"}, **_errors(_UNKNOWN, _GONE, _LIMITED)}}}
       for name, summary in (
           ("photo.jpg", "The photo, phone size (JPEG, no metadata)"),
           ("full.jpg", "The photo, full size, as a download (JPEG, no metadata); ?view=1 shows it inline"),
           ("thumb.jpg", "The photo's thumbnail"),
           ("qr.png", "The share link as a QR code (PNG)"),
           ("qr.svg", "The share link as a QR code (SVG)"))},
    "/p/{token}/delete": {"post": {
        "summary": "Delete the photo now (form field confirm=yes); the link answers 410 afterwards",
        "parameters": [TOKEN],
        "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": obj({"confirm": {
            "enum": ["yes"]}})}}},
        "responses": {"200": {"description": "Deleted (JSON clients)"},
                      "303": {"description": "Deleted (browsers: to the 410 page)"},
                      **_errors(("400", "Not confirmed"), _UNKNOWN, _GONE, _LIMITED)}}},
    "/kiosk": {"get": {"summary": "The photo booth page (HTML)", "responses": {"200": {"description": "Page"}}}},
}
