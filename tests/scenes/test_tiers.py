"""Device tiers as pure functions: which tier a device gets, and the files that keep a gallery in budget."""

from __future__ import annotations

from dataclasses import dataclass

from scenes.tiers import BUDGETS, choose_tiers, pick_tier, tier_for_device


@dataclass(frozen=True)
class File:
    tier: str
    bytes: int
    triangles: int = 1_000
    draw_calls: int = 1


PIXEL = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
QUEST = "Mozilla/5.0 (X11; Linux x86_64; Quest 3) AppleWebKit/537.36 OculusBrowser/35.0 Chrome/130.0 VR Safari/537.36"
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def test_the_tier_comes_from_the_query_then_hints_then_the_default() -> None:
    assert tier_for_device("vr", PIXEL, save_data=False, mobile_hint=False) == ("vr", "query")
    assert tier_for_device(None, QUEST, save_data=False, mobile_hint=False) == ("vr", "hints")
    assert tier_for_device(None, PIXEL, save_data=False, mobile_hint=False) == ("phone", "hints")
    assert tier_for_device(None, DESKTOP, save_data=True, mobile_hint=False) == ("phone", "hints")
    assert tier_for_device(None, DESKTOP, save_data=False, mobile_hint=True) == ("phone", "hints")
    assert tier_for_device(None, DESKTOP, save_data=False, mobile_hint=False) == ("desktop", "default")
    assert tier_for_device("nonsense", DESKTOP, save_data=False, mobile_hint=False) == ("desktop", "default")


def test_a_missing_tier_falls_back_in_order() -> None:
    files = {"desktop": File("desktop", 10), "original": File("original", 20)}
    assert pick_tier(files, "phone") == files["desktop"]
    assert pick_tier(files, "vr") == files["desktop"]
    assert pick_tier({"original": File("original", 20)}, "desktop") == File("original", 20)
    assert pick_tier({}, "phone") is None


def test_over_budget_exhibits_fall_back_to_phone_largest_first_until_the_gallery_fits() -> None:
    limit = BUDGETS["desktop"]["bytes"]
    room = {"desktop": File("desktop", limit // 2)}
    big = {"desktop": File("desktop", limit // 2), "phone": File("phone", 1_000)}
    small = {"desktop": File("desktop", limit // 4), "phone": File("phone", 500)}
    only_original = {"original": File("original", 100)}
    choice = choose_tiers("desktop", room, {1: ("big", big), 2: ("small", small), 3: ("odd", only_original)})
    assert choice.chosen == {1: big["phone"], 2: small["desktop"], 3: only_original["original"]}
    assert choice.fallbacks == [
        {"exhibit": "odd", "wanted": "desktop", "used": "original", "reason": "tier_missing"},
        {"exhibit": "big", "wanted": "desktop", "used": "phone", "reason": "over_budget"},
    ]
    assert choice.totals["bytes"] == limit // 2 + 1_000 + limit // 4 + 100
    assert choice.within_budget and choice.budget == BUDGETS["desktop"]


def test_a_gallery_that_cannot_fit_says_so() -> None:
    huge = {"phone": File("phone", BUDGETS["phone"]["bytes"] + 1)}
    choice = choose_tiers("phone", huge, {})
    assert not choice.within_budget and choice.fallbacks == []
