from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from ar_photo.errors import PhotoRejected
from ar_photo.qr import qr_matrix, qr_png, qr_svg

URL = "https://museum.example.org/s/3q2-7vR1xk9wQeLp0aZb8YtNcU"


def test_matrix_has_a_quiet_zone_and_finder_patterns() -> None:
    m = qr_matrix(URL)
    n = m.shape[0]
    assert m.shape == (n, n) and (n - 8 - 17) % 4 == 0  # 4 border each side; version v is 17 + 4v modules
    assert not m[:4].any() and not m[:, :4].any() and not m[-4:].any() and not m[:, -4:].any()
    finder = m[4:11, 4:11]
    assert finder[0].all() and finder[:, 0].all() and finder[2:5, 2:5].all() and not finder[1, 1:6].any()


def test_png_pixels_are_the_modules_scaled() -> None:
    data = qr_png(URL, box_size=6)
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and img.info.get("dpi") is None and not img.text  # type: ignore[attr-defined]
    m = qr_matrix(URL)
    assert img.size == (m.shape[1] * 6, m.shape[0] * 6)
    pixels = np.asarray(img.convert("L"))
    sampled = pixels[3::6, 3::6] < 128  # each module's centre
    assert np.array_equal(sampled, m)


def test_svg_draws_exactly_the_dark_modules() -> None:
    svg = qr_svg(URL)
    root = ET.fromstring(svg)
    m = qr_matrix(URL)
    n = m.shape[0]
    assert root.get("viewBox") == f"0 0 {n} {n}"
    path = root.find("{http://www.w3.org/2000/svg}path")
    assert path is not None
    drawn = np.zeros_like(m)
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path.get("d", "")):
        drawn[int(y), int(x) : int(x) + int(w)] = True
    assert np.array_equal(drawn, m)


def test_different_urls_give_different_codes() -> None:
    assert qr_png(URL) != qr_png(URL + "x")


@pytest.mark.parametrize("bad", ["", "x" * 3000, "https://a\nb"])
def test_bad_urls_are_refused(bad: str) -> None:
    with pytest.raises(PhotoRejected):
        qr_svg(bad)
