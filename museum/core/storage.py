"""The content-addressed file store: files named by the SHA-256 of their bytes, written atomically."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

_CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def is_sha256(value: str) -> bool:
    """Return whether a string is a lowercase hex SHA-256."""
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


class FileStore(Protocol):
    """Where file bytes live; the database only records their hashes."""

    def put_bytes(self, data: bytes) -> str:
        """Store bytes and return their SHA-256."""

    def put_file(self, path: Path) -> str:
        """Store a copy of a file and return its SHA-256."""

    def path(self, sha256: str) -> Path | None:
        """Return a local path to the file, or None when it is not stored."""

    def open(self, sha256: str) -> BinaryIO:
        """Open the stored file for reading."""

    def exists(self, sha256: str) -> bool:
        """Return whether the file is stored."""

    def delete(self, sha256: str) -> bool:
        """Remove the file; return whether it was there."""

    def hashes(self) -> Iterator[str]:
        """Yield the hash of every stored file."""


class LocalFileStore:
    """Files on local disk under `root/ab/cd/<sha256>`; each write is temp file, fsync, rename, fsync dir."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._tmp = self.root / "tmp"
        self._tmp.mkdir(exist_ok=True)

    def _target(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def _touch(self, target: Path) -> bool:
        # A file stored again is in use again: its fresh time keeps `museum check --repair` from taking it for an
        # old orphan while the row that will point at it is being written.
        try:
            os.utime(target)
        except FileNotFoundError:
            return False
        return True

    def _commit(self, tmp_path: Path, sha256: str) -> str:
        target = self._target(sha256)
        if target.exists() and self._touch(target):
            tmp_path.unlink(missing_ok=True)
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_path, target)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return sha256

    def put_bytes(self, data: bytes) -> str:
        """Store bytes and return their SHA-256."""
        sha256 = hashlib.sha256(data).hexdigest()
        if self._target(sha256).exists() and self._touch(self._target(sha256)):
            return sha256
        fd, name = tempfile.mkstemp(dir=self._tmp)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return self._commit(Path(name), sha256)

    def put_file(self, path: Path) -> str:
        """Store a copy of a file and return its SHA-256."""
        fd, name = tempfile.mkstemp(dir=self._tmp)
        digest = hashlib.sha256()
        try:
            with os.fdopen(fd, "wb") as out, Path(path).open("rb") as src:
                for chunk in iter(lambda: src.read(_CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return self._commit(Path(name), digest.hexdigest())

    def path(self, sha256: str) -> Path | None:
        """Return a local path to the file, or None when it is not stored."""
        if not is_sha256(sha256):
            return None
        target = self._target(sha256)
        return target if target.is_file() else None

    def open(self, sha256: str) -> BinaryIO:
        """Open the stored file for reading."""
        return self._target(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        """Return whether the file is stored."""
        return self.path(sha256) is not None

    def delete(self, sha256: str) -> bool:
        """Remove the file; return whether it was there."""
        target = self.path(sha256)
        if target is None:
            return False
        target.unlink()
        return True

    def hashes(self) -> Iterator[str]:
        """Yield the hash of every stored file."""
        for first in sorted(self.root.iterdir()):
            if first.name == "tmp" or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                for item in sorted(second.iterdir()):
                    if is_sha256(item.name):
                        yield item.name

    def clear_tmp(self) -> None:
        """Remove temp files left by interrupted writes."""
        shutil.rmtree(self._tmp, ignore_errors=True)
        self._tmp.mkdir(exist_ok=True)
