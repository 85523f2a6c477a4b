from __future__ import annotations

import io
import struct
from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image, ImageFile

from ar_photo.errors import PhotoRejected
from ar_photo.limits import PhotoLimits
from ar_photo.normalize import load_photo, open_photo
from tests.pictures import png_claiming

from .conftest import encode, exif_jpeg, halves


def _jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(encode(Image.new("RGB", (8, 8)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _refuse_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: ImageFile.ImageFile) -> None:
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", boom)


def _rejected(data: bytes, limits: PhotoLimits | None = None) -> PhotoRejected:
    with pytest.raises(PhotoRejected) as info:
        load_photo(data, limits)
    return info.value


def test_exif_orientation_6_is_rotated_upright() -> None:
    out = load_photo(exif_jpeg(halves((40, 20)), orientation=6))
    assert out.size == (20, 40)
    top, bottom = out.getpixel((10, 5)), out.getpixel((10, 35))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60  # the left (red) half is on top after a clockwise turn
    assert bottom[2] > 200 and bottom[0] < 60


def test_exif_orientation_8_is_rotated_the_other_way() -> None:
    out = load_photo(exif_jpeg(halves((40, 20)), orientation=8))
    bottom = out.getpixel((10, 35))
    assert out.size == (20, 40) and isinstance(bottom, tuple) and bottom[0] > 200


def test_output_has_no_metadata() -> None:
    out = load_photo(exif_jpeg(halves(), orientation=1, gps=True))
    assert out.info == {}
    assert len(out.getexif()) == 0
    assert out.mode == "RGB"


def test_cmyk_jpeg_becomes_rgb() -> None:
    cmyk = Image.new("CMYK", (16, 16), (0, 255, 255, 0))  # red ink mix
    out = load_photo(encode(cmyk, "JPEG", quality=95))
    r, g, b = np.asarray(out).reshape(-1, 3).mean(axis=0)
    assert out.mode == "RGB" and r > 200 and g < 60 and b < 60


def test_sixteen_bit_grey_is_scaled_not_clipped() -> None:
    arr = np.full((8, 8), 32768, dtype=np.uint16)
    out = load_photo(encode(Image.fromarray(arr), "PNG"))
    assert out.mode == "RGB"
    assert out.getpixel((0, 0)) == (128, 128, 128)


def test_palette_with_transparency_is_flattened_on_white() -> None:
    img = Image.new("P", (8, 8), 0)
    img.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    img.paste(1, (0, 0, 4, 8))
    out = load_photo(encode(img, "PNG", transparency=0))
    assert out.getpixel((1, 1)) == (0, 0, 255)
    assert out.getpixel((6, 1)) == (255, 255, 255)


@pytest.mark.parametrize("mode", ["LA", "RGBA"])
def test_alpha_images_are_flattened_on_white(mode: str) -> None:
    img = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    img.paste((0, 0, 0, 255), (0, 0, 4, 8))
    out = load_photo(encode(img.convert(mode), "PNG"))
    assert out.getpixel((1, 1)) == (0, 0, 0)
    assert out.getpixel((6, 1)) == (255, 255, 255)


def test_icc_profile_is_converted_to_srgb(icc_swapped: bytes) -> None:
    img = Image.new("RGB", (8, 8), (255, 0, 0))
    out = load_photo(encode(img, "PNG", icc_profile=icc_swapped))
    r, g, b = out.getpixel((0, 0))  # type: ignore[misc]
    assert g > 200 and r < 40 and b < 40  # the profile says "red" means sRGB green
    assert "icc_profile" not in out.info


def test_not_an_image_is_415() -> None:
    err = _rejected(b"%PDF-1.7 definitely not a photo")
    assert (err.status, err.code) == (415, "PHOTO_NOT_IMAGE")


def test_a_damaged_heic_is_415() -> None:
    heic = struct.pack(">I", 24) + b"ftypheic" + b"\0\0\0\0mif1heic" + b"\0" * 64
    err = _rejected(heic)
    assert (err.status, err.code) == (415, "PHOTO_NOT_IMAGE")


def _two_frames(fmt: str) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    first, second = Image.new("RGB", (64, 48), (20, 200, 20)), Image.new("RGB", (64, 48), (200, 0, 0))
    buf = io.BytesIO()
    if fmt == "MPO":
        first.save(buf, "MPO", save_all=True, append_images=[second])
    else:
        first.save(buf, "HEIF", quality=90)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["MPO", "HEIF"])
def test_phone_formats_mpo_and_heic_are_read_as_their_photo(fmt: str) -> None:
    img = load_photo(_two_frames(fmt))
    assert img.size == (64, 48) and img.mode == "RGB"
    r, g, b = img.getpixel((32, 24))  # type: ignore[misc]
    assert g > 150 and r < 80  # the first frame: the photo, not the extra one


def test_format_outside_the_allowed_list_is_415() -> None:
    err = _rejected(encode(Image.new("RGB", (4, 4)), "GIF"))
    assert (err.status, err.code) == (415, "PHOTO_FORMAT_UNSUPPORTED")


def test_truncated_jpeg_is_400() -> None:
    noise = Image.fromarray(np.random.default_rng(1).integers(0, 255, (64, 64, 3), dtype=np.uint8))
    data = encode(noise, "JPEG", quality=90)
    err = _rejected(data[: len(data) // 2])
    assert (err.status, err.code) == (400, "PHOTO_TRUNCATED")


def test_empty_and_oversized_files_are_refused() -> None:
    assert _rejected(b"").status == 400
    err = _rejected(b"\xff\xd8\xff" + b"\0" * 2000, PhotoLimits(max_bytes=1000))
    assert (err.status, err.code) == (413, "PHOTO_TOO_LARGE")


@pytest.mark.parametrize("make", [png_claiming, _jpeg_claiming])
def test_decompression_bomb_is_refused_from_its_header(
    make: Callable[[int, int], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make(12000, 9000)
    assert len(data) < 1000
    _refuse_decoding(monkeypatch)
    with pytest.raises(PhotoRejected) as info:
        open_photo(data)
    assert (info.value.status, info.value.code) == (413, "PHOTO_DIMENSIONS_TOO_LARGE")
    assert "12000x9000" in info.value.message


def test_pillow_bomb_error_is_also_413() -> None:
    # Past Pillow's own hard limit (2 x MAX_IMAGE_PIXELS) Pillow refuses first; still a 413.
    err = _rejected(png_claiming(20000, 20000), PhotoLimits(max_pixels=10**9, max_side=10**6))
    assert err.status == 413


def test_jpeg_draft_decodes_smaller_but_not_below_min_size() -> None:
    data = encode(halves((800, 600)), "JPEG")
    out = load_photo(data, min_size=(300, 200))
    assert out.size == (400, 300)
    rotated = load_photo(exif_jpeg(halves((800, 600)), orientation=6), min_size=(150, 300))
    assert rotated.size == (300, 400)


def test_open_photo_reads_only_the_header() -> None:
    img = open_photo(encode(halves(), "PNG"))
    assert img.size == (40, 20)
    assert img.format == "PNG"
    assert isinstance(img, ImageFile.ImageFile) and img.tile  # emptied once the pixels are decoded


@pytest.mark.parametrize("fmt", ["PNG", "TIFF", "WEBP"])
def test_other_truncated_formats_get_a_4xx_and_no_warning(fmt: str) -> None:
    noise = Image.fromarray(np.random.default_rng(2).integers(0, 255, (64, 64, 3), dtype=np.uint8))
    data = encode(noise, fmt)
    err = _rejected(data[: len(data) // 2])  # filterwarnings=error turns any escaping warning into a failure
    assert err.status in (400, 422) and err.code in ("PHOTO_TRUNCATED", "PHOTO_CORRUPT")


def test_damaged_exif_does_not_cost_the_photo() -> None:
    data = bytearray(exif_jpeg(halves(), orientation=6))
    start = data.index(b"Exif\0\0")
    data[start + 10 : start + 40] = b"\xff" * 30  # scramble the IFD
    out = load_photo(bytes(data))
    assert out.mode == "RGB" and out.info == {}
