"""The museum a front-end benchmark measures: one given by address, or a demo museum started for the run."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.frontend.conftest import start_museum


@contextmanager
def museum_at(url: str | None, prefix: str) -> Iterator[str]:
    """Yield the base address of `url`, or of a museum seeded with the demo and stopped afterwards."""
    if url:
        yield url.rstrip("/")
        return
    proc, base, demo = start_museum(Path(tempfile.mkdtemp(prefix=prefix)))
    if not demo:
        print("warning: the demo museum could not be seeded; measuring the small test museum")
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
