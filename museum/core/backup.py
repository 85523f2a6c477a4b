"""Backup and restore of a whole museum: the database and both file stores, taken while the museum serves.

A backup is a folder:

    manifest.json   format, schema revision, row counts per table, and the hash and size of every file
    museum.db       SQLite: a copy made with SQLite's online backup API (a consistent snapshot)
    museum.dump     PostgreSQL: `pg_dump -Fc` of the museum's schema, taken in the snapshot the counts were read in
    files/          the content-addressed file store (ab/cd/<sha256>)
    photos/         the private photo store

The database is copied first, then the files: files are written before the rows that point at them commit, so
every file the copied rows name is already on disk. Restore checks every file against its hash before it touches
anything, then replaces the database and makes both stores hold exactly what the backup holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.engine import make_url

from museum.core import migrate
from museum.core.db import Database
from museum.core.storage import LocalFileStore, is_sha256
from museum.models import Base
from museum.models.base import utcnow

FORMAT = 1
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup could not be taken or restored; the message says why."""


def _counts(connection: Connection) -> dict[str, int]:
    """Return the number of rows of every table of the museum."""
    return {table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
            for table in Base.metadata.sorted_tables}


def _libpq_url(database: Database) -> str:
    """Return the database URL as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    return make_url(database.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _copy_hashed(source: Path, target: Path) -> tuple[str, int]:
    """Copy a file (temp file, fsync, rename) and return the SHA-256 and size of the bytes copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    partial = target.with_name(target.name + ".partial")
    with source.open("rb") as src, partial.open("wb") as out:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, target)
    return digest.hexdigest(), size


def _copy_store(store: LocalFileStore, target: Path) -> dict[str, int]:
    """Copy every file of a store that still matches its hash; return {sha256: bytes}."""
    copied: dict[str, int] = {}
    for sha in store.hashes():
        path = store.path(sha)
        if path is None:  # deleted since it was listed (a guest deleted a photo)
            continue
        got, size = _copy_hashed(path, target / sha[:2] / sha[2:4] / sha)
        if got != sha:
            raise BackupError(f"The stored file {sha} does not match its hash; run `museum check` first.")
        copied[sha] = size
    return copied


def _snapshot_sqlite(database: Database, target: Path) -> dict[str, int]:
    source_path = make_url(database.url).database
    if not source_path:
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target / "museum.db")
    try:
        source.backup(copy)  # online: readers and writers go on; the copy is one consistent state
    finally:
        source.close()
        copy.close()
    from museum.core.db import make_engine

    engine = make_engine(f"sqlite:///{target / 'museum.db'}")
    try:
        with engine.connect() as connection:
            return _counts(connection)
    finally:
        engine.dispose()


def _snapshot_postgresql(database: Database, target: Path) -> dict[str, int]:
    with database.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            counts = _counts(connection)
            # pg_dump reads the very snapshot the counts came from, while this transaction holds it open.
            result = subprocess.run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--schema={schema}", "--no-owner",
                 f"--file={target / 'museum.dump'}", f"--dbname={_libpq_url(database)}"],
                capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()[-500:]}")
    return counts


def take_backup(database: Database, files: LocalFileStore, photos: LocalFileStore, target: Path) -> dict[str, Any]:
    """Back up the database and both stores into an empty or new folder; return the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new folder.")
    target.mkdir(parents=True, exist_ok=True)
    kind = "sqlite" if database.is_sqlite else "postgresql"
    revision = migrate.current(database.engine)
    started = utcnow()
    counts = _snapshot_sqlite(database, target) if database.is_sqlite else _snapshot_postgresql(database, target)
    manifest = {
        "format": FORMAT, "database": kind, "revision": revision, "started_at": started.isoformat(),
        "finished_at": "", "counts": counts,
        "files": _copy_store(files, target / "files"), "photos": _copy_store(photos, target / "photos"),
    }
    manifest["finished_at"] = utcnow().isoformat()
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """Return a backup's manifest after checking that every file it lists is there with its hash."""
    try:
        manifest: dict[str, Any] = json.loads((Path(source) / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} is not a museum backup (no readable manifest.json).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for folder in ("files", "photos"):
        for sha, size in manifest[folder].items():
            path = Path(source) / folder / sha[:2] / sha[2:4] / sha
            if not is_sha256(sha) or not path.is_file() or path.stat().st_size != size:
                raise BackupError(f"The backup lacks {folder}/{sha} (or it has the wrong size).")
    return manifest


def _restore_store(source: Path, hashes: dict[str, int], store: LocalFileStore) -> None:
    for sha in hashes:
        if store.exists(sha):
            continue
        if store.put_file(source / sha[:2] / sha[2:4] / sha) != sha:
            store.delete(sha)  # stored under the hash of what it really holds; a damaged copy is no restore
            raise BackupError(f"The backup's copy of {sha} does not match its hash.")
    for sha in list(store.hashes()):
        if sha not in hashes:
            store.delete(sha)


def restore_backup(database: Database, files: LocalFileStore, photos: LocalFileStore, source: Path) -> dict[str, Any]:
    """Replace the database and both stores with a backup's; return its manifest."""
    source = Path(source)
    manifest = read_manifest(source)
    kind = "sqlite" if database.is_sqlite else "postgresql"
    if manifest["database"] != kind:
        raise BackupError(f"This is a {manifest['database']} backup; the museum is configured for {kind}.")
    database.dispose()
    if database.is_sqlite:
        target_path = make_url(database.url).database
        if not target_path:
            raise BackupError("Cannot restore into an in-memory SQLite database.")
        Path(target_path).parent.mkdir(parents=True, exist_ok=True)
        backup = sqlite3.connect(source / "museum.db")
        live = sqlite3.connect(target_path)
        try:
            backup.backup(live)
        finally:
            backup.close()
            live.close()
    else:
        result = subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
             f"--dbname={_libpq_url(database)}", str(source / "museum.dump")],
            capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[-500:]}")
    _restore_store(source / "files", manifest["files"], files)
    _restore_store(source / "photos", manifest["photos"], photos)
    return manifest


def inventory(database: Database, files: LocalFileStore, photos: LocalFileStore) -> dict[str, Any]:
    """Return what the museum holds now: row counts per table and the hashes of both stores."""
    with database.engine.connect() as connection:
        counts = _counts(connection)
    return {"counts": counts, "files": sorted(files.hashes()), "photos": sorted(photos.hashes())}


def remove_backup(path: Path) -> None:
    """Delete a backup folder."""
    shutil.rmtree(path, ignore_errors=True)
