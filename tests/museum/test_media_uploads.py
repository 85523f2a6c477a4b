"""Images, audio and captions uploaded by curators: checked, cleaned and stored at once; bad files refused."""

from __future__ import annotations

import io
import struct
import zlib

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from tests.museum.test_assets_api import _files, _upload


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn right
    exif[0x8825] = {1: "N", 2: (22.0, 33.0, 44.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + \
        chunk(b"IEND", b"")


def test_images_become_upright_webp_without_metadata(app: Flask, client: FlaskClient,
                                                     curator_headers: dict[str, str]) -> None:
    response = _upload(client, curator_headers, _jpeg_with_gps(), "photo.jpg")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["kind"], body["status"], body["tiers"]) == ("image", "ready", {})
    assert body["url"].endswith(".webp")
    with client.get(body["url"]) as served:
        assert served.headers["Content-Type"] == "image/webp"
        image = Image.open(io.BytesIO(served.data))
        assert image.size == (32, 64)  # turned upright by its EXIF orientation
        assert not image.getexif() and "exif" not in image.info
    again = _upload(client, curator_headers, _jpeg_with_gps(), "same.jpg")
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    alpha = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(alpha, "PNG")
    transparent = _upload(client, curator_headers, alpha.getvalue(), "badge.png").get_json()
    with client.get(transparent["url"]) as served:
        assert Image.open(io.BytesIO(served.data)).mode == "RGBA"


def test_audio_and_captions(client: FlaskClient, curator_headers: dict[str, str]) -> None:
    mp3 = _upload(client, curator_headers, b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64, "guide.mp3")
    assert mp3.status_code == 201 and mp3.get_json()["media_type"] == "audio/mpeg"
    vtt = _upload(client, curator_headers, "WEBVTT\n\n00:00.000 --> 00:02.000\n欢迎参观\n".encode(), "guide.vtt")
    assert vtt.status_code == 201 and vtt.get_json()["url"].endswith(".vtt")
    with client.get(vtt.get_json()["url"]) as served:
        assert served.headers["Content-Type"].startswith("text/vtt") and "欢迎参观" in served.get_data(as_text=True)


def test_bad_media_is_refused_and_nothing_is_stored(app: Flask, client: FlaskClient,
                                                    curator_headers: dict[str, str]) -> None:
    before = _files(app)
    cases = [
        (_png_claiming(20000, 20000), "bomb.png", 413, "IMAGE_TOO_LARGE"),
        (b"not an image at all", "fake.png", 415, "IMAGE_UNREADABLE"),
        (_jpeg_with_gps()[:200], "cut.jpg", 415, "IMAGE_UNREADABLE"),
        (b"<html>hello</html>", "song.mp3", 415, "AUDIO_UNRECOGNISED"),
        (b"RIFF\x00\x00\x00\x00AVI ", "song.wav", 415, "AUDIO_UNRECOGNISED"),
        (b"1\n00:00.000 --> 00:01.000\nhi\n", "subs.vtt", 422, "CAPTIONS_NOT_WEBVTT"),
        (b"WEBVTT\n\xff\xfe", "subs.vtt", 422, "CAPTIONS_NOT_UTF8"),
        (b"GIF89a", "anim.gif", 415, "UNSUPPORTED_FILE_TYPE"),
    ]
    for data, name, status, code in cases:
        response = _upload(client, curator_headers, data, name)
        assert response.status_code == status, (name, response.get_json())
        assert response.get_json()["error"]["code"] == code, name
    assert _files(app) == before
