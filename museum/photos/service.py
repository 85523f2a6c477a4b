"""Guests' photos: taking one in, finding it by its share token, deleting it, purging expired ones."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ar_photo.errors import PhotoRejected
from ar_photo.limits import PhotoLimits
from ar_photo.normalize import decode, open_photo, orientation_of
from ar_photo.prop_layer import checked_pixels, load_prop_layer
from ar_photo.props import PropPose
from museum.cockpit.booth import PHOTO_TAKEN, record_booth_event
from museum.core.errors import ApiError, BadRequest, Gone, NotFound, Unprocessable, library_error
from museum.core.jobs import enqueue
from museum.core.payloads import message
from museum.core.storage import LocalFileStore
from museum.models import Gallery, Job, KioskDevice, Photo, PhotoTemplate, Status
from museum.models.base import utcnow
from museum.photos.payloads import Box, KioskPropPose

COMPOSE_JOB = "photo.compose"
PURGE_JOB = "photo.purge"
PURGE_EVERY = timedelta(hours=1)
FILE_COLUMNS = ("capture_sha256", "full_sha256", "phone_sha256", "thumb_sha256", "layer_sha256", "background_sha256",
                "behind_sha256")
# What the booth sent, kept only until the photo is composed (or its composition fails).
UNTIL_COMPOSED = ("capture_sha256", "layer_sha256", "background_sha256", "behind_sha256")
GONE_STATUSES = ("deleted", "expired")
# A check decode at 1/8 scale reads every byte of a JPEG (so truncation shows) for a fraction of a full decode.
_CHECK_SIZE = (64, 64)
MIN_BACKGROUND_SIDE = 256  # a smaller view of a gallery would be a blur behind the guests


def share_token_hash(token: str) -> str:
    """Return the SHA-256 under which a share token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_share_token() -> str:
    """Return a new share token: 192 bits from the OS CSPRNG, URL-safe."""
    return secrets.token_urlsafe(24)


def rejected(exc: PhotoRejected, pointer: str = "/photo") -> ApiError:
    """Turn the library's refusal of a kiosk's field into the HTTP error pointing at that field."""
    return library_error(exc, pointer)


def check_photo(data: bytes, limits: PhotoLimits | None = None, pointer: str = "/photo") -> tuple[int, int]:
    """Refuse picture bytes that are not a whole, acceptable image (decoding as little as possible), naming the
    field they came in; return the upright size."""
    try:
        img = open_photo(data, limits)
        size = (img.height, img.width) if orientation_of(img) >= 5 else img.size
        decode(img, _CHECK_SIZE)
    except PhotoRejected as exc:
        raise rejected(exc, pointer) from exc
    return size


@dataclass(frozen=True)
class LayerUpload:
    """The booth's prop layer, checked: its pixels as the composition job reads them back
    (`ar_photo.prop_layer.checked_pixels`: decoded once, here) and its box (x, y, w, h) on the upright capture."""

    data: bytes
    box: Box


def check_layer(data: bytes | None, box: Box | None, poses: list[PropPose], photo_size: tuple[int, int],
                template: PhotoTemplate, field: str = "prop_layer") -> LayerUpload | None:
    """Refuse a prop layer (the multipart `field`, its box read from `field`_box) that is not the PNG of the posed
    props within their reach; None when none was sent."""
    if data is None:
        return None
    if box is None:
        raise BadRequest(f"Send {field}_box, x,y,w,h in whole pixels.", code="PROP_LAYER_BOX_INVALID",
                         pointer=f"/{field}_box")
    window = template.spec.get("window") or [0, 0, 4, 3]
    try:
        layer = load_prop_layer(data, box, poses, photo_size, window[2] / window[3])
    except PhotoRejected as exc:
        raise rejected(exc, f"/{field}_box" if "BOX" in exc.code else f"/{field}") from exc
    return LayerUpload(checked_pixels(layer), box)


def _pose(item: Any, index: int) -> PropPose:
    try:
        posed = KioskPropPose.model_validate(item)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        # The booth's contract points at the props field, whichever pose and key is wrong.
        raise Unprocessable(message(first, ("props", index, *first["loc"])), code="PROP_POSE_INVALID",
                            pointer="/props") from None
    return PropPose(posed.asset, posed.x, posed.y, posed.scale, posed.rotation_deg % 360.0)


def check_props(items: list[Any], template: PhotoTemplate, known: set[str]) -> list[PropPose]:
    """Read the kiosk's prop poses (the props field's list), refusing more than the template holds, a pose that is
    not a KioskPropPose, and props not in the catalogue (`known`)."""
    max_props = int(template.spec.get("max_props", 6))
    if len(items) > max_props:
        raise Unprocessable(f"At most {max_props} props are accepted.", code="PROPS_TOO_MANY", pointer="/props")
    poses = [_pose(item, index) for index, item in enumerate(items)]
    for index, pose in enumerate(poses):
        if pose.asset not in known:
            raise Unprocessable(f"The prop {pose.asset!r} is not in the catalogue.", code="PROP_UNKNOWN",
                                pointer=f"/props/{index}/asset")
    return poses


@dataclass(frozen=True)
class NewPhoto:
    """A photo just taken in: its row and the share token (known only to the guest from now on)."""

    photo: Photo
    token: str


@dataclass(frozen=True)
class BackgroundUpload:
    """The booth's view of a gallery, for the guests to stand in: picture bytes and the gallery's slug."""

    data: bytes
    gallery: str


