"""The booth's prop layer through the API, the share page in the guest's language and local time, WeChat, and
the check that share links can reach a phone."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image, ImageDraw
from sqlalchemy import select

from museum.core.db import get_db
from museum.core.jobs import run_pending
from museum.models import Photo
from museum.photos.localtime import format_local
from museum.photos.store import photo_store
from museum.photos.urls import share_link_problem
from tests.museum.conftest import Catalogue
from tests.museum.photos.conftest import photo_jpeg, stored
from tests.museum.photos.test_api import JSON, fetch

WECHAT_UA = ("Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like "
             "Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 "
             "MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")
MAGENTA = (230, 20, 200)


def _layer(photo: tuple[int, int], x: float, y: float, scale: float = 1.0) -> tuple[bytes, str]:
    """Draw a booth's layer for a prop at (x, y): a magenta disc one prop length across; return (PNG, box)."""
    cw = min(photo[0], photo[1] * 4 / 3)  # the landscape template's 4:3 window
    side = scale * 0.35 * min(cw, cw * 3 / 4)
    cx, cy = x * photo[0], y * photo[1]
    left, top, size = int(cx - side / 2), int(cy - side / 2), int(side)
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((0, 0, size - 1, size - 1), fill=(*MAGENTA, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue(), f"{left},{top},{size},{size}"


def _post(client: FlaskClient, token: str, photo: bytes, layer: bytes | None = None, **fields: Any) -> Any:
    form: dict[str, Any] = {"consent": "true", "photo": (io.BytesIO(photo), "booth.jpg", "image/jpeg"), **fields}
    if layer is not None:
        form["prop_layer"] = (io.BytesIO(layer), "props.png", "image/png")
    return client.post("/api/v1/kiosk/photos", data=form, content_type="multipart/form-data",
                       headers={**JSON, "Authorization": f"Bearer {token}"})


def _token(response: Any) -> str:
    return str(response.get_json()["share_url"].rsplit("/p/", 1)[1])


def test_the_booth_layer_is_composed_at_full_resolution_then_dropped(
        app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str], catalogue: Catalogue) -> None:
    photo = (2400, 1800)
    layer, box = _layer(photo, 0.5, 0.5)
    props = json.dumps([{"asset": "heart-model", "x": 0.5, "y": 0.5, "scale": 1}])
    response = _post(client, kiosk_token, photo_jpeg(*photo), layer, props=props, prop_layer_box=box)
    assert response.status_code == 201, response.get_json()
    with app.app_context(), get_db().read() as session:
        row = session.scalars(select(Photo)).one()
        layer_sha = row.layer_sha256
        assert layer_sha is not None and photo_store(app).exists(layer_sha)
        assert row.layer_box == [int(v) for v in box.split(",")]
    # Kept as its checked pixels (RGBA rows), so the job does not decode the PNG again.
    kept = photo_store(app).path(layer_sha)
    assert kept is not None and kept.read_bytes() == Image.open(io.BytesIO(layer)).convert("RGBA").tobytes()
    assert run_pending(app) >= 1
    token = _token(response)
    full = Image.open(io.BytesIO(fetch(client, f"/p/{token}/full.jpg").data))
    # The 2000x1500 window at 1.2x shows the 2400x1800 capture pixel for pixel; the canvas grows alike.
    assert full.size == (2880, 2160)
    centre = np.asarray(full)[240 + 900, 240 + 1200].astype(int)
    assert np.abs(centre - MAGENTA).max() < 25  # the booth's own drawing, not the server's
    assert not photo_store(app).exists(layer_sha)  # composed: the layer goes with the capture


BAD_LAYERS = [
    ("layer without props", {}, "PROP_LAYER_WITHOUT_PROPS", 422),
    ("box not numbers", {"props": "one", "prop_layer_box": "a,b,c,d"}, "PROP_LAYER_BOX_INVALID", 400),
    ("box beyond the prop's reach", {"props": "one", "prop_layer_box": "0,0,1600,1200"},
     "PROP_LAYER_OUTSIDE_PROPS", 422),
]


@pytest.mark.parametrize(("fields", "code", "status"), [case[1:] for case in BAD_LAYERS],
                         ids=[case[0] for case in BAD_LAYERS])
def test_a_layer_that_is_not_the_props_is_refused_and_nothing_stored(
        app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str], catalogue: Catalogue,
        fields: dict[str, str], code: str, status: int) -> None:
    layer, box = _layer((1600, 1200), 0.5, 0.5)
    if fields.get("props") == "one":
        fields = {**fields, "props": json.dumps([{"asset": "heart-model", "x": 0.5, "y": 0.5}])}
    fields.setdefault("prop_layer_box", box)
    before = stored(app)
    response = _post(client, kiosk_token, photo_jpeg(1600, 1200), layer, **fields)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code and error["pointer"].startswith("/prop_layer")
    assert stored(app) == before


