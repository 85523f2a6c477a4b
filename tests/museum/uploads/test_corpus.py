"""Every model of the glTF corpus, uploaded through the API as a curator would, comes out in every tier."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from museum.core.jobs import run_pending
from tests.conftest import CORPUS, needs_corpus

pytestmark = [pytest.mark.slow, needs_corpus]


def _entries() -> list[Path]:
    with (CORPUS / "corpus.tsv").open(encoding="utf-8") as handle:
        return [CORPUS / row["path"] for row in csv.DictReader(handle, delimiter="\t")]


def _upload_bytes(entry: Path) -> tuple[bytes, str]:
    """Return what a curator uploads: a .glb as is, a .gltf with its files as a .zip."""
    if entry.suffix == ".glb":
        return entry.read_bytes(), entry.name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(entry.parent.iterdir()):
            if path.is_file():
                archive.write(path, path.name)
    return buffer.getvalue(), entry.stem + ".zip"


@pytest.fixture
def sqlite_only(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the corpus run exercises the pipeline; once on SQLite is enough")


def test_whole_corpus_through_the_api(app: Flask, client: FlaskClient, curator_headers: dict[str, str],
                                      sqlite_only: None) -> None:
    accepted: dict[str, str] = {}
    for entry in _entries():
        data, name = _upload_bytes(entry)
        boundary = "museum-corpus-boundary"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        response = client.post("/api/v1/assets", headers=curator_headers, data=body,
                               content_type=f"multipart/form-data; boundary={boundary}")
        assert response.status_code in (200, 202), (entry, response.get_json())
        accepted[str(entry.relative_to(CORPUS))] = response.get_json()["status_url"]
    run_pending(app)
    for entry, url in accepted.items():
        status = client.get(url, headers=curator_headers).get_json()
        assert status["status"] == "ready", (entry, status["job"], status["problems"])
        assert set(status["tiers"]) == {"original", "phone", "desktop", "vr"}, entry
        assert status["validator"]["errors"] == 0, entry
        assert status["poster_url"], entry
