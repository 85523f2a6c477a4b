"""`museum serve` and the job worker on a database nobody initialised: a message saying what to do, no traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from museum.core.db import make_engine
from tests.museum.hardening.live import MUSEUM, free_port


def _env(tmp_path: Path, url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "MUSEUM_INSTANCE_PATH": str(tmp_path / "instance"), "MUSEUM_SECRET_KEY": "test-secret"}
    env.pop("MUSEUM_DATABASE_URL", None)
    if url:
        env["MUSEUM_DATABASE_URL"] = url
    return env


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["worker"], ["workers"]])
def test_an_uninitialised_database_is_refused_with_what_to_do(tmp_path: Path, command: list[str]) -> None:
    if command[0] == "serve":
        command = ["serve", "--port", str(free_port())]
    result = subprocess.run([*MUSEUM, *command], env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "has not been initialised: run `museum init` first" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_an_older_schema_is_refused_with_what_to_do(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    from museum.core import migrate

    engine = make_engine(url)
    migrate.upgrade(engine, "0002")
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == "0002"
    engine.dispose()
    result = subprocess.run([*MUSEUM, "serve", "--port", str(free_port())], env=_env(tmp_path, url),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "run `museum init` to migrate it" in result.stderr


def test_health_answers_503_in_the_error_shape_on_an_uninitialised_database(tmp_path: Path) -> None:
    from museum import create_app

    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "SECRET_KEY": "test"})
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json() == {"error": {"code": "database_not_initialised", "message": (
        "The database is not at this museum's schema: run `museum init`.")}}
    app.extensions["museum.db"].dispose()
