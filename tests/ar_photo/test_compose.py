from __future__ import annotations

import io
from datetime import date

import numpy as np
import pytest
from PIL import Image
from PIL.JpegImagePlugin import JpegImageFile

from ar_photo.compose import Composition, compose
from ar_photo.errors import PhotoRejected
from ar_photo.props import PropPose, PropRenderer
from ar_photo.templates import PhotoTemplate, default_templates

from .conftest import encode, exif_jpeg, halves

GREEN = (0, 200, 0)
CAPTION = {"zh": "医院历史博物馆 · 合影留念", "en": "Hospital History Museum"}


@pytest.fixture(scope="module")
def landscape() -> PhotoTemplate:
    return default_templates()[0]


@pytest.fixture(scope="module")
def portrait() -> PhotoTemplate:
    return default_templates()[1]


def _rgb(data: bytes) -> np.ndarray:
    """Decode JPEG bytes to an (H, W, 3) int array."""
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def _near(pixel: np.ndarray, color: tuple[int, int, int] | str, tol: int = 30) -> bool:
    if isinstance(color, str):
        color = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[assignment]
    return bool(np.abs(pixel - np.array(color)).max() <= tol)


class SquareProps:
    """A prop renderer drawing an opaque magenta square, counting its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[PropPose, int]] = []

    def render(self, pose: PropPose, long_side: int) -> Image.Image:
        self.calls.append((pose, long_side))
        return Image.new("RGBA", (long_side, long_side), (255, 0, 255, 255))


def test_exif_orientation_6_comes_out_rotated(portrait: PhotoTemplate) -> None:
    # Stored landscape with red on the left; orientation 6 means "turn clockwise": red ends up on top.
    data = exif_jpeg(halves((800, 600)), orientation=6)
    out = _rgb(compose(data, portrait).full)
    w = portrait.window
    top = out[w.y + w.h // 4, w.x + w.w // 2]
    bottom = out[w.y + 3 * w.h // 4, w.x + w.w // 2]
    assert _near(top, (255, 0, 0), 40) and _near(bottom, (0, 0, 255), 40)
    plain = _rgb(compose(exif_jpeg(halves((600, 800)), orientation=1), portrait).full)
    assert _near(plain[w.y + w.h // 2, w.x + w.w // 4], (255, 0, 0), 40)  # without EXIF: red stays left


def test_frame_window_shows_the_photo_and_frame_covers_the_rest(landscape: PhotoTemplate) -> None:
    out = _rgb(compose(encode(Image.new("RGB", (800, 600), GREEN), "JPEG", quality=95), landscape).full)
    w = landscape.window
    assert out.shape == (landscape.size[1], landscape.size[0], 3)
    for fx, fy in [(0.5, 0.5), (0.1, 0.1), (0.9, 0.9), (0.1, 0.9)]:
        assert _near(out[int(w.y + fy * w.h), int(w.x + fx * w.w)], GREEN), (fx, fy)
    frame_color = "#1f3b34"
    outside = [(50, 50), (w.x - 40, w.y + w.h // 2), (w.x + w.w + 40, 300), (1200, 1790), (w.x + 2, w.y + 12)]
    for x, y in outside:
        assert _near(out[y, x], frame_color), (x, y)  # the last is the window's rounded corner
    # The accent rule drawn inside the window lies over the photo.
    assert _near(out[w.y + 16, w.x + w.w // 2], "#c9a24b", 40)


def test_caption_date_and_logo_are_drawn(landscape: PhotoTemplate) -> None:
    data = encode(Image.new("RGB", (800, 600), GREEN), "JPEG")
    bare = _rgb(compose(data, landscape).full)
    logo = Image.new("RGBA", (64, 64), (255, 0, 0, 255))
    full = _rgb(compose(data, landscape, caption=CAPTION, when=date(2026, 11, 28), logo=logo).full)
    for style in (landscape.caption_zh, landscape.caption_en, landscape.date):
        x, y, r, b = style.box.ltrb
        region, before = full[y:b, x:r], bare[y:b, x:r]
        assert np.abs(before - np.array([0x1F, 0x3B, 0x34])).max() <= 12  # the bare box is plain frame
        changed = (np.abs(region - before).max(axis=2) > 60).mean()
        assert changed > 0.02, style
        assert _near(region.reshape(-1, 3)[np.abs(region - before).sum(axis=2).argmax()], style.color, 60)
    assert landscape.logo is not None
    lx, ly, lr, lb = landscape.logo.ltrb
    assert _near(full[(ly + lb) // 2, (lx + lr) // 2], (255, 0, 0))


def test_outputs_have_sizes_and_no_metadata(landscape: PhotoTemplate) -> None:
    data = exif_jpeg(halves((800, 600)), orientation=1, gps=True)
    result = compose(data, landscape, caption=CAPTION, when=date(2026, 1, 2))
    assert isinstance(result, Composition)
    assert (result.width, result.height) == landscape.size
    for blob, limit in [(result.full, max(landscape.size)), (result.phone, 1280), (result.thumb, 320)]:
        img = Image.open(io.BytesIO(blob))
        assert isinstance(img, JpegImageFile) and limit * 3 / 4 <= max(img.size) <= limit
        assert abs(img.width / img.height - landscape.size[0] / landscape.size[1]) < 0.01
        assert "exif" not in img.info and "icc_profile" not in img.info
        assert [marker for marker, _ in img.applist] == ["APP0"]  # JFIF only: no EXIF/XMP/ICC/maker notes
        assert b"ExampleCam" not in blob and b"maker-note" not in blob


def test_webp_thumbnail(landscape: PhotoTemplate) -> None:
    result = compose(encode(Image.new("RGB", (400, 300), GREEN), "JPEG"), landscape, thumb_format="WEBP")
    assert Image.open(io.BytesIO(result.thumb)).format == "WEBP"
    assert result.thumb_mimetype == "image/webp"


def test_props_are_drawn_at_their_pose_and_under_the_frame(landscape: PhotoTemplate) -> None:
    renderer = SquareProps()
    data = encode(Image.new("RGB", (800, 600), GREEN), "JPEG")
    props = [PropPose("stethoscope", 0.5, 0.5, 0.5), PropPose("lamp", 0.0, 0.0, 1.0)]
    out = _rgb(compose(data, landscape, props, prop_renderer=renderer).full)
    w = landscape.window
    side = renderer.calls[0][1]
    assert side == round(0.5 * 0.35 * min(w.w, w.h))
    cx, cy = w.x + w.w // 2, w.y + w.h // 2
    assert _near(out[cy, cx], (255, 0, 255))
    assert _near(out[cy - side // 2 + 4, cx + side // 2 - 4], (255, 0, 255))
    assert _near(out[cy, cx + side], GREEN)
    # A prop at the photo's corner is clipped to the window: the frame still covers the outside.
    assert _near(out[w.y + 40, w.x + 40], (255, 0, 255))
    assert _near(out[w.y - 30, w.x - 30], "#1f3b34")


def test_prop_pose_is_relative_to_the_whole_photo_not_the_crop(portrait: PhotoTemplate) -> None:
    # A 4:3 photo in a 3:4 window shows only its middle; x=0.5 is still the photo's centre.
    renderer = SquareProps()
    data = encode(Image.new("RGB", (800, 600), GREEN), "JPEG")
    out = _rgb(compose(data, portrait, [PropPose("a", 0.5, 0.5, 0.3)], prop_renderer=renderer).full)
    w = portrait.window
    assert _near(out[w.y + w.h // 2, w.x + w.w // 2], (255, 0, 255))


def test_prop_errors(landscape: PhotoTemplate) -> None:
    data = encode(Image.new("RGB", (40, 30), GREEN), "JPEG")
    with pytest.raises(PhotoRejected, match="renders none"):
        compose(data, landscape, [PropPose("a", 0.5, 0.5)])
    with pytest.raises(PhotoRejected) as info:
        compose(data, landscape, [PropPose("a", 0.5, 0.5)] * 7, prop_renderer=SquareProps())
    assert info.value.code == "PROPS_TOO_MANY"


def test_caption_with_a_missing_glyph_is_refused(landscape: PhotoTemplate) -> None:
    data = encode(Image.new("RGB", (40, 30), GREEN), "JPEG")
    with pytest.raises(PhotoRejected) as info:
        compose(data, landscape, caption={"zh": "医院 ༀ", "en": "x"})
    assert (info.value.status, info.value.code) == (422, "CAPTION_GLYPH_MISSING")
    with pytest.raises(PhotoRejected, match="characters"):
        compose(data, landscape, caption={"en": "x" * 500})


def test_bad_photo_is_refused_by_compose(landscape: PhotoTemplate) -> None:
    with pytest.raises(PhotoRejected) as info:
        compose(b"GIF89a not really", landscape)
    assert info.value.status == 415


def test_compose_with_the_real_prop_renderer(landscape: PhotoTemplate) -> None:
    poster = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    poster.paste((255, 0, 255, 255), (20, 20, 80, 80))
    renderer = PropRenderer({"seal": poster})
    data = encode(Image.new("RGB", (800, 600), GREEN), "JPEG")
    out = _rgb(compose(data, landscape, [PropPose("seal", 0.5, 0.5)], prop_renderer=renderer).full)
    w = landscape.window
    side = round(0.35 * min(w.w, w.h))
    cx, cy = w.x + w.w // 2, w.y + w.h // 2
    assert _near(out[cy, cx], (255, 0, 255))
    assert _near(out[cy - int(side * 0.45), cx], GREEN)  # the poster's transparent margin shows the photo


def _odd_photos() -> list[tuple[str, bytes]]:
    pal = Image.new("P", (80, 60), 0)
    pal.putpalette([0, 200, 0] * 256)
    grey16 = Image.fromarray(np.full((60, 80), 40000, dtype=np.uint16))
    return [
        ("cmyk-jpeg", encode(Image.new("CMYK", (80, 60), (255, 0, 255, 0)), "JPEG")),
        ("palette-png", encode(pal, "PNG")),
        ("la-png", encode(Image.new("LA", (80, 60), (100, 255)), "PNG")),
        ("rgba-webp", encode(Image.new("RGBA", (80, 60), (0, 200, 0, 255)), "WEBP", lossless=True)),
        ("grey16-png", encode(grey16, "PNG")),
        ("cmyk-tiff", encode(Image.new("CMYK", (80, 60), (255, 0, 255, 0)), "TIFF")),
    ]


@pytest.mark.parametrize(("name", "data"), _odd_photos())
def test_every_pixel_mode_composes(name: str, data: bytes, landscape: PhotoTemplate) -> None:
    out = _rgb(compose(data, landscape).full)
    w = landscape.window
    centre = out[w.y + w.h // 2, w.x + w.w // 2]
    # Cyan + yellow ink is pure green; 40000/65535 of white is 156.
    special = {"grey16-png": (156, 156, 156), "la-png": (100, 100, 100), "cmyk-jpeg": (0, 255, 0)}
    expected = special.get(name, (0, 255, 0) if name.startswith("cmyk") else GREEN)
    assert _near(centre, expected, 45), (name, centre)


def test_the_photo_worker_keeps_pillows_image_blocks_for_the_next_photo() -> None:
    from PIL import Image

    from ar_photo.compose import KEEP_BLOCKS, prepare_worker

    before = Image.core.get_blocks_max()
    try:
        prepare_worker()
        assert Image.core.get_blocks_max() == KEEP_BLOCKS
    finally:
        Image.core.set_blocks_max(before)


def _camera_like(size: tuple[int, int], seed: int) -> bytes:
    """Return a JPEG of smooth light and noise: every pixel differs, as a camera's do."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0 : size[1], 0 : size[0]]
    light = np.stack([128 + 90 * np.sin(x / 97), 120 + 80 * np.cos(y / 61), 110 + 60 * np.sin((x + y) / 143)], -1)
    light += rng.normal(0, 8, light.shape)
    return encode(Image.fromarray(np.clip(light, 0, 255).astype(np.uint8)), "JPEG", quality=92)


