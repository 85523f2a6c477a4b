"""The studio's content lists, newest first, are read through an index, not sorted whole."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select, text

from museum.core.db import get_db
from museum.models import Era, Exhibit, Gallery, PhotoTemplate, TimelineEvent, Tour


def test_newest_first_lists_use_the_updated_at_index(app: Flask) -> None:
    with app.app_context(), get_db().read() as session:
        dialect = session.get_bind().dialect.name
        for model in (Exhibit, Gallery, Tour, Era, TimelineEvent, PhotoTemplate):
            stmt = select(model).order_by(model.updated_at.desc(), model.id.desc()).limit(20)
            sql = str(stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
            if dialect == "sqlite":
                plan = " ".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
                assert f"ix_{model.__tablename__}_updated_at" in plan, plan
            else:
                indexes = session.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = :t"),
                                          {"t": model.__tablename__}).scalars().all()
                assert f"ix_{model.__tablename__}_updated_at" in indexes, indexes
