"""The booth's prop layer: checked against the poses it claims, pasted pixel for pixel at capture resolution."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ar_photo.compose import compose, output_scale
from ar_photo.errors import PhotoRejected
from ar_photo.prop_layer import (
    PROP_BASE_FRACTION,
    checked_pixels,
    crop_of,
    load_checked_layer,
    load_prop_layer,
    parse_box,
    reach_mask,
)
from ar_photo.props import PropPose
from ar_photo.templates import PhotoTemplate, default_templates

from .conftest import encode

GREEN = (0, 160, 0)


@pytest.fixture(scope="module")
def landscape() -> PhotoTemplate:
    return default_templates()[0]


@pytest.fixture(scope="module")
def portrait() -> PhotoTemplate:
    return default_templates()[1]


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _disc_layer(photo: tuple[int, int], pose: PropPose, aspect: float, color: tuple[int, int, int]) -> tuple[
        bytes, tuple[int, int, int, int]]:
    """Draw what a booth would for one prop: a disc one prop length across, in a box around it."""
    _, _, cw, ch = crop_of(photo, aspect)
    side = pose.scale * PROP_BASE_FRACTION * min(cw, ch)
    cx, cy = pose.x * photo[0], pose.y * photo[1]
    x, y = int(cx - side * 0.6), int(cy - side * 0.6)
    w = h = int(side * 1.2)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((cx - x - side / 2, cy - y - side / 2, cx - x + side / 2, cy - y + side / 2),
                                fill=(*color, 255))
    return _png(img), (x, y, w, h)


def test_a_layer_within_reach_of_its_props_is_accepted() -> None:
    pose = PropPose("lamp", 0.3, 0.4, 1.0)
    data, box = _disc_layer((1600, 1200), pose, 4 / 3, (200, 30, 30))
    layer = load_prop_layer(data, box, [pose], (1600, 1200), 4 / 3)
    assert layer.image.mode == "RGBA" and layer.box == (box[0], box[1], box[0] + box[2], box[1] + box[3])


def test_a_layers_checked_pixels_read_back_as_the_layer_and_are_checked_again() -> None:
    photo, pose = (1600, 1200), PropPose("lamp", 0.3, 0.4, 1.0)
    data, box = _disc_layer(photo, pose, 4 / 3, (200, 30, 30))
    layer = load_prop_layer(data, box, [pose], photo, 4 / 3)
    kept = checked_pixels(layer)
    assert len(kept) == box[2] * box[3] * 4  # RGBA rows, no header
    back = load_checked_layer(kept, box, [pose], photo, 4 / 3)
    assert back.box == layer.box and back.image.tobytes() == layer.image.tobytes()
    assert load_checked_layer(data, box, [pose], photo, 4 / 3).image.tobytes() == kept  # a layer kept as PNG
    with pytest.raises(PhotoRejected) as info:  # a box that does not match what is kept
        load_checked_layer(kept, (box[0], box[1], box[2] - 1, box[3]), [pose], photo, 4 / 3)
    assert info.value.code == "PROP_LAYER_SIZE"
    # Kept pixels that were not checked: the corner of a box as wide as the prop's reach, beyond the disc it has.
    side = round(pose.scale * PROP_BASE_FRACTION * 1200 * 1.7)
    wide = (round(0.3 * 1600 - side / 2), round(0.4 * 1200 - side / 2), side, side)
    stray = np.zeros((side, side, 4), np.uint8)
    assert load_checked_layer(stray.tobytes(), wide, [pose], photo, 4 / 3).box[2] == wide[0] + side
    stray[0, 0] = (255, 255, 255, 255)
    with pytest.raises(PhotoRejected) as info:
        load_checked_layer(stray.tobytes(), wide, [pose], photo, 4 / 3)
    assert info.value.code == "PROP_LAYER_OUTSIDE_PROPS"
    with pytest.raises(PhotoRejected) as info:
        load_checked_layer(kept, box, [], photo, 4 / 3)
    assert info.value.code == "PROP_LAYER_WITHOUT_PROPS"


@pytest.mark.parametrize(("change", "code"), [
    ("no_props", "PROP_LAYER_WITHOUT_PROPS"),
    ("off_photo", "PROP_LAYER_BOX_INVALID"),
    ("too_wide", "PROP_LAYER_OUTSIDE_PROPS"),
    ("size", "PROP_LAYER_SIZE"),
    ("jpeg", "PROP_LAYER_FORMAT"),
    ("garbage", "PROP_LAYER_FORMAT"),
    ("stray", "PROP_LAYER_OUTSIDE_PROPS"),
    ("empty", "PROP_LAYER_EMPTY"),
])
def test_a_layer_that_is_not_the_posed_props_is_refused(change: str, code: str) -> None:
    photo = (1600, 1200)
    pose = PropPose("lamp", 0.5, 0.5, 1.0)
    data, box = _disc_layer(photo, pose, 4 / 3, (200, 30, 30))
    poses = [pose]
    if change == "no_props":
        poses = []
    elif change == "off_photo":
        box = (-5, box[1], box[2], box[3])
    elif change == "too_wide":
        box = (0, box[1], 1600, box[3])
        data = _png(Image.new("RGBA", (1600, box[3]), (0, 0, 0, 0)))
    elif change == "size":
        data = _png(Image.new("RGBA", (box[2] - 1, box[3]), (0, 0, 0, 0)))
    elif change == "jpeg":
        data = encode(Image.new("RGB", (box[2], box[3])), "JPEG")
    elif change == "garbage":
        data = b"not an image at all"
    elif change == "stray":
        # The box is the props' reach, but its corner pixel - beyond any prop's reach - is painted.
        side = PROP_BASE_FRACTION * 1200
        x, y, w = int(800 - 0.9 * side), int(600 - 0.9 * side), int(1.8 * side)
        img = Image.new("RGBA", (w, w), (0, 0, 0, 0))
        img.putpixel((0, 0), (255, 255, 255, 255))
        data, box = _png(img), (x, y, w, w)
    elif change == "empty":
        data = b""
    with pytest.raises(PhotoRejected) as caught:
        load_prop_layer(data, box, poses, photo, 4 / 3)
    assert caught.value.code == code


def test_box_field_parses_whole_pixels_only() -> None:
    assert parse_box("1,2,3,4") == (1, 2, 3, 4)
    for raw in ("1,2,3", "a,b,c,d", "", None, "1.5,2,3,4"):
        with pytest.raises(PhotoRejected):
            parse_box(raw)


def test_a_12_megapixel_capture_keeps_every_pixel_in_the_window(landscape: PhotoTemplate) -> None:
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 255, (3000, 4000, 3), dtype=np.uint8)
    data = encode(Image.fromarray(pixels), "JPEG")
    assert output_scale(landscape, (4000, 3000)) == pytest.approx(2.0)
    result = compose(data, landscape)
    assert (result.width, result.height) == (4800, 3600)
    full = np.asarray(Image.open(io.BytesIO(result.full)))
    window = full[200:3200, 400:4400].astype(int)  # the 2000x1500 window at 2x
    source = np.asarray(Image.open(io.BytesIO(data))).astype(int)
    # Pixel for pixel (apart from the frame's rule inside the window and JPEG coding): no resampling.
    inner = (slice(80, -80), slice(80, -80))
    assert np.abs(window[inner] - source[inner]).mean() < 12
    phone = Image.open(io.BytesIO(result.phone))
    assert 960 <= max(phone.size) <= 1280  # the page's picture stays light


def test_scale_is_capped_at_12_megapixels_of_photo_and_never_below_the_template(landscape: PhotoTemplate) -> None:
    assert output_scale(landscape, (800, 600)) == 1.0
    k = output_scale(landscape, (8000, 6000))
    assert (2000 * k) * (1500 * k) == pytest.approx(12_000_000, rel=1e-3)


def test_the_booth_layer_lands_where_the_preview_showed_it(portrait: PhotoTemplate) -> None:
    # A 4:3 capture in a 3:4 window: the window shows the middle 2250x3000 of the photo, pixel for pixel.
    photo = (4000, 3000)
    data = encode(Image.new("RGB", photo, GREEN), "JPEG")
    pose = PropPose("lamp", 0.4, 0.3, 0.8)
    layer_png, box = _disc_layer(photo, pose, 3 / 4, (220, 40, 200))
    layer = load_prop_layer(layer_png, box, [pose], photo, 3 / 4)
    result = compose(data, portrait, [pose], prop_layer=layer)
    k = output_scale(portrait, photo)
    assert k == pytest.approx(1.5)
    assert (result.width, result.height) == (2700, 3600)
    full = np.asarray(Image.open(io.BytesIO(result.full))).astype(int)
    left, top, _, _ = crop_of(photo, 3 / 4)
    wx, wy = round(150 * k), round(150 * k)
    cx, cy = wx + round(pose.x * photo[0] - left), wy + round(pose.y * photo[1] - top)
    assert np.abs(full[cy, cx] - (220, 40, 200)).max() < 20
    side = pose.scale * PROP_BASE_FRACTION * 2250
    assert np.abs(full[cy, cx + round(side * 0.45)] - (220, 40, 200)).max() < 20
    assert np.abs(full[cy, cx + round(side * 0.56)] - GREEN).max() < 20


@pytest.mark.parametrize("seed", range(6))
def test_the_check_by_tiles_refuses_exactly_the_layers_a_check_of_every_pixel_refuses(seed: int) -> None:
    # Two props and a box over both; a few pixels drawn at random distances around the edge of their reach, where
    # tiles are checked pixel by pixel, and the rest of the layer drawn well inside it.
    rng = np.random.default_rng(seed)
    photo = (1600, 1200)
    poses = [PropPose("lamp", 0.3, 0.45, 0.8), PropPose("vase", 0.62, 0.5, 1.1)]
    crop = crop_of(photo, 4 / 3)
    radii = [0.9 * p.scale * PROP_BASE_FRACTION * min(crop[2:]) + 3 for p in poses]
    x0 = int(min(p.x * photo[0] - r for p, r in zip(poses, radii, strict=True)))
    y0 = int(min(p.y * photo[1] - r for p, r in zip(poses, radii, strict=True))) + 1
    x1 = int(max(p.x * photo[0] + r for p, r in zip(poses, radii, strict=True)))
    y1 = int(max(p.y * photo[1] + r for p, r in zip(poses, radii, strict=True)))
    box = (x0, y0, x1 - x0, y1 - y0)
    alpha = np.zeros((box[3], box[2]), np.uint8)
    yy, xx = np.mgrid[0 : box[3], 0 : box[2]]
    for pose, radius in zip(poses, radii, strict=True):
        alpha[np.hypot(xx + x0 + 0.5 - pose.x * photo[0], yy + y0 + 0.5 - pose.y * photo[1]) < radius * 0.6] = 255
    for _ in range(int(rng.integers(0, 4))):
        pose, radius = poses[int(rng.integers(0, 2))], radii[int(rng.integers(0, 2))]
        angle, dist = rng.uniform(0, 2 * np.pi), radius + rng.uniform(-2.0, 2.0)
        px, py = int(pose.x * photo[0] + dist * np.cos(angle)) - x0, int(pose.y * photo[1] + dist * np.sin(angle)) - y0
        if 0 <= px < box[2] and 0 <= py < box[3]:
            alpha[py, px] = 1
    every_pixel = bool(((alpha > 0) & ~reach_mask(box, poses, photo, crop[2:])).any())
    rgba = np.zeros((box[3], box[2], 4), np.uint8)
    rgba[..., 3] = alpha
    try:
        load_checked_layer(rgba.tobytes(), box, poses, photo, 4 / 3)
        refused = False
    except PhotoRejected as exc:
        assert exc.code == "PROP_LAYER_OUTSIDE_PROPS"
        refused = True
    assert refused == every_pixel


def test_a_single_pixel_just_beyond_reach_in_the_corner_of_a_tile_is_refused() -> None:
    # The corner of a tile that lies inside the reach but for that corner: the tile must be checked pixel by pixel.
    # The box's left edge is moved a pixel at a time (its tiles with it) until a tile has such a corner.
    photo, pose = (1600, 1200), PropPose("lamp", 0.5, 0.5, 1.0)
    crop = crop_of(photo, 4 / 3)
    radius = 0.9 * PROP_BASE_FRACTION * min(crop[2:]) + 3
    cx, cy = pose.x * photo[0], pose.y * photo[1]
    found = None
    for shift in range(64):
        x0, y0 = int(cx - radius) + shift, int(cy - radius)
        box = (x0, y0, int(cx + radius) - x0, int(cy + radius) - y0)
        for top in range(0, box[3] - 64, 64):
            for left in range(0, box[2] - 64, 64):
                corners = [(left + dx, top + dy) for dx in (0, 63) for dy in (0, 63)]
                dist = [float(np.hypot(x0 + px + 0.5 - cx, y0 + py + 0.5 - cy)) for px, py in corners]
                if radius + 0.2 < max(dist) < radius + 2.5 and sorted(dist)[-2] < radius - 1:
                    found = (pose, box, corners[int(np.argmax(dist))])
        if found:
            break
    assert found is not None
    pose, box, (px, py) = found
    rgba = np.zeros((box[3], box[2], 4), np.uint8)
    rgba[py, px, 3] = 255
    with pytest.raises(PhotoRejected) as info:
        load_checked_layer(rgba.tobytes(), box, [pose], photo, 4 / 3)
    assert info.value.code == "PROP_LAYER_OUTSIDE_PROPS"
