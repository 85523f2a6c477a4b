"""Languages of the museum: which texts exist, which language a visitor gets, and the fallback chain."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

Lang = Literal["zh-Hans", "zh-Hant", "en"]  # as a payload's field type
LANGS: tuple[str, ...] = get_args(Lang)

# The order in which translations are tried when the asked-for language is missing.
FALLBACK: dict[str, tuple[str, ...]] = {
    "zh-Hans": ("zh-Hans", "zh-Hant", "en"),
    "zh-Hant": ("zh-Hant", "zh-Hans", "en"),
    "en": ("en", "zh-Hans", "zh-Hant"),
}

# Accept-Language tags (lower case) mapped to the museum's languages.
_TAGS: dict[str, str] = {
    "zh-hans": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-my": "zh-Hans", "zh": "zh-Hans",
    "zh-hans-cn": "zh-Hans",
    "zh-hant": "zh-Hant", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant", "zh-hant-tw": "zh-Hant",
    "zh-hant-hk": "zh-Hant",
    "en": "en",
}

I18nText = dict[str, str]


def normalise_lang(tag: str | None) -> str | None:
    """Return the museum language for a language tag, or None when it has none."""
    if not tag:
        return None
    low = tag.strip().lower().replace("_", "-")
    if low in _TAGS:
        return _TAGS[low]
    if low.startswith("en"):
        return "en"
    if low.startswith("zh"):
        if "hant" in low or low.endswith(("-tw", "-hk", "-mo")):
            return "zh-Hant"
        return "zh-Hans"
    return None


def parse_accept_language(header: str | None) -> list[str]:
    """Return the museum languages an Accept-Language header asks for, best first."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        bits = part.strip().split(";")
        quality = 1.0
        for bit in bits[1:]:
            key, _, value = bit.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        lang = normalise_lang(bits[0])
        if lang and quality > 0:
            weighted.append((-quality, index, lang))
    seen: list[str] = []
    for _, _, lang in sorted(weighted):
        if lang not in seen:
            seen.append(lang)
    return seen


def negotiate(query_lang: str | None, accept_language: str | None, default: str = "zh-Hans") -> str:
    """Pick the language of a response: ?lang= first, then Accept-Language, then the default."""
    explicit = normalise_lang(query_lang)
    if explicit:
        return explicit
    asked = parse_accept_language(accept_language)
    return asked[0] if asked else default


def pick(text: Mapping[str, str] | None, lang: str) -> str:
    """Return the text in `lang`, falling back along the chain; empty when no language has it."""
    if not text:
        return ""
    for candidate in FALLBACK.get(lang, LANGS):
        value = text.get(candidate)
        if value:
            return value
    return ""


def missing_langs(text: Mapping[str, str] | None) -> list[str]:
    """Return the languages a text has not been translated into yet."""
    return [lang for lang in LANGS if not (text or {}).get(lang, "").strip()]


def clean(text: Mapping[str, object] | None) -> I18nText:
    """Return a text with only the museum's languages and string values."""
    if not text:
        return {}
    return {lang: str(text[lang]) for lang in LANGS if isinstance(text.get(lang), str)}
