"""cockpit: visitor events, rollups, daily salts, alerts, tile layouts

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 12:05:37.670536
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "cockpit_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=24), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "metric", "key", name=op.f("pk_cockpit_daily")),
    )
    op.create_table(
        "cockpit_hourly",
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("metric", sa.String(length=24), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "metric", "key", name=op.f("pk_cockpit_hourly")),
    )
    op.create_table(
        "cockpit_salts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_cockpit_salts")),
    )
    op.create_table(
        "visit_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(length=24), nullable=False),
        sa.Column("visitor", sa.String(length=16), nullable=False),
        sa.Column("device", sa.String(length=12), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("exhibit", sa.String(length=120), nullable=False),
        sa.Column("gallery", sa.String(length=120), nullable=False),
        sa.Column("tour", sa.String(length=120), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("query", sa.String(length=100), nullable=False),
        sa.Column("results", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_events")),
    )
    with op.batch_alter_table("visit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_events_at"), ["at"], unique=False)

    op.create_table(
        "cockpit_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"], ["users.id"], name=op.f("fk_cockpit_alerts_acknowledged_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cockpit_alerts")),
    )
    with op.batch_alter_table("cockpit_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cockpit_alerts_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_cockpit_alerts_started_at"), ["started_at"], unique=False)

    op.create_table(
        "cockpit_layouts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("tiles", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cockpit_layouts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_cockpit_layouts")),
    )


def downgrade() -> None:

    op.drop_table("cockpit_layouts")
    with op.batch_alter_table("cockpit_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cockpit_alerts_started_at"))
        batch_op.drop_index(batch_op.f("ix_cockpit_alerts_code"))

    op.drop_table("cockpit_alerts")
    with op.batch_alter_table("visit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_events_at"))

    op.drop_table("visit_events")
    op.drop_table("cockpit_salts")
    op.drop_table("cockpit_hourly")
    op.drop_table("cockpit_daily")
