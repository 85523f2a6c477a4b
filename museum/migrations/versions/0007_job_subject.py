"""job subject: what a job works on, indexed

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:30:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_SUBJECTS = {"asset.ingest": ("asset", "asset_id"), "photo.compose": ("photo", "photo_id")}


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("subject", sa.String(length=80), nullable=False, server_default=""))
        batch.create_index(batch.f("ix_jobs_subject"), ["subject"], unique=False)
    # Jobs queued before this revision get their subject from their payload, so their status is still found.
    conn = op.get_bind()
    jobs = sa.table("jobs", sa.column("id", sa.Integer), sa.column("kind", sa.String),
                    sa.column("payload", sa.JSON), sa.column("subject", sa.String))
    for job_id, kind, payload in conn.execute(sa.select(jobs.c.id, jobs.c.kind, jobs.c.payload)
                                              .where(jobs.c.kind.in_(list(_SUBJECTS)))):
        data = json.loads(payload) if isinstance(payload, str) else (payload or {})
        prefix, key = _SUBJECTS[kind]
        if key in data:
            conn.execute(jobs.update().where(jobs.c.id == job_id).values(subject=f"{prefix}:{data[key]}"))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_index(batch.f("ix_jobs_subject"))
        batch.drop_column("subject")
