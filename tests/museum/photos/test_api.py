"""The kiosk API: who may post, every bad input refused with nothing stored, the path to a shared photo."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from museum.core.db import get_db
from museum.core.jobs import run_pending
from museum.models import Photo, PhotoTemplate, VisitEvent
from museum.photos.kiosks import kiosk_named, revoke_kiosk
from museum.photos.store import photo_store
from tests.museum.conftest import Catalogue, make_token
from tests.museum.photos.conftest import photo_jpeg, stored
from tests.pictures import png_claiming

JSON = {"Accept": "application/json"}


def post(client: FlaskClient, token: str | None, data: bytes | None = None, **fields: Any) -> Any:
    """POST a booth photo the way the kiosk does."""
    form: dict[str, Any] = {"consent": "true", **fields}
    if data is not None:
        form["photo"] = (io.BytesIO(data), "booth.jpg", "image/jpeg")
    headers = dict(JSON)
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post("/api/v1/kiosk/photos", data=form, headers=headers, content_type="multipart/form-data")


def fetch(client: FlaskClient, url: str, **kwargs: Any) -> Any:
    """GET a URL and close the response (file responses hold their file open until closed)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def wide_png() -> bytes:
    """Return a real, small PNG 17000 pixels wide (more than any side the booth accepts)."""
    buf = io.BytesIO()
    Image.new("L", (17000, 2), 128).save(buf, "PNG")
    return buf.getvalue()


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200


def test_posting_needs_a_live_kiosk_token(app: Flask, client: FlaskClient, kiosk_token: str,
                                          templates: list[str]) -> None:
    photo = photo_jpeg()
    assert post(client, None, photo).status_code == 401
    curator = make_token(app)
    response = post(client, curator, photo)
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "kiosk_token_required"
    assert post(client, "kio_" + "x" * 43, photo).status_code == 401
    assert post(client, "something-else", photo).status_code == 401
    assert post(client, kiosk_token, photo).status_code == 201
    with app.app_context(), get_db().write() as session:
        kiosk = kiosk_named(session, "lobby-booth")
        assert kiosk is not None
        revoke_kiosk(session, kiosk)
    response = post(client, kiosk_token, photo)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_token"


def test_kiosk_tokens_are_accepted_nowhere_else(client: FlaskClient, kiosk_token: str) -> None:
    headers = {**JSON, "Authorization": f"Bearer {kiosk_token}"}
    response = client.post("/api/v1/assets", headers=headers, data={})
    assert response.status_code == 401
    assert client.get("/api/v1/assets/1", headers=headers).status_code == 401


BAD_INPUTS = [
    ("not an image", b"just some text, not a picture" * 10, {}, 415, "PHOTO_NOT_IMAGE"),
    ("truncated jpeg", photo_jpeg(800, 600)[:6000], {}, 400, "PHOTO_TRUNCATED"),
    ("decompression bomb", png_claiming(12000, 9000), {}, 413, "PHOTO_DIMENSIONS_TOO_LARGE"),
    ("huge dimensions", wide_png(), {}, 413, "PHOTO_DIMENSIONS_TOO_LARGE"),
    ("damaged heic", HEIC, {}, 415, "PHOTO_NOT_IMAGE"),
    ("empty file", b"", {}, 400, "PHOTO_EMPTY"),
    ("no consent", photo_jpeg(), {"consent": "false"}, 422, "consent_required"),
    ("consent left out", photo_jpeg(), {"consent": ""}, 422, "consent_required"),
    ("props not json", photo_jpeg(), {"props": "[{"}, 400, "PROPS_INVALID_JSON"),
    ("unknown prop", photo_jpeg(), {"props": json.dumps([{"asset": "no-such", "x": 0.5, "y": 0.5}])}, 422,
     "PROP_UNKNOWN"),
    ("prop off the photo", photo_jpeg(), {"props": json.dumps([{"asset": "heart-model", "x": 9, "y": 0.5}])},
     422, "PROP_POSE_INVALID"),
    ("unknown template", photo_jpeg(), {"template": "no-such-frame"}, 422, "template_unknown"),
]


@pytest.mark.parametrize(("data", "fields", "status", "code"), [case[1:] for case in BAD_INPUTS],
                         ids=[case[0] for case in BAD_INPUTS])
def test_every_bad_input_gets_its_4xx_and_nothing_is_stored(
    app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str], catalogue: Catalogue,
    data: bytes, fields: dict[str, str], status: int, code: str,
) -> None:
    before = stored(app)
    response = post(client, kiosk_token, data, **fields)
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert stored(app) == before


