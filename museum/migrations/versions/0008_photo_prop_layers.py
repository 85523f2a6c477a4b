"""photo prop layers drawn by the booth

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("photos") as batch:
        batch.add_column(sa.Column("layer_sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("layer_box", sa.JSON(), nullable=True))
    op.create_index(op.f("ix_photos_layer_sha256"), "photos", ["layer_sha256"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_photos_layer_sha256"), table_name="photos")
    with op.batch_alter_table("photos") as batch:
        batch.drop_column("layer_box")
        batch.drop_column("layer_sha256")
