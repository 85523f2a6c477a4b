"""kiosk kinds: a device token is for the photo booth or for the inquiry kiosk

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kiosk_devices") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=12), nullable=False, server_default="booth"))


def downgrade() -> None:
    with op.batch_alter_table("kiosk_devices") as batch:
        batch.drop_column("kind")
