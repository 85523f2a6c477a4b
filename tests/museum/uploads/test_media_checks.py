"""Images, audio and captions uploaded by curators: checked, cleaned and stored at once; bad files refused."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from museum.uploads.media_checks import DECODE_BUDGET
from tests.museum.uploads.test_api import _files, _upload
from tests.pictures import png_claiming


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn right
    exif[0x8825] = {1: "N", 2: (22.0, 33.0, 44.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


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


def mp3_frames(count: int = 40) -> bytes:
    """Return `count` silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, 417 bytes each): about a second."""
    return (b"\xff\xfb\x90\x00" + b"\x00" * 413) * count


def test_audio_and_captions(client: FlaskClient, curator_headers: dict[str, str]) -> None:
    mp3 = _upload(client, curator_headers, b"ID3\x04\x00\x00\x00\x00\x00\x00" + mp3_frames(), "guide.mp3")
    assert mp3.status_code == 201 and mp3.get_json()["media_type"] == "audio/mpeg"
    vtt = _upload(client, curator_headers, "WEBVTT\n\n00:00.000 --> 00:02.000\n欢迎参观\n".encode(), "guide.vtt")
    assert vtt.status_code == 201 and vtt.get_json()["url"].endswith(".vtt")
    with client.get(vtt.get_json()["url"]) as served:
        assert served.headers["Content-Type"].startswith("text/vtt") and "欢迎参观" in served.get_data(as_text=True)


def test_bad_media_is_refused_and_nothing_is_stored(app: Flask, client: FlaskClient,
                                                    curator_headers: dict[str, str]) -> None:
    before = _files(app)
    cases = [
        (png_claiming(20000, 20000), "bomb.png", 413, "IMAGE_TOO_LARGE"),
        (b"not an image at all", "fake.png", 415, "IMAGE_UNREADABLE"),
        (_jpeg_with_gps()[:200], "cut.jpg", 415, "IMAGE_UNREADABLE"),
        (b"<html>hello</html>", "song.mp3", 415, "AUDIO_UNRECOGNISED"),
        (b"RIFF\x00\x00\x00\x00AVI ", "song.wav", 415, "AUDIO_UNRECOGNISED"),
        # They start like audio, and were kept as audio no visitor could play.
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64, "song.mp3", 415, "AUDIO_UNREADABLE"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\xff" * 24, "song.wav", 415, "AUDIO_UNREADABLE"),
        (b"OggS" + b"\x00" * 60, "song.ogg", 415, "AUDIO_UNREADABLE"),
        (mp3_frames(), "song.ogg", 415, "AUDIO_UNRECOGNISED"),
        (b"WEBVTT\n\n00:05.000 --> 00:02.000\nbackwards\n", "subs.vtt", 422, "CAPTIONS_BAD_TIMING"),
        (b"WEBVTT\n\n5 sec --> 10 sec\nhi\n", "subs.vtt", 422, "CAPTIONS_BAD_TIMING"),
        (b"WEBVTT\n\nNOTE nothing else\n", "subs.vtt", 422, "CAPTIONS_NO_CUES"),
        (b"1\n00:00.000 --> 00:01.000\nhi\n", "subs.vtt", 422, "CAPTIONS_NOT_WEBVTT"),
        (b"WEBVTT\n\xff\xfe", "subs.vtt", 422, "CAPTIONS_NOT_UTF8"),
        (b"GIF89a", "anim.gif", 415, "UNSUPPORTED_FILE_TYPE"),
    ]
    for data, name, status, code in cases:
        response = _upload(client, curator_headers, data, name)
        assert response.status_code == status, (name, response.get_json())
        assert response.get_json()["error"]["code"] == code, name
    assert _files(app) == before


PICTURES = """
import resource, sys, threading
from assets.memory import give_back_large_blocks
give_back_large_blocks()  # as a web process does
from museum.uploads.media_checks import check_media
png, jpeg = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
done = []
threads = [threading.Thread(target=lambda i=i: done.append(check_media(*((png, ".png") if i % 2 else (jpeg, ".jpg")))))
           for i in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert len(done) == 6 and all(d.media_type == "image/webp" for d in done)
print(before * 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


@pytest.mark.slow
def test_six_36_megapixel_pictures_at_once_stay_within_the_decode_budget(tmp_path: Path) -> None:
    # Before the budget, six such uploads at once took a web process to 2.6 GB (each picture decoded, turned and
    # converted at full size); now they take their turns within DECODE_BUDGET (300 MB over the start, measured).
    ys, xs = np.mgrid[0:6000, 0:6000].astype(np.uint16)
    picture = Image.fromarray(np.stack([xs % 256, ys % 256, (xs + ys) % 256], -1).astype(np.uint8))
    picture.save(tmp_path / "big.png", compress_level=1)
    picture.save(tmp_path / "big.jpg", quality=90)
    done = subprocess.run([sys.executable, "-c", PICTURES, str(tmp_path / "big.png"), str(tmp_path / "big.jpg")],
                          cwd=Path(__file__).resolve().parents[3], capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    before, peak = map(int, done.stdout.split()[-2:])
    assert peak - before <= DECODE_BUDGET, f"{(peak - before) >> 20} MB over the start"