def test_a_missing_photo_field_is_a_400(app: Flask, client: FlaskClient, kiosk_token: str,
                                        templates: list[str]) -> None:
    before = stored(app)
    response = post(client, kiosk_token, None)
    assert response.status_code == 400 and response.get_json()["error"]["pointer"] == "/photo"
    assert stored(app) == before


def test_templates_and_props_lists(client: FlaskClient, templates: list[str], catalogue: Catalogue) -> None:
    listed = client.get("/api/v1/kiosk/templates").get_json()
    assert [t["slug"] for t in listed["items"]] == templates == ["heritage-landscape", "heritage-portrait"]
    first = listed["items"][0]
    assert first["title"]["en"] and first["title"]["zh-Hans"] and len(first["window"]) == 4
    frame = fetch(client, first["frame_url"])
    assert frame.status_code == 200 and Image.open(io.BytesIO(frame.data)).size == tuple(first["size"])
    props = client.get("/api/v1/kiosk/props").get_json()["items"]
    assert {p["slug"] for p in props} == {"heart-model", "medical-uav"}  # the draft is not offered
    assert all(p["model_url"].startswith("/files/") for p in props)
    config = client.get("/api/v1/kiosk/config").get_json()
    assert config["retention_days"] == 7 and config["timezone"] == "Asia/Shanghai"
    assert config["share_links"]["ok"] is False and "MUSEUM_BASE_URL" in config["share_links"]["problem"]


def test_backdrops_are_the_published_galleries_with_a_room(client: FlaskClient, catalogue: Catalogue) -> None:
    listed = client.get("/api/v1/kiosk/backdrops").get_json()
    # The catalogue has a published gallery with a room, a published one without, and a draft: one backdrop.
    assert [b["slug"] for b in listed["items"]] == ["history-hall"] and listed["total"] == 1
    hall = listed["items"][0]
    assert hall["title"]["en"] == "History hall"
    assert hall["spawn"] == {"position": [0.0, 0.0, 3.0], "yaw_deg": 180.0}
    assert hall["lighting"]["preset"] == "warm" and hall["lighting"]["key"]["intensity"] > 0
    scene = fetch(client, hall["scene_url"])
    assert scene.status_code == 200 and scene.data[:4] == b"glTF"


def test_seeding_templates_again_changes_nothing(app: Flask, templates: list[str]) -> None:
    from museum.photos.templates import seed_photo_templates

    with app.app_context(), get_db().write() as session:
        assert seed_photo_templates(session, app.extensions["museum.storage"]) == templates
    with app.app_context(), get_db().read() as session:
        rows = session.scalars(select(PhotoTemplate)).all()
        assert len(rows) == 2 and {r.version for r in rows} == {1} and {r.status for r in rows} == {"published"}


def _token_of(share_url: str) -> str:
    return share_url.rsplit("/p/", 1)[1]


