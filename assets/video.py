"""Curators' films: an upload's streams read by ffprobe, its renditions and poster frame made by ffmpeg.

A film is checked before anything is queued: its first bytes must be those of its container (an MP4 or QuickTime
`ftyp` box, WebM's EBML header), and ffprobe must find a picture stream of a known codec, a length of at most
`MAX_SECONDS` and at most `MAX_SIDE` pixels on a side. What fails is an `AssetRejected` naming the problem, a 4xx.

The renditions are what every phone and desktop browser plays: H.264 (main profile, 4:2:0) with AAC sound in an MP4
whose index is at the front (`+faststart`), so playback starts before the file has arrived and Range requests serve
the rest. Both sizes come from one decode of the upload (`split` in one ffmpeg run): `small` is 360 lines for phones,
`large` at most 1080 lines for desktops and headsets; an upload smaller than a size is never scaled up. The poster is
a frame a little way in, as WebP.

Every run of ffprobe and ffmpeg is bounded: in time (a timeout grown with the film's length), in memory (the address
space of the child, set by util-linux's `prlimit`) and in CPU threads, so a hostile file costs at most that.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assets.errors import AssetRejected, ToolMissing

MEDIA_TYPES = {".mp4": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm"}
MAX_SECONDS = 30 * 60
MAX_SIDE = 4096
VIDEO_CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "prores", "mjpeg", "mpeg2video"})
# name, lines (at most), video bitrate cap, audio bitrate
RENDITIONS: tuple[tuple[str, int, str, str], ...] = (("small", 360, "900k", "96k"), ("large", 1080, "5000k", "128k"))
PROBE_TIMEOUT_S = 30
MEMORY_LIMIT = 2 << 30  # address space of one ffprobe or ffmpeg run
THREADS = 2
_QUICKTIME_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")


@dataclass(frozen=True)
class Probe:
    """What ffprobe read from a film: its picture size, length, codecs and container."""

    width: int
    height: int
    seconds: float
    video_codec: str
    audio_codec: str | None
    container: str
    rotation: int = 0

    @property
    def upright_size(self) -> tuple[int, int]:
        """Return the picture size as it is shown (a phone's portrait film is stored on its side)."""
        return (self.height, self.width) if self.rotation % 180 == 90 else (self.width, self.height)


@dataclass(frozen=True)
class Rendition:
    """One made rendition: its file, size in pixels, length and bytes."""

    name: str
    path: Path
    width: int
    height: int
    seconds: float
    bytes: int


@dataclass
class FilmResult:
    """The renditions and poster made from an upload, with the upload's own probe and the time it took."""

    probe: Probe
    renditions: list[Rendition]
    poster_webp: bytes
    seconds_taken: float
    stats: dict[str, Any] = field(default_factory=dict)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} is not installed (Debian package ffmpeg); films cannot be processed.")
    return path


def _bounded(args: list[str]) -> list[str]:
    """Return a command line that runs with at most MEMORY_LIMIT bytes of address space."""
    prlimit = shutil.which("prlimit")
    return [prlimit, f"--as={MEMORY_LIMIT}", "--core=0", *args] if prlimit else args


def check_header(head: bytes, suffix: str) -> None:
    """Refuse a file whose first bytes are not those of the container its suffix names."""
    if suffix == ".webm":
        ok = head.startswith(b"\x1a\x45\xdf\xa3")
    elif suffix == ".mp4":
        ok = head[4:8] == b"ftyp"
    else:
        ok = head[4:8] in _QUICKTIME_BOXES
    if not ok:
        raise AssetRejected("VIDEO_UNRECOGNISED", f"This file does not start like a {suffix} film.", "/file", 415)


