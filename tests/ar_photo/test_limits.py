from __future__ import annotations

import pytest

from ar_photo.errors import PhotoRejected
from ar_photo.limits import PhotoLimits


def test_defaults_accept_a_12_megapixel_jpeg() -> None:
    limits = PhotoLimits()
    limits.check_bytes(8 * 1024 * 1024)
    limits.check_dimensions(4000, 3000)
    limits.check_format("JPEG")


@pytest.mark.parametrize(
    ("width", "height"), [(12000, 9000), (20000, 10), (10, 20000), (0, 100)]
)
def test_claimed_dimensions_are_checked(width: int, height: int) -> None:
    with pytest.raises(PhotoRejected) as info:
        PhotoLimits().check_dimensions(width, height)
    assert info.value.status in (413, 422)


def test_limits_are_configurable() -> None:
    small = PhotoLimits(max_bytes=10, max_pixels=100, formats=frozenset({"PNG"}))
    with pytest.raises(PhotoRejected, match="at most 10"):
        small.check_bytes(11)
    with pytest.raises(PhotoRejected):
        small.check_dimensions(11, 10)
    with pytest.raises(PhotoRejected) as info:
        small.check_format("JPEG")
    assert info.value.status == 415


def test_photo_rejected_only_carries_client_statuses() -> None:
    with pytest.raises(ValueError):
        PhotoRejected("X", "y", 500)