def test_from_post_to_shared_photo_to_deletion(app: Flask, client: FlaskClient, kiosk_token: str,
                                               templates: list[str], catalogue: Catalogue) -> None:
    props = json.dumps([{"asset": "heart-model", "x": 0.3, "y": 0.4, "scale": 1.2, "rotation_deg": 20}])
    response = post(client, kiosk_token, photo_jpeg(1200, 900), template="heritage-portrait", props=props,
                    guardian="true")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) >= {"id", "share_url", "qr_url", "expires_at"}
    token = _token_of(body["share_url"])
    assert body["share_url"].startswith("http://localhost/p/") and len(token) >= 22  # >= 128 bits
    assert body["qr_url"] == body["share_url"] + "/qr.png"
    with app.app_context(), get_db().read() as session:
        photo = session.scalars(select(Photo)).one()
        assert photo.share_token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in json.dumps([photo.public_id, photo.consent, photo.props])
        assert photo.consent["photo"] and photo.consent["guardian"] and photo.consent["retention_days"] == 7
        capture = photo.capture_sha256
        assert capture is not None and photo_store(app).exists(capture)

    page = client.get(f"/p/{token}")
    assert page.status_code == 200 and 'data-status="pending"' in page.get_data(as_text=True)
    assert client.get(f"/p/{token}/status").get_json()["status"] == "pending"
    assert client.get(f"/p/{token}/photo.jpg", headers=JSON).status_code == 404

    assert run_pending(app) >= 1
    status = client.get(f"/p/{token}/status").get_json()
    assert status["status"] == "ready" and status["photo_url"] == f"/p/{token}/photo.jpg"
    assert not photo_store(app).exists(capture)  # the original capture is gone once composed
    page = client.get(f"/p/{token}").get_data(as_text=True)
    assert f'src="/p/{token}/photo.jpg"' in page and f'href="/p/{token}/full.jpg"' in page
    shown = fetch(client, f"/p/{token}/photo.jpg")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    phone = Image.open(io.BytesIO(shown.data)).size
    assert max(phone) <= 1280 and phone[0] * 4 == phone[1] * 3  # the portrait canvas, phone-sized
    full = fetch(client, f"/p/{token}/full.jpg")
    assert full.headers["Content-Disposition"].startswith("attachment")
    assert Image.open(io.BytesIO(full.data)).size == (1800, 2400)
    qr = client.get(f"/p/{token}/qr.png")
    assert qr.status_code == 200 and qr.data.startswith(b"\x89PNG")
    assert client.get(f"/p/{token}/qr.svg").data.startswith(b"<svg")

    with app.app_context(), get_db().read() as session:
        photo = session.scalars(select(Photo)).one()
        files = [photo.full_sha256, photo.phone_sha256, photo.thumb_sha256]
    assert all(sha and photo_store(app).exists(sha) for sha in files)
    assert client.get(f"/files/{files[0]}.jpg", headers=JSON).status_code == 404  # never through /files/

    assert client.post(f"/p/{token}/delete", headers=JSON).status_code == 400  # the confirm step
    deleted = client.post(f"/p/{token}/delete", data={"confirm": "yes"}, headers=JSON)
    assert deleted.status_code == 200
    for suffix in ("", "/status", "/photo.jpg", "/full.jpg", "/thumb.jpg", "/qr.png"):
        gone = fetch(client, f"/p/{token}{suffix}", headers=JSON)
        assert gone.status_code == 410 and gone.get_json()["error"]["code"] == "photo_gone"
    assert not any(photo_store(app).exists(sha) for sha in files if sha)
    assert stored(app).photo_files == 0


def test_a_photo_counts_as_shared_once_however_often_its_page_is_opened(
        app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str]) -> None:
    tokens = [_token_of(post(client, kiosk_token, photo_jpeg()).get_json()["share_url"]) for _ in range(2)]
    run_pending(app)

    def shared() -> int:
        with app.app_context(), get_db().read() as session:
            return session.scalar(select(func.count()).select_from(VisitEvent)
                                  .where(VisitEvent.type == "photo_shared")) or 0

    assert shared() == 0
    for _ in range(3):  # a reload, a second phone of the family...
        assert client.get(f"/p/{tokens[0]}").status_code == 200
    assert shared() == 1
    assert client.get(f"/p/{tokens[1]}").status_code == 200
    assert shared() == 2
    with app.app_context(), get_db().read() as session:
        assert all(p.opened_at is not None for p in session.scalars(select(Photo)))


def test_a_browser_deleting_lands_on_the_friendly_410_page(app: Flask, client: FlaskClient, kiosk_token: str,
                                                          templates: list[str]) -> None:
    token = _token_of(post(client, kiosk_token, photo_jpeg()).get_json()["share_url"])
    run_pending(app)
    html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    response = client.post(f"/p/{token}/delete", data={"confirm": "yes"}, headers=html, follow_redirects=True)
    assert response.status_code == 410 and "This photo has been deleted" in response.get_data(as_text=True)
    assert response.headers["X-Robots-Tag"].startswith("noindex")


def test_served_photos_carry_no_metadata(app: Flask, client: FlaskClient, kiosk_token: str,
                                         templates: list[str]) -> None:
    original = photo_jpeg(800, 600, gps=True)
    assert b"SecretCam" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    token = _token_of(post(client, kiosk_token, original).get_json()["share_url"])
    run_pending(app)
    for name in ("photo.jpg", "full.jpg", "thumb.jpg"):
        data = fetch(client, f"/p/{token}/{name}").data
        img = Image.open(io.BytesIO(data))
        assert not img.getexif() and "exif" not in img.info and "icc_profile" not in img.info
        assert b"SecretCam" not in data and b"Exif\x00\x00" not in data and b"GPS" not in data


