"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 02:55:56.366275
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counters")),
    )
    op.create_table(
        "eras",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eras")),
        sa.UniqueConstraint("slug", name=op.f("uq_eras_slug")),
    )
    with op.batch_alter_table("eras", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eras_status"), ["status"], unique=False)

    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_by", sa.String(length=80), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobs_run_after"), ["run_after"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobs_status"), ["status"], unique=False)

    op.create_table(
        "kiosk_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_devices")),
        sa.UniqueConstraint("name", name=op.f("uq_kiosk_devices_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_kiosk_devices_token_hash")),
    )
    op.create_table(
        "photo_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("caption", sa.JSON(), nullable=False),
        sa.Column("frame_sha256", sa.String(length=64), nullable=True),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_templates")),
        sa.UniqueConstraint("slug", name=op.f("uq_photo_templates_slug")),
    )
    with op.batch_alter_table("photo_templates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_templates_status"), ["status"], unique=False)

    op.create_table(
        "rights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("licence", sa.String(length=100), nullable=False),
        sa.Column("licence_url", sa.String(length=300), nullable=True),
        sa.Column("credit", sa.JSON(), nullable=False),
        sa.Column("copyright", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rights")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "stored_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_files")),
    )
    op.create_table(
        "tours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tours")),
        sa.UniqueConstraint("slug", name=op.f("uq_tours_slug")),
    )
    with op.batch_alter_table("tours", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tours_status"), ["status"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "assets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("original_name", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("inspection", sa.JSON(), nullable=False),
        sa.Column("validator", sa.JSON(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("poster_sha256", sa.String(length=64), nullable=True),
        sa.Column("rights_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["rights_id"], ["rights.id"], name=op.f("fk_assets_rights_id_rights"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_assets_uploaded_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assets")),
        sa.UniqueConstraint("sha256", name=op.f("uq_assets_sha256")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_type", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.String(length=120), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["users.id"], name=op.f("fk_audit_events_actor_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)

    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("share_token_hash", sa.String(length=64), nullable=False),
        sa.Column("kiosk_id", sa.Integer(), nullable=True),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("consent", sa.JSON(), nullable=False),
        sa.Column("props", sa.JSON(), nullable=False),
        sa.Column("capture_sha256", sa.String(length=64), nullable=True),
        sa.Column("full_sha256", sa.String(length=64), nullable=True),
        sa.Column("phone_sha256", sa.String(length=64), nullable=True),
        sa.Column("thumb_sha256", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kiosk_id"], ["kiosk_devices.id"], name=op.f("fk_photos_kiosk_id_kiosk_devices"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["photo_templates.id"],
            name=op.f("fk_photos_template_id_photo_templates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
        sa.UniqueConstraint("public_id", name=op.f("uq_photos_public_id")),
        sa.UniqueConstraint("share_token_hash", name=op.f("uq_photos_share_token_hash")),
    )
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_type", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_revisions_author_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
    )
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revisions_target_id"), ["target_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_revisions_target_type"), ["target_type"], unique=False)

    op.create_table(
        "asset_tiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("triangles", sa.Integer(), nullable=False),
        sa.Column("draw_calls", sa.Integer(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_asset_tiers_asset_id_assets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_tiers")),
        sa.UniqueConstraint("asset_id", "tier", name=op.f("uq_asset_tiers_asset_id")),
    )
    with op.batch_alter_table("asset_tiers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_tiers_asset_id"), ["asset_id"], unique=False)

    op.create_table(
        "exhibits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("object_date", sa.JSON(), nullable=False),
        sa.Column("narration_text", sa.JSON(), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("model_asset_id", sa.Integer(), nullable=True),
        sa.Column("era_id", sa.Integer(), nullable=True),
        sa.Column("rights_id", sa.Integer(), nullable=True),
        sa.Column("real_height_m", sa.Float(), nullable=True),
        sa.Column("triangle_budget", sa.Integer(), nullable=True),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["era_id"], ["eras.id"], name=op.f("fk_exhibits_era_id_eras"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["model_asset_id"], ["assets.id"], name=op.f("fk_exhibits_model_asset_id_assets"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["rights_id"], ["rights.id"], name=op.f("fk_exhibits_rights_id_rights"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exhibits")),
        sa.UniqueConstraint("slug", name=op.f("uq_exhibits_slug")),
    )
    with op.batch_alter_table("exhibits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exhibits_era_id"), ["era_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exhibits_status"), ["status"], unique=False)

    op.create_table(
        "galleries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("room_asset_id", sa.Integer(), nullable=True),
        sa.Column("lighting", sa.String(length=16), nullable=False),
        sa.Column("size_m", sa.JSON(), nullable=False),
        sa.Column("floor", sa.JSON(), nullable=False),
        sa.Column("spawns", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_asset_id"], ["assets.id"], name=op.f("fk_galleries_room_asset_id_assets"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_galleries")),
        sa.UniqueConstraint("slug", name=op.f("uq_galleries_slug")),
    )
    with op.batch_alter_table("galleries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_galleries_status"), ["status"], unique=False)

    op.create_table(
        "timeline_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("era_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("image_asset_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["era_id"], ["eras.id"], name=op.f("fk_timeline_events_era_id_eras"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["image_asset_id"],
            ["assets.id"],
            name=op.f("fk_timeline_events_image_asset_id_assets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeline_events")),
        sa.UniqueConstraint("slug", name=op.f("uq_timeline_events_slug")),
    )
    with op.batch_alter_table("timeline_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_timeline_events_era_id"), ["era_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_timeline_events_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_timeline_events_year"), ["year"], unique=False)

    op.create_table(
        "doors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gallery_id", sa.Integer(), nullable=False),
        sa.Column("to_gallery_id", sa.Integer(), nullable=False),
        sa.Column("translation", sa.JSON(), nullable=False),
        sa.Column("yaw_deg", sa.Float(), nullable=False),
        sa.Column("width_m", sa.Float(), nullable=False),
        sa.Column("height_m", sa.Float(), nullable=False),
        sa.Column("label", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gallery_id"], ["galleries.id"], name=op.f("fk_doors_gallery_id_galleries"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["to_gallery_id"], ["galleries.id"], name=op.f("fk_doors_to_gallery_id_galleries"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_doors")),
    )
    with op.batch_alter_table("doors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_doors_gallery_id"), ["gallery_id"], unique=False)

    op.create_table(
        "event_exhibits",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("exhibit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["timeline_events.id"],
            name=op.f("fk_event_exhibits_event_id_timeline_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["exhibit_id"], ["exhibits.id"], name=op.f("fk_event_exhibits_exhibit_id_exhibits"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "exhibit_id", name=op.f("pk_event_exhibits")),
    )
    op.create_table(
        "exhibit_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exhibit_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("caption", sa.JSON(), nullable=False),
        sa.Column("alt", sa.JSON(), nullable=False),
        sa.Column("credit", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_exhibit_media_asset_id_assets"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["exhibit_id"], ["exhibits.id"], name=op.f("fk_exhibit_media_exhibit_id_exhibits"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exhibit_media")),
    )
    with op.batch_alter_table("exhibit_media", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exhibit_media_exhibit_id"), ["exhibit_id"], unique=False)

    op.create_table(
        "exhibit_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exhibit_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["exhibit_id"], ["exhibits.id"], name=op.f("fk_exhibit_tags_exhibit_id_exhibits"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exhibit_tags")),
        sa.UniqueConstraint("exhibit_id", "tag", name=op.f("uq_exhibit_tags_exhibit_id")),
    )
    with op.batch_alter_table("exhibit_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exhibit_tags_exhibit_id"), ["exhibit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exhibit_tags_tag"), ["tag"], unique=False)

    op.create_table(
        "hotspots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exhibit_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("anchor", sa.JSON(), nullable=False),
        sa.Column("radius_m", sa.Float(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("text", sa.JSON(), nullable=False),
        sa.Column("image_asset_id", sa.Integer(), nullable=True),
        sa.Column("image_alt", sa.JSON(), nullable=False),
        sa.Column("image_credit", sa.JSON(), nullable=False),
        sa.Column("audio_asset_id", sa.Integer(), nullable=True),
        sa.Column("captions_asset_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audio_asset_id"], ["assets.id"], name=op.f("fk_hotspots_audio_asset_id_assets"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["captions_asset_id"], ["assets.id"], name=op.f("fk_hotspots_captions_asset_id_assets"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["exhibit_id"], ["exhibits.id"], name=op.f("fk_hotspots_exhibit_id_exhibits"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["image_asset_id"], ["assets.id"], name=op.f("fk_hotspots_image_asset_id_assets"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotspots")),
        sa.UniqueConstraint("exhibit_id", "slug", name=op.f("uq_hotspots_exhibit_id")),
    )
    with op.batch_alter_table("hotspots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hotspots_exhibit_id"), ["exhibit_id"], unique=False)

    op.create_table(
        "placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gallery_id", sa.Integer(), nullable=False),
        sa.Column("exhibit_id", sa.Integer(), nullable=False),
        sa.Column("translation", sa.JSON(), nullable=False),
        sa.Column("rotation_deg", sa.JSON(), nullable=False),
        sa.Column("scale", sa.Float(), nullable=False),
        sa.Column("target_size_m", sa.Float(), nullable=True),
        sa.Column("mount", sa.String(length=16), nullable=False),
        sa.Column("label", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exhibit_id"], ["exhibits.id"], name=op.f("fk_placements_exhibit_id_exhibits"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["gallery_id"], ["galleries.id"], name=op.f("fk_placements_gallery_id_galleries"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placements")),
    )
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placements_exhibit_id"), ["exhibit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placements_gallery_id"), ["gallery_id"], unique=False)

    op.create_table(
        "tour_stops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tour_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("gallery_id", sa.Integer(), nullable=False),
        sa.Column("exhibit_id", sa.Integer(), nullable=True),
        sa.Column("hotspot_id", sa.Integer(), nullable=True),
        sa.Column("viewpoint", sa.JSON(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("text", sa.JSON(), nullable=False),
        sa.Column("narration", sa.JSON(), nullable=False),
        sa.Column("narration_asset_id", sa.Integer(), nullable=True),
        sa.Column("captions_asset_id", sa.Integer(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["captions_asset_id"],
            ["assets.id"],
            name=op.f("fk_tour_stops_captions_asset_id_assets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["exhibit_id"], ["exhibits.id"], name=op.f("fk_tour_stops_exhibit_id_exhibits"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["gallery_id"], ["galleries.id"], name=op.f("fk_tour_stops_gallery_id_galleries"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["hotspot_id"], ["hotspots.id"], name=op.f("fk_tour_stops_hotspot_id_hotspots"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["narration_asset_id"],
            ["assets.id"],
            name=op.f("fk_tour_stops_narration_asset_id_assets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tour_id"], ["tours.id"], name=op.f("fk_tour_stops_tour_id_tours"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tour_stops")),
    )
    with op.batch_alter_table("tour_stops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tour_stops_tour_id"), ["tour_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tour_stops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tour_stops_tour_id"))

    op.drop_table("tour_stops")
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placements_gallery_id"))
        batch_op.drop_index(batch_op.f("ix_placements_exhibit_id"))

    op.drop_table("placements")
    with op.batch_alter_table("hotspots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hotspots_exhibit_id"))

    op.drop_table("hotspots")
    with op.batch_alter_table("exhibit_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exhibit_tags_tag"))
        batch_op.drop_index(batch_op.f("ix_exhibit_tags_exhibit_id"))

    op.drop_table("exhibit_tags")
    with op.batch_alter_table("exhibit_media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exhibit_media_exhibit_id"))

    op.drop_table("exhibit_media")
    op.drop_table("event_exhibits")
    with op.batch_alter_table("doors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_doors_gallery_id"))

    op.drop_table("doors")
    with op.batch_alter_table("timeline_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timeline_events_year"))
        batch_op.drop_index(batch_op.f("ix_timeline_events_status"))
        batch_op.drop_index(batch_op.f("ix_timeline_events_era_id"))

    op.drop_table("timeline_events")
    with op.batch_alter_table("galleries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_galleries_status"))

    op.drop_table("galleries")
    with op.batch_alter_table("exhibits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exhibits_status"))
        batch_op.drop_index(batch_op.f("ix_exhibits_era_id"))

    op.drop_table("exhibits")
    with op.batch_alter_table("asset_tiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_tiers_asset_id"))

    op.drop_table("asset_tiers")
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revisions_target_type"))
        batch_op.drop_index(batch_op.f("ix_revisions_target_id"))

    op.drop_table("revisions")
    op.drop_table("photos")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
    op.drop_table("assets")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    with op.batch_alter_table("tours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tours_status"))

    op.drop_table("tours")
    op.drop_table("stored_files")
    op.drop_table("settings")
    op.drop_table("rights")
    with op.batch_alter_table("photo_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_templates_status"))

    op.drop_table("photo_templates")
    op.drop_table("kiosk_devices")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_status"))
        batch_op.drop_index(batch_op.f("ix_jobs_run_after"))
        batch_op.drop_index(batch_op.f("ix_jobs_kind"))

    op.drop_table("jobs")
    with op.batch_alter_table("eras", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_eras_status"))

    op.drop_table("eras")
    op.drop_table("counters")