def probe(path: Path, suffix: str) -> Probe:
    """Read a film's streams and refuse what cannot be shown: raise AssetRejected naming the problem."""
    with path.open("rb") as handle:
        check_header(handle.read(16), suffix)
    args = [_tool("ffprobe"), "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
            "-probesize", "32M", "-analyzeduration", "20M", str(path)]
    try:
        proc = subprocess.run(_bounded(args), capture_output=True, timeout=PROBE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise AssetRejected("VIDEO_UNREADABLE", "Reading this film took too long; it may be damaged.",
                            "/file") from exc
    try:
        info = json.loads(proc.stdout or b"{}")
    except ValueError:
        info = {}
    streams = info.get("streams") or []
    if proc.returncode != 0 or not streams:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1][:160] if detail else "no streams found"
        raise AssetRejected("VIDEO_UNREADABLE", f"This file cannot be read as a film: {reason}", "/file")
    container = str((info.get("format") or {}).get("format_name", ""))
    expected = "webm" if suffix == ".webm" else "mp4"
    if expected not in container.split(",") and not (suffix == ".mov" and "mov" in container.split(",")):
        raise AssetRejected("VIDEO_UNRECOGNISED", f"This {suffix} file holds a {container or 'unknown'} container.",
                            "/file", 415)
    pictures = [s for s in streams if s.get("codec_type") == "video"
                and not (s.get("disposition") or {}).get("attached_pic")]
    if not pictures:
        raise AssetRejected("VIDEO_NO_PICTURE", "This file holds no moving picture (sound only?). Upload sound "
                                                "as .mp3, .ogg, .m4a or .wav.", "/file")
    video = pictures[0]
    codec = str(video.get("codec_name", ""))
    if codec not in VIDEO_CODECS:
        raise AssetRejected("VIDEO_CODEC", f"Films in {codec or 'an unknown codec'} are not accepted; export as "
                                           "H.264, HEVC, VP9 or AV1.", "/file", 415)
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    if not (16 <= width <= MAX_SIDE and 16 <= height <= MAX_SIDE):
        raise AssetRejected("VIDEO_TOO_LARGE", f"The film's picture is {width}x{height}; each side must be 16 to "
                                               f"{MAX_SIDE} pixels.", "/file", 413)
    seconds = _seconds(info.get("format") or {}, video)
    if not 0.2 <= seconds <= MAX_SECONDS:
        raise AssetRejected("VIDEO_LENGTH", f"The film lasts {seconds:.1f} s; films of 0.2 s to "
                                            f"{MAX_SECONDS // 60} minutes are accepted.", "/file")
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    return Probe(width=width, height=height, seconds=seconds, video_codec=codec,
                 audio_codec=str(audio.get("codec_name")) if audio else None, container=container,
                 rotation=_rotation(video))


def _seconds(fmt: dict[str, Any], video: dict[str, Any]) -> float:
    for value in (fmt.get("duration"), video.get("duration")):
        try:
            seconds = float(str(value))
        except (TypeError, ValueError):
            continue
        if seconds == seconds and seconds > 0:  # not NaN
            return seconds
    return 0.0


def _rotation(video: dict[str, Any]) -> int:
    for side in video.get("side_data_list") or []:
        if "rotation" in side:
            try:
                return int(float(side["rotation"])) % 360
            except (TypeError, ValueError):
                return 0
    try:
        return int((video.get("tags") or {}).get("rotate", 0)) % 360
    except (TypeError, ValueError):
        return 0


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def rendition_sizes(upright: tuple[int, int]) -> list[tuple[str, int, int, str, str]]:
    """Return (name, width, height, video bitrate, audio bitrate) of each rendition; never larger than the upload.

    The lines are counted on the picture's shorter side, so a portrait film's small rendition is 360 wide.
    """
    width, height = upright
    out = []
    for name, lines, vbit, abit in RENDITIONS:
        scale = min(1.0, lines / min(width, height))
        out.append((name, _even(width * scale), _even(height * scale), vbit, abit))
    return out


