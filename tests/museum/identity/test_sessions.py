"""Studio sign-in: cookie flags, rotation, lifetime, identical failures, shared rate limits, sign-out."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from museum import create_app
from museum.core.db import get_db
from museum.identity import sessions
from museum.identity.principal import hash_token
from museum.models import AuditEvent, UserSession
from museum.models.base import utcnow
from tests.museum.studio.conftest import ORIGIN, PASSWORD, add_user, sign_in


def _cookie(response) -> str:  # type: ignore[no-untyped-def]
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("museum_session="))
    return header


def _secret(response) -> str:  # type: ignore[no-untyped-def]
    return _cookie(response).split(";")[0].split("=", 1)[1]


def _post(client: FlaskClient, name: str, password: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/session", json={"name": name, "password": password},
                       headers={"Origin": ORIGIN, **headers})


def test_sign_in_sets_a_hardened_cookie_and_stores_only_its_hash(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    response = _post(client, "ada", PASSWORD)
    assert response.status_code == 201
    body = response.get_json()
    assert body["user"] == {"id": 1, "name": "ada", "role": "curator"} and len(body["csrf_token"]) >= 32
    cookie = _cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Max-Age=43200" in cookie and "Secure" not in cookie  # the test app serves plain http
    secret = _secret(response)
    with app.app_context(), get_db().read() as s:
        row = s.scalars(select(UserSession)).one()
        assert row.token_hash == hash_token(secret) != secret
        assert row.expires_at - row.created_at == sessions.LIFETIME
    who = client.get("/api/v1/session").get_json()
    assert who == {"signed_in": True, "user": {"id": 1, "name": "ada", "role": "curator"}, "via": "session",
                   "csrf_token": body["csrf_token"]}


def test_cookie_is_secure_unless_configured_off(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    app.config["MUSEUM_SESSION_COOKIE_SECURE"] = True
    assert "Secure" in _cookie(_post(client, "ada", PASSWORD))


def test_every_sign_in_rotates_the_session_id(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    first = _secret(_post(client, "ada", PASSWORD))
    second = _secret(_post(client, "ada", PASSWORD))  # the browser still holds the first id
    assert first != second
    with app.app_context(), get_db().read() as s:
        hashes = set(s.scalars(select(UserSession.token_hash)))
    assert hashes == {hash_token(second)}  # the id held before sign-in is gone
    other = app.test_client()
    other.set_cookie("museum_session", first)
    assert other.get("/api/v1/session").get_json()["signed_in"] is False


def test_sessions_end_when_idle_or_too_old(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    studio = sign_in(client, "ada")
    assert studio.get("/api/v1/studio/exhibits").status_code == 200
    with app.app_context(), get_db().write() as s:
        s.execute(update(UserSession).values(last_seen_at=utcnow() - sessions.IDLE - timedelta(seconds=1)))
    assert studio.get("/api/v1/studio/exhibits").status_code == 401
    studio = sign_in(client, "ada")
    with app.app_context(), get_db().write() as s:
        s.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert studio.get("/api/v1/studio/exhibits").status_code == 401
    assert client.get("/api/v1/session").get_json()["signed_in"] is False


def test_activity_keeps_a_session_alive(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    studio = sign_in(client, "ada")
    old = utcnow() - sessions.IDLE + timedelta(minutes=5)
    with app.app_context(), get_db().write() as s:
        s.execute(update(UserSession).values(last_seen_at=old))
    assert studio.get("/api/v1/studio/exhibits").status_code == 200
    with app.app_context(), get_db().read() as s:
        assert s.scalars(select(UserSession.last_seen_at)).one() > old + timedelta(minutes=4)


def test_unknown_user_and_wrong_password_get_the_same_answer(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    add_user(app, "gone", "curator")
    with app.app_context(), get_db().write() as s:
        from museum.models import User

        s.execute(update(User).where(User.name == "gone").values(active=False))
    answers = [_post(client, "nobody", "whatever-password"), _post(client, "ada", "wrong-password"),
               _post(client, "gone", PASSWORD)]
    assert {r.status_code for r in answers} == {401}
    assert len({r.data for r in answers}) == 1
    assert answers[0].get_json()["error"]["code"] == "sign_in_failed"
    assert all("museum_session=" not in ";".join(r.headers.getlist("Set-Cookie")) for r in answers)


def test_unknown_user_and_wrong_password_take_the_same_time(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")

    def timed(name: str) -> float:
        start = time.perf_counter()
        assert _post(client, name, "wrong-password").status_code == 401
        return time.perf_counter() - start

    unknown, wrong = [], []
    for i in range(6):  # interleaved, so a busy machine slows both alike
        unknown.append(timed(f"nobody{i}"))
        wrong.append(timed("ada"))
    unknown_s, wrong_s = statistics.median(unknown), statistics.median(wrong)
    # Both spend one argon2id verification (tens of milliseconds); no early exit for an unknown name.
    assert 0.5 < unknown_s / wrong_s < 2.0, (unknown, wrong)


def _fail(client: FlaskClient, name: str, times: int, **headers: str) -> None:
    for _ in range(times):
        assert _post(client, name, "wrong-password", **headers).status_code == 401


def test_failed_sign_ins_slow_down_the_account_at_that_address(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    _fail(client, "ada", sessions.PER_PAIR.free)
    assert _post(client, "ada", "wrong-password").status_code == 401  # the first one past the free ones counts
    refused = _post(client, "ada", PASSWORD)
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["error"]["code"] == "sign_in_rate_limited"


def test_nobody_can_lock_an_admin_out(app: Flask, client: FlaskClient) -> None:
    add_user(app, "root", "admin")
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    for _ in range(40):  # a stranger guessing the admin's password from elsewhere, past every limit
        response = client.post("/api/v1/session", json={"name": "root", "password": "guess-guess"},
                               headers={"Origin": ORIGIN}, environ_base=attacker)
        assert response.status_code in (401, 429)
    assert response.status_code == 429
    # The admin, from the office, signs in at once.
    assert app.test_client().post("/api/v1/session", json={"name": "root", "password": PASSWORD},
                                  headers={"Origin": ORIGIN}).status_code == 201


def test_the_slowdown_never_exceeds_a_minute(app: Flask) -> None:
    from datetime import timedelta

    from museum.core import ratelimit
    from museum.core.db import get_db
    from museum.models.base import utcnow

    now = utcnow()
    with app.app_context(), get_db().write() as session:
        waits = []
        for _ in range(200):
            ratelimit.record_failure(session, "k", sessions.PER_PAIR, now)
            waits.append(ratelimit.seconds_to_wait(session, "k", now))
    assert waits[: sessions.PER_PAIR.free] == [0] * sessions.PER_PAIR.free
    assert waits[sessions.PER_PAIR.free: sessions.PER_PAIR.free + 3] == [1, 2, 4]
    assert max(waits) == 60 and waits[-1] == 60
    with app.app_context(), get_db().read() as session:
        assert ratelimit.seconds_to_wait(session, "k", now + timedelta(seconds=61)) == 0


def test_a_successful_sign_in_clears_the_count(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    _fail(client, "ada", sessions.PER_PAIR.free)
    assert _post(client, "ada", PASSWORD).status_code == 201
    _fail(client, "ada", sessions.PER_PAIR.free)


def test_an_address_failing_across_accounts_is_slowed_down(app: Flask, client: FlaskClient,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from museum.core.ratelimit import Backoff

    monkeypatch.setattr(sessions, "PER_ADDRESS", Backoff(3, sessions.PER_ADDRESS.window,
                                                         sessions.PER_ADDRESS.longest))
    for i in range(4):
        assert _post(client, f"user{i}", "wrong-password").status_code == 401
    assert _post(client, "user9", "wrong-password").status_code == 429
    other = app.test_client()
    response = other.post("/api/v1/session", json={"name": "user9", "password": "x" * 12},
                          headers={"Origin": ORIGIN}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 401


def test_rate_limits_are_shared_by_every_worker(app: Flask, database_url: str, tmp_path: Path) -> None:
    add_user(app, "ada", "curator")
    second = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "second"), "DATABASE_URL": database_url,
                         "STORAGE_DIR": str(tmp_path / "storage"), "SECRET_KEY": "test-secret",
                         "SESSION_COOKIE_SECURE": False})
    try:
        workers = [app.test_client(), second.test_client()]
        for i in range(sessions.PER_PAIR.free + 1):
            assert _post(workers[i % 2], "ada", "wrong-password").status_code == 401
        assert _post(workers[0], "ada", PASSWORD).status_code == 429
        assert _post(workers[1], "ada", PASSWORD).status_code == 429
    finally:
        second.extensions["museum.db"].dispose()


def test_sign_out_ends_the_session(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    studio = sign_in(client, "ada")
    response = studio.send("DELETE", "/api/v1/session")
    assert response.status_code == 200
    assert "museum_session=;" in _cookie(response)
    with app.app_context(), get_db().read() as s:
        assert s.scalar(select(func.count()).select_from(UserSession)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "sign_out")) == 1
    assert studio.get("/api/v1/studio/exhibits").status_code == 401


def test_sign_in_and_failures_are_audited(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ada", "curator")
    _post(client, "ada", "wrong-password")
    _post(client, "nobody", "wrong-password")
    _post(client, "ada", PASSWORD)
    with app.app_context(), get_db().read() as s:
        rows = s.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.ip).order_by(AuditEvent.id)).all()
    assert [tuple(r) for r in rows] == [("sign_in_failed", "ada", "127.0.0.1"),
                                        ("sign_in_failed", "nobody", "127.0.0.1"), ("sign_in", "ada", "127.0.0.1")]


def test_sign_in_needs_a_name_and_password(client: FlaskClient) -> None:
    assert _post(client, "", "x").status_code == 422  # a field is wrong: the model's 422 names it
    response = client.post("/api/v1/session", data="name=a", headers={"Origin": ORIGIN})
    assert response.status_code == 415


def test_a_role_change_or_closed_account_ends_the_users_sessions(app: Flask) -> None:
    add_user(app, "ada", "curator")
    add_user(app, "boss", "admin")
    ada, boss = sign_in(app.test_client(), "ada"), sign_in(app.test_client(), "boss")
    assert boss.send("PATCH", "/api/v1/studio/users/1", {"role": "reviewer"}).status_code == 200
    assert ada.get("/api/v1/studio/exhibits").status_code == 401
    ada = sign_in(ada.client, "ada")
    assert ada.send("POST", "/api/v1/studio/exhibits", {"slug": "x"}).status_code == 403  # now a reviewer
    assert boss.send("PATCH", "/api/v1/studio/users/1", {"active": False}).status_code == 200
    assert ada.get("/api/v1/studio/exhibits").status_code == 401
    assert _post(ada.client, "ada", PASSWORD).status_code == 401
