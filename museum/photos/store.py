"""The private photo store: guests' pictures kept apart from the public, content-hashed catalogue files.

Catalogue files are served by hash at /files/ to anyone; a guest's photo must be reachable only through its
share link, so its bytes live in a store of their own that no public route reads.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from museum.core.storage import LocalFileStore

EXTENSION = "museum.photo_storage"


def init_app(app: Flask) -> None:
    """Attach the photo store (beside the file store, in `<storage>-photos`)."""
    root = Path(app.config["MUSEUM_STORAGE_DIR"]).with_name(Path(app.config["MUSEUM_STORAGE_DIR"]).name + "-photos")
    app.extensions[EXTENSION] = LocalFileStore(root)


def photo_store(app: Flask | None = None) -> LocalFileStore:
    """Return the app's private photo store."""
    store: LocalFileStore = (app or current_app).extensions[EXTENSION]
    return store
