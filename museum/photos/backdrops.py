"""Backdrops for the booth: the published galleries that have a room, each seen from where a visitor enters it.

The booth renders the gallery's composed scene (`/api/v1/galleries/<slug>/scene.glb`) with three.js from the
gallery's first spawn point, at eye height, and stands the guests in front of it (segmentation in the booth for the
live preview, `ar_photo.segment` on the server for the photo itself).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from museum.catalogue.manifest import LIGHTING
from museum.core.media_types import file_url
from museum.models import Gallery, Status
from museum.photos.payloads import KioskBackdrop, Viewpoint

# The tier the booth loads: a booth is a desktop-class machine on the exhibition centre's network.
BACKDROP_TIER = "desktop"


def backdrop_galleries(session: Session) -> list[Gallery]:
    """Return the published galleries with a room, in visiting order."""
    stmt = (select(Gallery).where(Gallery.status == Status.PUBLISHED.value, Gallery.room_asset_id.is_not(None))
            .options(selectinload(Gallery.room_asset)).order_by(Gallery.position, Gallery.id))
    return list(session.scalars(stmt))


def backdrop_reply(gallery: Gallery) -> KioskBackdrop:
    """Describe a backdrop for the booth: the gallery's slug (sent back as background_gallery), titles, poster,
    scene and the viewpoint to render it from."""
    spawn = gallery.spawns[0] if gallery.spawns else {}
    position = [float(v) for v in (spawn.get("position") or [0.0, 0.0, 0.0])][:3]
    asset = gallery.room_asset
    return KioskBackdrop(
        slug=gallery.slug, title=gallery.title,
        poster_url=file_url(asset.poster_sha256, "image/webp") if asset and asset.poster_sha256 else None,
        scene_url=f"/api/v1/galleries/{gallery.slug}/scene.glb?tier={BACKDROP_TIER}",
        spawn=Viewpoint(position=position, yaw_deg=float(spawn.get("yaw_deg") or 0.0)),
        lighting=LIGHTING.get(gallery.lighting, LIGHTING["gallery"]))  # as the gallery's manifest gives it