def make_renditions(source: Path, suffix: str, workdir: Path,
                    progress: Callable[[float], None] | None = None) -> FilmResult:
    """Probe a film and make its renditions and poster in `workdir`; raise AssetRejected for a bad file.

    `progress` is called with the fraction of the film converted so far, as ffmpeg reports it.
    """
    started = time.monotonic()
    info = probe(source, suffix)
    workdir.mkdir(parents=True, exist_ok=True)
    sizes = rendition_sizes(info.upright_size)
    graph = [f"[0:v:0]split={len(sizes)}" + "".join(f"[v{i}]" for i in range(len(sizes)))]
    for i, (_name, width, height, _vbit, _abit) in enumerate(sizes):
        graph.append(f"[v{i}]scale={width}:{height}:flags=bicubic,setsar=1,format=yuv420p[out{i}]")
    args = [_tool("ffmpeg"), "-nostdin", "-hide_banner", "-v", "error", "-y", "-threads", str(THREADS),
            "-i", str(source), "-filter_complex", ";".join(graph)]
    outputs = []
    for i, (name, _width, _height, vbit, abit) in enumerate(sizes):
        target = workdir / f"{name}.mp4"
        args += ["-map", f"[out{i}]", "-map", "0:a:0?", "-t", str(MAX_SECONDS),
                 "-c:v", "libx264", "-preset", "superfast", "-profile:v", "main", "-crf", "23",
                 "-maxrate", vbit, "-bufsize", _double(vbit),
                 "-g", "48", "-threads", str(THREADS),
                 "-c:a", "aac", "-b:a", abit, "-ac", "2", "-ar", "48000",
                 "-movflags", "+faststart", "-map_metadata", "-1", "-map_chapters", "-1", str(target)]
        outputs.append((name, target))
    timeout = 120 + 4 * info.seconds
    returncode, errors = _run_with_progress(_bounded(args + ["-progress", "pipe:1", "-nostats"]), timeout,
                                            info.seconds, progress)
    if returncode is None:
        raise AssetRejected("VIDEO_TOO_SLOW", f"Making this film's renditions took over {timeout:.0f} s.", "/file")
    if returncode != 0:
        detail = errors.strip().splitlines()
        raise AssetRejected("VIDEO_UNREADABLE", "This film could not be converted: "
                            + (detail[-1][:160] if detail else f"ffmpeg exited {returncode}"), "/file")
    renditions = []
    for name, target in outputs:
        made = probe(target, ".mp4")
        renditions.append(Rendition(name=name, path=target, width=made.width, height=made.height,
                                    seconds=made.seconds, bytes=target.stat().st_size))
    poster = poster_frame(renditions[-1].path, renditions[-1].seconds)
    taken = time.monotonic() - started
    speed = round(info.seconds / taken, 2) if taken else None  # seconds of film made per second
    return FilmResult(probe=info, renditions=renditions, poster_webp=poster, seconds_taken=taken,
                      stats={"seconds_taken": round(taken, 2), "speed": speed})


def _run_with_progress(args: list[str], timeout: float, seconds: float,
                       progress: Callable[[float], None] | None) -> tuple[int | None, str]:
    """Run ffmpeg with `-progress pipe:1`, report how far it is, and kill it at the timeout.

    Return its exit status (None when it was killed for time) and what it wrote on stderr.
    """
    killed = threading.Event()
    proc: subprocess.Popen[bytes]

    def kill() -> None:
        killed.set()
        proc.kill()

    with tempfile.TemporaryFile() as errors, subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors,
                                                              stdin=subprocess.DEVNULL) as proc:
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            assert proc.stdout is not None
            for raw in proc.stdout:
                key, _, value = raw.decode("ascii", "replace").strip().partition("=")
                if key == "out_time_us" and progress is not None and seconds > 0 and value.isdigit():
                    progress(min(1.0, int(value) / 1e6 / seconds))
            proc.wait()
        finally:
            timer.cancel()
            if proc.poll() is None:  # the caller's progress failed: leave no ffmpeg behind
                proc.kill()
                proc.wait()
        errors.seek(0)
        text = errors.read(64 * 1024).decode("utf-8", "replace")
    return (None if killed.is_set() else proc.returncode), text


def _double(bitrate: str) -> str:
    return f"{int(bitrate.rstrip('k')) * 2}k"


def poster_frame(path: Path, seconds: float) -> bytes:
    """Return a frame a little way into a rendition (past any fade-in), as WebP."""
    from PIL import Image

    at = min(max(seconds * 0.15, 0.0), 5.0, max(seconds - 0.1, 0.0))
    args = [_tool("ffmpeg"), "-nostdin", "-hide_banner", "-v", "error", "-ss", f"{at:.2f}", "-i", str(path),
            "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "-"]
    proc = subprocess.run(_bounded(args), capture_output=True, timeout=60, check=False)
    if proc.returncode != 0 or not proc.stdout:
        raise AssetRejected("VIDEO_UNREADABLE", "No frame of this film could be read for its poster.", "/file")
    image = Image.open(io.BytesIO(proc.stdout)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "WEBP", quality=82, method=4)
    return out.getvalue()
