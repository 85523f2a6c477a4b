"""Behind nginx (MUSEUM_ACCEL_REDIRECT), stored files are handed to nginx instead of sent by a worker thread."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.museum.conftest import Catalogue


def test_files_are_handed_to_nginx_when_configured(app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    url = f"/files/{catalogue.phone_sha}.glb"
    sent = client.get(url)
    assert sent.data[:4] == b"glTF"  # by default the app sends the file itself
    sent.close()
    app.config["MUSEUM_ACCEL_REDIRECT"] = "/_museum_files/"
    handed = client.get(url)
    sha = catalogue.phone_sha
    assert handed.status_code == 200 and handed.data == b""
    assert handed.headers["X-Accel-Redirect"] == f"/_museum_files/{sha[:2]}/{sha[2:4]}/{sha}"
    assert handed.headers["Content-Type"] == "model/gltf-binary" and handed.headers["ETag"] == f'"{sha}"'
    again = client.get(url, headers={"If-None-Match": f'"{sha}"'})
    assert again.status_code == 304 and "X-Accel-Redirect" not in again.headers
    assert client.get(f"/files/{'0' * 64}.glb").status_code == 404  # unknown files are refused before nginx
