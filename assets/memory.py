"""How a process that decodes models and pictures gives memory back.

Decoded textures are tens of megabytes each. glibc serves such blocks from its heap once its dynamic mmap
threshold has grown, and a heap keeps what was freed in it: a job worker's RSS then stays near the high-water
mark of every ingest it ran (1.1 GB after six 36-megapixel textures, though the pixels in use at once stay under
the textures' budget, see assets.textures). A fixed threshold of 1 MiB makes every large block a mapping of its
own, returned to the system when freed: the same ingest then peaks at about 630 MB. Web processes do the same for
the pictures curators upload (museum.uploads.media_checks).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Iterator
from contextlib import contextmanager

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)
LARGE_BLOCK = 1 << 20


def give_back_large_blocks() -> bool:
    """Have blocks of 1 MiB and more mapped on their own and unmapped when freed; False where not glibc."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK))
    except (OSError, AttributeError):
        return False


class MemoryBudget:
    """Bytes in use at once by a kind of work: a holder waits until its share fits; one larger than all runs alone."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.used = 0
        self.peak = 0
        self._changed = threading.Condition()

    @contextmanager
    def hold(self, amount: int) -> Iterator[None]:
        """Hold `amount` bytes (at most the whole budget) while the block runs."""
        amount = max(0, min(amount, self.total))
        with self._changed:
            while self.used and self.used + amount > self.total:
                self._changed.wait()
            self.used += amount
            self.peak = max(self.peak, self.used)
        try:
            yield
        finally:
            with self._changed:
                self.used -= amount
                self._changed.notify_all()
