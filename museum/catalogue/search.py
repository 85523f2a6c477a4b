"""Search across exhibits, timeline events, galleries and tours, in Chinese without spaces and in English.

Chinese has no spaces between words, so runs of CJK characters are indexed as overlapping character bigrams (and
single characters, for one-character queries); Latin letters and digits form words, matched by prefix from three
letters on. Every language of a text is indexed, so 心脏 finds the cardiac exhibit whatever language is shown.
Scores weigh where a term occurs (title over tags over summary over body) and how rare it is (idf).
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import sys
from array import array
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


DocKey = tuple[str, str]


def term_weights(doc: Document) -> dict[str, float]:
    """Return how strongly each term marks a document: the field-weighted (1 + log tf), summed over its fields."""
    weights: dict[str, float] = {}
    for name, counts in doc.terms.items():
        field_weight = FIELD_WEIGHTS.get(name, 1.0)
        for term, tf in counts.items():
            weights[term] = weights.get(term, 0.0) + field_weight * (1 + math.log(tf))
    return weights


class SearchIndex:
    """A compact inverted index over the published catalogue, updated document by document as it changes.

    Each term keeps two packed arrays, the numbers of the documents holding it and its weight in each, so ten
    thousand exhibits take a few tens of megabytes; a query reads only the postings of its terms, so its cost
    follows the matches, not the size of the collection. Scores are a full scan's: the field-weighted term
    frequency times idf, Latin words matched by prefix at 0.6.
    """

    def __init__(self, documents: Iterable[Document] = ()) -> None:
        self._numbers: dict[DocKey, int] = {}
        self._keys: list[DocKey | None] = []
        self._free: list[int] = []
        self._terms: dict[int, tuple[str, ...]] = {}
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        self._vocab: list[str] = []
        for doc in documents:
            self.put(doc)

    def __len__(self) -> int:
        return len(self._numbers)

    def __contains__(self, key: DocKey) -> bool:
        return key in self._numbers

    def put(self, doc: Document) -> None:
        """Add a document, replacing the one of the same type and slug."""
        key = (doc.type, doc.slug)
        self.remove(*key)
        number = self._free.pop() if self._free else len(self._keys)
        if number == len(self._keys):
            self._keys.append(key)
        else:
            self._keys[number] = key
        self._numbers[key] = number
        weights = term_weights(doc)
        held: list[str] = []
        for term, weight in weights.items():
            posting = self._postings.get(term)
            if posting is None:
                term = sys.intern(term)
                posting = self._postings[term] = (array("l"), array("d"))
                bisect.insort(self._vocab, term)
            posting[0].append(number)
            posting[1].append(weight)
            held.append(term)
        self._terms[number] = tuple(held)

    def remove(self, type_: str, slug: str) -> None:
        """Take a document out of the index (nothing happens when it is not there)."""
        number = self._numbers.pop((type_, slug), None)
        if number is None:
            return
        for term in self._terms.pop(number):
            numbers, weights = self._postings[term]
            at = numbers.index(number)
            del numbers[at]
            del weights[at]
            if not numbers:
                del self._postings[term]
                del self._vocab[bisect.bisect_left(self._vocab, term)]
        self._keys[number] = None
        self._free.append(number)

    def _expand(self, term: str) -> list[str]:
        """Return the indexed terms a query term matches (Latin words by prefix)."""
        if _IS_CJK.match(term) or len(term) < 3:
            return [term] if term in self._postings else []
        start = bisect.bisect_left(self._vocab, term)
        end = start
        while end < len(self._vocab) and self._vocab[end].startswith(term):
            end += 1
        return self._vocab[start:end]

    def search(self, query: str, types: set[str] | None = None, limit: int = 50) -> list[Hit]:
        """Return the documents matching every term of the query, best first."""
        terms = query_terms(query)
        if not terms:
            return []
        n = max(len(self._numbers), 1)
        per_term: list[dict[int, float]] = []
        for term in terms:
            scores: dict[int, float] = {}
            for variant in self._expand(term):
                numbers, weights = self._postings[variant]
                factor = math.log(1 + n / len(numbers)) * (1.0 if variant == term else 0.6)
                for number, weight in zip(numbers, weights, strict=True):
                    scores[number] = scores.get(number, 0.0) + weight * factor
            if not scores:
                return []
            per_term.append(scores)
        if len(per_term) == 1:
            totals = per_term[0]
        else:
            found = set(min(per_term, key=len))  # type: ignore[arg-type]
            for scores in per_term:
                found.intersection_update(scores)
            totals = {number: sum(scores[number] for scores in per_term) for number in found}
        keys = self._keys
        ranked = [(-round(total, 4), key[0], key[1]) for number, total in totals.items()
                  if (key := keys[number]) is not None and (not types or key[0] in types)]
        return [Hit(kind, slug, -score) for score, kind, slug in heapq.nsmallest(limit, ranked)]


def joined(*texts: Mapping[str, str] | None) -> str:
    """Join every language of several texts into one searchable string."""
    return "\n".join(v for text in texts if text for v in text.values() if v)
