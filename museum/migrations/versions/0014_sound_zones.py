"""galleries have sound zones

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sound_zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gallery_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("translation", sa.JSON(), nullable=False),
        sa.Column("radius_m", sa.Float(), nullable=False),
        sa.Column("volume", sa.Float(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["assets.id"], name=op.f("fk_sound_zones_asset_id_assets"),
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["gallery_id"], ["galleries.id"], name=op.f("fk_sound_zones_gallery_id_galleries"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sound_zones")),
    )
    op.create_index(op.f("ix_sound_zones_gallery_id"), "sound_zones", ["gallery_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sound_zones_gallery_id"), table_name="sound_zones")
    op.drop_table("sound_zones")
