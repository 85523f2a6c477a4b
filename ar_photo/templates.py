"""Photo templates as data: a frame with a transparent window, text boxes, a logo box and prop slots."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from PIL import Image, ImageDraw

from ar_photo.errors import TemplateInvalid

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_ALIGNS = ("left", "center", "right")
MAX_CANVAS_SIDE = 8192
MAX_CANVAS_PIXELS = 40_000_000
# Text sizes a curator may set; a template drawn at a capture's resolution scales them up to this.
MAX_TEXT_SIZE = 400
MAX_SCALED_TEXT_SIZE = 2400


@dataclass(frozen=True)
class Box:
    """A rectangle in canvas pixels: left `x`, top `y`, width `w`, height `h`."""

    x: int
    y: int
    w: int
    h: int

    @property
    def ltrb(self) -> tuple[int, int, int, int]:
        """Return (left, top, right, bottom) as Pillow expects."""
        return (self.x, self.y, self.x + self.w, self.y + self.h)

    def to_list(self) -> list[int]:
        """Return [x, y, w, h]."""
        return [self.x, self.y, self.w, self.h]

    def scaled(self, k: float, limit: tuple[int, int]) -> Box:
        """Return the box `k` times as large, kept inside a canvas of size `limit` (w, h)."""
        x, y = min(round(self.x * k), limit[0] - 1), min(round(self.y * k), limit[1] - 1)
        return Box(x, y, max(1, min(round(self.w * k), limit[0] - x)), max(1, min(round(self.h * k), limit[1] - y)))

    @classmethod
    def from_list(cls, value: Any) -> Box:
        """Build a box from [x, y, w, h]."""
        ok = isinstance(value, list | tuple) and len(value) == 4 and all(isinstance(v, int) for v in value)
        if not ok:
            raise TemplateInvalid(f"A box is [x, y, w, h] in integer pixels, not {value!r}.")
        return cls(*value)


@dataclass(frozen=True)
class TextStyle:
    """Where and how a line of text is drawn: its box, largest font size, colour and alignment."""

    box: Box
    size: int
    color: str = "#ffffff"
    align: str = "left"
    bold: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the style as JSON-ready data."""
        return {"box": self.box.to_list(), "size": self.size, "color": self.color, "align": self.align,
                "bold": self.bold}

    def scaled(self, k: float, limit: tuple[int, int]) -> TextStyle:
        """Return the style `k` times as large."""
        return TextStyle(self.box.scaled(k, limit), max(6, round(self.size * k)), self.color, self.align, self.bold)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextStyle:
        """Build a style from `to_dict` data."""
        return cls(
            Box.from_list(data.get("box")),
            int(data.get("size", 48)),
            str(data.get("color", "#ffffff")),
            str(data.get("align", "left")),
            bool(data.get("bold", False)),
        )


@dataclass(frozen=True)
class PropSlot:
    """A suggested place for a prop: centre `x`, `y` as 0..1 of the photo, and a `scale`."""

    name: str
    x: float
    y: float
    scale: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """Return the slot as JSON-ready data."""
        return {"name": self.name, "x": self.x, "y": self.y, "scale": self.scale}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PropSlot:
        """Build a slot from `to_dict` data."""
        return cls(str(data["name"]), float(data["x"]), float(data["y"]), float(data.get("scale", 1.0)))