def test_share_headers_on_everything_under_p(app: Flask, client: FlaskClient, kiosk_token: str,
                                             templates: list[str]) -> None:
    token = _token_of(post(client, kiosk_token, photo_jpeg()).get_json()["share_url"])
    run_pending(app)
    urls = [f"/p/{token}", f"/p/{token}/status", f"/p/{token}/photo.jpg", f"/p/{token}/full.jpg",
            f"/p/{token}/qr.png", f"/p/{token}/qr.svg", "/p/" + "x" * 32, "/p/" + "x" * 32 + "/photo.jpg"]
    for url in urls:
        response = fetch(client, url)
        assert response.headers["X-Robots-Tag"].startswith("noindex"), url
        assert response.headers["Referrer-Policy"] == "no-referrer", url
        assert response.headers["Cache-Control"].startswith("private"), url
        assert "public" not in response.headers["Cache-Control"], url


def test_unknown_links_are_rate_limited_per_address(app: Flask, client: FlaskClient, kiosk_token: str,
                                                    templates: list[str]) -> None:
    app.config["MUSEUM_PHOTO_LOOKUPS_PER_MINUTE"] = 3
    token = _token_of(post(client, kiosk_token, photo_jpeg()).get_json()["share_url"])
    for attempt in range(3):
        assert client.get(f"/p/guess{attempt:0>20}", headers=JSON).status_code == 404
    limited = client.get("/p/guess" + "9" * 20, headers=JSON)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.get_json()["error"]["code"] == "rate_limited"
    # Only unknown links are refused: the guests' own valid link from the same address still works.
    assert client.get(f"/p/{token}/status", headers=JSON).status_code == 200
    assert client.get(f"/p/{token}", headers={"Accept": "text/html"}).status_code == 200
    assert client.get("/p/guess" + "8" * 20, headers=JSON).status_code == 429
    other = {"REMOTE_ADDR": "192.0.2.7"}
    assert client.get(f"/p/{token}/status", headers=JSON, environ_base=other).status_code == 200
    assert client.get(f"/p/{token}/status", headers=JSON, environ_base=other).status_code == 200


def test_share_url_uses_the_configured_public_origin(app: Flask, client: FlaskClient, kiosk_token: str,
                                                     templates: list[str]) -> None:
    app.config["MUSEUM_BASE_URL"] = "https://museum.example.org/"
    body = post(client, kiosk_token, photo_jpeg()).get_json()
    assert body["share_url"].startswith("https://museum.example.org/p/")
    token = _token_of(body["share_url"])
    from ar_photo.qr import qr_png

    assert client.get(f"/p/{token}/qr.png").data == qr_png(body["share_url"])


def test_the_booth_accepts_mpo_and_heic_photos(client: FlaskClient, kiosk_token: str, templates: list[str]) -> None:
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    first, second = Image.new("RGB", (640, 480), (20, 200, 20)), Image.new("RGB", (640, 480), (200, 0, 0))
    for fmt, extra in (("MPO", {"save_all": True, "append_images": [second]}), ("HEIF", {"quality": 90})):
        buf = io.BytesIO()
        first.save(buf, fmt, **extra)
        response = post(client, kiosk_token, buf.getvalue())
        assert response.status_code == 201, (fmt, response.get_json())


def _astronaut_jpeg() -> bytes:
    """A real person's photo (scikit-image's astronaut), framed 4:3 as the booth's camera frames it."""
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).crop((0, 0, 512, 384)).resize((1200, 900)).save(buf, "JPEG", quality=92)
    return buf.getvalue()


def _gallery_view(colour: tuple[int, int, int] = (40, 90, 160)) -> bytes:
    """A stand-in for the booth's view of a gallery: one colour, so what shows of it can be told apart."""
    buf = io.BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(buf, "PNG")
    return buf.getvalue()


