"""A few values kept for the next photo, least recently used first out, shared by a worker's threads."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Up to `size` values by key; a value found is the most recently used, the least recently used goes first.
    `hits` and `misses` count what `get` found."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: K) -> V | None:
        """Return the value kept for `key`, or None."""
        with self._lock:
            found = self._values.get(key)
            if found is None:
                self.misses += 1
            else:
                self._values.move_to_end(key)
                self.hits += 1
            return found

    def put(self, key: K, value: V) -> V:
        """Keep `value` for `key` and return it."""
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self._size:
                self._values.popitem(last=False)
        return value
