"""`museum check` covers every store, raises no false alarm, and `--repair` removes only what is safe."""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from flask import Flask

from museum.cli import main
from museum.core.db import get_db
from museum.core.jobs import enqueue
from museum.models import Photo, Setting
from museum.models.base import utcnow
from museum.photos.store import photo_store
from museum.uploads.ingest import staging_root
from museum.uploads.store import record_file

HOURS_AGO = time.time() - 2 * 3600


def _age(path: Path) -> Path:
    os.utime(path, (HOURS_AGO, HOURS_AGO))
    return path


def _check(app: Flask, *args: str) -> tuple[int, dict[str, Any]]:
    env = {"MUSEUM_DATABASE_URL": app.config["MUSEUM_DATABASE_URL"], "MUSEUM_INSTANCE_PATH": app.instance_path,
           "MUSEUM_STORAGE_DIR": app.config["MUSEUM_STORAGE_DIR"], "MUSEUM_SECRET_KEY": "test-secret"}
    result = CliRunner().invoke(main, ["check", "--json", *args], env=env, catch_exceptions=False)
    return result.exit_code, json.loads(result.output)


def test_a_cached_gallery_scene_is_not_an_orphan(app: Flask) -> None:
    with get_db(app).write() as s:
        scene = record_file(s, app.extensions["museum.storage"], b"glTF composed scene", "model/gltf-binary")
        s.add(Setting(key="scene.glb:" + "ab" * 24, value={"sha256": scene.sha256, "bytes": scene.bytes}))
    code, report = _check(app)
    assert code == 0 and report["unreferenced_rows"] == [] and report["orphan_files"] == []


def test_check_covers_staging_photos_and_temp_files_and_repair_removes_only_what_is_safe(app: Flask) -> None:
    files, photos, staging = app.extensions["museum.storage"], photo_store(app), staging_root(app)
    abandoned = staging / "upload-abandoned"
    abandoned.mkdir()
    (abandoned / "model.glb").write_bytes(b"half an upload")
    _age(abandoned)
    waiting = staging / "upload-waiting"
    waiting.mkdir()
    _age(waiting)
    fresh = staging / "upload-just-now"
    fresh.mkdir()
    kept_photo = photos.put_bytes(b"a guest's composed photo")
    _age(photos._target(kept_photo))
    orphan_photo = photos.put_bytes(b"a photo whose row is gone")
    _age(photos._target(orphan_photo))
    young_photo = photos.put_bytes(b"a photo being composed right now")
    orphan_file = files.put_bytes(b"a file whose row never committed")
    _age(files._target(orphan_file))
    stale = files.root / "tmp" / "tmpinterrupted"
    stale.write_bytes(b"interrupted write")
    _age(stale)
    with get_db(app).write() as s:
        enqueue(s, "asset.ingest", {"asset_id": 1, "staging": str(waiting), "name": "model.glb"})
        s.add(Photo(public_id="p1", share_token_hash="1" * 64, status="ready", full_sha256=kept_photo,
                    expires_at=utcnow() + timedelta(days=1)))
        s.add(Photo(public_id="p2", share_token_hash="2" * 64, status="ready", full_sha256="f" * 64,
                    expires_at=utcnow() + timedelta(days=1)))

    code, report = _check(app)
    assert code == 1  # a ready photo's file is missing: damage, reported for a restore
    assert report["photo_missing"] == ["f" * 64] and report["photo_files"] == 3
    assert report["photo_orphans"] == [orphan_photo]
    assert report["abandoned_staging"] == [str(abandoned)]
    assert report["orphan_files"] == [orphan_file] and report["stale_tmp"] == [str(stale)]

    code, report = _check(app, "--repair")
    assert report["repaired"] == {"orphan_files": 1, "photo_orphans": 1, "stale_tmp": 1, "abandoned_staging": 1}
    assert not abandoned.exists() and waiting.is_dir() and fresh.is_dir()
    assert photos.exists(kept_photo) and photos.exists(young_photo) and not photos.exists(orphan_photo)
    assert not files.exists(orphan_file) and not stale.exists()


def test_repair_spares_an_orphan_stored_again_since_the_check(app: Flask) -> None:
    from museum.uploads.check import check_store, repair

    files = app.extensions["museum.storage"]
    sha = files.put_bytes(b"bytes uploaded twice")
    _age(files._target(sha))
    with get_db(app).read() as s:
        report = check_store(s, files)
    assert report["orphan_files"] == [sha]
    files.put_bytes(b"bytes uploaded twice")  # an upload of the same bytes, its row about to be written
    assert repair(report, files)["orphan_files"] == 0 and files.exists(sha)
