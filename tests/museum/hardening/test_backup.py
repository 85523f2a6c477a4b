"""`museum backup` while the museum is written to, then `museum restore`: equal row counts and file hashes."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import delete

from museum.cli import main
from museum.core.backup import inventory
from museum.core.db import get_db
from museum.models import AuditEvent, Exhibit
from museum.photos.store import photo_store
from tests.museum.conftest import Catalogue


def _museum(app: Flask, *args: str) -> Result:
    env = {"MUSEUM_DATABASE_URL": app.config["MUSEUM_DATABASE_URL"], "MUSEUM_INSTANCE_PATH": app.instance_path,
           "MUSEUM_STORAGE_DIR": app.config["MUSEUM_STORAGE_DIR"], "MUSEUM_SECRET_KEY": "test-secret"}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def _now(app: Flask) -> dict[str, object]:
    return inventory(get_db(app), app.extensions["museum.storage"], photo_store(app))


def test_backup_while_written_to_then_restore_round_trips(app: Flask, catalogue: Catalogue, tmp_path: Path) -> None:
    photos = photo_store(app)
    guest = photos.put_bytes(b"a guest's photo")
    stop, written, errors = threading.Event(), [0], []

    def visitor_traffic() -> None:
        while not stop.is_set():
            try:
                with get_db(app).write() as s:
                    s.add(AuditEvent(action="edit", actor="busy curator"))
                written[0] += 1
            except Exception as exc:  # any failure of a writer during the backup fails the test
                errors.append(exc)
                return

    writer = threading.Thread(target=visitor_traffic)
    writer.start()
    try:
        result = _museum(app, "backup", str(tmp_path / "backup"))
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert errors == [] and written[0] > 0
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["counts"]["exhibits"] == 3 and guest in manifest["photos"]
    assert set(manifest["files"]) == set(app.extensions["museum.storage"].hashes())

    # Disaster: content deleted, a file and a photo lost, rows added after the backup.
    with get_db(app).write() as s:
        s.execute(delete(Exhibit).where(Exhibit.slug == "secret-draft"))
        s.add(AuditEvent(action="edit", actor="after the backup"))
    app.extensions["museum.storage"].delete(catalogue.phone_sha)
    photos.delete(guest)
    app.extensions["museum.storage"].put_bytes(b"written after the backup")

    result = _museum(app, "restore", str(tmp_path / "backup"))
    assert result.exit_code == 0, result.output
    assert "counts and hashes match" in result.output
    after = _now(app)
    assert after["counts"] == manifest["counts"]
    assert after["files"] == sorted(manifest["files"]) and after["photos"] == sorted(manifest["photos"])
    assert _museum(app, "check").exit_code == 0


def test_a_damaged_backup_is_refused_before_anything_is_touched(app: Flask, catalogue: Catalogue,
                                                               tmp_path: Path) -> None:
    assert _museum(app, "backup", str(tmp_path / "b")).exit_code == 0
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    sha = next(iter(manifest["files"]))
    (tmp_path / "b" / "files" / sha[:2] / sha[2:4] / sha).write_bytes(b"x")
    before = _now(app)
    result = _museum(app, "restore", str(tmp_path / "b"))
    assert result.exit_code != 0 and "wrong size" in result.output
    assert _now(app) == before
    assert _museum(app, "backup", str(tmp_path / "b")).exit_code != 0  # never over an existing backup
