"""photos may stand their guests in a gallery: the booth's view of it, kept until composed

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("photos") as batch:
        batch.add_column(sa.Column("background_sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("background", sa.String(length=100), nullable=True))
    op.create_index(op.f("ix_photos_background_sha256"), "photos", ["background_sha256"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_photos_background_sha256"), table_name="photos")
    with op.batch_alter_table("photos") as batch:
        batch.drop_column("background")
        batch.drop_column("background_sha256")