@dataclass(frozen=True, eq=False)
class PhotoTemplate:
    """A curator's layout: the RGBA `frame` is opaque except over `window`, where the photo shows."""

    slug: str
    title: dict[str, str]
    frame: Image.Image
    window: Box
    caption_zh: TextStyle
    caption_en: TextStyle
    date: TextStyle
    logo: Box | None = None
    prop_slots: tuple[PropSlot, ...] = ()
    max_props: int = 6
    date_format: str = "%Y-%m-%d"
    background: str = "#ffffff"
    extra: dict[str, Any] = field(default_factory=dict)
    # The size the layout is drawn at, when `scaled` made it larger than its frame: the frame is then resampled
    # only where it is drawn (ar_photo.layers), never whole at a 12-megapixel photo's scale.
    canvas: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        self.validate()

    @property
    def size(self) -> tuple[int, int]:
        """Return the canvas (output) size in pixels."""
        return self.canvas or self.frame.size

    @cached_property
    def frame_png(self) -> bytes:
        """Return the frame as PNG bytes (no metadata)."""
        buf = io.BytesIO()
        self.frame.save(buf, "PNG", optimize=False, compress_level=6)
        return buf.getvalue()

    @cached_property
    def frame_sha256(self) -> str:
        """Return the SHA-256 of the frame's RGBA pixels and size: equal frames share cached layers."""
        digest = hashlib.sha256(repr(self.frame.size).encode())
        digest.update(self.frame.tobytes())
        return digest.hexdigest()

    def validate(self) -> None:
        """Raise TemplateInvalid unless every box lies on the canvas and the values are usable."""
        if not _SLUG.match(self.slug):
            raise TemplateInvalid(f"Template slug {self.slug!r} must be lower-case letters, digits, dashes.")
        if self.frame.mode != "RGBA":
            raise TemplateInvalid(f"The frame must be an RGBA image, not {self.frame.mode}.")
        width, height = self.size
        if max(width, height) > MAX_CANVAS_SIDE or width * height > MAX_CANVAS_PIXELS:
            raise TemplateInvalid(f"A {width}x{height} canvas is too large.")
        boxes = {"window": self.window, "caption_zh": self.caption_zh.box, "caption_en": self.caption_en.box,
                 "date": self.date.box}
        if self.logo is not None:
            boxes["logo"] = self.logo
        for name, box in boxes.items():
            inside = box.w > 0 and box.h > 0 and box.x >= 0 and box.y >= 0
            if not inside or box.x + box.w > width or box.y + box.h > height:
                raise TemplateInvalid(f"The {name} box {box.to_list()} is off the {width}x{height} canvas.")
        largest = MAX_SCALED_TEXT_SIZE if self.extra.get("scaled_from") else MAX_TEXT_SIZE
        for style in (self.caption_zh, self.caption_en, self.date):
            if not _COLOR.match(style.color) or style.align not in _ALIGNS or not 6 <= style.size <= largest:
                raise TemplateInvalid(f"Text style {style.to_dict()} needs #rrggbb, an align, size 6..{largest}.")
        if not _COLOR.match(self.background):
            raise TemplateInvalid(f"Background {self.background!r} is not #rrggbb.")
        for slot in self.prop_slots:
            if not (0.0 <= slot.x <= 1.0 and 0.0 <= slot.y <= 1.0 and 0.05 <= slot.scale <= 5.0):
                raise TemplateInvalid(f"Prop slot {slot.name!r} must lie in 0..1 with scale 0.05..5.")
        if not 0 <= self.max_props <= 32:
            raise TemplateInvalid("max_props must be between 0 and 32.")

    def scaled(self, k: float) -> PhotoTemplate:
        """Return this layout drawn `k` times as large (boxes and text sizes scaled; the frame is resampled where
        it is drawn)."""
        size = (max(1, round(self.size[0] * k)), max(1, round(self.size[1] * k)))
        scaled = PhotoTemplate(
            slug=self.slug,
            title=dict(self.title),
            frame=self.frame,
            canvas=size if size != self.frame.size else None,
            window=self.window.scaled(k, size),
            caption_zh=self.caption_zh.scaled(k, size),
            caption_en=self.caption_en.scaled(k, size),
            date=self.date.scaled(k, size),
            logo=self.logo.scaled(k, size) if self.logo else None,
            prop_slots=self.prop_slots,
            max_props=self.max_props,
            date_format=self.date_format,
            background=self.background,
            extra={**self.extra, "scaled_from": list(self.size)},
        )
        # Named after the original frame and the size: hashing a 70 MB scaled frame would cost more than drawing it.
        scaled.__dict__["frame_sha256"] = hashlib.sha256(f"{self.frame_sha256}@{size}".encode()).hexdigest()
        return scaled

    def to_dict(self, embed_frame: bool = True) -> dict[str, Any]:
        """Return the template as JSON-ready data, with the frame as base64 PNG when `embed_frame`."""
        data: dict[str, Any] = {
            "slug": self.slug,
            "title": dict(self.title),
            "size": list(self.size),
            "window": self.window.to_list(),
            "caption_zh": self.caption_zh.to_dict(),
            "caption_en": self.caption_en.to_dict(),
            "date": self.date.to_dict(),
            "logo": self.logo.to_list() if self.logo else None,
            "prop_slots": [slot.to_dict() for slot in self.prop_slots],
            "max_props": self.max_props,
            "date_format": self.date_format,
            "background": self.background,
            "frame_sha256": self.frame_sha256,
            "extra": dict(self.extra),
        }
        if embed_frame:
            data["frame_png"] = base64.b64encode(self.frame_png).decode("ascii")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], frame: Image.Image | None = None) -> PhotoTemplate:
        """Build a template from `to_dict` data; pass `frame` when the data does not embed it."""
        try:
            if frame is None:
                if "frame_png" not in data:
                    raise TemplateInvalid("The template data has no frame_png and no frame was given.")
                frame = _open_frame(base64.b64decode(data["frame_png"], validate=True))
            if frame.mode != "RGBA":
                frame = frame.convert("RGBA")
            if "size" in data and list(frame.size) != list(data["size"]):
                raise TemplateInvalid(f"The frame is {frame.size}, the template says {data['size']}.")
            return cls(
                slug=str(data["slug"]),
                title={str(k): str(v) for k, v in dict(data.get("title", {})).items()},
                frame=frame,
                window=Box.from_list(data["window"]),
                caption_zh=TextStyle.from_dict(data["caption_zh"]),
                caption_en=TextStyle.from_dict(data["caption_en"]),
                date=TextStyle.from_dict(data["date"]),
                logo=Box.from_list(data["logo"]) if data.get("logo") else None,
                prop_slots=tuple(PropSlot.from_dict(s) for s in data.get("prop_slots", [])),
                max_props=int(data.get("max_props", 6)),
                date_format=str(data.get("date_format", "%Y-%m-%d")),
                background=str(data.get("background", "#ffffff")),
                extra=dict(data.get("extra", {})),
            )
        except (KeyError, TypeError, ValueError, OSError) as exc:
            raise TemplateInvalid(f"The template data is not usable: {exc!r}") from exc