def test_guests_stand_in_the_gallery_they_chose(app: Flask, client: FlaskClient, kiosk_token: str,
                                                templates: list[str], catalogue: Catalogue) -> None:
    view = (io.BytesIO(_gallery_view()), "gallery.png", "image/png")
    response = post(client, kiosk_token, _astronaut_jpeg(), template="heritage-landscape", background=view,
                    background_gallery="history-hall")
    assert response.status_code == 201, response.get_json()
    token = _token_of(response.get_json()["share_url"])
    with app.app_context(), get_db().read() as session:
        photo = session.scalars(select(Photo)).one()
        assert photo.background == "history-hall" and photo.background_sha256 is not None
        background = photo.background_sha256
    assert run_pending(app) >= 1
    full = Image.open(io.BytesIO(fetch(client, f"/p/{token}/full.jpg").data)).convert("RGB")
    with app.app_context(), get_db().read() as session:
        photo = session.scalars(select(Photo)).one()
        assert photo.status == "ready" and photo.background_sha256 is None
    assert not photo_store(app).exists(background)  # the booth's view is not kept once composed

    # Where the astronaut's grey backdrop was, the gallery shows; her face is still her own.
    pixels = np.asarray(full).astype(int)
    blue = np.array([40, 90, 160])
    near_gallery = np.abs(pixels - blue).sum(axis=2) < 40
    h, w = near_gallery.shape
    assert near_gallery[h // 6: h // 3, int(w * 0.75): int(w * 0.85)].mean() > 0.9  # right of her head
    assert near_gallery[h // 3: h // 2, int(w * 0.4): int(w * 0.5)].mean() < 0.05  # her face


def test_props_behind_the_guests_go_between_them_and_the_gallery(
        app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str], catalogue: Catalogue) -> None:
    from tests.museum.photos.test_booth_layer import MAGENTA, _layer

    # A large prop centred on her face, which the guests put behind themselves: it shows around her, not on her.
    layer, box = _layer((1200, 900), 0.45, 0.42, scale=1.8)
    props = json.dumps([{"asset": "heart-model", "x": 0.45, "y": 0.42, "scale": 1.8}])
    behind = (io.BytesIO(layer), "behind.png", "image/png")
    view = (io.BytesIO(_gallery_view()), "gallery.png", "image/png")
    response = post(client, kiosk_token, _astronaut_jpeg(), template="heritage-landscape", props=props,
                    prop_layer_behind=behind, prop_layer_behind_box=box, background=view,
                    background_gallery="history-hall")
    assert response.status_code == 201, response.get_json()
    with app.app_context(), get_db().read() as session:
        behind_sha = session.scalars(select(Photo)).one().behind_sha256
        assert behind_sha is not None
    assert run_pending(app) >= 1
    full = Image.open(io.BytesIO(fetch(client, f"/p/{_token_of(response.get_json()['share_url'])}/full.jpg").data))
    pixels = np.asarray(full.convert("RGB")).astype(int)
    magenta = np.abs(pixels - np.array(MAGENTA)).sum(axis=2) < 60
    h, w = magenta.shape
    assert magenta[h // 3: h // 2, int(w * 0.4): int(w * 0.5)].mean() < 0.05  # her face, in front of the prop
    assert magenta.mean() > 0.03  # the prop, around her
    assert not photo_store(app).exists(behind_sha)  # dropped once composed

    # Behind the guests means in a gallery: without one the layer is refused, and nothing is kept.
    before = stored(app)
    refused = post(client, kiosk_token, _astronaut_jpeg(), template="heritage-landscape", props=props,
                   prop_layer_behind=(io.BytesIO(layer), "behind.png", "image/png"), prop_layer_behind_box=box)
    error = refused.get_json()["error"]
    assert refused.status_code == 422 and error["code"] == "behind_without_background", error
    assert error["pointer"] == "/prop_layer_behind" and stored(app) == before


def test_a_background_is_refused_with_its_field_and_nothing_is_kept(
        app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str], catalogue: Catalogue) -> None:
    def view(data: bytes) -> tuple[io.BytesIO, str, str]:
        return io.BytesIO(data), "gallery.png", "image/png"

    small = io.BytesIO()
    Image.new("RGB", (200, 150), (40, 90, 160)).save(small, "PNG")
    cases = [
        ({"background": view(_gallery_view())}, 422, "background_gallery_unknown", "/background_gallery"),
        ({"background": view(_gallery_view()), "background_gallery": "draft-gallery"}, 422,
         "background_gallery_unknown", "/background_gallery"),
        ({"background_gallery": "history-hall"}, 422, "background_missing", "/background"),
        ({"background": view(b"not a picture"), "background_gallery": "history-hall"}, 415, None, "/background"),
        ({"background": view(small.getvalue()), "background_gallery": "history-hall"}, 422,
         "background_too_small", "/background"),
        ({"background": view(_gallery_view()[:300]), "background_gallery": "history-hall"}, None, None,
         "/background"),
    ]
    for fields, status, code, pointer in cases:
        response = post(client, kiosk_token, photo_jpeg(), **fields)
        error = response.get_json()["error"]
        assert 400 <= response.status_code < 500 and (status is None or response.status_code == status), error
        assert (code is None or error["code"] == code) and error.get("pointer") == pointer, error
    assert stored(app).photo_rows == 0 and stored(app).photo_files == 0
