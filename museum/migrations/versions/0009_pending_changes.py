"""pending changes to published content

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("eras", "exhibits", "galleries", "photo_templates", "timeline_events", "tours")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("pending", sa.JSON(), nullable=True))
            batch.add_column(sa.Column("pending_status", sa.String(length=16), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("pending_status")
            batch.drop_column("pending")
