from __future__ import annotations

import base64
import json
import struct
import zlib
from dataclasses import replace

import pytest

from ar_photo.errors import TemplateInvalid
from ar_photo.templates import Box, PhotoTemplate, default_templates


@pytest.fixture
def template() -> PhotoTemplate:
    return default_templates()[0]


def test_defaults_have_an_opaque_frame_and_a_transparent_window() -> None:
    for tpl in default_templates():
        alpha = tpl.frame.getchannel("A")
        w = tpl.window
        assert alpha.getpixel((w.x + w.w // 2, w.y + w.h // 2)) == 0
        assert alpha.getpixel((w.x // 2, w.y // 2)) == 255
        assert alpha.getpixel((tpl.caption_zh.box.x + 5, tpl.caption_zh.box.y + 5)) == 255


def test_json_round_trip_keeps_everything(template: PhotoTemplate) -> None:
    data = json.loads(json.dumps(template.to_dict()))
    back = PhotoTemplate.from_dict(data)
    assert back.to_dict() == template.to_dict()
    assert back.frame_sha256 == template.frame_sha256


def test_frame_may_travel_separately(template: PhotoTemplate) -> None:
    data = template.to_dict(embed_frame=False)
    assert "frame_png" not in data
    with pytest.raises(TemplateInvalid):
        PhotoTemplate.from_dict(data)
    assert PhotoTemplate.from_dict(data, frame=template.frame).window == template.window


def test_frame_size_must_match_the_data(template: PhotoTemplate) -> None:
    data = template.to_dict(embed_frame=False)
    with pytest.raises(TemplateInvalid, match="frame"):
        PhotoTemplate.from_dict(data, frame=template.frame.resize((100, 100)))


@pytest.mark.parametrize(
    "change",
    [
        {"window": Box(2000, 100, 2000, 1500)},
        {"slug": "Not A Slug"},
        {"background": "white"},
        {"max_props": 99},
    ],
)
def test_invalid_templates_are_refused(template: PhotoTemplate, change: dict[str, object]) -> None:
    with pytest.raises(TemplateInvalid):
        replace(template, **change)  # type: ignore[arg-type]


def test_box_must_be_four_integers() -> None:
    with pytest.raises(TemplateInvalid):
        Box.from_list([1, 2, 3])
    assert Box.from_list([1, 2, 3, 4]).ltrb == (1, 2, 4, 6)


def test_a_frame_claiming_a_huge_canvas_is_refused_before_decoding(template: PhotoTemplate) -> None:
    data = template.to_dict()
    png = bytearray(base64.b64decode(data["frame_png"]))
    png[16:24] = struct.pack(">II", 30000, 30000)  # IHDR width and height
    png[29:33] = struct.pack(">I", zlib.crc32(bytes(png[12:29])))
    data["frame_png"] = base64.b64encode(bytes(png)).decode()
    data.pop("size")
    with pytest.raises(TemplateInvalid, match="too large"):
        PhotoTemplate.from_dict(data)
