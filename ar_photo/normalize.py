"""Turn uploaded photo bytes into a plain sRGB image: checked, oriented, converted, stripped of metadata."""

from __future__ import annotations

import io
import warnings
from functools import lru_cache

import numpy as np
from PIL import Image, ImageCms, UnidentifiedImageError

from ar_photo.errors import PhotoRejected
from ar_photo.limits import PhotoLimits

# EXIF orientation -> the transpose that shows the picture upright.
_ORIENTATION_FIX: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ORIENTATION_TAG = 0x0112
# EXIF orientation -> OpenCV's turn of the stored pixels to upright (7, the transverse, is a transpose turned half
# round); the same pixels as _ORIENTATION_FIX's.
_CV_ROTATE = {3: "ROTATE_180", 6: "ROTATE_90_CLOCKWISE", 8: "ROTATE_90_COUNTERCLOCKWISE"}
_CV_FLIP = {2: 1, 4: 0}
_HEIF_BRANDS = {
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1", b"avif"
}
_ALPHA_MODES = {"LA", "La", "PA", "RGBA", "RGBa"}
_WHITE = (255, 255, 255)


def _is_heif(head: bytes) -> bool:
    # ISO-BMFF: a 4-byte box size, then "ftyp" and the major brand.
    return len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


@lru_cache(maxsize=1)
def register_heif() -> None:
    """Teach Pillow to open HEIC/HEIF (iPhones' default) through pillow-heif, once per process."""
    import pillow_heif

    pillow_heif.register_heif_opener()


# Pillow names a JPEG with extra frames (phones' multi-picture files) MPO and an iPhone photo HEIF; both are read
# as the photo they hold (MPO: its first frame), so the limits see them as the formats they stand for.
_SAME_AS = {"MPO": "JPEG", "HEIF": "JPEG"}


def open_photo(data: bytes, limits: PhotoLimits | None = None) -> Image.Image:
    """Open `data` lazily, refusing it on size, format or header dimensions before any pixel is decoded."""
    limits = limits or PhotoLimits()
    limits.check_bytes(len(data))
    if _is_heif(data[:12]):
        register_heif()
    try:
        with warnings.catch_warnings():
            # Our own pixel limit below is stricter than Pillow's bomb warning, and the metadata Pillow warns
            # about (corrupt EXIF and the like) is thrown away: no warning may escape to the caller.
            warnings.simplefilter("ignore")
            img = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise PhotoRejected("PHOTO_DIMENSIONS_TOO_LARGE", str(exc), 413) from exc
    except UnidentifiedImageError as exc:
        raise PhotoRejected("PHOTO_NOT_IMAGE", "The upload is not an image Pillow can read.", 415) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoRejected("PHOTO_CORRUPT", f"The photo's header is damaged: {exc}", 422) from exc
    limits.check_format(_SAME_AS.get(img.format or "", img.format))
    limits.check_dimensions(*img.size)
    return img


