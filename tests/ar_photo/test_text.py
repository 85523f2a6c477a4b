from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ar_photo.errors import PhotoRejected
from ar_photo.fonts import find_cjk_font
from ar_photo.templates import Box, TextStyle
from ar_photo.text import clean_caption, draw_text, fit_font


def test_long_text_shrinks_to_fit_its_box() -> None:
    face = find_cjk_font()
    style = TextStyle(Box(10, 10, 300, 60), 48, "#000000")
    short, long = fit_font(face, "医院", style), fit_font(face, "医院历史博物馆合影留念 Hospital History Museum", style)
    assert short.size == 48 and long.size < 48
    left, _top, right, _bottom = long.getbbox("医院历史博物馆合影留念 Hospital History Museum", anchor="lm")
    assert right - left <= 300


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_text_stays_inside_its_box(align: str) -> None:
    canvas = Image.new("RGB", (400, 100), "white")
    style = TextStyle(Box(50, 20, 300, 60), 40, "#000000", align)
    draw_text(canvas, find_cjk_font(), "合影 Photo", style)
    ink = np.argwhere(np.asarray(canvas.convert("L")) < 128)
    assert len(ink) > 100
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
    assert left >= 50 and right < 350 and top >= 20 and bottom < 80


def test_captions_are_cleaned_to_one_line() -> None:
    assert clean_caption("  医院\n历史\t博物馆\x00 ", find_cjk_font()) == "医院 历史 博物馆"
    with pytest.raises(PhotoRejected):
        clean_caption("😀", find_cjk_font())


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_a_kept_stamp_draws_the_pixels_drawing_the_text_would(align: str) -> None:
    from PIL import ImageDraw

    text, face = "医院历史博物馆 · Photo 2026-11-28", find_cjk_font()
    style = TextStyle(Box(50, 20, 600, 60), 40, "#c9a24b", align)
    first, kept, drawn = (Image.new("RGB", (700, 100), (31, 59, 52)) for _ in range(3))
    box = draw_text(first, face, text, style)  # the stamp is made
    assert draw_text(kept, face, text, style) == box  # and kept
    x = {"left": 50, "center": 350, "right": 650}[align]
    anchor = {"left": "lm", "center": "mm", "right": "rm"}[align]
    ImageDraw.Draw(drawn).text((x, 50), text, fill=style.color, font=fit_font(face, text, style), anchor=anchor)
    assert np.array_equal(np.asarray(first), np.asarray(drawn)) and np.array_equal(np.asarray(kept), np.asarray(drawn))
    ink = np.argwhere((np.asarray(drawn) != np.array([31, 59, 52])).any(axis=2))
    assert box is not None and len(ink)
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
    assert box[0] <= left and box[1] <= top and right < box[2] and bottom < box[3]  # the box holds every inked pixel
