"""The `museum` command as an operator uses it."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import select

from museum.cli import main
from museum.core import migrate
from museum.core.db import get_db
from museum.models import ApiToken, AuditEvent, KioskDevice, User
from tests.conftest import CORPUS, needs_corpus


@pytest.fixture
def museum_cli(app: Flask):  # type: ignore[no-untyped-def]
    env = {
        "MUSEUM_DATABASE_URL": app.config["MUSEUM_DATABASE_URL"],
        "MUSEUM_INSTANCE_PATH": app.instance_path,
        "MUSEUM_STORAGE_DIR": app.config["MUSEUM_STORAGE_DIR"],
        "MUSEUM_SECRET_KEY": "test-secret",
    }

    def run(*args: str, stdin: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), env=env, input=stdin, catch_exceptions=False)

    return run


def test_help_everywhere(museum_cli) -> None:  # type: ignore[no-untyped-def]
    for args in ([], ["init"], ["demo"], ["serve"], ["user", "create"], ["token", "create"], ["kiosk", "register"],
                 ["assets", "ingest"], ["check"], ["worker"], ["workers"], ["translations", "missing"]):
        result = museum_cli(*args, "--help")
        assert result.exit_code == 0, args
        assert "Usage:" in result.output


def test_init_is_idempotent(museum_cli) -> None:  # type: ignore[no-untyped-def]
    first = museum_cli("init")
    assert first.exit_code == 0 and f"revision {migrate.head()}" in first.output
    assert museum_cli("init").exit_code == 0


def test_user_token_and_kiosk(app: Flask, museum_cli) -> None:  # type: ignore[no-untyped-def]
    created = museum_cli("user", "create", "mei", "--role", "reviewer", stdin="a-long-password-1\n")
    assert created.exit_code == 0 and "created reviewer mei" in created.output
    assert museum_cli("user", "create", "mei", stdin="a-long-password-1\n").exit_code != 0
    token = museum_cli("token", "create", "import-bot").output.strip().splitlines()[-1]
    assert token.startswith("mus_")
    kiosk = museum_cli("kiosk", "register", "booth-1").output.strip().splitlines()[-1]
    assert kiosk.startswith("kio_")
    with app.app_context(), get_db().read() as s:
        user = s.scalar(select(User).where(User.name == "mei"))
        assert user is not None and user.role == "reviewer"
        assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
        stored = s.scalars(select(ApiToken)).one()
        assert stored.token_hash != token and token not in stored.token_hash
        device = s.scalars(select(KioskDevice)).one()
        assert device.name == "booth-1" and device.token_hash != kiosk
    client = app.test_client()
    assert client.get("/api/v1/assets/1", headers={"Authorization": f"Bearer {token}"}).status_code == 404
    assert museum_cli("kiosk", "revoke", "booth-1").exit_code == 0
    assert museum_cli("kiosk", "revoke", "nobody").exit_code == 1


def test_command_line_token_and_kiosk_changes_are_audited(app: Flask, museum_cli) -> None:  # type: ignore[no-untyped-def]
    token = museum_cli("token", "create", "import-bot").output.strip().splitlines()[-1]
    museum_cli("kiosk", "register", "booth-9")
    assert museum_cli("token", "revoke", token[:10]).exit_code == 0
    assert museum_cli("kiosk", "revoke", "booth-9").exit_code == 0
    with app.app_context(), get_db().read() as s:
        first_revoked = s.scalars(select(ApiToken.revoked_at)).one()
    assert museum_cli("token", "revoke", token[:10]).exit_code == 0  # again: the first time stays
    with app.app_context(), get_db().read() as s:
        assert s.scalars(select(ApiToken.revoked_at)).one() == first_revoked
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [r.action for r in rows] == ["token_create", "kiosk_register", "token_revoke", "kiosk_revoke",
                                        "token_revoke"]
    assert all(r.actor.startswith("command line (") and r.actor_user_id is None for r in rows)
    assert rows[2].detail == {"prefix": token[:10]} and rows[3].detail == {"name": "booth-9"}


@pytest.mark.slow
@needs_corpus
def test_assets_ingest_json(museum_cli) -> None:  # type: ignore[no-untyped-def]
    result = museum_cli("assets", "ingest", str(CORPUS / "Avocado" / "glTF" / "Avocado.gltf"), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert set(summary) >= {"id", "sha256", "tiers", "validator", "problems"}
    assert set(summary["tiers"]) == {"original", "phone", "desktop", "vr"}
    for tier in summary["tiers"].values():
        assert Path(tier["path"]).is_file() and Path(tier["path"]).stat().st_size == tier["bytes"]
        assert tier["url"].startswith("/files/") and tier["triangles"] > 0
    assert summary["validator"]["errors"] == 0
    assert summary["tiers"]["phone"]["bytes"] < summary["tiers"]["original"]["bytes"]
    check = museum_cli("check", "--json")
    report = json.loads(check.output)
    assert check.exit_code == 0 and report["missing"] == [] and report["corrupt"] == []
    assert report["orphan_files"] == [] and report["unreferenced_rows"] == []


def test_assets_ingest_json_names_repairs(museum_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.assets.conftest import glb_bytes
    from tests.assets.test_repair import clearcoat_normal_mapped

    source = tmp_path / "coated.glb"
    source.write_bytes(glb_bytes(*clearcoat_normal_mapped()))
    result = museum_cli("assets", "ingest", str(source), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["validator"]["errors"] == 0
    assert [p["code"] for p in summary["problems"] if p.get("repaired")] == ["MESH_PRIMITIVE_NO_TANGENT_SPACE"]


def test_assets_ingest_rejects_with_nonzero_exit(museum_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "broken.glb"
    bad.write_bytes(b"glTF\x02\x00\x00\x00\xff\xff\xff\xff")
    result = museum_cli("assets", "ingest", str(bad), "--json")
    assert result.exit_code != 0
    assert json.loads(result.output)["error"]["code"]


def test_check_finds_corrupt_and_orphan_files(app: Flask, museum_cli) -> None:  # type: ignore[no-untyped-def]
    store = app.extensions["museum.storage"]
    orphan = store.put_bytes(b"nobody points at me")
    assert json.loads(museum_cli("check", "--json").output)["orphan_files"] == []  # may be a write in flight
    hours_ago = time.time() - 2 * 3600
    os.utime(store.path(orphan), (hours_ago, hours_ago))
    report = json.loads(museum_cli("check", "--json").output)
    assert report["orphan_files"] == [orphan]
    from museum.uploads.store import record_file

    with app.app_context(), get_db().write() as s:
        row = record_file(s, store, b"original bytes", "application/octet-stream")
    path = store.path(row.sha256)
    assert path is not None
    path.write_bytes(b"tampered")
    result = museum_cli("check", "--json")
    assert result.exit_code == 1
    assert json.loads(result.output)["corrupt"] == [row.sha256]


def test_translations_missing(app: Flask, museum_cli) -> None:  # type: ignore[no-untyped-def]
    from museum.models import Exhibit

    with app.app_context(), get_db().write() as s:
        s.add(Exhibit(slug="half-done", title={"zh-Hans": "心脏", "en": "Heart"}, summary={"zh-Hans": "x",
                      "zh-Hant": "x", "en": "x"}, body={"zh-Hans": "x", "zh-Hant": "x", "en": "x"}))
    rows = json.loads(museum_cli("translations", "missing", "--json").output)
    assert rows == [{"type": "exhibits", "slug": "half-done", "field": "title", "missing": ["zh-Hant"]}]
