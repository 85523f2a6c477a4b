"""The demo holds only what the studio itself would take: each seeded row is read through its kind's document
model, and a row the studio would refuse stops the seed with the field at fault."""

from __future__ import annotations

import pytest

from museum.demo.content import DemoContentInvalid
from museum.demo.seed import _check_as_the_studio_would
from museum.models import Era, Gallery


def test_a_row_the_studio_would_take_passes() -> None:
    era = Era(slug="early-years", title={"en": "Early years"}, summary={}, start_year=1946, end_year=1978,
              sample=True, position=0)
    _check_as_the_studio_would([era])


@pytest.mark.parametrize(("row", "where"), [
    (Era(slug="early-years", title={"en": "Early"}, summary={}, start_year=946, end_year=None, sample=True,
         position=0), "eras early-years: /start_year"),
    (Gallery(slug="lobby", title={"en": "Lobby"}, summary={}, lighting="warm", size_m=[10, 4, 8],
             floor=[[0, 0], [1, 0]], spawns=[], position=0, placements=[], doors=[], sounds=[]),
     "galleries lobby: /floor"),
    (Gallery(slug="hall", title={"en": "Hall"}, summary={}, lighting="neon", size_m=[], floor=[], spawns=[],
             position=0, placements=[], doors=[], sounds=[]), "galleries hall: /lighting"),
])
def test_a_row_the_studio_would_refuse_stops_the_seed_naming_the_field(row: object, where: str) -> None:
    with pytest.raises(DemoContentInvalid, match=f"^{where}"):
        _check_as_the_studio_would([row])
