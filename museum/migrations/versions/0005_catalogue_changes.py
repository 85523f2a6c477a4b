"""catalogue changes, and photo indexes for the purge: what each move of the catalogue version changed

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The purge finds expired photos by expiry, and asks whether another photo still holds a file by its hash.
_PHOTO_INDEXED = ("capture_sha256", "expires_at", "full_sha256", "phone_sha256", "thumb_sha256")


def upgrade() -> None:
    op.create_table(
        "catalogue_changes",
        sa.Column("version", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_catalogue_changes")),
    )
    for column in _PHOTO_INDEXED:
        op.create_index(op.f(f"ix_photos_{column}"), "photos", [column], unique=False)


def downgrade() -> None:
    for column in _PHOTO_INDEXED:
        op.drop_index(op.f(f"ix_photos_{column}"), table_name="photos")
    op.drop_table("catalogue_changes")
