"""The inquiry kiosk's API: device tokens of the kind inquiry, the on-screen keyboard's keys, sessions counted."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from museum.core.db import get_db
from museum.models import KioskDevice, VisitEvent
from museum.photos.kiosks import register_kiosk
from tests.museum.cockpit.conftest import headers_for
from tests.museum.conftest import Catalogue
from tests.museum.test_cli import museum_cli  # noqa: F401  (the `museum` command on the test app)


def _token(app: Flask, name: str, kind: str) -> str:
    with app.app_context(), get_db().write() as session:
        return register_kiosk(session, name, kind=kind)[1]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


def test_the_cli_registers_an_inquiry_kiosk_whose_token_opens_its_config(  # type: ignore[no-untyped-def]
        app: Flask, museum_cli, client: FlaskClient) -> None:  # noqa: F811
    result = museum_cli("kiosk", "register", "hall-screen", "--kind", "inquiry")
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("kio_") and "/inquiry" in result.output
    with app.app_context(), get_db().read() as session:
        kiosk = session.scalar(select(KioskDevice).where(KioskDevice.name == "hall-screen"))
        assert kiosk is not None and kiosk.kind == "inquiry"
    app.config["MUSEUM_BASE_URL"] = "https://museum.example.org"
    app.config["MUSEUM_INQUIRY_IDLE_SECONDS"] = 45
    response = client.get("/api/v1/inquiry/config", headers=_bearer(token))
    assert response.status_code == 200
    assert response.get_json() == {"kiosk": "hall-screen", "public_url": "https://museum.example.org",
                                   "public_url_problem": None, "idle_seconds": 45, "scenes": {}, "films": []}
    # A booth is registered as before, by default.
    assert museum_cli("kiosk", "register", "photo-booth").exit_code == 0
    assert museum_cli("kiosk", "register", "x", "--kind", "toaster").exit_code != 0


def test_the_config_names_the_galleries_that_have_a_whole_gallery_glb(app: Flask, client: FlaskClient,
                                                                      catalogue: Catalogue) -> None:
    token = _token(app, "screen", "inquiry")
    scenes = client.get("/api/v1/inquiry/config", headers=_bearer(token)).get_json()["scenes"]
    assert scenes == {"history-hall": "/api/v1/galleries/history-hall/scene.glb?tier=desktop"}
    glb = client.get(scenes["history-hall"])
    assert glb.status_code == 200 and glb.data[:4] == b"glTF"
    glb.close()


def test_a_screen_without_its_own_kind_of_token_is_refused(app: Flask, client: FlaskClient) -> None:
    booth = _token(app, "booth", "booth")
    inquiry = _token(app, "screen", "inquiry")
    missing = client.get("/api/v1/inquiry/config", headers={"Accept": "application/json"})
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith('Bearer realm="inquiry"')
    unknown = client.get("/api/v1/inquiry/config", headers=_bearer("kio_" + "x" * 40))
    assert unknown.status_code == 401 and unknown.get_json()["error"]["code"] == "invalid_token"
    wrong = client.get("/api/v1/inquiry/config", headers=_bearer(booth))
    assert wrong.status_code == 403 and wrong.get_json()["error"]["code"] == "kiosk_kind_mismatch"
    assert "--kind inquiry" in wrong.get_json()["error"]["message"]
    # ... and the inquiry screen's token takes no photos at the booth.
    photo = client.post("/api/v1/kiosk/photos", headers=_bearer(inquiry), data={"consent": "true"})
    assert photo.status_code == 403 and photo.get_json()["error"]["code"] == "kiosk_kind_mismatch"
    curator = client.get("/api/v1/inquiry/config", headers=headers_for(app, "curator"))
    assert curator.status_code == 403 and curator.get_json()["error"]["code"] == "kiosk_token_required"


def test_a_screen_reading_its_config_while_another_request_writes_is_answered_and_marked_seen(
        app: Flask, client: FlaskClient) -> None:
    # The config is a read; recording when the screen called must not upgrade that read into a writer. On SQLite an
    # upgrade fails at once ("database is locked", a 503) if another request committed since the read began.
    token = _token(app, "screen", "inquiry")
    database = get_db(app)
    written: list[str] = []

    def commit_meanwhile(conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if not written and "FROM kiosk_devices" in statement:
            written.append(statement)
            with app.app_context(), database.write() as other:
                register_kiosk(other, "booth", kind="booth")

    event.listen(database.engine, "after_cursor_execute", commit_meanwhile)
    try:
        response = client.get("/api/v1/inquiry/config", headers=_bearer(token))
    finally:
        event.remove(database.engine, "after_cursor_execute", commit_meanwhile)
    assert written, "the config request did not read the kiosk"
    assert response.status_code == 200, response.get_json()
    with app.app_context(), database.read() as session:
        seen = session.scalars(select(KioskDevice.last_seen_at).where(KioskDevice.name == "screen")).one()
        assert seen is not None
        # A second call within the minute writes nothing at all.
        statements: list[str] = []

        def note(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
            statements.append(statement)

        event.listen(database.engine, "before_cursor_execute", note)
        try:
            assert client.get("/api/v1/inquiry/config", headers=_bearer(token)).status_code == 200
        finally:
            event.remove(database.engine, "before_cursor_execute", note)
        assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")], statements
        assert session.scalars(select(KioskDevice.last_seen_at).where(KioskDevice.name == "screen")).one() == seen


def test_the_keyboard_offers_the_catalogues_own_characters_and_titles(client: FlaskClient,
                                                                      catalogue: Catalogue) -> None:
    hans = client.get("/api/v1/inquiry/keyboard?lang=zh-Hans").get_json()
    assert "心" in hans["characters"] and "脏" in hans["characters"]
    assert "心脏模型" in hans["terms"] and "院史馆" in hans["terms"]
    assert "草稿" not in "".join(hans["terms"])  # drafts are not offered
    assert len(hans["characters"]) == len(set(hans["characters"]))
    hant = client.get("/api/v1/inquiry/keyboard?lang=zh-Hant").get_json()
    assert "臟" in hant["characters"] and "心臟模型" in hant["terms"]
    english = client.get("/api/v1/inquiry/keyboard?lang=en").get_json()
    assert english["characters"] == [] and "Cardiac heart model" in english["terms"]


def test_sessions_are_recorded_for_the_cockpit(app: Flask, client: FlaskClient) -> None:
    token = _token(app, "screen", "inquiry")
    for ms in (30_000, 90_000, 45_500):
        response = client.post("/api/v1/inquiry/sessions", json={"duration_ms": ms, "lang": "en"},
                               headers=_bearer(token))
        assert response.status_code == 202, response.get_json()
    with app.app_context(), get_db().read() as session:
        rows = session.scalars(select(VisitEvent)).all()
    assert [(r.type, r.device, r.duration_ms, r.lang) for r in rows] == [
        ("inquiry_session", "kiosk", 30_000, "en"), ("inquiry_session", "kiosk", 90_000, "en"),
        ("inquiry_session", "kiosk", 45_500, "en")]
    summary = client.get("/api/v1/cockpit/summary", headers=headers_for(app, "manager")).get_json()
    assert summary["inquiry"] == {"sessions": 3, "median_seconds": 45, "total_seconds": 165}
    assert summary["by_day"][-1]["inquiry_sessions"] == 3
    csv = client.get("/api/v1/cockpit/export.csv", headers=headers_for(app, "admin")).get_data(as_text=True)
    assert "inquiry_sessions" in csv.splitlines()[0]


@pytest.mark.parametrize(("body", "status", "pointer"), [
    ({"duration_ms": -1}, 422, "/duration_ms"),
    ({"duration_ms": 1.5}, 422, "/duration_ms"),
    ({"duration_ms": True}, 422, "/duration_ms"),
    ({"duration_ms": 10, "lang": "fr"}, 422, "/lang"),
    ({"duration_ms": 10, "visitor": "x"}, 422, "/visitor"),
    ([1, 2], 400, None),
])
def test_a_bad_session_is_refused_with_a_pointer(app: Flask, client: FlaskClient, body: object, status: int,
                                                 pointer: str | None) -> None:
    token = _token(app, "screen", "inquiry")
    response = client.post("/api/v1/inquiry/sessions", json=body, headers=_bearer(token))
    assert response.status_code == status
    if pointer:
        assert response.get_json()["error"]["pointer"] == pointer
    anonymous = client.post("/api/v1/inquiry/sessions", json={"duration_ms": 5})
    assert anonymous.status_code == 401


def test_the_page_and_its_service_worker_are_served(client: FlaskClient) -> None:
    page = client.get("/inquiry")
    assert page.status_code == 200 and "build/inquiry.js" in page.get_data(as_text=True)
    worker = client.get("/inquiry-sw.js")
    assert worker.status_code == 200 and worker.headers["Content-Type"].startswith("text/javascript")
    assert worker.headers["Service-Worker-Allowed"] == "/inquiry"
    assert client.get("/inquiry-sw.js", headers={"If-None-Match": worker.headers["ETag"]}).status_code == 304
    spec = client.get("/api/openapi.json").get_json()
    for path in ("/api/v1/inquiry/config", "/api/v1/inquiry/keyboard", "/api/v1/inquiry/sessions", "/inquiry"):
        assert path in spec["paths"]
