"""Films: what ffprobe refuses, and the renditions and poster ffmpeg makes, on films made here by ffmpeg itself."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from assets.errors import AssetRejected
from assets.video import _run_with_progress, make_renditions, probe, rendition_sizes


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True, capture_output=True, timeout=120)


def film(path: Path, size: str = "320x240", seconds: float = 2.0, sound: bool = True, extra: tuple[str, ...] = (),
         codec: tuple[str, ...] = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")) -> Path:
    """Make a test film: ffmpeg's moving test picture, with a tone when `sound`."""
    args = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}"]
    if sound:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a", "aac"]
    ffmpeg(*args, *codec, *extra, "-shortest", str(path))
    return path


def _boxes(data: bytes) -> list[bytes]:
    """Return the top-level box types of an MP4, in file order."""
    out, at = [], 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at:at + 4], "big")
        out.append(data[at + 4:at + 8])
        if size < 8:
            break
        at += size
    return out


def test_renditions_play_from_the_start_are_never_upscaled_and_have_a_poster(tmp_path: Path) -> None:
    source = film(tmp_path / "in.mp4", "1280x720", 3.0)
    seen: list[float] = []
    result = make_renditions(source, ".mp4", tmp_path / "out", seen.append)
    sizes = {r.name: (r.width, r.height) for r in result.renditions}
    assert sizes == {"small": (640, 360), "large": (1280, 720)}  # 1080 lines asked, 720 given: kept at 720
    for rendition in result.renditions:
        boxes = _boxes(rendition.path.read_bytes())
        assert boxes.index(b"moov") < boxes.index(b"mdat"), boxes  # the index first: playback starts at once
        made = probe(rendition.path, ".mp4")
        assert (made.video_codec, made.audio_codec) == ("h264", "aac")
        assert abs(made.seconds - 3.0) < 0.2
    assert seen and seen[-1] > 0.9 and seen == sorted(seen)
    poster = Image.open(io.BytesIO(result.poster_webp))
    assert poster.format == "WEBP" and poster.size == (1280, 720)
    assert result.stats["speed"] > 0


def test_a_phones_portrait_film_stays_upright_and_its_small_rendition_is_360_wide(tmp_path: Path) -> None:
    stored_sideways = film(tmp_path / "side.mp4", "640x480", 1.0, sound=False)
    rotated = tmp_path / "portrait.mov"
    ffmpeg("-i", str(stored_sideways), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(rotated))
    info = probe(rotated, ".mov")
    assert info.upright_size == (480, 640)
    result = make_renditions(rotated, ".mov", tmp_path / "out")
    small = next(r for r in result.renditions if r.name == "small")
    assert (small.width, small.height) == (360, 480)
    assert result.renditions[1].width < result.renditions[1].height


def test_rendition_sizes_count_lines_on_the_short_side() -> None:
    assert rendition_sizes((1920, 1080)) == [("small", 640, 360, "900k", "96k"), ("large", 1920, 1080, "5000k", "128k")]
    assert rendition_sizes((1080, 1920))[0][1:3] == (360, 640)
    assert rendition_sizes((321, 241))[0][1:3] == (320, 240)  # small already: kept, made even


@pytest.mark.parametrize("name, make, code, status", [
    ("random.mp4", lambda p: p.write_bytes(b"\x00" * 64), "VIDEO_UNRECOGNISED", 415),
    ("text.webm", lambda p: p.write_bytes(b"WEBVTT\n\n00:01.000 --> 00:02.000\nhello\n"), "VIDEO_UNRECOGNISED", 415),
    ("broken.mp4", lambda p: p.write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\xff" * 4000), "VIDEO_UNREADABLE", 422),
])
def test_files_that_are_not_films_are_refused_by_their_bytes(tmp_path: Path, name: str, make, code: str,  # type: ignore[no-untyped-def]
                                                             status: int) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(AssetRejected) as refused:
        probe(path, path.suffix)
    assert (refused.value.code, refused.value.status, refused.value.pointer) == (code, status, "/file")


def test_sound_only_a_webm_named_mp4_and_a_truncated_film_are_refused(tmp_path: Path) -> None:
    sound = tmp_path / "sound.mp4"
    ffmpeg("-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", str(sound))
    with pytest.raises(AssetRejected) as refused:
        probe(sound, ".mp4")
    assert refused.value.code == "VIDEO_NO_PICTURE"
    webm = film(tmp_path / "f.webm", sound=False, codec=("-c:v", "libvpx", "-deadline", "realtime"))
    named_mp4 = tmp_path / "f.mp4"
    named_mp4.write_bytes(webm.read_bytes())
    with pytest.raises(AssetRejected) as refused:
        probe(named_mp4, ".mp4")
    assert refused.value.status == 415
    assert probe(webm, ".webm").video_codec == "vp8"
    whole = film(tmp_path / "whole.mp4", seconds=2.0).read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(AssetRejected) as refused:
        make_renditions(cut, ".mp4", tmp_path / "out")
    assert refused.value.code == "VIDEO_UNREADABLE"


def test_a_picture_too_large_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    wide = film(tmp_path / "wide.mp4", "4160x64", 0.4, sound=False)
    with pytest.raises(AssetRejected) as refused:
        probe(wide, ".mp4")
    assert (refused.value.code, refused.value.status) == ("VIDEO_TOO_LARGE", 413)


def test_a_codec_browsers_cannot_be_given_is_refused(tmp_path: Path) -> None:
    odd = film(tmp_path / "odd.mov", sound=False, codec=("-c:v", "ffv1"))
    with pytest.raises(AssetRejected) as refused:
        probe(odd, ".mov")
    assert (refused.value.code, refused.value.status) == ("VIDEO_CODEC", 415)


def test_a_conversion_that_outlasts_its_time_is_killed() -> None:
    code, _errors = _run_with_progress([sys.executable, "-c", "import time; time.sleep(30)"], 0.5, 1.0, None)
    assert code is None
