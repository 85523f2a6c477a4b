"""Content-hashed files: media types, ETag = hash, conditional and Range requests, HEAD, nosniff, immutable."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.museum.conftest import Catalogue


def test_file_headers_and_conditional(client: FlaskClient, catalogue: Catalogue) -> None:
    url = f"/files/{catalogue.desktop_sha}.glb"
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.data == catalogue.glb_bytes
        assert response.headers["Content-Type"] == "model/gltf-binary"
        assert response.headers["ETag"] == f'"{catalogue.desktop_sha}"'
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Accept-Ranges"] == "bytes"
    with client.get(url, headers={"If-None-Match": f'"{catalogue.desktop_sha}"'}) as not_modified:
        assert not_modified.status_code == 304
    with client.head(url) as head:
        assert head.status_code == 200 and head.data == b""
        assert int(head.headers["Content-Length"]) == len(catalogue.glb_bytes)


def test_range_requests(client: FlaskClient, catalogue: Catalogue) -> None:
    url = f"/files/{catalogue.desktop_sha}.glb"
    size = len(catalogue.glb_bytes)
    with client.get(url, headers={"Range": "bytes=0-11"}) as part:
        assert part.status_code == 206
        assert part.data == catalogue.glb_bytes[:12]
        assert part.headers["Content-Range"] == f"bytes 0-11/{size}"
    with client.get(url, headers={"Range": "bytes=-4"}) as tail:
        assert tail.status_code == 206 and tail.data == catalogue.glb_bytes[-4:]
    with client.get(url, headers={"Range": f"bytes={size + 10}-{size + 20}"}) as beyond:
        assert beyond.status_code == 416
        assert beyond.get_json()["error"]["code"] == "range_not_satisfiable"
        assert beyond.headers["Content-Range"] == f"bytes */{size}"


def test_unknown_and_mismatched_files_are_404(client: FlaskClient, catalogue: Catalogue) -> None:
    assert client.get("/files/" + "f" * 64 + ".glb").status_code == 404
    assert client.get(f"/files/{catalogue.desktop_sha}.png").status_code == 404
    assert client.get(f"/files/{catalogue.desktop_sha[:10]}.glb").status_code == 404
    assert client.get(f"/files/{catalogue.desktop_sha}.exe").status_code == 404