def test_a_photo_the_size_of_the_window_is_decoded_into_it_and_comes_out_the_same(
    landscape: PhotoTemplate, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ar_photo.compose as composing

    data = _camera_like((landscape.window.w, landscape.window.h), seed=3)
    logo = Image.new("RGBA", (64, 64), (255, 0, 0, 255))
    props = [PropPose("lamp", 0.98, 0.5, 1.0)]  # crosses the window's right edge
    into = []
    decode_into = composing._decode_into
    monkeypatch.setattr(composing, "_decode_into", lambda *a: into.append(1) or decode_into(*a))
    fast = compose(data, landscape, props, CAPTION, date(2026, 11, 28), logo, SquareProps())
    assert into == [1]
    monkeypatch.setattr(composing, "_decodes_in_place", lambda *a: False)
    composing._CANVASES.clear()
    apart = compose(data, landscape, props, CAPTION, date(2026, 11, 28), logo, SquareProps())
    assert into == [1]
    assert (fast.full, fast.phone, fast.thumb) == (apart.full, apart.phone, apart.thumb)
    out, w = _rgb(fast.full), landscape.window
    assert _near(out[w.y + w.h // 2, w.x + w.w - 4], (255, 0, 255))  # the prop, up to the window's edge
    assert _near(out[w.y + w.h // 2, w.x + w.w + 30], "#1f3b34")  # and no further: the frame is untouched


@pytest.mark.parametrize("orientation", range(2, 9))
def test_a_turned_photo_the_size_of_the_window_is_turned_into_it_as_pillow_turns_it(
    orientation: int, portrait: PhotoTemplate, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ar_photo.compose as composing
    from ar_photo.normalize import orient_into

    w = portrait.window
    stored = (w.h, w.w) if orientation >= 5 else (w.w, w.h)
    # Every pixel differs and the corners are marked, so a turn the wrong way round cannot come out the same.
    img = Image.open(io.BytesIO(_camera_like(stored, seed=orientation)))
    data = exif_jpeg(img, orientation=orientation)
    turned = []
    monkeypatch.setattr(composing, "orient_into", lambda *a: turned.append(a[1]) or orient_into(*a))
    fast = compose(data, portrait, caption=CAPTION, when=date(2026, 11, 28))
    assert turned == [orientation]
    monkeypatch.setattr(composing, "_decodes_in_place", lambda *a: False)
    composing._CANVASES.clear()
    apart = compose(data, portrait, caption=CAPTION, when=date(2026, 11, 28))  # decoded, transposed by Pillow
    assert turned == [orientation]
    assert (fast.full, fast.phone, fast.thumb) == (apart.full, apart.phone, apart.thumb)


def test_a_kept_canvas_carries_nothing_of_the_last_photo(landscape: PhotoTemplate) -> None:
    import ar_photo.compose as composing

    logo = Image.new("RGBA", (64, 64), (255, 0, 0, 255))
    first = _camera_like((landscape.window.w, landscape.window.h), seed=4)
    second = encode(Image.new("RGB", (800, 600), GREEN), "JPEG")
    composing._CANVASES.clear()
    caption = {"zh": "第一组合影留念", "en": "The first group"}
    compose(first, landscape, caption=caption, when=date(2026, 1, 2), logo=logo)
    after = compose(second, landscape, caption={"en": "Next"})
    composing._CANVASES.clear()
    fresh = compose(second, landscape, caption={"en": "Next"})
    assert after.full == fresh.full  # no caption, date, logo or photo of the first guests is left


def test_a_truncated_photo_decoded_into_the_window_is_refused(landscape: PhotoTemplate) -> None:
    data = _camera_like((landscape.window.w, landscape.window.h), seed=5)
    with pytest.raises(PhotoRejected) as info:
        compose(data[: len(data) // 2], landscape)
    assert (info.value.code, info.value.status) == ("PHOTO_TRUNCATED", 400)
    compose(data, landscape)  # and the next photo composes


def test_guests_stand_in_the_gallery_with_the_props_behind_them_between(
    landscape: PhotoTemplate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stand-in's pixels against the formula: the gallery (with the props behind) where the mask is clear, the
    photo where the guests are, blended by the mask at their edges; in place in the window, band by band."""
    import ar_photo.compose as composing
    import ar_photo.segment as segment
    from ar_photo.layers import new_canvas
    from ar_photo.prop_layer import PropLayer
    from ar_photo.templates import Box

    window = Box(40, 30, 1000, 1300)  # taller than two bands, and not a whole number of them
    rng = np.random.default_rng(11)
    photo = rng.integers(0, 256, (window.h, window.w, 3), dtype=np.uint8)
    yy, xx = np.mgrid[0 : window.h, 0 : window.w]
    # A guest: a disc whose edge fades over 40 px, so some tiles are people, some gallery and some edge.
    people = np.clip((420 - np.hypot(xx - 500, yy - 700)) * 255 / 40, 0, 255).astype(np.uint8)
    monkeypatch.setattr(segment, "person_mask",
                        lambda img, box, background: Image.fromarray(255 - people if background else people))
    view = rng.integers(0, 256, (650, 500, 3), dtype=np.uint8)  # half the window's size: enlarged 2x
    behind = Image.new("RGBA", (300, 200), (255, 0, 255, 255))  # a prop behind, at (100, 1000) of the photo
    canvas = new_canvas((window.x * 2 + window.w, window.y * 2 + window.h))
    canvas.pixels[...] = 7  # the frame
    canvas.image.paste(Image.fromarray(photo), (window.x, window.y))
    crop = composing._Crop(0.0, 0.0, 1.0, 1.0)
    composing._stand_in(canvas, window, Image.fromarray(view), PropLayer(behind, 100, 1000), crop,
                        (window.w, window.h))

    gallery = segment.scaled(view, (window.w, window.h)).astype(float)
    gallery[1000:1200, 100:400] = (255, 0, 255)
    clear = (255 - people)[..., None].astype(float) / 255
    expected = gallery * clear + photo.astype(float) * (1 - clear)
    got = canvas.pixels[window.y : window.y + window.h, window.x : window.x + window.w, :3].astype(float)
    assert np.abs(got - expected).max() < 2  # Pillow's blend rounds by shifts, not by dividing
    assert np.array_equal(got[700, 500], photo[700, 500])  # inside the guest: the photo's own pixel
    assert np.array_equal(got[1100, 150], (255, 0, 255))  # the prop behind, where no guest stands before it
    around = canvas.pixels.copy()
    around[window.y : window.y + window.h, window.x : window.x + window.w] = 7
    assert (around[..., :3] == 7).all()  # nothing outside the window is touched
