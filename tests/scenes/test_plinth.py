"""The plinth a placement carries: its box, its label plate, and a Khronos-valid GLB with its origin on its top."""

from __future__ import annotations

import json
import struct

import numpy as np

from assets.validator import validate_bytes
from scenes.plinth import Plinth, label_plate, plinth_glb

SHOWCASE = Plinth(0.6, 0.5, 1.0, 0.45)


def test_the_plinth_hangs_below_its_top_with_the_case_above() -> None:
    bounds = SHOWCASE.bounds()
    assert bounds["min"][1] == -1.0 and bounds["max"][1] == 0.45
    assert np.allclose(bounds["max"][0], 0.32) and np.allclose(bounds["max"][2], 0.27)
    assert Plinth.from_json(SHOWCASE.as_json()) == SHOWCASE


def test_the_label_plate_sits_on_the_front_below_the_top() -> None:
    plate = label_plate(SHOWCASE)
    assert plate is not None
    x, y, z = plate["position"]
    assert x == 0 and -0.2 < y < -0.08 and 0.25 < z < 0.3
    assert plate["rotation_deg"] == [-15.0, 0.0, 0.0] and plate["size_m"] == [0.22, 0.12]
    assert label_plate(Plinth(1.9, 1.9, 0.1)) is None  # too low to carry one


def test_the_plinth_glb_is_valid_and_its_origin_is_its_top() -> None:
    data = plinth_glb(SHOWCASE)
    report = validate_bytes(data)
    assert report.errors == 0, report
    length = struct.unpack_from("<I", data, 12)[0]
    doc = json.loads(data[20:20 + length])
    positions = [doc["accessors"][p["attributes"]["POSITION"]] for p in doc["meshes"][0]["primitives"]]
    assert min(a["min"][1] for a in positions) == -1.0
    assert np.isclose(max(a["max"][1] for a in positions), 0.45)
    assert {m["name"] for m in doc["materials"]} >= {"walnut", "brass", "glass", "paper"}
    assert doc["scenes"][0]["extras"]["plinth"]["case_height_m"] == 0.45
