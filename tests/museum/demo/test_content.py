"""The demo museum's content is complete, consistent, trilingual and honest about sample text."""

import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from museum.demo import content as demo

LANGS = ("zh-Hans", "zh-Hant", "en")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:,\d{3})*")
MARKERS = {"zh-Hans": "示例", "zh-Hant": "範例", "en": "sample"}
SEED_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "seed"  # the article the facts come from

# Characters whose Simplified and Traditional forms differ, as written in this museum's texts. Characters with
# both forms in everyday Traditional use (台/臺, 里/裡, 后/後, 于/於, 干, 面) are left out on purpose.
SIMPLIFIED_TO_TRADITIONAL = dict(
    zip(
        "这医脏术国东广门们时为与发机网联华县远诊疗药样历馆线间动导览讯数设备长会议个说话应实体从来过还进运"
        "输车无让对关视听显镜灯铁电务问题创业资专级观钟层飞气质团园开读写语学习号码点击链终测检验础户护龄岁"
        "儿伤积渐强绝转状况两亲贵宽复杂领虽离难变简单声热环济经织纪红黄仪现讲试计区压厅厂库么义乐严丰临举众"
        "优传证评识诚责担荣获营铜钢针锁屏载货盖头协见结构员则换图标节舱驾驶诞临总统纸软页绍传将协",
        "這醫臟術國東廣門們時為與發機網聯華縣遠診療藥樣歷館線間動導覽訊數設備長會議個說話應實體從來過還進運"
        "輸車無讓對關視聽顯鏡燈鐵電務問題創業資專級觀鐘層飛氣質團園開讀寫語學習號碼點擊鏈終測檢驗礎戶護齡歲"
        "兒傷積漸強絕轉狀況兩親貴寬複雜領雖離難變簡單聲熱環濟經織紀紅黃儀現講試計區壓廳廠庫麼義樂嚴豐臨舉眾"
        "優傳證評識誠責擔榮獲營銅鋼針鎖屏載貨蓋頭協見結構員則換圖標節艙駕駛誕臨總統紙軟頁紹傳將協",
        strict=True,
    )
)
SIMPLIFIED_ONLY = {s for s, t in SIMPLIFIED_TO_TRADITIONAL.items() if s != t}
TRADITIONAL_ONLY = {t for s, t in SIMPLIFIED_TO_TRADITIONAL.items() if s != t}


def is_i18n(value: object) -> bool:
    """Tell whether a value looks like a three-language text."""
    return isinstance(value, dict) and any(lang in value for lang in LANGS)


