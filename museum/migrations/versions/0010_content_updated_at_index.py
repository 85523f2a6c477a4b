"""content lists newest first: an index on updated_at

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 16:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("exhibits", "galleries", "photo_templates", "eras", "timeline_events", "tours")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(op.f(f"ix_{table}_updated_at"), table, ["updated_at"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_updated_at"), table_name=table)
