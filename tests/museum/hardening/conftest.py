"""Fixtures of the hardening tests: the booth's (a kiosk token, seeded templates) are shared with the photo tests."""

from tests.museum.photos.conftest import kiosk_token, templates  # noqa: F401 (fixtures used by name)
from tests.museum.studio.conftest import staff  # noqa: F401 (fixture used by name)
