"""photos may have props behind their guests: the booth's drawing of them, kept until composed

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 18:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("photos") as batch:
        batch.add_column(sa.Column("behind_sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("behind_box", sa.JSON(), nullable=True))
    op.create_index(op.f("ix_photos_behind_sha256"), "photos", ["behind_sha256"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_photos_behind_sha256"), table_name="photos")
    with op.batch_alter_table("photos") as batch:
        batch.drop_column("behind_box")
        batch.drop_column("behind_sha256")