def walk_texts(node: object, where: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """Yield every three-language text in a content tree with its path."""
    if is_i18n(node):
        assert isinstance(node, dict)
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from walk_texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk_texts(value, f"{where}[{index}]")


ALL_CONTENT: dict[str, Any] = {
    "MUSEUM": demo.MUSEUM,
    "RIGHTS": demo.RIGHTS,
    "ERAS": demo.ERAS,
    "GALLERIES": demo.GALLERIES,
    "EXHIBITS": demo.EXHIBITS,
    "EVENTS": demo.EVENTS,
    "TOURS": demo.TOURS,
}
ALL_TEXTS = list(walk_texts(ALL_CONTENT))
EXHIBITS = {exhibit["slug"]: exhibit for exhibit in demo.EXHIBITS}
ERAS = {era["slug"]: era for era in demo.ERAS}
GALLERIES = {gallery["slug"]: gallery for gallery in demo.GALLERIES}

EXPECTED_EXHIBITS = {
    "hospital-emblem": ("lobby", {"center"}),
    "digital-museum-terminal": ("lobby", {"screen"}),
    "sms-internet-hospital": ("lobby", {"screen"}),
    "monaural-stethoscope": ("history-hall", {"earpiece"}),
    "brass-microscope": ("history-hall", {"eyepiece", "stage"}),
    "apothecary-cabinet": ("history-hall", {"drawers"}),
    "iron-ward-bed": ("history-hall", {"headboard"}),
    "cardiac-surgery-heart-model": ("history-hall", {"aorta"}),
    "operating-lamp": ("history-hall", {"lamp-head"}),
    "x-ray-apparatus": ("history-hall", {"tube"}),
    "5g-base-station": ("smart-hospital-5g", {"antenna"}),
    "medical-uav": ("smart-hospital-5g", {"payload", "rotor"}),
    "logistics-robot": ("smart-hospital-5g", {"cargo"}),
    "patrol-robot": ("smart-hospital-5g", {"sensor-head"}),
    "remote-consultation-station": ("smart-hospital-5g", {"screen"}),
    "peritoneal-dialysis-unit": ("smart-hospital-5g", {"panel"}),
    "president-cockpit-screen": ("smart-hospital-5g", {"screen"}),
}


def sentences(text: str) -> int:
    """Count the sentences of a text in any of the three languages."""
    return len(re.findall(r"[。！？]|[.!?](?=\s|$)", text))


def test_there_are_texts_to_check() -> None:
    assert len(ALL_TEXTS) > 200


@pytest.mark.parametrize(("where", "text"), ALL_TEXTS, ids=[where for where, _ in ALL_TEXTS])
def test_every_text_has_exactly_three_clean_languages(where: str, text: dict[str, str]) -> None:
    assert set(text) == set(LANGS)
    for lang in LANGS:
        value = text[lang]
        assert isinstance(value, str) and value.strip() == value and value, (where, lang)
    assert not CJK.search(text["en"]), where
    assert CJK.search(text["zh-Hans"]) and CJK.search(text["zh-Hant"]), where


@pytest.mark.parametrize(("where", "text"), ALL_TEXTS, ids=[where for where, _ in ALL_TEXTS])
def test_each_chinese_text_uses_its_own_script(where: str, text: dict[str, str]) -> None:
    hans, hant = text["zh-Hans"], text["zh-Hant"]
    assert not SIMPLIFIED_ONLY & set(hant), (where, sorted(SIMPLIFIED_ONLY & set(hant)))
    assert not TRADITIONAL_ONLY & set(hans), (where, sorted(TRADITIONAL_ONLY & set(hans)))
    if SIMPLIFIED_ONLY & set(hans):
        assert hant != hans, where


def test_script_check_catches_a_character_by_character_slip() -> None:
    assert "医" in SIMPLIFIED_ONLY and "醫" in TRADITIONAL_ONLY
    assert SIMPLIFIED_ONLY & set("心脏手术") and not SIMPLIFIED_ONLY & set("心臟手術")


def test_counts_and_gallery_order() -> None:
    assert [gallery["slug"] for gallery in demo.GALLERIES] == ["lobby", "history-hall", "smart-hospital-5g"]
    assert len(demo.ERAS) == 4
    assert len(demo.EXHIBITS) == 17
    assert len(demo.EVENTS) >= 20
    assert len(demo.TOURS) == 2
    assert {gallery["lighting"] for gallery in demo.GALLERIES} <= {"warm", "gallery", "cool"}
    hall = GALLERIES["smart-hospital-5g"]["title"]
    assert all("5G" in hall[lang] for lang in LANGS)


def test_top_level_records_keep_to_their_keys() -> None:
    assert set(demo.MUSEUM) == {"name", "tagline", "description", "hospital", "address"}
    assert set(demo.RIGHTS) == {"licence", "credit", "copyright"}
    assert demo.RIGHTS["licence"] == "CC-BY-4.0"
    assert re.fullmatch(r"© \d{4} .+", demo.RIGHTS["copyright"])
    for era in demo.ERAS:
        assert set(era) == {"slug", "title", "summary", "start_year", "end_year", "sample"}
    for gallery in demo.GALLERIES:
        assert set(gallery) == {"slug", "title", "summary", "lighting"}
    exhibit_keys = {
        "slug",
        "gallery",
        "era",
        "tags",
        "title",
        "summary",
        "body",
        "object_date",
        "sample",
        "hotspots",
        "narration",
        "synthetic_narration",
    }
    for exhibit in demo.EXHIBITS:
        assert set(exhibit) == exhibit_keys
        for hotspot in exhibit["hotspots"]:
            assert set(hotspot) == {"slug", "anchor", "title", "text", "image_alt"}
    for event in demo.EVENTS:
        assert set(event) == {"slug", "era", "year", "month", "day", "title", "body", "exhibits", "sample"}
    for tour in demo.TOURS:
        assert set(tour) == {"slug", "title", "summary", "stops"}
        for stop in tour["stops"]:
            assert set(stop) == {"gallery", "exhibit", "hotspot", "title", "text", "narration"}


def test_slugs_are_unique_kebab_case_ascii() -> None:
    groups = {
        "era": [era["slug"] for era in demo.ERAS],
        "gallery": [gallery["slug"] for gallery in demo.GALLERIES],
        "exhibit": [exhibit["slug"] for exhibit in demo.EXHIBITS],
        "hotspot": [hotspot["slug"] for exhibit in demo.EXHIBITS for hotspot in exhibit["hotspots"]],
        "event": [event["slug"] for event in demo.EVENTS],
        "tour": [tour["slug"] for tour in demo.TOURS],
    }
    for kind, slugs in groups.items():
        assert len(slugs) == len(set(slugs)), kind
        for slug in slugs:
            assert SLUG.fullmatch(slug), (kind, slug)
    for exhibit in demo.EXHIBITS:
        assert exhibit["tags"] and len(exhibit["tags"]) == len(set(exhibit["tags"]))
        assert all(SLUG.fullmatch(tag) for tag in exhibit["tags"]), exhibit["slug"]


def test_exhibits_sit_in_their_galleries_with_their_anchors() -> None:
    assert set(EXHIBITS) == set(EXPECTED_EXHIBITS)
    for slug, (gallery, anchors) in EXPECTED_EXHIBITS.items():
        exhibit = EXHIBITS[slug]
        assert exhibit["gallery"] == gallery, slug
        assert exhibit["era"] in ERAS, slug
        assert exhibit["hotspots"], slug
        assert {hotspot["anchor"] for hotspot in exhibit["hotspots"]} <= anchors, slug


def test_exhibit_texts_are_short_where_they_should_be() -> None:
    for exhibit in demo.EXHIBITS:
        for lang in LANGS:
            assert 1 <= sentences(exhibit["summary"][lang]) <= 2, (exhibit["slug"], lang)
            assert 2 <= sentences(exhibit["narration"][lang]) <= 4, (exhibit["slug"], lang)
            assert 1 <= exhibit["body"][lang].count("\n\n") + 1 <= 2, (exhibit["slug"], lang)


def test_events_link_to_real_eras_and_exhibits_with_valid_dates() -> None:
    for event in demo.EVENTS:
        era = ERAS[event["era"]]
        assert set(event["exhibits"]) <= set(EXHIBITS), event["slug"]
        year, month, day = event["year"], event["month"], event["day"]
        assert era["start_year"] <= year, event["slug"]
        assert era["end_year"] is None or year <= era["end_year"], event["slug"]
        if day is not None:
            assert month is not None, event["slug"]
            datetime.date(year, month, day)
        elif month is not None:
            assert 1 <= month <= 12, event["slug"]
        if not era["sample"]:
            assert datetime.date(year, month or 1, day or 1) <= datetime.date.today(), event["slug"]


def test_eras_follow_each_other_without_overlap() -> None:
    for earlier, later in zip(demo.ERAS, demo.ERAS[1:], strict=False):
        assert earlier["end_year"] is not None and earlier["start_year"] <= earlier["end_year"]
        assert later["start_year"] == earlier["end_year"] + 1
    assert demo.ERAS[-1]["end_year"] is None


def test_every_exhibit_and_sample_era_is_covered_by_events_or_tours() -> None:
    linked = {slug for event in demo.EVENTS for slug in event["exhibits"]}
    assert len(linked) >= 12
    assert {event["era"] for event in demo.EVENTS} == set(ERAS)


def test_tours_resolve_and_one_crosses_all_galleries() -> None:
    hotspot_owner = {hotspot["slug"]: exhibit["slug"] for exhibit in demo.EXHIBITS for hotspot in exhibit["hotspots"]}
    crossing = []
    for tour in demo.TOURS:
        assert tour["stops"], tour["slug"]
        for stop in tour["stops"]:
            assert stop["gallery"] in GALLERIES
            if stop["exhibit"] is not None:
                assert EXHIBITS[stop["exhibit"]]["gallery"] == stop["gallery"]
            if stop["hotspot"] is not None:
                assert stop["exhibit"] is not None
                assert hotspot_owner[stop["hotspot"]] == stop["exhibit"]
            if stop["exhibit"] is not None and EXHIBITS[stop["exhibit"]]["sample"]:
                for lang in LANGS:
                    assert MARKERS[lang] in stop["text"][lang].lower(), (tour["slug"], lang)
        crossing.append({stop["gallery"] for stop in tour["stops"]} == set(GALLERIES))
    assert any(crossing)


def test_sample_items_say_so_in_every_language() -> None:
    sample_texts: list[tuple[str, dict[str, str]]] = []
    for era in demo.ERAS:
        if era["sample"]:
            sample_texts += [(era["slug"], era["title"]), (era["slug"], era["summary"])]
    for exhibit in demo.EXHIBITS:
        if exhibit["sample"]:
            fields = ("summary", "body", "object_date", "narration")
            sample_texts += [(exhibit["slug"], exhibit[field]) for field in fields]  # type: ignore[literal-required]
            sample_texts += [(exhibit["slug"], hotspot["text"]) for hotspot in exhibit["hotspots"]]
    for event in demo.EVENTS:
        if event["sample"]:
            sample_texts += [(event["slug"], event["title"]), (event["slug"], event["body"])]
    assert len(sample_texts) > 40
    for where, text in sample_texts:
        for lang in LANGS:
            assert MARKERS[lang] in text[lang].lower(), (where, lang)


def test_sample_marking_is_consistent() -> None:
    for event in demo.EVENTS:
        if ERAS[event["era"]]["sample"]:
            assert event["sample"], event["slug"]
        else:
            assert not event["sample"], event["slug"]
    facts = [exhibit for exhibit in demo.EXHIBITS if not exhibit["sample"]]
    for exhibit in facts:
        assert not ERAS[exhibit["era"]]["sample"], exhibit["slug"]
        for field in ("summary", "body", "narration"):
            text = exhibit[field]
            assert "Sample text" not in text["en"] and "示例文字" not in text["zh-Hans"], exhibit["slug"]
    assert len(facts) >= 10


def test_search_words_for_the_cardiac_story_are_present() -> None:
    words = {"zh-Hans": "心脏", "zh-Hant": "心臟", "en": "cardiac"}
    heart = EXHIBITS["cardiac-surgery-heart-model"]
    for lang, word in words.items():
        assert word in heart["title"][lang].lower()
        assert any(word in (event["title"][lang] + event["body"][lang]).lower() for event in demo.EVENTS)


def fact_texts() -> Iterator[tuple[str, dict[str, str]]]:
    """Yield the texts that present facts, leaving out the marked sample content."""
    yield from walk_texts({"MUSEUM": demo.MUSEUM, "GALLERIES": demo.GALLERIES})
    for era in demo.ERAS:
        if not era["sample"]:
            yield from walk_texts(era, era["slug"])
    for exhibit in demo.EXHIBITS:
        if not exhibit["sample"]:
            yield from walk_texts(exhibit, exhibit["slug"])
    for event in demo.EVENTS:
        if not event["sample"]:
            yield from walk_texts(event, event["slug"])
    for tour in demo.TOURS:
        for stop in tour["stops"]:
            if stop["exhibit"] is None or not EXHIBITS[stop["exhibit"]]["sample"]:
                yield from walk_texts(stop, tour["slug"])


def test_fact_texts_use_only_numbers_found_in_the_seed_article() -> None:
    articles = sorted(SEED_DIR.glob("*.txt"))
    if not articles:
        pytest.skip(f"seed article not found in {SEED_DIR}")
    seed_numbers = {n.replace(",", "") for path in articles for n in NUMBER.findall(path.read_text("utf-8"))}
    months = {str(month) for month in range(1, 13)}
    for where, text in fact_texts():
        for number in NUMBER.findall(text["en"]):
            assert number.replace(",", "") in seed_numbers, (where, number)
        for lang in ("zh-Hans", "zh-Hant"):
            for number in NUMBER.findall(text[lang]):
                assert number.replace(",", "") in seed_numbers | months, (where, lang, number)


def test_conference_year_is_never_stated_without_saying_how_it_is_known() -> None:
    for event in demo.EVENTS:
        if (event["month"], event["day"]) == (7, 19):
            assert event["year"] == 2021
            assert "2021 at the earliest" in event["body"]["en"], event["slug"]
            assert "最早是 2021 年" in event["body"]["zh-Hans"], event["slug"]
            assert "最早是 2021 年" in event["body"]["zh-Hant"], event["slug"]


def _copy_data(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "data"
    shutil.copytree(demo.DATA, target)
    return target


def test_a_data_file_missing_a_language_is_refused_naming_the_field(tmp_path: Path) -> None:
    import json

    data = _copy_data(tmp_path)
    lobby = data / "galleries" / "lobby.json"
    doc = json.loads(lobby.read_text(encoding="utf-8"))
    del doc["exhibits"][1]["summary"]["zh-Hant"]
    lobby.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(demo.DemoContentInvalid, match=r"galleries/lobby.json: /exhibits/1/summary: .*zh-Hant"):
        demo.load(data)


def test_a_reference_to_nothing_is_refused(tmp_path: Path) -> None:
    import json

    data = _copy_data(tmp_path)
    timeline = data / "timeline.json"
    doc = json.loads(timeline.read_text(encoding="utf-8"))
    doc["events"][0]["exhibits"].append("no-such-exhibit")
    timeline.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(demo.DemoContentInvalid, match="unknown exhibit no-such-exhibit"):
        demo.load(data)


def test_the_texts_live_in_data_files_not_in_code() -> None:
    import ast

    tree = ast.parse(Path(demo.__file__).read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree, clean=False)
    literals = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in literals if CJK.search(s) and s != docstring]  # every Chinese text is in the data files
    assert len(list((demo.DATA / "galleries").glob("*.json"))) == len(demo.GALLERIES)
