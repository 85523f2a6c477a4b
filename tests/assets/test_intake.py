"""Hostile and valid uploads through assets.intake.check_upload."""

from __future__ import annotations

import base64
import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assets.errors import AssetRejected
from assets.intake import check_upload, resolve_uri
from assets.limits import IngestLimits

Doc = tuple[dict[str, Any], bytes]


def rejected(path: Path, limits: IngestLimits | None = None) -> AssetRejected:
    with pytest.raises(AssetRejected) as info:
        check_upload(path, limits)
    return info.value


def test_valid_glb_is_loaded(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    upload = check_upload(write_glb(doc, binary))
    assert upload.media_type == "model/gltf-binary"
    assert upload.self_contained
    assert len(upload.sha256) == 64
    assert upload.gltf.buffers[0] is not None and upload.gltf.buffers[0][:4] == binary[:4]


def test_bad_magic(tmp_path: Path, make_glb_bytes: Callable[..., bytes], triangle: Doc) -> None:
    data = bytearray(make_glb_bytes(*triangle))
    data[:4] = b"gLTF"
    (tmp_path / "m.glb").write_bytes(bytes(data))
    assert rejected(tmp_path / "m.glb").code == "GLB_BAD_MAGIC"


def test_header_length_must_match_file(tmp_path: Path, make_glb_bytes: Callable[..., bytes], triangle: Doc) -> None:
    data = bytearray(make_glb_bytes(*triangle))
    struct.pack_into("<I", data, 8, len(data) + 100)
    (tmp_path / "m.glb").write_bytes(bytes(data))
    assert rejected(tmp_path / "m.glb").code == "GLB_BAD_LENGTH"


def test_chunk_length_past_end(tmp_path: Path, make_glb_bytes: Callable[..., bytes], triangle: Doc) -> None:
    data = bytearray(make_glb_bytes(*triangle))
    struct.pack_into("<I", data, 12, 1 << 30)
    (tmp_path / "m.glb").write_bytes(bytes(data))
    assert rejected(tmp_path / "m.glb").code == "GLB_BAD_CHUNK_LENGTH"


def test_truncated_glb(tmp_path: Path) -> None:
    (tmp_path / "m.glb").write_bytes(b"glTF\x02\0\0\0")
    assert rejected(tmp_path / "m.glb").code == "GLB_TRUNCATED"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (b'{"asset": {"version": "2.0"}, "scene": NaN}', "JSON_NON_FINITE"),
        (b'{"asset": {"version": "2.0"}, "x": Infinity}', "JSON_NON_FINITE"),
        (b'{"asset": {"version": "2.0"}, "asset": {"version": "2.0"}}', "JSON_DUPLICATE_KEY"),
        (b'{"asset": {"version": "2.0"}, "extras": ' + b"[" * 100 + b"]" * 100 + b"}", "JSON_TOO_DEEP"),
        (b'{"asset": {"version": "2.0"}, "extras": ' + b"[" * 100000 + b"]" * 100000 + b"}", "JSON_TOO_DEEP"),
        (b'{"asset": {"version": "2.0"},}', "JSON_SYNTAX"),
        (b"[1, 2]", "JSON_NOT_OBJECT"),
        (b'{"asset": {"version": "1.0"}}', "GLTF_VERSION"),
        (b"\xef\xbb\xbf{}", "JSON_BOM"),
        (b'{"asset": {"version": "2.0"}, "scene": 1e999999}', "JSON_NON_FINITE"),  # parsed as infinity
        (b'{"asset": {"version": "2.0"}, "scene": -' + b"9" * 400 + b"}", "JSON_NON_FINITE"),
        (b'{"asset": {"version": "2.0"}, "extras": ["\\ud800"]}', "JSON_NOT_UNICODE"),
        (b'{"asset": {"version": "2.0"}, "extras": {"\\udfff": 1}}', "JSON_NOT_UNICODE"),
    ],
)
def test_strict_json(tmp_path: Path, text: bytes, code: str) -> None:
    (tmp_path / "m.gltf").write_bytes(text)
    assert rejected(tmp_path / "m.gltf").code == code


def test_json_size_limit(tmp_path: Path) -> None:
    (tmp_path / "m.gltf").write_bytes(b'{"asset": {"version": "2.0"}, "extras": "' + b"x" * 5000 + b'"}')
    assert rejected(tmp_path / "m.gltf", IngestLimits(max_json_bytes=1000)).code == "JSON_TOO_LARGE"


