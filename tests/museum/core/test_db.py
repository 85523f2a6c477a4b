"""Concurrent writers neither fail nor lose updates (SQLite: IMMEDIATE transactions; PostgreSQL: row locks)."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import select

from museum.core.db import get_db
from museum.models import Counter

WRITERS, ROUNDS = 4, 25


def test_read_modify_write_from_many_threads_loses_nothing(app: Flask) -> None:
    database = get_db(app)
    with database.write() as s:
        s.add(Counter(name="visits", value=0))
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(ROUNDS):
                with database.write() as s:
                    stmt = select(Counter).where(Counter.name == "visits")
                    if not database.is_sqlite:
                        stmt = stmt.with_for_update()
                    row = s.scalars(stmt).one()
                    current = row.value  # read, then write back: a lost update if two interleave
                    row.value = current + 1
        except BaseException as exc:  # noqa: B036 - any failure of a writer fails the test
            failures.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with database.read() as s:
        assert s.scalar(select(Counter.value).where(Counter.name == "visits")) == WRITERS * ROUNDS


def test_sqlite_runs_in_wal_mode(app: Flask) -> None:
    database = get_db(app)
    if not database.is_sqlite:
        return
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
