"""What changed in a piece of content, for the reviewer: texts word by word, placements as moves, the rest as values.

The base a change is measured against:
- content published with changes waiting: the published version visitors see now;
- content that was published once and is a draft again: the last published revision;
- content never published: the newest earlier revision that differs (nothing at all for content just created).

Texts are compared per language, word by word (Chinese character by character) with difflib; placements are
matched by id, so an exhibit moved, turned, rescaled, given another plinth, added or removed is named as such.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.core.i18n import LANGS
from museum.models import Exhibit, Revision, Status
from museum.studio import revisions
from museum.studio.content import document
from museum.studio.documents import READ_ONLY, Kind
from museum.studio.payloads import ChangeBase, Changes, FieldChange, PlacementChange, TextChange

MAX_ITEMS = 200
# A token is one CJK character, or a word or another character with the spaces after it (so a word comes and goes
# with its space), or spaces alone.
_TOKEN = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]|\w+\s*|[^\w\s]\s*|\s+", re.UNICODE)
_PLACEMENT_FIELDS = ("translation", "rotation_deg", "scale", "target_size_m", "mount", "plinth", "label",
                     "exhibit_id")


def word_ops(before: str, after: str) -> list[list[str]]:
    """Return the steps from one text to another as [["equal"|"delete"|"insert", text], ...]."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    ops: list[list[str]] = []

    def add(op: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if ops and ops[-1][0] == op:
            ops[-1][1] += text
        else:
            ops.append([op, text])

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i0, i1, j0, j1 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", old[i0:i1])
        else:
            add("delete", old[i0:i1])
            add("insert", new[j0:j1])
    return ops


def _editable(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in READ_ONLY}


def _base(session: Session, kind: Kind, row: Any, current: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (the document to compare with, a description of it)."""
    if row.pending is not None or row.status == Status.PUBLISHED.value:  # visitors' version (the same, if no change)
        return _editable(kind.dump(row)), {"kind": "published", "version": row.version, "revision_id": None,
                                            "at": row.published_at.isoformat() if row.published_at else None}
    rows = session.scalars(select(Revision).where(Revision.target_type == kind.target_type,
                                                  Revision.target_id == row.id)
                           .order_by(Revision.id.desc())).all()
    published = next((r for r in rows if r.message.split(":")[0].endswith("-> published")), None)
    if published is not None:  # published once, a draft again since
        return dict(published.snapshot), _describe("published", published)
    earlier = next((r for r in rows if _editable(r.snapshot) != current), None)
    if earlier is not None:
        return dict(earlier.snapshot), _describe("revision", earlier)
    return {}, {"kind": "none", "version": None, "revision_id": None, "at": None}


def _describe(what: str, revision: Revision) -> dict[str, Any]:
    return {"kind": what, "version": revision.version, "revision_id": revision.id, "at": revision.at.isoformat()}


def _is_text(value: Any) -> bool:
    return isinstance(value, dict) and all(k in LANGS and isinstance(v, str) for k, v in value.items())


def _text_changes(change: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Return the changes of each language of a text, with word steps, or None for another kind of change."""
    path, before, after = change["path"], change["before"], change["after"]
    if (before is None or _is_text(before)) and (after is None or _is_text(after)) and (before or after):
        old, new = before or {}, after or {}  # a whole text that appeared or went: each language of it
        return [{"path": f"{path}/{lang}", "field": path, "lang": lang, "before": old.get(lang),
                 "after": new.get(lang), "ops": word_ops(old.get(lang) or "", new.get(lang) or "")}
                for lang in LANGS if old.get(lang) != new.get(lang)]
    field, _, lang = path.rpartition("/")
    if lang not in LANGS or not all(v is None or isinstance(v, str) for v in (before, after)):
        return None
    return [{"path": path, "field": field, "lang": lang, "before": before, "after": after,
             "ops": word_ops(before or "", after or "")}]


def _turn(before: list[float], after: list[float]) -> float:
    """Return the largest change of an Euler angle in degrees, the short way round."""
    return max((abs((float(b) - float(a) + 180.0) % 360.0 - 180.0) for a, b in zip(before, after, strict=False)),
               default=0.0)


def _placement_changes(session: Session, before: list[Any], after: list[Any]) -> list[dict[str, Any]]:
    """Return each placement added, removed or changed, with how far it moved and turned."""
    old = {p["id"]: p for p in before if isinstance(p, dict) and p.get("id") is not None}
    new_ids = {p.get("id") for p in after if isinstance(p, dict)}
    exhibit_ids = {p.get("exhibit_id") for p in [*before, *after] if isinstance(p, dict)}
    exhibits = {e.id: e for e in session.scalars(select(Exhibit).where(Exhibit.id.in_(
        [i for i in exhibit_ids if isinstance(i, int)])))}

    def item(change: str, p: dict[str, Any], was: dict[str, Any] | None) -> dict[str, Any]:
        exhibit = exhibits.get(p.get("exhibit_id"))  # type: ignore[arg-type]
        out: dict[str, Any] = {"change": change, "placement_id": p.get("id"), "exhibit_id": p.get("exhibit_id"),
                               "exhibit": exhibit.slug if exhibit else None,
                               "title": exhibit.title if exhibit else {},
                               "before": {k: was.get(k) for k in _PLACEMENT_FIELDS} if was else None,
                               "after": {k: p.get(k) for k in _PLACEMENT_FIELDS} if change != "removed" else None,
                               "fields": [], "moved_m": 0.0, "turned_deg": 0.0}
        if was is not None and change == "changed":
            out["fields"] = [k for k in _PLACEMENT_FIELDS if was.get(k) != p.get(k)]
            a, b = was.get("translation") or [0, 0, 0], p.get("translation") or [0, 0, 0]
            out["moved_m"] = round(math.dist([float(v) for v in a], [float(v) for v in b]), 4)
            out["turned_deg"] = round(_turn(was.get("rotation_deg") or [0, 0, 0],
                                            p.get("rotation_deg") or [0, 0, 0]), 2)
        return out

    changes: list[dict[str, Any]] = []
    for p in after:
        if not isinstance(p, dict):
            continue
        was = old.get(p.get("id"))
        if was is None:
            changes.append(item("added", p, None))
        elif any(was.get(k) != p.get(k) for k in _PLACEMENT_FIELDS):
            changes.append(item("changed", p, was))
    changes += [item("removed", p, p) for pid, p in old.items() if pid not in new_ids]
    return changes


def changes(session: Session, kind: Kind, row: Any) -> Changes:
    """Return what changed in a document against its base: texts with word steps, placements, other fields."""
    current_doc = document(kind, row)
    current = _editable(current_doc)
    base, described = _base(session, kind, row, current)
    base = _editable(base)
    placements: list[dict[str, Any]] = []
    if "placements" in current or "placements" in base:
        placements = _placement_changes(session, list(base.get("placements") or []),
                                        list(current.get("placements") or []))
    texts: list[dict[str, Any]] = []
    fields: list[dict[str, Any]] = []
    rest_before = {k: v for k, v in base.items() if k != "placements"}
    rest_after = {k: v for k, v in current.items() if k != "placements"}
    for change in revisions.diff(rest_before, rest_after):
        text = _text_changes(change)
        if text is not None:
            texts += text
        else:
            fields.append(change)
    total = len(texts) + len(placements) + len(fields)
    return Changes(
        id=row.id, kind=kind.name, slug=current_doc["slug"], status=current_doc["status"], live=current_doc["live"],
        version=row.version, base=ChangeBase(**described), texts=[TextChange(**t) for t in texts[:MAX_ITEMS]],
        placements=[PlacementChange(**p) for p in placements[:MAX_ITEMS]],
        fields=[FieldChange(**f) for f in fields[:MAX_ITEMS]], total=total,
        more=max(0, len(texts) - MAX_ITEMS) + max(0, len(placements) - MAX_ITEMS) + max(0, len(fields) - MAX_ITEMS))