def _open_frame(png: bytes) -> Image.Image:
    """Decode a frame image, refusing from its header one larger than any canvas."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            frame = Image.open(io.BytesIO(png))
    except Image.DecompressionBombError as exc:
        raise TemplateInvalid("The frame image is too large for a canvas.") from exc
    if max(frame.size) > MAX_CANVAS_SIDE or frame.width * frame.height > MAX_CANVAS_PIXELS:
        raise TemplateInvalid(f"The frame is {frame.width}x{frame.height}: too large for a canvas.")
    frame.load()
    return frame


def draw_frame(size: tuple[int, int], window: Box, color: str, accent: str, radius: int) -> Image.Image:
    """Draw a plain frame: `color` everywhere, a rounded transparent window and an `accent` rule inside it."""
    frame = Image.new("RGBA", size, color)
    draw = ImageDraw.Draw(frame)
    # The accent line overlaps the photo on purpose: it is what the window's partial overlay draws.
    draw.rounded_rectangle(window.ltrb, radius=radius, fill=(0, 0, 0, 0))
    inset = (window.x + 14, window.y + 14, window.x + window.w - 15, window.y + window.h - 15)
    draw.rounded_rectangle(inset, radius=max(1, radius - 10), outline=accent, width=5)
    edge = (window.x - 12, window.y - 12, window.x + window.w + 11, window.y + window.h + 11)
    draw.rounded_rectangle(edge, radius=radius + 10, outline=accent, width=3)
    return frame


def default_templates() -> list[PhotoTemplate]:
    """Return the built-in templates: a landscape and a portrait heritage frame drawn in code."""
    land_window = Box(200, 100, 2000, 1500)
    landscape = PhotoTemplate(
        slug="heritage-landscape",
        title={"zh": "医史博物馆·横幅", "en": "Hospital history - landscape"},
        frame=draw_frame((2400, 1800), land_window, "#1f3b34", "#c9a24b", 40),
        window=land_window,
        caption_zh=TextStyle(Box(200, 1618, 1500, 86), 64, "#f4ecd8", "left", bold=True),
        caption_en=TextStyle(Box(200, 1710, 1500, 60), 44, "#f4ecd8", "left"),
        date=TextStyle(Box(1700, 1700, 330, 60), 40, "#c9a24b", "right"),
        logo=Box(2050, 1620, 150, 150),
        prop_slots=(PropSlot("left", 0.2, 0.3), PropSlot("centre", 0.5, 0.2), PropSlot("right", 0.8, 0.3)),
    )
    port_window = Box(150, 150, 1500, 2000)
    portrait = PhotoTemplate(
        slug="heritage-portrait",
        title={"zh": "医史博物馆·竖幅", "en": "Hospital history - portrait"},
        frame=draw_frame((1800, 2400), port_window, "#3b1f2b", "#d8b36a", 40),
        window=port_window,
        caption_zh=TextStyle(Box(150, 2175, 1300, 90), 64, "#f7efe2", "left", bold=True),
        caption_en=TextStyle(Box(150, 2270, 1300, 64), 44, "#f7efe2", "left"),
        date=TextStyle(Box(150, 2336, 600, 50), 36, "#d8b36a", "left"),
        logo=Box(1500, 2200, 150, 150),
        prop_slots=(PropSlot("top", 0.5, 0.15), PropSlot("left", 0.25, 0.5), PropSlot("right", 0.75, 0.5)),
    )
    return [landscape, portrait]