def gltf_with_buffer_uri(tmp_path: Path, triangle: Doc, uri: str) -> Path:
    doc, _ = triangle
    doc["buffers"][0]["uri"] = uri
    (tmp_path / "m.gltf").write_text(json.dumps(doc))
    return tmp_path / "m.gltf"


@pytest.mark.parametrize(
    ("uri", "code"),
    [
        ("../secret.bin", "URI_OUTSIDE_UPLOAD"),
        ("sub/../../secret.bin", "URI_OUTSIDE_UPLOAD"),
        ("%2E%2E/secret.bin", "URI_OUTSIDE_UPLOAD"),
        ("/etc/passwd", "URI_ABSOLUTE"),
        ("%2Fetc%2Fpasswd", "URI_ABSOLUTE"),
        ("..\\secret.bin", "URI_ABSOLUTE"),
        ("file:///etc/passwd", "URI_SCHEME_NOT_ALLOWED"),
        ("http://example.com/a.bin", "URI_SCHEME_NOT_ALLOWED"),
        ("https://example.com/a.bin", "URI_SCHEME_NOT_ALLOWED"),
        ("C:/Windows/a.bin", "URI_SCHEME_NOT_ALLOWED"),
        ("missing.bin", "RESOURCE_MISSING"),
        ("data:application/octet-stream,notbase64", "DATA_URI_INVALID"),
        ("data:application/octet-stream;base64,@@@@", "DATA_URI_INVALID"),
    ],
)
def test_hostile_uris(tmp_path: Path, triangle: Doc, uri: str, code: str) -> None:
    (tmp_path.parent / "secret.bin").write_bytes(b"\0" * 64)
    error = rejected(gltf_with_buffer_uri(tmp_path, triangle, uri))
    assert error.code == code
    assert error.pointer == "/buffers/0/uri"


def test_symlink_out_of_upload(tmp_path: Path, triangle: Doc) -> None:
    outside = tmp_path.parent / "outside.bin"
    outside.write_bytes(triangle[1])
    (tmp_path / "link.bin").symlink_to(outside)
    assert rejected(gltf_with_buffer_uri(tmp_path, triangle, "link.bin")).code == "URI_OUTSIDE_UPLOAD"


def test_relative_and_data_uris_are_read(tmp_path: Path, triangle: Doc) -> None:
    (tmp_path / "my data.bin").write_bytes(triangle[1])
    assert check_upload(gltf_with_buffer_uri(tmp_path, triangle, "my%20data.bin")).gltf.buffers[0] == triangle[1]
    data_uri = "data:application/octet-stream;base64," + base64.b64encode(triangle[1]).decode()
    upload = check_upload(gltf_with_buffer_uri(tmp_path, triangle, data_uri))
    assert upload.gltf.buffers[0] == triangle[1]


def test_data_uri_size_limit(tmp_path: Path, triangle: Doc) -> None:
    data_uri = "data:application/octet-stream;base64," + base64.b64encode(b"\0" * 4000).decode()
    path = gltf_with_buffer_uri(tmp_path, triangle, data_uri)
    assert rejected(path, IngestLimits(max_data_uri_bytes=1000)).code == "DATA_URI_TOO_LARGE"


def test_resolve_uri_normalises() -> None:
    assert resolve_uri("./tex/a%20b.png", "/images/0/uri") == "tex/a b.png"


