from __future__ import annotations

from pathlib import Path

import pytest

from ar_photo.errors import FontMissing
from ar_photo.fonts import find_cjk_font, load_font, missing_glyphs
from ar_photo.templates import default_templates

CAPTIONS = [
    "医院历史博物馆 · 合影留念",
    "中国近代医学史：从博济医院到协和",
    "Hospital History Museum - a group photo",
    "0123456789 年月日 ·—《》「」（），。！？",
]


def test_the_cjk_font_is_found_and_is_simplified_chinese() -> None:
    face = find_cjk_font()
    assert face.path.is_file()
    assert load_font(face, 20).getname()[0] in ("Noto Sans CJK SC", "Noto Sans SC")


@pytest.mark.parametrize("caption", CAPTIONS)
def test_no_caption_glyph_is_missing(caption: str) -> None:
    for bold in (False, True):
        assert missing_glyphs(find_cjk_font(bold=bold), caption) == []


def test_template_titles_have_every_glyph() -> None:
    face = find_cjk_font()
    for tpl in default_templates():
        for text in tpl.title.values():
            assert missing_glyphs(face, text) == []


def test_missing_glyphs_are_detected() -> None:
    # Thai and Tibetan are outside Noto Sans CJK: the check must see them as tofu.
    assert missing_glyphs(find_cjk_font(), "医院 กข ༀ") == ["ก", "ข", "ༀ"]


def test_override_path_is_used_and_checked(tmp_path: Path) -> None:
    real = find_cjk_font()
    assert find_cjk_font(str(real.path)) == real
    with pytest.raises(FontMissing):
        find_cjk_font(str(tmp_path / "nope.ttc"))
