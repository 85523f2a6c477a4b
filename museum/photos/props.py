"""Props for the booth: published exhibits that have a 3D model or a poster, as the kiosk and server see them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from museum.core.media_types import file_url
from museum.core.storage import LocalFileStore
from museum.models import Asset, AssetTier, Exhibit, Status
from museum.photos.payloads import KioskProp

# The kiosk's live preview and the server's renderer read the same file, so the photo matches the screen;
# the packed original is plain glTF that both can read, the tiers may need decoders the renderer lacks.
PROP_TIERS = ("original", "desktop", "phone")


def prop_tier(asset: Asset | None) -> AssetTier | None:
    """Return the model file a prop is drawn from, or None."""
    if asset is None:
        return None
    tiers = {t.tier: t for t in asset.tiers}
    return next((tiers[name] for name in PROP_TIERS if name in tiers), None)


def prop_exhibits(session: Session) -> list[Exhibit]:
    """Return published exhibits with a model or a poster, by slug."""
    stmt = (select(Exhibit).where(Exhibit.status == Status.PUBLISHED.value, Exhibit.model_asset_id.is_not(None))
            .options(selectinload(Exhibit.model_asset).selectinload(Asset.tiers)).order_by(Exhibit.slug))
    return [e for e in session.scalars(stmt)
            if e.model_asset is not None and (prop_tier(e.model_asset) or e.model_asset.poster_sha256)]


def prop_reply(exhibit: Exhibit) -> KioskProp:
    """Describe a prop for the kiosk: its slug (sent back in poses), titles, model and poster URLs."""
    asset = exhibit.model_asset
    tier = prop_tier(asset)
    return KioskProp(
        slug=exhibit.slug, title=exhibit.title,
        model_url=file_url(tier.sha256, tier.media_type) if tier else None,
        poster_url=file_url(asset.poster_sha256, "image/webp") if asset and asset.poster_sha256 else None,
        height_m=exhibit.real_height_m)


def prop_sources(session: Session, store: LocalFileStore) -> Callable[[str], Path | None]:
    """Return a look-up from a pose's asset (an exhibit slug) to the model or poster file to render."""
    files: dict[str, Path] = {}
    for exhibit in prop_exhibits(session):
        tier = prop_tier(exhibit.model_asset)
        sha = tier.sha256 if tier else exhibit.model_asset.poster_sha256 if exhibit.model_asset else None
        path = store.path(sha) if sha else None
        if path is not None:
            files[exhibit.slug] = path
    return files.get
