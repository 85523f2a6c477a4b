"""Alembic environment: migrations run on the connection the museum hands over (batch mode for SQLite)."""

from __future__ import annotations

from alembic import context

from museum.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
