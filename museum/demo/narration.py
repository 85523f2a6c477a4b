"""Synthetic narration for the demo: an exhibit's narration text spoken by espeak-ng, with WebVTT captions.

Each sentence is synthesised alone, so its length in the audio is known and becomes one caption cue; the sentences
are joined with a short pause and encoded as MP3 by lame when it is installed (every browser plays MP3), else kept
as WAV. Without espeak-ng the demo ships no recorded narration, and the exhibit panel reads the narration with the
device's own voice instead.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# espeak-ng's Mandarin voice that reads its dictionary's pinyin as pinyin (the plain `cmn` voice of espeak-ng 1.51
# reads the tone digits aloud in English); it knows simplified and traditional characters.
VOICES = {"zh-Hans": "cmn-latn-pinyin", "zh-Hant": "cmn-latn-pinyin", "en": "en-gb"}
WORDS_PER_MINUTE = {"zh-Hans": 150, "zh-Hant": 150, "en": 150}
PAUSE_S = 0.35
# A sentence ends at a Chinese full stop, question or exclamation mark (with any closing quote), or at ". " in English.
SENTENCE_END = re.compile(r"(?<=[。！？!?；;])[”」’』）)]*\s*|(?<=[.])\s+")


class SynthesisUnavailable(RuntimeError):
    """espeak-ng is not installed (or failed): the demo goes without recorded narration."""


@dataclass(frozen=True)
class Narration:
    """A synthesised narration: the audio file's bytes, its suffix, and WebVTT captions timed to its sentences."""

    audio: bytes
    suffix: str
    captions: str
    seconds: float
    cues: tuple[tuple[float, float, str], ...] = ()  # (start, end, sentence) of each caption


def sentences(text: str) -> list[str]:
    """Split a narration into sentences, each kept with its closing punctuation."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        start = 0
        for match in SENTENCE_END.finditer(paragraph):
            if match.end() <= start:
                continue
            piece = paragraph[start:match.end()].strip()
            if piece:
                out.append(piece)
            start = match.end()
        rest = paragraph[start:].strip()
        if rest:
            out.append(rest)
    return out


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def webvtt(cues: list[tuple[float, float, str]]) -> str:
    """Return WebVTT captions of (start, end, text) cues, numbered from 1."""
    blocks = ["WEBVTT"]
    for i, (start, end, text) in enumerate(cues, 1):
        blocks.append(f"{i}\n{_timestamp(start)} --> {_timestamp(end)}\n{text.replace('-->', '→')}")
    return "\n\n".join(blocks) + "\n"


def available() -> bool:
    """Return whether espeak-ng can be run here."""
    return shutil.which("espeak-ng") is not None


def _speak(sentence: str, lang: str, out: Path) -> None:
    if shutil.which("espeak-ng") is None:
        raise SynthesisUnavailable("espeak-ng is not installed (Debian package espeak-ng)")
    done = subprocess.run(["espeak-ng", "-b", "1", "-v", VOICES[lang], "-s", str(WORDS_PER_MINUTE[lang]),
                           "-w", str(out), "--", sentence], capture_output=True, timeout=120)
    if done.returncode != 0 or not out.is_file():
        raise SynthesisUnavailable(f"espeak-ng failed: {done.stderr.decode(errors='replace')[:200]}")


def _encode(wav: bytes, workdir: Path) -> tuple[bytes, str]:
    """Return MP3 bytes when lame is installed, else the WAV itself."""
    if shutil.which("lame") is None:
        log.info("lame is not installed: the demo's narration stays WAV")
        return wav, ".wav"
    source, target = workdir / "narration.wav", workdir / "narration.mp3"
    source.write_bytes(wav)
    done = subprocess.run(["lame", "--quiet", "-m", "m", "-b", "48", str(source), str(target)],
                          capture_output=True, timeout=300)
    if done.returncode != 0 or not target.is_file():
        log.warning("lame failed (%s): the demo's narration stays WAV", done.stderr.decode(errors="replace")[:200])
        return wav, ".wav"
    return target.read_bytes(), ".mp3"


def synthesize(text: str, lang: str) -> Narration:
    """Speak a narration sentence by sentence; return the audio with one caption cue per sentence."""
    parts = sentences(text)
    if not parts:
        raise ValueError("nothing to narrate")
    with tempfile.TemporaryDirectory(prefix="narration-") as tmp:
        workdir = Path(tmp)
        frames: list[bytes] = []
        params = None
        cues: list[tuple[float, float, str]] = []
        clock = 0.0
        for i, sentence in enumerate(parts):
            path = workdir / f"{i}.wav"
            _speak(sentence, lang, path)
            with wave.open(str(path), "rb") as piece:
                if params is None:
                    params = piece.getparams()
                rate = piece.getframerate()
                data = piece.readframes(piece.getnframes())
            seconds = len(data) / (rate * params.sampwidth * params.nchannels)
            cues.append((clock, clock + seconds, sentence))
            frames.append(data)
            clock += seconds
            if i < len(parts) - 1:
                silence = int(PAUSE_S * rate) * params.sampwidth * params.nchannels
                frames.append(b"\x00" * silence)
                clock += PAUSE_S
        assert params is not None
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(params.nchannels)
            out.setsampwidth(params.sampwidth)
            out.setframerate(params.framerate)
            out.writeframes(b"".join(frames))
        audio, suffix = _encode(buffer.getvalue(), workdir)
    return Narration(audio=audio, suffix=suffix, captions=webvtt(cues), seconds=clock, cues=tuple(cues))
