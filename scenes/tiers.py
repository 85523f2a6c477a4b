"""Device tiers of a gallery: which tier a device gets, and which file of each exhibit keeps the gallery in budget.

Per-gallery budgets by device tier (everything the manifest lists, room included):

| tier    | bytes  | triangles | draw calls | why                                                              |
|---------|--------|-----------|------------|------------------------------------------------------------------|
| phone   | 8 MB   | 300 000   | 150        | a mid-range phone on 4G: a few seconds to load, 30-60 fps        |
| desktop | 40 MB  | 1 500 000 | 500        | a laptop GPU on broadband                                        |
| vr      | 24 MB  | 750 000   | 250        | a standalone headset (Quest-class) at 72-90 fps, two eye views  |

A tier a model lacks falls back along TIER_FALLBACK. When the chosen files are over budget, exhibits fall back to
their phone tier, largest first, until the gallery fits; each fallback is listed. Pure functions of plain values:
no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

TIERS = ("phone", "desktop", "vr")
BUDGETS: dict[str, dict[str, int]] = {
    "phone": {"bytes": 8_000_000, "triangles": 300_000, "draw_calls": 150},
    "desktop": {"bytes": 40_000_000, "triangles": 1_500_000, "draw_calls": 500},
    "vr": {"bytes": 24_000_000, "triangles": 750_000, "draw_calls": 250},
}
TIER_FALLBACK: dict[str, tuple[str, ...]] = {
    "phone": ("phone", "desktop", "original"),
    "desktop": ("desktop", "original", "phone"),
    "vr": ("vr", "phone", "desktop", "original"),
}

_VR_AGENTS = ("oculusbrowser", "quest", "pico", "wolvic", "vive", "mobile vr")
_PHONE_AGENTS = ("mobile", "android", "iphone", "ipod", "harmonyos", "micromessenger")


class TierFile(Protocol):
    """What the budget needs to know of one stored tier file."""

    @property
    def tier(self) -> str: ...

    @property
    def bytes(self) -> int: ...

    @property
    def triangles(self) -> int: ...

    @property
    def draw_calls(self) -> int: ...


F = TypeVar("F", bound=TierFile)


def tier_for_device(asked: str | None, user_agent: str, save_data: bool, mobile_hint: bool) -> tuple[str, str]:
    """Return the tier for a device and where it came from: the asked tier ("query"), hints, or the default."""
    if asked in TIERS:
        return asked, "query"
    hinted = _hinted_tier(user_agent, save_data, mobile_hint)
    return (hinted, "hints") if hinted else ("desktop", "default")


@lru_cache(maxsize=1024)
def _hinted_tier(user_agent: str, save_data: bool, mobile_hint: bool) -> str:
    # Cached: every uncached manifest request asks, with one of a few hundred user agents.
    agent = user_agent.lower()
    if any(a in agent for a in _VR_AGENTS):
        return "vr"
    if save_data or mobile_hint or any(a in agent for a in _PHONE_AGENTS):
        return "phone"
    return ""


def pick_tier(files: Mapping[str, F], tier: str) -> F | None:
    """Return a model's file for a tier, falling back along TIER_FALLBACK (files by tier name)."""
    for name in TIER_FALLBACK[tier]:
        if name in files:
            return files[name]
    return None


@dataclass
class TierChoice(Generic[F]):
    """The files a gallery uses at one tier: the room's, each exhibit's (by key), what fell back, the totals."""

    tier: str
    room: F | None
    chosen: dict[int, F | None]
    fallbacks: list[dict[str, str]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def budget(self) -> dict[str, int]:
        """Return the tier's budget."""
        return BUDGETS[self.tier]

    @property
    def within_budget(self) -> bool:
        """Return whether the totals fit the tier's budget."""
        return not _over(self.totals, self.tier)


def _totals(files: Sequence[TierFile | None]) -> dict[str, int]:
    present = [f for f in files if f is not None]
    return {"bytes": sum(f.bytes for f in present), "triangles": sum(f.triangles for f in present),
            "draw_calls": sum(f.draw_calls for f in present)}


def _over(totals: Mapping[str, int], tier: str) -> bool:
    return any(totals[k] > limit for k, limit in BUDGETS[tier].items())


def _bytes(file: TierFile | None) -> int:
    return file.bytes if file is not None else 0


def choose_tiers(tier: str, room: Mapping[str, F],
                 exhibits: Mapping[int, tuple[str, Mapping[str, F]]]) -> TierChoice[F]:
    """Choose the room's and every placed exhibit's file for a tier within its budget.

    `room` and each exhibit's files map tier names to files; `exhibits` maps a placement's key to the exhibit's
    name (as fallbacks list it) and its files.
    """
    chosen = {key: pick_tier(files, tier) for key, (_, files) in exhibits.items()}
    choice = TierChoice(tier, pick_tier(room, tier), chosen)
    for key, used in chosen.items():
        if used is not None and used.tier != tier:
            choice.fallbacks.append({"exhibit": exhibits[key][0], "wanted": tier, "used": used.tier,
                                     "reason": "tier_missing"})
    choice.totals = _totals([choice.room, *chosen.values()])
    if _over(choice.totals, tier):
        for key in sorted(exhibits, key=lambda k: -_bytes(chosen[k])):
            name, files = exhibits[key]
            lighter, current = files.get("phone"), chosen[key]
            if lighter is not None and current is not None and lighter.bytes < current.bytes:
                chosen[key] = lighter
                choice.fallbacks.append({"exhibit": name, "wanted": tier, "used": "phone", "reason": "over_budget"})
                choice.totals = _totals([choice.room, *chosen.values()])
                if not _over(choice.totals, tier):
                    break
    return choice
