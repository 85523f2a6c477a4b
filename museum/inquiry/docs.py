"""The OpenAPI description of the inquiry kiosk's routes: its API, its page and its service worker."""

from __future__ import annotations

from typing import Any

from museum.core import payloads
from museum.core.openapi import LANG_PARAM, json_response, ref
from museum.inquiry.payloads import InquiryConfig, InquiryKeyboard, InquirySession

_ERROR = {"application/json": {"schema": ref("Error")}}


def _errors(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {code: {"description": text, "content": _ERROR} for code, text in pairs}


_TOKEN_ERRORS = (("401", "No device token, or an unknown or revoked one"),
                 ("403", "A curator's token, or a photo booth's device token (kiosk_kind_mismatch)"))

SCHEMAS: dict[str, Any] = payloads.schemas(InquiryConfig, InquiryKeyboard, InquirySession, payloads.Accepted)

PATHS: dict[str, Any] = {
    "/api/v1/inquiry/config": {"get": {
        "summary": "An inquiry kiosk's settings (kiosk device token of the kind inquiry): its name, the public "
                   "address its QR codes name (and why phones could not open it, if so), its idle time",
        "security": [{"kiosk": []}],
        "responses": {"200": json_response(ref("InquiryConfig")), **_errors(*_TOKEN_ERRORS)}}},
    "/api/v1/inquiry/keyboard": {"get": {
        "summary": "The on-screen keyboard's keys: published titles to suggest and, in Chinese, the characters "
                   "they are written with, most frequent first (no pinyin needed)",
        "parameters": [LANG_PARAM],
        "responses": {"200": json_response(ref("InquiryKeyboard")), "304": {"description": "Not modified"},
                      **_errors(("400", "An unknown language in lang"))}}},
    "/api/v1/inquiry/sessions": {"post": {
        "summary": "Record one session of an inquiry kiosk (first touch to reset) for the cockpit "
                   "(an inquiry_session event)",
        "security": [{"kiosk": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref("InquirySession")}}},
        "responses": {"202": json_response(ref("Accepted"), "Recorded"),
                      **_errors(("400", "Not JSON"), *_TOKEN_ERRORS, ("415", "Not application/json"),
                                ("422", "duration_ms or lang out of range, or an unknown field"))}}},
    "/inquiry": {"get": {"summary": "The inquiry kiosk page (HTML; a touch screen with a device token)",
                         "tags": ["pages"], "responses": {"200": {"description": "Page"}}}},
    "/inquiry-sw.js": {"get": {"summary": "The inquiry kiosk's service worker (offline cache)", "tags": ["pages"],
                               "responses": {"200": {"description": "JavaScript"},
                                             "304": {"description": "Not modified"},
                                             **_errors(("404", "Not built (scripts/setup.sh builds it)"))}}},
}
