"""The Chinese keys of the inquiry kiosk's on-screen keyboard, taken from the catalogue's own titles.

A touch screen without a pinyin input method needs another way to type Chinese. The kiosk offers the characters
that the published titles (exhibits, galleries, timeline events) are written with, most frequent first, and after
each typed character the characters that follow it in some title; whole titles that contain what was typed are
offered as suggestions. Everything that can be found can so be typed in a few touches, without strokes or pinyin.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.core.i18n import pick
from museum.inquiry.payloads import InquiryKeyboard
from museum.models import Exhibit, Gallery, Status, TimelineEvent

MAX_CHARACTERS = 60
MAX_TERMS = 300


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def keyboard(session: Session, lang: str) -> InquiryKeyboard:
    """Return the published titles in a language and, for Chinese, their characters by frequency."""
    terms: list[str] = []
    for model in (Gallery, Exhibit, TimelineEvent):
        rows = session.scalars(select(model.title).where(model.status == Status.PUBLISHED.value))
        for title in rows:
            text = " ".join(pick(title, lang).split())
            if text and text not in terms:
                terms.append(text)
    counts: Counter[str] = Counter(ch for term in terms for ch in term if _is_han(ch))
    characters = [ch for ch, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))][:MAX_CHARACTERS]
    return InquiryKeyboard(lang=lang, characters=characters if lang != "en" else [], terms=terms[:MAX_TERMS])
