"""Fixtures shared by the whole suite: a fresh museum database per test, on SQLite and (when configured) PostgreSQL.

SQLite: the schema is migrated once per test session into a template file, copied for each test.
PostgreSQL (MUSEUM_TEST_DATABASE_URL): each xdist worker migrates its own schema once; each test starts from
emptied tables.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text

from museum import create_app
from museum.core import migrate
from museum.core.db import make_engine
from museum.models import Base

PG_URL = os.environ.get("MUSEUM_TEST_DATABASE_URL", "")
DB_KINDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
REPO = Path(__file__).resolve().parents[1]
# Real-world glTF models (Khronos samples) that some slow tests also run through the pipeline. The project's own
# generated models cover every feature; this corpus is extra, so its tests skip when it is not there.
CORPUS = Path(os.environ.get("MUSEUM_TEST_CORPUS") or REPO.parent / "shared" / "corpus" / "gltf").resolve()
CORPUS_MISSING = (f"the external glTF corpus is not at {CORPUS}; set MUSEUM_TEST_CORPUS to a folder of "
                  "Khronos glTF samples (with its corpus.tsv) to run these tests")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_MISSING)


def pg_schema_url(schema: str) -> str:
    """Return the PostgreSQL test URL with its search_path set to a schema."""
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"


def reset_pg_schema(schema: str) -> None:
    """Drop and re-create a PostgreSQL schema."""
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite file migrated to the newest schema."""
    path = tmp_path_factory.mktemp("template") / "museum.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


# One id per test run, inherited by xdist's workers: two runs on one PostgreSQL server never share a schema.
RUN_ID = os.environ.setdefault("MUSEUM_TEST_RUN_ID", uuid.uuid4().hex[:8])


def worker_name() -> str:
    """Return this run's id and the pytest-xdist worker running this process ("main" without xdist)."""
    return f"{RUN_ID}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def drop_pg_schema(schema: str) -> None:
    """Drop a PostgreSQL schema and everything in it."""
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def pg_migrated() -> Iterator[str]:
    """Return the URL of this worker's PostgreSQL schema, migrated once, dropped at the end."""
    schema = f"museum_test_{worker_name()}"
    reset_pg_schema(schema)
    url = pg_schema_url(schema)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    drop_pg_schema(schema)


@pytest.fixture(params=DB_KINDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of an empty, migrated database."""
    if request.param == "sqlite":
        path = tmp_path / "museum.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """Return a museum app on a fresh database and an empty file store."""
    app = create_app({
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": database_url,
        "STORAGE_DIR": str(tmp_path / "storage"),
        "SECRET_KEY": "test-secret",
        "CACHE_CHECK_SECONDS": 0.0,
        "SESSION_COOKIE_SECURE": False,
    })
    yield app
    app.extensions["museum.db"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a CLI runner of the app."""
    return app.test_cli_runner()