def check_background(session: Session, data: bytes | None, gallery: str | None) -> BackgroundUpload | None:
    """Refuse a background that is not a whole picture of a published gallery; None when none was sent."""
    if data is None:
        if gallery:
            raise Unprocessable("Send the gallery's picture as the multipart field `background`.",
                                code="background_missing", pointer="/background")
        return None
    if gallery is None or session.scalar(select(Gallery.id).where(
            Gallery.slug == gallery, Gallery.status == Status.PUBLISHED.value)) is None:
        raise Unprocessable("background_gallery must name a published gallery.", code="background_gallery_unknown",
                            pointer="/background_gallery")
    size = check_photo(data, pointer="/background")
    if min(size) < MIN_BACKGROUND_SIDE:
        raise Unprocessable(f"The background must be at least {MIN_BACKGROUND_SIDE} px on each side.",
                            code="background_too_small", pointer="/background")
    return BackgroundUpload(data, gallery)


def take_photo(session: Session, store: LocalFileStore, kiosk: KioskDevice, data: bytes,
               template: PhotoTemplate, poses: list[PropPose], consent: dict[str, Any],
               retention: timedelta, layer: LayerUpload | None = None,
               background: BackgroundUpload | None = None, behind: LayerUpload | None = None) -> NewPhoto:
    """Store a checked capture, add its Photo row and queue its composition (in the caller's transaction)."""
    capture = store.put_bytes(data)
    layer_sha = store.put_bytes(layer.data) if layer is not None else None
    background_sha = store.put_bytes(background.data) if background is not None else None
    behind_sha = store.put_bytes(behind.data) if behind is not None else None
    token = new_share_token()
    now = utcnow()
    photo = Photo(public_id=secrets.token_hex(8), share_token_hash=share_token_hash(token), kiosk_id=kiosk.id,
                  template_id=template.id, status="pending", consent=consent,
                  props=[p.to_dict() for p in poses], capture_sha256=capture, expires_at=now + retention,
                  layer_sha256=layer_sha, layer_box=list(layer.box) if layer is not None else None,
                  background_sha256=background_sha, background=background.gallery if background else None,
                  behind_sha256=behind_sha, behind_box=list(behind.box) if behind is not None else None)
    session.add(photo)
    session.flush()
    enqueue(session, COMPOSE_JOB, {"photo_id": photo.id}, subject=f"photo:{photo.id}")
    ensure_purge_scheduled(session)
    record_booth_event(session, PHOTO_TAKEN)
    return NewPhoto(photo, token)


def ensure_purge_scheduled(session: Session) -> None:
    """Queue the recurring purge unless one is waiting already."""
    waiting = session.scalar(select(Job.id).where(Job.kind == PURGE_JOB, Job.status.in_(("queued", "running")))
                             .limit(1))
    if waiting is None:
        enqueue(session, PURGE_JOB, {}, run_after=utcnow() + PURGE_EVERY)


def is_gone(photo: Photo, now: datetime | None = None) -> bool:
    """Return whether a photo was deleted or has expired (whether or not the purge has run yet)."""
    return photo.status in GONE_STATUSES or photo.expires_at <= (now or utcnow())


def photo_for_token(session: Session, token: str) -> Photo:
    """Return the live photo of a share token; NotFound for an unknown token, Gone once deleted or expired."""
    photo = None
    if 16 <= len(token) <= 64:
        photo = session.scalar(select(Photo).where(Photo.share_token_hash == share_token_hash(token)))
    if photo is None:
        raise NotFound("No photo has this link.", code="photo_not_found")
    if is_gone(photo):
        raise Gone("This photo has been deleted or has expired.", code="photo_gone")
    return photo


def _shared(session: Session, sha: str, photo_id: int) -> bool:
    """Return whether another photo still holds a file (identical bytes share one file in the store)."""
    refs = or_(*(getattr(Photo, column) == sha for column in FILE_COLUMNS))
    return session.scalar(select(Photo.id).where(refs, Photo.id != photo_id).limit(1)) is not None


def drop_file(session: Session, store: LocalFileStore, photo: Photo, column: str) -> None:
    """Remove one of a photo's files from the store (unless another photo shares it) and forget it."""
    sha = getattr(photo, column)
    if sha is None:
        return
    setattr(photo, column, None)
    if not _shared(session, sha, photo.id):
        store.delete(sha)


def erase_photo(session: Session, store: LocalFileStore, photo: Photo, status: str) -> None:
    """Remove every file of a photo and mark its row `deleted` or `expired`."""
    for column in FILE_COLUMNS:
        drop_file(session, store, photo, column)
    photo.status = status
    if status == "deleted":
        photo.deleted_at = utcnow()


PURGE_BATCH = 500


def purge_expired(session: Session, store: LocalFileStore, now: datetime | None = None,
                  batch: int = PURGE_BATCH) -> int:
    """Erase every photo past its expiry that still has a live status; return how many.

    One pass over the expired photos, `batch` rows at a time in id order: memory holds one batch, and whether a
    file is still used by a photo outside the batch is asked once per batch, not once per file.
    """
    now = now or utcnow()
    count, after = 0, 0
    while True:
        photos = session.scalars(select(Photo).where(
            Photo.expires_at <= now, Photo.status.not_in(GONE_STATUSES), Photo.id > after)
            .order_by(Photo.id).limit(batch)).all()
        if not photos:
            return count
        shas = {sha for p in photos for c in FILE_COLUMNS if (sha := getattr(p, c))}
        ids = [p.id for p in photos]
        still_used: set[str] = set()
        for column in FILE_COLUMNS:
            col = getattr(Photo, column)
            still_used.update(session.scalars(select(col).where(col.in_(shas), Photo.id.not_in(ids))))
        for photo in photos:
            for column in FILE_COLUMNS:
                setattr(photo, column, None)
            photo.status = "expired"
        session.flush()
        for sha in shas - still_used:
            store.delete(sha)
        for photo in photos:
            session.expunge(photo)
        count += len(photos)
        after = ids[-1]