def test_share_page_shows_local_time_in_the_guests_language(
        app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str]) -> None:
    token = _token(_post(client, kiosk_token, photo_jpeg()))
    run_pending(app)
    with app.app_context(), get_db().read() as session:
        expires = session.scalars(select(Photo)).one().expires_at
    local = expires.replace(tzinfo=UTC) if expires.tzinfo is None else expires
    hour = local.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M")
    zh = client.get(f"/p/{token}", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert 'lang="zh-Hans"' in zh and "北京时间" in zh and hour in zh and "UTC" not in zh
    assert re.search(r"链接有效期至 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d（北京时间）", zh)
    en = client.get(f"/p/{token}", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert 'lang="en"' in en and "China Standard Time" in en and hour in en and "链接" not in en
    hant = client.get(f"/p/{token}?lang=zh-Hant").get_data(as_text=True)
    assert "連結有效期至" in hant
    app.config["MUSEUM_TIMEZONE"] = "Europe/London"
    london = client.get(f"/p/{token}?lang=en").get_data(as_text=True)
    assert local.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") in london


def test_local_time_format() -> None:
    moment = datetime(2026, 12, 8, 10, 37, tzinfo=UTC)
    assert format_local(moment, "Asia/Shanghai", "zh-Hans") == "2026年12月8日 18:37（北京时间）"
    assert format_local(moment, None, "en") == "8 Dec 2026, 18:37 (China Standard Time)"
    assert format_local(moment.replace(tzinfo=None), "Asia/Shanghai", "zh-Hant") == "2026年12月8日 18:37（北京時間）"
    assert format_local(moment, "No/Such_Zone", "en").endswith("(China Standard Time)")


def test_wechat_gets_an_image_it_can_save_instead_of_a_download(
        app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str]) -> None:
    token = _token(_post(client, kiosk_token, photo_jpeg()))
    run_pending(app)
    page = client.get(f"/p/{token}", headers={"User-Agent": WECHAT_UA}).get_data(as_text=True)
    assert 'data-wechat="true"' in page and "保存图片" in page
    assert re.search(r'<a id="download"[^>]*hidden', page) and not re.search(r'<a id="full-size"[^>]*hidden', page)
    shown = fetch(client, f"/p/{token}/full.jpg?view=1")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert "attachment" not in shown.headers.get("Content-Disposition", "")
    plain = client.get(f"/p/{token}").get_data(as_text=True)
    assert 'data-wechat="false"' in plain and re.search(r'<a id="full-size"[^>]*hidden', plain)


@pytest.mark.parametrize(("base", "ok"), [
    ("", False), ("http://127.0.0.1:8000", False), ("http://localhost:5000", False), ("http://0.0.0.0", False),
    ("http://[::1]:8000", False), ("ftp://museum.example.org", False), ("https://museum.example.org", True),
    ("http://192.168.1.20:8000", True), ("http://museum.test:8123", True),
])
def test_share_links_must_reach_a_phone(base: str, ok: bool) -> None:
    assert (share_link_problem(base) is None) is ok


def test_museum_check_warns_about_loopback_share_links(app: Flask) -> None:
    from museum.cli import main

    runner = CliRunner()
    app.config["MUSEUM_BASE_URL"] = "http://127.0.0.1:8000"
    result = runner.invoke(main, ["check"], obj=_script_info(app))
    assert "warning: photo booth share links" in result.output and result.exit_code == 0
    result = runner.invoke(main, ["check", "--json"], obj=_script_info(app))
    assert "127.0.0.1" in json.loads(result.output)["warnings"][0]
    app.config["MUSEUM_BASE_URL"] = "https://museum.example.org"
    result = runner.invoke(main, ["check"], obj=_script_info(app))
    assert "warning" not in result.output


def _script_info(app: Flask) -> Any:
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)
