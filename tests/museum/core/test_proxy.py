"""Behind a trusted reverse proxy the museum sees the visitor's address; otherwise forwarded headers are ignored."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from museum import create_app
from museum.core.db import get_db
from museum.models import AuditEvent
from tests.museum.conftest import make_token
from tests.museum.uploads.test_api import _upload

VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n"


def _audited_ip(app: Flask, name: str) -> str:
    with app.app_context(), get_db().read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.detail["name"].as_string() == name)).one()
        return event.ip


def test_forwarded_for_is_believed_only_from_trusted_proxies(app: Flask) -> None:
    headers = {"Authorization": f"Bearer {make_token(app)}", "X-Forwarded-For": "203.0.113.9"}
    assert _upload(app.test_client(), headers, VTT, "direct.vtt").status_code == 201
    assert _audited_ip(app, "direct.vtt") == "127.0.0.1"
    config = {k[len("MUSEUM_"):]: v for k, v in app.config.items() if k.startswith("MUSEUM_")}
    proxied = create_app({**config, "TESTING": True, "INSTANCE_PATH": app.instance_path, "TRUSTED_PROXIES": 1})
    try:
        assert _upload(proxied.test_client(), headers, VTT + b"\n", "proxied.vtt").status_code == 201
        assert _audited_ip(proxied, "proxied.vtt") == "203.0.113.9"
    finally:
        proxied.extensions["museum.db"].dispose()
