"""preview links: one row per link, so a link names one draft and can be revoked

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "preview_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"],
                                name=op.f("fk_preview_links_created_by_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preview_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_preview_links_token_hash")),
    )
    with op.batch_alter_table("preview_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_preview_links_row_id"), ["row_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("preview_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_preview_links_row_id"))
    op.drop_table("preview_links")
