"""Fixtures of the booth service: a kiosk's token, seeded templates, photos with metadata, what is stored."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import func, select

from museum.core.db import get_db
from museum.models import Photo, StoredFile
from museum.photos.kiosks import register_kiosk
from museum.photos.store import photo_store
from museum.photos.templates import seed_photo_templates


def photo_jpeg(width: int = 640, height: int = 480, gps: bool = True) -> bytes:
    """Return a JPEG with a gradient and, when `gps`, an EXIF block with GPS and a camera maker."""
    ys, xs = np.mgrid[0:height, 0:width]
    pixels = np.stack([xs * 255 // max(1, width - 1), ys * 255 // max(1, height - 1),
                       np.full_like(xs, 120)], axis=-1).astype(np.uint8)
    img = Image.fromarray(pixels)
    buf = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "SecretCam Maker"  # Make
        exif[0x0110] = "Model X"
        gps_ifd = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
        exif[0x8825] = gps_ifd
        img.save(buf, "JPEG", quality=90, exif=exif.tobytes())
    else:
        img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


@pytest.fixture
def kiosk_token(app: Flask) -> str:
    """Return the device token of a registered kiosk."""
    with app.app_context(), get_db().write() as session:
        return register_kiosk(session, "lobby-booth")[1]


@pytest.fixture
def templates(app: Flask) -> list[str]:
    """Seed the default photo templates; return their slugs."""
    with app.app_context(), get_db().write() as session:
        return seed_photo_templates(session, app.extensions["museum.storage"])


@dataclass(frozen=True)
class Stored:
    """How much the museum holds: file rows, photo rows and files on disk in both stores."""

    file_rows: int
    photo_rows: int
    files: int
    photo_files: int


def _count_files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file() and p.parent.name != "tmp" and "tmp" not in p.parts[-2:])


def stored(app: Flask) -> Stored:
    """Count what is stored now."""
    with app.app_context(), get_db().read() as session:
        rows = session.scalar(select(func.count()).select_from(StoredFile)) or 0
        photos = session.scalar(select(func.count()).select_from(Photo)) or 0
        return Stored(rows, photos, _count_files(app.extensions["museum.storage"].root),
                      _count_files(photo_store(app).root))
