"""The full hardening proofs: racing editor processes on SQLite and PostgreSQL, and kill -9 under traffic.

    .venv/bin/python bench/hardening/run.py                      # 8 x 300 read-modify-writes; 12 kill rounds
    .venv/bin/python bench/hardening/run.py --updates 100 --rounds 4
    MUSEUM_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python bench/hardening/run.py

Racing editors: 8 writer processes each save one exhibit 300 times the way the studio saves (read the version, then
a conditional UPDATE of version and change in one transaction; on a conflict read again and redo). Goal: 0 lost
updates (final counter = saves), 0 errors. Peer: the same writers without the version check (plain read, then
write), which is what a naive read-modify-write does: its lost updates show what the check prevents.

Kill -9: `museum serve` on SQLite, booth photos and model uploads arriving, the server or a job worker killed with
SIGKILL at random moments, restarted; then every accepted photo must be composed, every job finished and
`museum check` clean. The short versions of both run in the test suite (tests/museum/hardening/test_proofs.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from museum import create_app  # noqa: E402
from museum.core import migrate  # noqa: E402
from museum.core.db import get_db  # noqa: E402
from tests.museum.hardening import proofs  # noqa: E402


def fresh_app(tmp: Path, url: str | None) -> Any:
    """Return an app on a new, migrated database (SQLite in tmp, or a new PostgreSQL schema)."""
    if url:
        from tests.conftest import pg_schema_url, reset_pg_schema

        schema = f"museum_bench_{os.getpid()}"
        reset_pg_schema(schema)
        url = pg_schema_url(schema)
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp / "instance"), "SECRET_KEY": "bench",
                      "DATABASE_URL": url or f"sqlite:///{tmp / 'museum.db'}", "SESSION_COOKIE_SECURE": False})
    migrate.upgrade(get_db(app).engine)
    return app


def main() -> None:
    """Run the proofs and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=12, help="kill -9 rounds (0: skip)")
    parser.add_argument("--photos", type=int, default=5, help="booth photos sent per round")
    args = parser.parse_args()
    pg = os.environ.get("MUSEUM_TEST_DATABASE_URL")
    results: dict[str, Any] = {"cpu_cores": os.cpu_count()}
    for kind, url in [("sqlite", None)] + ([("postgresql", pg)] if pg else []):
        with tempfile.TemporaryDirectory(prefix="hardening-") as tmp:
            app = fresh_app(Path(tmp), url)
            results[f"editors_{kind}"] = proofs.racing_editors(app, args.processes, args.updates)
            results[f"naive_{kind}"] = proofs.racing_editors(app, args.processes, args.updates, checked=False)
            get_db(app).dispose()
    if args.rounds:
        with tempfile.TemporaryDirectory(prefix="hardening-") as tmp:
            app = fresh_app(Path(tmp), None)
            results["kill9_sqlite"] = proofs.crash_rounds(app, args.rounds, args.photos)
            get_db(app).dispose()
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "hardening.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    for key, tally in results.items():
        if key.startswith("editors_"):
            naive = results[key.replace("editors_", "naive_")]
            print(f"{key[8:]:10} {tally['processes']} x {tally['updates_each']} read-modify-writes: "
                  f"{tally['lost_updates']} lost, {tally['errors']} errors, {tally['conflicts_retried']} conflicts "
                  f"retried, {tally['seconds']} s | naive peer: {naive['lost_updates']} lost, "
                  f"{naive['errors']} errors (goal: 0 lost, 0 errors)")
    if "kill9_sqlite" in results:
        crash = results["kill9_sqlite"]
        print(f"kill -9: {crash['kills']['server']} server + {crash['kills']['worker']} worker kills; "
              f"{crash['photos_ready']}/{crash['photos_accepted']} accepted photos composed, "
              f"{crash['models_ready']}/{crash['models_accepted']} models ready, "
              f"{len(crash['jobs_failed'])} jobs failed, museum check exit {crash['check_exit']}")


if __name__ == "__main__":
    main()