def test_accessor_out_of_bounds(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["accessors"][0]["count"] = 4
    error = rejected(write_glb(doc, binary))
    assert (error.code, error.pointer) == ("ACCESSOR_OUT_OF_BOUNDS", "/accessors/0")


def test_accessor_offset_past_view(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["accessors"][1]["byteOffset"] = 2
    assert rejected(write_glb(doc, binary)).code == "ACCESSOR_OUT_OF_BOUNDS"


def test_buffer_view_past_buffer(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["bufferViews"][1]["byteLength"] = 4096
    error = rejected(write_glb(doc, binary))
    assert (error.code, error.pointer) == ("BUFFER_VIEW_OUT_OF_BOUNDS", "/bufferViews/1")


def test_buffer_longer_than_bin_chunk(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["buffers"][0]["byteLength"] = 4096
    assert rejected(write_glb(doc, binary)).code == "BUFFER_TOO_SHORT"


def test_sparse_out_of_bounds(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["accessors"][0]["sparse"] = {
        "count": 3,
        "indices": {"bufferView": 1, "componentType": 5125},
        "values": {"bufferView": 1},
    }
    assert rejected(write_glb(doc, binary)).code == "ACCESSOR_OUT_OF_BOUNDS"


def test_node_cycle(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["nodes"] = [{"children": [1]}, {"children": [2]}, {"children": [1]}]
    doc["scenes"] = [{"nodes": [0]}]
    assert rejected(write_glb(doc, binary)).code in ("NODE_CYCLE", "NODE_SHARED_CHILD")
    doc["nodes"] = [{"mesh": 0}, {"children": [2]}, {"children": [1]}]
    assert rejected(write_glb(doc, binary)).code == "NODE_CYCLE"


def test_node_self_child_and_shared_parent(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["nodes"] = [{"children": [0]}]
    assert rejected(write_glb(doc, binary)).code == "NODE_CYCLE"
    doc["nodes"] = [{"children": [2]}, {"children": [2]}, {"mesh": 0}]
    doc["scenes"] = [{"nodes": [0, 1]}]
    error = rejected(write_glb(doc, binary))
    assert (error.code, error.pointer) == ("NODE_SHARED_CHILD", "/nodes/1/children/0")


def test_child_index_out_of_range(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["nodes"] = [{"children": [7]}]
    assert rejected(write_glb(doc, binary)).code == "INDEX_OUT_OF_RANGE"


def test_count_limits(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["nodes"] = [{"mesh": 0}] + [{} for _ in range(20)]
    error = rejected(write_glb(doc, binary), IngestLimits(max_nodes=10))
    assert (error.code, error.status) == ("TOO_MANY_OBJECTS", 413)


def test_upload_byte_limit(write_glb: Callable[..., Path], triangle: Doc) -> None:
    assert rejected(write_glb(*triangle), IngestLimits(max_bytes=100)).code == "UPLOAD_TOO_LARGE"


def test_unknown_required_extension(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["extensionsUsed"] = doc["extensionsRequired"] = ["VENDOR_mystery"]
    assert rejected(write_glb(doc, binary)).code == "UNSUPPORTED_EXTENSION"


def png_bytes(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def test_texture_pixel_limit(tmp_path: Path, triangle: Doc) -> None:
    doc, _ = triangle
    (tmp_path / "m.bin").write_bytes(triangle[1])
    (tmp_path / "big.png").write_bytes(png_bytes(64, 64))
    doc["buffers"][0]["uri"] = "m.bin"
    doc["images"] = [{"uri": "big.png"}]
    (tmp_path / "m.gltf").write_text(json.dumps(doc))
    error = rejected(tmp_path / "m.gltf", IngestLimits(max_texture_pixels=32 * 32))
    assert (error.code, error.pointer) == ("TEXTURE_TOO_LARGE", "/images/0")
    assert check_upload(tmp_path / "m.gltf").image_sizes[0] == (64, 64)


def test_image_that_is_not_an_image(tmp_path: Path, triangle: Doc) -> None:
    doc, _ = triangle
    (tmp_path / "m.bin").write_bytes(triangle[1])
    (tmp_path / "x.png").write_bytes(b"#!/bin/sh\necho pwned\n")
    doc["buffers"][0]["uri"] = "m.bin"
    doc["images"] = [{"uri": "x.png"}]
    (tmp_path / "m.gltf").write_text(json.dumps(doc))
    assert rejected(tmp_path / "m.gltf").code == "IMAGE_UNSUPPORTED"


def make_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_with_gltf_and_files(tmp_path: Path, triangle: Doc) -> None:
    doc, binary = triangle
    doc["buffers"][0]["uri"] = "m.bin"
    path = make_zip(tmp_path / "u.zip", {"model/m.gltf": json.dumps(doc).encode(), "model/m.bin": binary})
    upload = check_upload(path)
    assert upload.media_type == "application/zip"
    assert upload.gltf.buffers[0] == binary
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("name", ["../evil.gltf", "/abs/evil.gltf", "a/../../evil.gltf", "C:/evil.gltf", "a\\b.gltf"])
def test_zip_slip(tmp_path: Path, name: str) -> None:
    path = make_zip(tmp_path / "u.zip", {name: b"{}"})
    assert rejected(path).code == "ZIP_SLIP"


def test_zip_bomb_ratio(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "u.zip", {"m.gltf": b"{}", "zeros.bin": b"\0" * (8 << 20)})
    assert rejected(path).code == "ZIP_BOMB"


def test_zip_bomb_total(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "u.zip", {"m.gltf": b"{}", "a.bin": b"\1" * 4096}, zipfile.ZIP_STORED)
    assert rejected(path, IngestLimits(max_zip_total_bytes=1000)).code == "ZIP_BOMB"


def test_zip_lying_about_size(tmp_path: Path, triangle: Doc) -> None:
    doc, binary = triangle
    doc["buffers"][0]["uri"] = "m.bin"
    path = make_zip(tmp_path / "u.zip", {"m.gltf": json.dumps(doc).encode(), "m.bin": binary}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    # Shrink the declared size of m.bin in the central directory so the member holds more than it says.
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 8)
    path.write_bytes(bytes(data))
    assert rejected(path).code in ("ZIP_BOMB", "ZIP_INVALID")


def test_zip_entry_count(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "u.zip", {f"f{i}.txt": b"x" for i in range(20)} | {"m.gltf": b"{}"})
    assert rejected(path, IngestLimits(max_zip_entries=10)).code == "ZIP_TOO_MANY_ENTRIES"


def test_zip_without_or_with_many_models(tmp_path: Path) -> None:
    assert rejected(make_zip(tmp_path / "a.zip", {"readme.txt": b"x"})).code == "ZIP_NO_MODEL"
    assert rejected(make_zip(tmp_path / "b.zip", {"a.gltf": b"{}", "b.glb": b""})).code == "ZIP_MANY_MODELS"


def test_not_a_zip(tmp_path: Path) -> None:
    (tmp_path / "u.zip").write_bytes(b"PK nonsense")
    assert rejected(tmp_path / "u.zip").code == "ZIP_INVALID"


def test_wrong_file_type(tmp_path: Path) -> None:
    (tmp_path / "m.obj").write_text("v 0 0 0")
    assert rejected(tmp_path / "m.obj").status == 415


def test_corpus_models_pass_intake(corpus: Path) -> None:
    for entry in [
        "Box/glTF-Embedded/Box.gltf",
        "Unicode❤♻Test/glTF/Unicode❤♻Test.gltf",
        "MeshoptPirate/glTF-Meshopt/pirate.glb",
        "CesiumMan/glTF-Draco/CesiumMan.gltf",
    ]:
        upload = check_upload(corpus / entry)
        assert upload.gltf.doc["asset"]["version"] == "2.0"


def test_accessor_without_buffer_view_is_bounded(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["accessors"].append({"componentType": 5126, "count": 10**9, "type": "MAT4"})
    error = rejected(write_glb(doc, binary))
    assert (error.code, error.pointer) == ("DECODED_TOO_LARGE", "/accessors/2")


def test_meshopt_fallback_cannot_promise_huge_output(write_glb: Callable[..., Path], triangle: Doc) -> None:
    doc, binary = triangle
    doc["extensionsUsed"] = doc["extensionsRequired"] = ["EXT_meshopt_compression"]
    doc["buffers"].append({"byteLength": 1 << 40, "extensions": {"EXT_meshopt_compression": {"fallback": True}}})
    doc["bufferViews"].append(
        {
            "buffer": 1,
            "byteLength": 1 << 40,
            "byteStride": 4,
            "extensions": {
                "EXT_meshopt_compression": {
                    "buffer": 0,
                    "byteLength": 8,
                    "byteStride": 4,
                    "count": 1 << 38,
                    "mode": "ATTRIBUTES",
                }
            },
        }
    )
    assert rejected(write_glb(doc, binary)).code == "DECODED_TOO_LARGE"


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["meshes"][0].update(primitives=5),
        lambda d: d["buffers"][0].update(extensions=[]),
        lambda d: d["bufferViews"][0].update(extensions="x"),
        lambda d: d["accessors"][0].update(sparse=7),
        lambda d: d["scenes"][0].update(nodes=3),
        lambda d: d["accessors"][0].update(count="3"),
    ],
)
def test_wrong_json_types_are_rejected_cleanly(
    write_glb: Callable[..., Path], triangle: Doc, change: Callable[[dict[str, Any]], None]
) -> None:
    doc, binary = triangle
    change(doc)
    # Either a clean 4xx here or left to the Khronos validator; never another exception.
    try:
        check_upload(write_glb(doc, binary))
    except AssetRejected as error:
        assert error.status < 500
