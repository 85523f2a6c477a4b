"""Property: whatever bytes a kiosk sends, normalisation returns an sRGB photo or the booth's own refusal."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from ar_photo.errors import PhotoRejected
from ar_photo.normalize import load_photo

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (48, 32), (120, 40, 200)).save(buf, "JPEG")
    return buf.getvalue()


def _load(data: bytes) -> None:
    try:
        img = load_photo(data)
    except PhotoRejected as exc:
        assert 400 <= exc.status < 500 and exc.code
    else:
        assert img.mode == "RGB"


@SETTINGS
@given(st.binary(max_size=2048))
def test_any_bytes_are_a_photo_or_a_refusal(data: bytes) -> None:
    _load(data)


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 255)), max_size=8),
       st.one_of(st.none(), st.integers(0, 900)))
def test_a_damaged_jpeg_is_a_photo_or_a_refusal(edits: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(_jpeg())
    for offset, value in edits:
        data[offset % len(data)] = value
    _load(bytes(data[:cut] if cut is not None else data))
