from __future__ import annotations

import numpy as np
from PIL import Image

from ar_photo.layers import ALPHA_TILE, TILE, alpha_runs, frame_layers, paste_through_alpha
from ar_photo.templates import default_templates


def test_overlay_boxes_cover_every_visible_pixel_and_skip_clear_tiles() -> None:
    alpha = np.zeros((100, 130), dtype=np.uint8)
    alpha[0, 0] = 1
    alpha[99, 129] = 255
    alpha[40:45, 0:130] = 128
    boxes = alpha_runs(alpha)
    covered = np.zeros_like(alpha, dtype=bool)
    for left, top, right, bottom, _ in boxes:
        covered[top:bottom, left:right] = True
    assert covered[alpha > 0].all()
    assert covered.mean() < 0.6
    assert all(r - left <= 130 and b - t <= TILE for left, t, r, b, _ in boxes)


def test_layers_rebuild_the_frame_over_a_photo() -> None:
    template = default_templates()[0]
    layers = frame_layers(template)
    assert frame_layers(template) is layers  # cached
    assert layers.size == template.size
    # Only the frame outside the window is kept flattened.
    kept = sum(patch.width * patch.height for _, _, patch in layers.around)
    w = template.window
    assert kept == template.size[0] * template.size[1] - w.w * w.h
    # Any photo in the window, with the overlays over it, gives the frame composited over that photo; and the
    # canvas around the window is the frame on its background.
    photo = Image.new("RGB", template.size, (0, 200, 0))
    expected = photo.convert("RGBA")
    expected.alpha_composite(template.frame)
    canvas = layers.canvas(photo.crop(w.ltrb))
    got = np.asarray(canvas.crop(w.ltrb), dtype=int)
    want = np.asarray(expected.convert("RGB").crop(w.ltrb), dtype=int)
    assert np.abs(got - want).max() <= 2
    flat = Image.new("RGBA", template.size, template.background)
    flat.alpha_composite(template.frame)
    outside = np.ones((template.size[1], template.size[0]), bool)
    outside[w.y:w.y + w.h, w.x:w.x + w.w] = False
    diff = np.abs(np.asarray(canvas, dtype=int) - np.asarray(flat.convert("RGB"), dtype=int))
    assert diff[outside].max() <= 2


def test_a_scaled_layout_draws_the_frame_as_resizing_it_whole_would() -> None:
    # A 12-megapixel photo draws the template about 2.4 times larger. The frame is resampled only where it is
    # drawn (outside the window, and the window's overlay tiles), never whole: the layout keeps the curator's frame.
    template = default_templates()[0]
    scaled = template.scaled(2.4)
    assert scaled.frame is template.frame and scaled.size == (5760, 4320)
    whole = template.frame.resize(scaled.size, Image.Resampling.LANCZOS)
    flat = Image.new("RGBA", scaled.size, template.background)
    flat.alpha_composite(whole)
    w = scaled.window
    photo = Image.new("RGB", (w.w, w.h), (0, 200, 0))
    canvas = frame_layers(scaled).canvas(photo)
    outside = np.ones((scaled.size[1], scaled.size[0]), bool)
    outside[w.y:w.y + w.h, w.x:w.x + w.w] = False
    diff = np.abs(np.asarray(canvas, dtype=int) - np.asarray(flat.convert("RGB"), dtype=int))
    assert diff[outside].max() <= 1
    behind = Image.new("RGBA", scaled.size, (0, 200, 0, 255))
    behind.alpha_composite(whole)
    got = np.asarray(canvas.crop(w.ltrb), dtype=int)
    assert np.abs(got - np.asarray(behind.convert("RGB").crop(w.ltrb), dtype=int)).max() <= 2


def test_pasting_through_alpha_by_tiles_gives_what_blending_the_whole_patch_gives() -> None:
    # Props as a layer holds them: opaque discs with soft edges on transparent black, and a translucent band, on a
    # patch whose sides are not whole tiles; pasted at an offset onto a noisy canvas.
    rng = np.random.default_rng(5)
    width, height = 7 * ALPHA_TILE + 23, 5 * ALPHA_TILE + 41
    rgb = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    yy, xx = np.mgrid[:height, :width]
    alpha = np.zeros((height, width), dtype=np.float32)
    for cx, cy, r in ((110, 120, 90), (380, 200, 130)):
        alpha = np.maximum(alpha, np.clip((r - np.hypot(xx - cx, yy - cy)) * 40, 0, 255))
    alpha[300:330] = np.maximum(alpha[300:330], 128)
    patch = Image.fromarray(np.dstack([rgb, alpha.astype(np.uint8)]), "RGBA")
    background = Image.fromarray(rng.integers(0, 256, (600, 700, 3), dtype=np.uint8))
    whole, tiled = background.copy(), background.copy()
    whole.paste(patch, (37, 11), patch)
    paste_through_alpha(tiled, patch, (37, 11))
    assert tiled.tobytes() == whole.tobytes()
    kinds = np.asarray(patch.getchannel("A"))[:ALPHA_TILE * 5, :ALPHA_TILE * 7]
    assert (kinds == 0).any() and (kinds == 255).any()  # the patch has empty, opaque and edge parts


def test_a_windows_sides_are_one_box_each() -> None:
    # A frame's edge inside the window runs down both sides: one tall box a side, not one a row of tiles; a run
    # of opaque tiles is a box of its own (copied, not blended), and tiles cut by the image's edge are not opaque.
    alpha = np.zeros((10 * TILE + 7, 12 * TILE), dtype=np.uint8)
    alpha[:, :5] = 255
    alpha[:, TILE:2 * TILE] = 255
    alpha[:, -9:] = 200
    assert sorted(alpha_runs(alpha)) == [
        (0, 0, TILE, 10 * TILE, False),
        (0, 10 * TILE, 2 * TILE, 10 * TILE + 7, False),
        (TILE, 0, 2 * TILE, 10 * TILE, True),
        (11 * TILE, 0, 12 * TILE, 10 * TILE + 7, False),
    ]
