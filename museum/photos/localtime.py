"""The museum's local time (MUSEUM_TIMEZONE, default Asia/Shanghai), written the way a guest reads it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"
# Languages the share page speaks, and how each names the museum's zone (guests think "Beijing time").
_ZONE_NAMES = {
    "Asia/Shanghai": {"zh-Hans": "北京时间", "zh-Hant": "北京時間", "en": "China Standard Time"},
    "Asia/Hong_Kong": {"zh-Hans": "香港时间", "zh-Hant": "香港時間", "en": "Hong Kong Time"},
    "Asia/Taipei": {"zh-Hans": "台北时间", "zh-Hant": "台北時間", "en": "Taipei Time"},
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def zone(name: str | None) -> ZoneInfo:
    """Return the museum's time zone; an unknown name falls back to the default rather than failing a guest."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def local_time(moment: datetime, zone_name: str | None) -> datetime:
    """Return `moment` (aware, or naive UTC as SQLite gives it back) in the museum's time zone."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone(zone_name))


def format_local(moment: datetime, zone_name: str | None, lang: str) -> str:
    """Return a date and time in the museum's zone as a guest of `lang` (zh-Hans, zh-Hant, en) writes it."""
    local = local_time(moment, zone_name)
    key = zone(zone_name).key
    names = _ZONE_NAMES.get(key)
    if lang.startswith("zh"):
        label = names[lang if lang in ("zh-Hans", "zh-Hant") else "zh-Hans"] if names else local.strftime("UTC%z")
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}（{label}）"
    label = names["en"] if names else local.tzname() or local.strftime("UTC%z")
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}, {local:%H:%M} ({label})"
