"""The demo's room sounds, synthesised here: a quiet lobby hum with a soft chime, a clock in the history hall, and
data blips at the 5G hall's base station.

Each is a loop whose length is a whole number of its own periods, so it repeats without a click. They are kept as
WAV: an MP3 encoder pads the start and end with silence, which a browser's loop would play as a gap; at 22 kHz mono
the three together are about 700 KB. The numbers are the demo's choice: quiet, as a museum is.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

RATE = 22_050


@dataclass(frozen=True)
class DemoSound:
    """A room sound of the demo: where it belongs and sounds from, and its texts."""

    slug: str
    gallery: str
    kind: str  # ambient | spot
    position: tuple[float, float, float]
    radius_m: float
    volume: float
    title: dict[str, str]


SOUNDS = (
    DemoSound("lobby-hum", "lobby", "ambient", (0.0, 2.5, 0.0), 8.0, 0.35,
              {"zh-Hans": "序厅的环境声", "zh-Hant": "序廳的環境聲", "en": "The lobby's ambience"}),
    DemoSound("history-clock", "history-hall", "spot", (3.2, 1.6, -3.9), 4.0, 0.5,
              {"zh-Hans": "病房的挂钟", "zh-Hant": "病房的掛鐘", "en": "The ward clock"}),
    DemoSound("base-station-data", "smart-hospital-5g", "spot", (-6.6, 1.8, -4.9), 5.0, 0.45,
              {"zh-Hans": "5G 基站的数据声", "zh-Hant": "5G 基站的數據聲", "en": "The 5G base station's data"}),
)


def _tone(freq: float, seconds: float, decay: float) -> NDArray[np.float64]:
    t = np.arange(int(seconds * RATE)) / RATE
    return np.sin(2 * np.pi * freq * t) * np.exp(-t / decay)


def _lobby() -> NDArray[np.float64]:
    """Eight seconds of a low, soft hum (two slow-beating tones) with a two-note chime at the start."""
    t = np.arange(8 * RATE) / RATE
    hum = 0.05 * np.sin(2 * np.pi * 110 * t) + 0.04 * np.sin(2 * np.pi * 110.5 * t) + 0.02 * np.sin(2 * np.pi * 220 * t)
    out = hum.copy()
    chime = 0.25 * np.concatenate([_tone(880, 0.6, 0.35), _tone(660, 1.4, 0.5)])
    out[RATE // 2: RATE // 2 + len(chime)] += chime
    return out


def _clock() -> NDArray[np.float64]:
    """Four seconds of a clock: a tick and a softer tock each second."""
    out = np.zeros(4 * RATE)
    tick = 0.5 * _tone(2400, 0.03, 0.006)
    for second in range(4):
        start = second * RATE
        level = 1.0 if second % 2 == 0 else 0.6
        out[start:start + len(tick)] += level * tick
    return out


def _data() -> NDArray[np.float64]:
    """Four seconds of quick soft blips, a burst every second."""
    out = np.zeros(4 * RATE)
    blip = 0.3 * _tone(1320, 0.05, 0.02)
    for second in range(4):
        for k in range(3):
            start = second * RATE + k * int(0.09 * RATE)
            out[start:start + len(blip)] += blip
    return out


SYNTHS = {"lobby-hum": _lobby, "history-clock": _clock, "base-station-data": _data}


def _wav(samples: NDArray[np.float64]) -> bytes:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm)
    return buffer.getvalue()


def render(sound: DemoSound) -> bytes:
    """Return a sound's WAV file."""
    return _wav(SYNTHS[sound.slug]())
