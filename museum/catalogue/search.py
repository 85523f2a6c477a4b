"""Search across exhibits, timeline events, galleries and tours, in Chinese without spaces and in English.

Chinese has no spaces between words, so runs of CJK characters are indexed as overlapping character bigrams (and
single characters, for one-character queries); Latin letters and digits form words, matched by prefix from three
letters on. Every language of a text is indexed, so 心脏 finds the cardiac exhibit whatever language is shown.
Scores weigh where a term occurs (title over tags over summary over body) and how rare it is (idf).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_TOKEN = re.compile(rf"[{_CJK}]+|[0-9a-z]+(?:[.'][0-9a-z]+)*")
_IS_CJK = re.compile(rf"[{_CJK}]")

FIELD_WEIGHTS: dict[str, float] = {"title": 6.0, "tags": 3.0, "summary": 2.0, "body": 1.0}


def tokens(text: str) -> list[str]:
    """Split text into search terms: CJK bigrams and single characters, Latin/digit words."""
    out: list[str] = []
    for match in _TOKEN.finditer(text.lower()):
        run = match.group(0)
        if _IS_CJK.match(run):
            out.extend(run)
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


def query_terms(query: str) -> list[str]:
    """Split a query into the terms that must match: CJK bigrams (or the character alone), Latin words."""
    terms: list[str] = []
    for match in _TOKEN.finditer(query.lower()):
        run = match.group(0)
        if _IS_CJK.match(run):
            terms.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
        else:
            terms.append(run)
    return list(dict.fromkeys(terms))


@dataclass
class Document:
    """One searchable item with its texts per field (all languages joined)."""

    type: str
    slug: str
    fields: dict[str, str]
    terms: dict[str, Counter[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.terms = {name: Counter(tokens(text)) for name, text in self.fields.items()}


@dataclass(frozen=True)
class Hit:
    """A search result: which document and how well it matched."""

    type: str
    slug: str
    score: float


class SearchIndex:
    """An in-memory index over the published catalogue, rebuilt when the catalogue changes."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents = list(documents)
        df: Counter[str] = Counter()
        for doc in self.documents:
            vocab: set[str] = set()
            for counts in doc.terms.values():
                vocab.update(counts)
            df.update(vocab)
        self._df = df
        self._vocab = sorted(df)

    def _expand(self, term: str) -> list[str]:
        """Return the indexed terms a query term matches (Latin words by prefix)."""
        if _IS_CJK.match(term) or len(term) < 3:
            return [term] if term in self._df else []
        return [v for v in self._vocab if v.startswith(term)]

    def search(self, query: str, types: set[str] | None = None, limit: int = 50) -> list[Hit]:
        """Return the documents matching every term of the query, best first."""
        terms = query_terms(query)
        if not terms:
            return []
        n = max(len(self.documents), 1)
        expanded = {term: self._expand(term) for term in terms}
        hits: list[Hit] = []
        for doc in self.documents:
            if types and doc.type not in types:
                continue
            score = 0.0
            for term, variants in expanded.items():
                term_score = 0.0
                for variant in variants:
                    idf = math.log(1 + n / self._df[variant])
                    exact = 1.0 if variant == term else 0.6
                    for name, counts in doc.terms.items():
                        tf = counts.get(variant, 0)
                        if tf:
                            term_score += FIELD_WEIGHTS.get(name, 1.0) * (1 + math.log(tf)) * idf * exact
                if term_score == 0.0:
                    break
                score += term_score
            else:
                hits.append(Hit(doc.type, doc.slug, round(score, 4)))
        hits.sort(key=lambda h: (-h.score, h.type, h.slug))
        return hits[:limit]


def joined(*texts: Mapping[str, str] | None) -> str:
    """Join every language of several texts into one searchable string."""
    return "\n".join(v for text in texts if text for v in text.values() if v)