def orientation_of(img: Image.Image) -> int:
    """Return the EXIF orientation (1..8) of an opened image, 1 when absent or invalid."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = img.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # noqa: BLE001 - a damaged EXIF block must not cost the guest the photo
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def decode(img: Image.Image, min_size: tuple[int, int] | None = None) -> Image.Image:
    """Decode an opened image; a JPEG may shrink by 1/2, 1/4 or 1/8 while staying >= upright `min_size`."""
    orientation = orientation_of(img)
    if min_size is not None and img.format in ("JPEG", "MPO"):
        want = (min_size[1], min_size[0]) if orientation >= 5 else min_size
        img.draft(None, (max(1, want[0]), max(1, want[1])))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            img.load()
    except OSError as exc:
        if "truncated" in str(exc):
            message = "The photo file is incomplete (truncated); send it again."
            raise PhotoRejected("PHOTO_TRUNCATED", message, 400) from exc
        raise PhotoRejected("PHOTO_CORRUPT", f"The photo cannot be decoded: {exc}", 422) from exc
    except (SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise PhotoRejected("PHOTO_CORRUPT", f"The photo cannot be decoded: {exc}", 422) from exc
    return img


def _to_8bit(img: Image.Image) -> Image.Image:
    # Pillow clips 16-bit greys to 255 on convert("L"); scale the full range down instead.
    arr = np.asarray(img)  # (H, W) uint16 or int32
    if img.mode == "F":
        scaled = np.clip(arr, 0.0, 255.0)
    else:
        scaled = np.clip(arr.astype(np.int64), 0, 65535) >> 8
    return Image.fromarray(scaled.astype(np.uint8))


def _flatten(img: Image.Image) -> Image.Image:
    rgba = img.convert("RGBA")
    out = Image.new("RGB", rgba.size, _WHITE)
    out.paste(rgba, mask=rgba.getchannel("A"))
    return out


@lru_cache(maxsize=16)
def _srgb_transform(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (OSError, ImageCms.PyCMSError):
        return None  # an unreadable profile: the pixels are most likely sRGB already
    if mode == "RGB" and "srgb" in ImageCms.getProfileDescription(source).lower():
        return None
    try:
        return ImageCms.buildTransform(
            source, ImageCms.createProfile("sRGB"), mode, "RGB", ImageCms.Intent.PERCEPTUAL
        )
    except ImageCms.PyCMSError:
        return None  # a profile that does not match the pixel mode: keep Pillow's plain conversion


def to_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert any decoded image to 8-bit RGB in sRGB, flattening transparency onto white."""
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif img.mode.startswith("I") or img.mode == "F":
        img = _to_8bit(img)
    elif img.mode == "1":
        img = img.convert("L")
    if img.mode in _ALPHA_MODES:
        img = _flatten(img)
    if icc and img.mode in ("RGB", "CMYK", "L"):
        transform = _srgb_transform(icc, img.mode)
        if transform is not None:
            converted = ImageCms.applyTransform(img, transform)
            assert converted is not None  # None only when applied in place
            img = converted
    if img.mode != "RGB":
        img = img.convert("RGB")
    return img


def orient_into(stored: np.ndarray, orientation: int, upright: np.ndarray) -> None:
    """Write the (h, w, c) pixels `stored` upright by EXIF `orientation` (2..8) into `upright`, an array or a view
    of the turned shape (a window of a canvas): one pass, where Pillow's transpose makes an image to be pasted."""
    import cv2

    if orientation in _CV_ROTATE:
        out = cv2.rotate(stored, getattr(cv2, _CV_ROTATE[orientation]), dst=upright)
    elif orientation in _CV_FLIP:
        out = cv2.flip(stored, _CV_FLIP[orientation], dst=upright)
    elif orientation in (5, 7):
        out = cv2.transpose(stored, dst=upright)
        if orientation == 7:
            out = cv2.flip(out, -1, dst=out)
    else:
        raise ValueError(f"EXIF orientation {orientation} turns nothing")
    if out is not upright:  # OpenCV made an array of its own (a view it cannot write into): copy it over
        upright[...] = out


def normalize(img: Image.Image, orientation: int, icc: bytes | None, detach: bool = True) -> Image.Image:
    """Return a decoded image as upright sRGB RGB with no metadata; `detach=False` may return `img` itself."""
    out = to_srgb(img, icc)
    fix = _ORIENTATION_FIX.get(orientation)
    if fix is not None:
        out = out.transpose(fix)
    if out is img and detach:
        # An untouched decoded file still caches its EXIF; a plain copy carries none. Composition passes
        # detach=False: it only reads the pixels, and the copy of a 12 MP photo costs 15 ms.
        out = img.copy()
    out.info = {}
    return out


def load_photo(
    data: bytes, limits: PhotoLimits | None = None, *, min_size: tuple[int, int] | None = None
) -> Image.Image:
    """Decode photo bytes to an upright sRGB RGB image without metadata (JPEG may shrink to >= `min_size`)."""
    img = open_photo(data, limits)
    orientation = orientation_of(img)
    icc = img.info.get("icc_profile")
    return normalize(decode(img, min_size), orientation, icc)
