"""The database: engines, sessions, and SQLite settings that let concurrent writers wait instead of failing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def make_engine(url: str, busy_timeout_ms: int = 30000) -> Engine:
    """Create an engine; on SQLite turn on WAL and make write transactions begin IMMEDIATE."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, emit BEGIN, so it can choose IMMEDIATE for writers.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # A writer takes the write lock at BEGIN, so two writers queue on busy_timeout instead of one
            # failing with "database is locked" when it upgrades a read transaction.
            if conn.get_execution_options().get("sqlite_begin_immediate"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class Database:
    """The museum's engine and session factories, attached to the app as `app.extensions["museum.db"]`."""

    def __init__(self, url: str, busy_timeout_ms: int = 30000) -> None:
        self.url = url
        self.engine = make_engine(url, busy_timeout_ms)
        self.is_sqlite = url.startswith("sqlite")
        write_engine = self.engine.execution_options(sqlite_begin_immediate=True) if self.is_sqlite else self.engine
        self.read_sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(bind=write_engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """Open a write transaction that commits on success and rolls back on error."""
        with self.write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """Open a read-only session."""
        with self.read_sessions() as session:
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def init_app(app: Flask, database: Database) -> None:
    """Attach the database and close the request's session at teardown."""
    app.extensions["museum.db"] = database

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_db(app: Flask | None = None) -> Database:
    """Return the app's Database."""
    from flask import current_app

    return (app or current_app).extensions["museum.db"]


def session() -> Session:
    """Return this request's session; writing requests get one whose transactions begin IMMEDIATE."""
    current = g.get("db_session")
    if current is None:
        database = get_db()
        writing = has_request_context() and request.method in _WRITE_METHODS
        current = (database.write_sessions if writing else database.read_sessions)()
        g.db_session = current
    return current


def mark_seen(row: Any, every: timedelta) -> None:
    """Record when a row with `id` and `last_seen_at` (a studio session, a kiosk) was last used, at most once per
    `every`, without turning a reading request into a writer.

    A writing request records it in its own transaction. A reading one records it in a short write of its own: on
    SQLite a read transaction that starts writing must upgrade its snapshot, which fails at once ("database is
    locked") when another request has committed since it began.
    """
    now = datetime.now(UTC)
    if row.last_seen_at is not None and now - row.last_seen_at < every:
        return
    if has_request_context() and request.method in _WRITE_METHODS:
        row.last_seen_at = now
        return
    model = type(row)
    with get_db().write() as write:
        write.execute(update(model).where(model.id == row.id).values(last_seen_at=now))
    set_committed_value(row, "last_seen_at", now)
