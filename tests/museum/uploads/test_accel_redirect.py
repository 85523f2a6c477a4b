"""Behind nginx (MUSEUM_ACCEL_REDIRECT), stored files are handed to nginx instead of sent by a worker thread."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from museum import create_app
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


def test_behind_nginx_a_checked_file_is_handed_over_without_the_database(app: Flask, catalogue: Catalogue,
                                                                          tmp_path: Path) -> None:
    behind = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "behind"),
                         "DATABASE_URL": app.config["MUSEUM_DATABASE_URL"],
                         "STORAGE_DIR": app.config["MUSEUM_STORAGE_DIR"], "SECRET_KEY": "test-secret",
                         "ACCEL_REDIRECT": "/_museum_files/"})
    queries: list[str] = []
    event.listen(behind.extensions["museum.db"].engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: queries.append(statement))
    client = behind.test_client()
    sha = catalogue.phone_sha
    url = f"/files/{sha}.glb"
    try:
        first = client.get(url)  # checked against its row by the view
        assert queries
        queries.clear()
        second = client.get(url)
        assert queries == []  # answered from what the first request checked
        for answer in (first, second):
            assert answer.status_code == 200 and answer.data == b""
            assert answer.headers["X-Accel-Redirect"] == f"/_museum_files/{sha[:2]}/{sha[2:4]}/{sha}"
        same = ("ETag", "Cache-Control", "Accept-Ranges", "Content-Type", "X-Content-Type-Options",
                "Content-Security-Policy")
        assert {h: second.headers[h] for h in same} == {h: first.headers[h] for h in same}
        revalidated = client.get(url, headers={"If-None-Match": f'"{sha}"'})
        assert revalidated.status_code == 304 and "X-Accel-Redirect" not in revalidated.headers
        assert client.get(f"/files/{sha}.png").status_code == 404  # another name for it is checked by the view

        behind.extensions["museum.storage"].delete(sha)  # gone from the store: nothing is handed to nginx
        gone = client.get(url, headers={"Accept": "application/json"})
        assert gone.status_code == 404 and gone.get_json()["error"]["code"] == "file_not_found"
    finally:
        behind.extensions["museum.db"].dispose()
