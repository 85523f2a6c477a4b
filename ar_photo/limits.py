"""Size and format limits applied to a photo before it is decoded."""

from __future__ import annotations

from dataclasses import dataclass, field

from ar_photo.errors import PhotoRejected


@dataclass(frozen=True)
class PhotoLimits:
    """What the booth accepts: at most `max_bytes` of file and `max_pixels` of image, in `formats`."""

    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_side: int = 16_384
    formats: frozenset[str] = field(default_factory=lambda: frozenset({"JPEG", "PNG", "WEBP", "TIFF"}))

    def check_bytes(self, size: int) -> None:
        """Refuse a file larger than `max_bytes`."""
        if size == 0:
            raise PhotoRejected("PHOTO_EMPTY", "The photo is empty.", 400)
        if size > self.max_bytes:
            raise PhotoRejected(
                "PHOTO_TOO_LARGE", f"The photo is {size} bytes; at most {self.max_bytes} are accepted.", 413
            )

    def check_dimensions(self, width: int, height: int) -> None:
        """Refuse an image whose header claims more pixels than allowed (a decompression bomb)."""
        if width <= 0 or height <= 0:
            raise PhotoRejected("PHOTO_CORRUPT", f"The photo claims an empty size {width}x{height}.", 422)
        if width > self.max_side or height > self.max_side or width * height > self.max_pixels:
            raise PhotoRejected(
                "PHOTO_DIMENSIONS_TOO_LARGE",
                f"The photo claims {width}x{height} pixels; at most {self.max_pixels} pixels "
                f"and {self.max_side} on a side are accepted.",
                413,
            )

    def check_format(self, fmt: str | None) -> None:
        """Refuse an image format the booth does not decode."""
        if fmt not in self.formats:
            allowed = ", ".join(sorted(self.formats))
            raise PhotoRejected(
                "PHOTO_FORMAT_UNSUPPORTED", f"{fmt} photos are not accepted; send {allowed}.", 415
            )
