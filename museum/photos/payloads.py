"""The JSON objects of the booth's API and of the guests' share links, each declared once (museum.core.payloads)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from museum.core.payloads import Reply

Texts = dict[str, str]  # a text by language: zh-Hans, zh-Hant, en
PhotoState = Literal["pending", "ready", "failed"]  # a live photo's; deleted and expired ones answer 410


class KioskPhotoCreated(Reply):
    """A photo the booth sent, taken in: the guest opens share_url, or scans the QR code at qr_url."""

    id: str
    share_url: str
    qr_url: str
    qr_svg_url: str
    expires_at: str = Field(description="When the photo is erased (ISO 8601, UTC)")


class KioskTemplate(Reply):
    """A published photo template: titles, canvas, window, frame image and prop slots."""

    slug: str
    title: Texts
    caption: Texts
    size: list[int] | None = Field(description="The canvas, width and height in pixels")
    window: list[int] | None = Field(description="Where the photo goes on the canvas: x, y, width, height")
    frame_url: str | None
    prop_slots: list[dict[str, Any]]
    max_props: int


class KioskProp(Reply):
    """A prop guests can place: a published exhibit with a model or a poster (its slug goes back in poses)."""

    slug: str
    title: Texts
    model_url: str | None
    poster_url: str | None
    height_m: float | None


class Viewpoint(Reply):
    """Where a gallery is seen from: a position in metres and a heading."""

    position: list[float]
    yaw_deg: float


class KioskBackdrop(Reply):
    """A gallery guests can stand in, its scene and the viewpoint to render it from (slug: background_gallery)."""

    slug: str
    title: Texts
    poster_url: str | None
    scene_url: str
    spawn: Viewpoint
    lighting: dict[str, Any] = Field(description="The gallery's lighting, as its manifest gives it")


class ShareLinks(Reply):
    """Whether phones can open the booth's share links, and why not."""

    ok: bool
    problem: str | None


class KioskConfig(Reply):
    """The booth's settings."""

    retention_days: int
    timezone: str = Field(description="The museum's time zone (IANA), for the times printed on photos")
    share_links: ShareLinks


class SharedPhotoStatus(Reply):
    """Whether a guest's photo is ready, and its URLs once it is."""

    status: PhotoState
    expires_at: str
    photo_url: str | None = Field(description="Phone size")
    download_url: str | None = Field(description="Full size, as a download")
    view_url: str | None = Field(description="Full size, shown inline")
    thumb_url: str | None


MODELS = (KioskPhotoCreated, KioskTemplate, KioskProp, KioskBackdrop, KioskConfig, SharedPhotoStatus)
