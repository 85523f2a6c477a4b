"""A generated corpus of hostile model uploads: every file is broken or malicious in one way, and says how.

`corpus(canary)` returns (label, file name, bytes) for more than 300 files built from a one-triangle model:
GLB containers that lie (magic, version, lengths, chunk order and types, truncation at every part), documents that
point outside (`..`, absolute paths, `file:`, `http://` to a loopback canary, `data:` URIs too large or malformed),
references out of range, accessor and bufferView overflows, node cycles, deep JSON, NaN, duplicate keys, wrong
types, and zip files that slip, bomb, lie or nest. Each is built from bytes alone, so the corpus is the same on
every run; the museum must refuse every one with a 4xx naming the problem.
"""

from __future__ import annotations

import base64
import copy
import io
import json
import struct
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from tests.assets.conftest import glb_bytes, triangle_gltf
from tests.pictures import png_claiming

Doc = dict[str, Any]
Hostile = tuple[str, str, bytes]

GLB_MAGIC, JSON_CHUNK, BIN_CHUNK = 0x46546C67, 0x4E4F534A, 0x004E4942


def _base() -> tuple[Doc, bytes]:
    return triangle_gltf()


def _glb(doc: Doc, binary: bytes | None) -> bytes:
    return glb_bytes(doc, binary)


def _gltf(doc: Doc, binary: bytes) -> bytes:
    """A self-contained .gltf: the buffer as a data: URI unless the document already names one."""
    doc = copy.deepcopy(doc)
    if doc.get("buffers") and "uri" not in doc["buffers"][0]:
        doc["buffers"][0]["uri"] = "data:application/octet-stream;base64," + base64.b64encode(binary).decode()
    return json.dumps(doc).encode()


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


def _containers() -> Iterator[Hostile]:
    """GLB headers and chunks that lie, in the order a reader meets them."""
    doc, binary = _base()
    good = _glb(doc, binary)
    json_len = struct.unpack_from("<I", good, 12)[0]
    bin_at = 20 + json_len
    yield "empty", "empty.glb", b""
    yield "magic-only", "magic.glb", b"glTF"
    yield "wrong-magic", "magic.glb", b"gltf" + good[4:]
    yield "gltf-with-bom", "bom.gltf", b"\xef\xbb\xbf\xef\xbb\xbf" + b"\0" * 16
    for version in (0, 1, 3, 0xFFFFFFFF):
        yield f"version-{version}", "version.glb", good[:4] + struct.pack("<I", version) + good[8:]
    for length in (0, 12, 19, len(good) - 4, len(good) + 4, len(good) * 100, 0xFFFFFFFF):
        yield f"total-length-{length}", "length.glb", good[:8] + struct.pack("<I", length) + good[12:]
    for length in (0, 1, json_len - 4, json_len + 4, json_len * 1000, 0x7FFFFFFF, 0xFFFFFFFF):
        yield f"json-length-{length}", "chunk.glb", good[:12] + struct.pack("<I", length) + good[16:]
    bin_len = struct.unpack_from("<I", good, bin_at)[0]
    for length in (bin_len + 4, bin_len * 1000, 0xFFFFFFF0):
        yield f"bin-length-{length}", "chunk.glb", good[:bin_at] + struct.pack("<I", length) + good[bin_at + 4:]
    for kind in (0, BIN_CHUNK, 0x12345678, JSON_CHUNK ^ 0x20202020):
        yield f"json-chunk-type-{kind:x}", "chunk.glb", good[:16] + struct.pack("<I", kind) + good[20:]
    yield "bin-chunk-type-json", "chunk.glb", good[:bin_at + 4] + struct.pack("<I", JSON_CHUNK) + good[bin_at + 8:]
    chunks_swapped = good[bin_at:] + good[12:bin_at]
    yield "bin-before-json", "order.glb", good[:12] + chunks_swapped
    yield "two-json-chunks", "order.glb", _retotal(good[:bin_at] + good[12:bin_at] + good[bin_at:])
    yield "two-bin-chunks", "order.glb", _retotal(good + good[bin_at:])
    yield "json-not-utf8", "utf8.glb", _retotal(good[:20] + b"\xff\xfe" + good[22:])
    yield "json-is-binary", "binary.glb", _glb({}, None)[:20] + bytes(range(256))
    for cut in sorted({13, 16, 19, 20, 21, 40, json_len // 2 + 20, bin_at - 1, bin_at + 3, bin_at + 8,
                       len(good) - 9, len(good) - 1}):
        yield f"truncated-at-{cut}", "truncated.glb", good[:cut]
    for at in range(20, bin_at, max(1, (bin_at - 20) // 12)):
        flipped = bytearray(good)
        flipped[at] = ord("{") if flipped[at] != ord("{") else ord("]")
        yield f"json-byte-{at}-flipped", "flipped.glb", bytes(flipped)


def _retotal(data: bytes) -> bytes:
    """The same bytes with the GLB header's total length telling the truth, so a later check must catch them."""
    return data[:8] + struct.pack("<I", len(data)) + data[12:]


def _mutations(canary: str) -> Iterator[tuple[str, Callable[[Doc], Any]]]:
    """Changes to a valid document, each of which makes it invalid or hostile."""

    def put(path: str, value: Any) -> Callable[[Doc], Any]:
        def apply(doc: Doc) -> None:
            *parents, last = path.split(".")
            node: Any = doc
            for part in parents:
                node = node[int(part)] if isinstance(node, list) else node[part]
            if isinstance(node, list):
                node[int(last)] = value
            else:
                node[last] = value
        return apply

    def drop(path: str) -> Callable[[Doc], Any]:
        def apply(doc: Doc) -> None:
            *parents, last = path.split(".")
            node: Any = doc
            for part in parents:
                node = node[int(part)] if isinstance(node, list) else node[part]
            del node[last]
        return apply

    for uri in ("../m.bin", "../../../../etc/passwd", "/etc/passwd", "file:///etc/passwd", "file:m.bin",
                "C:\\Windows\\win.ini", "\\\\server\\share\\m.bin", f"{canary}/m.bin", f"{canary}/../m.bin",
                canary.replace("http://", "//") + "/m.bin", canary.replace("http://", "https://") + "/m.bin",
                canary.replace("http://", "ftp://") + "/m.bin", "jar:file:///m.zip!/m.bin", "m.bin%00.png",
                "%2e%2e/m.bin", "data:application/octet-stream;base64,!!!", "data:text/plain,abc",
                "data:application/octet-stream;base64," + "A" * 16, "data:;base64,", "m.bin"):
        yield f"buffer-uri {uri[:40]}", put("buffers.0.uri", uri)
    yield "huge-data-uri", put("buffers.0.uri", "data:application/octet-stream;base64," + "AAAA" * (17 << 20 >> 2))
    for uri in (f"{canary}/t.png", "../t.png", "file:///etc/hosts", "/t.png"):
        yield f"image-uri {uri[:40]}", lambda d, u=uri: _with_image(d, {"uri": u})
    yield "image-bad-view", lambda d: _with_image(d, {"bufferView": 99, "mimeType": "image/png"})
    yield "image-no-mime", lambda d: _with_image(d, {"bufferView": 0})
    for field, values in {
        "accessors.0.count": (0, -1, 4, 1 << 31, 1 << 62, 1.5, "3", None),
        "accessors.0.byteOffset": (-4, 4, 36, 1 << 40),
        "accessors.0.componentType": (0, 5124, 99999),
        "accessors.0.type": ("VEC5", "", 3),
        "accessors.0.bufferView": (-1, 2, 99, 1 << 40),
        "accessors.1.count": (4, 1 << 30),
        "bufferViews.0.byteLength": (0, -36, 1 << 31, 100),
        "bufferViews.0.byteOffset": (-1, 40, 1 << 40),
        "bufferViews.0.byteStride": (1, 3, 256, 1 << 31),
        "bufferViews.0.buffer": (-1, 1, 99),
        "bufferViews.1.byteOffset": (44,),
        "buffers.0.byteLength": (0, -1, 1, 1 << 40, 1 << 62),
        "meshes.0.primitives.0.attributes.POSITION": (-1, 2, 99),
        "meshes.0.primitives.0.indices": (0, 2, 99),
        "meshes.0.primitives.0.mode": (7, -1, 99),
        "meshes.0.primitives.0.material": (0, 99),
        "nodes.0.mesh": (-1, 1, 99),
        "nodes.0.matrix": ([1, 0, 0], ["a"] * 16),
        "nodes.0.scale": ([1, 1], [1e400, 1, 1]),
        "nodes.0.rotation": ([0, 0, 0], [2, 0, 0, 0]),
        "nodes.0.children": ([0], [1], [-1], "0"),
        "scenes.0.nodes": ([1], [-1], [0, 0], None),
        "scene": (1, -1, "0", 1 << 40),
        "asset.version": ("1.0", "3.0", "", 2),
    }.items():
        for value in values:
            yield f"{field}={str(value)[:24]}", put(field, value)
    yield "no-asset", drop("asset")
    yield "no-version", drop("asset.version")
    yield "no-buffer-length", drop("buffers.0.byteLength")
    yield "no-accessor-type", drop("accessors.0.type")
    yield "no-component-type", drop("accessors.0.componentType")
    yield "node-cycle-self", put("nodes", [{"mesh": 0, "children": [0]}])
    yield "node-cycle-pair", put("nodes", [{"mesh": 0, "children": [1]}, {"children": [0]}])
    yield "node-two-parents", put("nodes", [{"children": [2]}, {"children": [2]}, {"mesh": 0}])
    yield "node-cycle-deep", put("nodes", [{"children": [i + 1]} for i in range(49)] + [{"children": [0]}])
    yield "many-nodes", put("nodes", [{"mesh": 0}] * 300_000)
    yield "many-accessors", put("accessors", [{"componentType": 5126, "count": 1, "type": "VEC3"}] * 200_000)
    yield "extension-required-unknown", put("extensionsRequired", ["EXT_not_a_real_one"])
    yield "extensions-used-not-list", put("extensionsUsed", {"a": 1})
    yield "root-is-list", lambda d: [d]
    yield "nan-in-min", put("accessors.0.min", [float("nan"), 0, 0])
    yield "infinity-in-max", put("accessors.0.max", [float("inf"), 1, 0])


def _with_image(doc: Doc, image: Doc) -> None:
    doc["images"] = [image]
    doc["textures"] = [{"source": 0}]
    doc["materials"] = [{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}]
    doc["meshes"][0]["primitives"][0]["material"] = 0


def _texts() -> Iterator[tuple[str, bytes]]:
    """JSON text no parser should be trusted with."""
    doc, _ = _base()
    text = json.dumps(doc)
    yield "deep-arrays", b'{"asset": {"version": "2.0"}, "extras": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    yield "deep-objects", b'{"asset": {"version": "2.0"}, "extras": ' + b'{"a":' * 20_000 + b"1" + b"}" * 20_000 + b"}"
    yield "nan-literal", text.replace('"scene": 0', '"scene": NaN').encode()
    yield "infinity-literal", text.replace('"scene": 0', '"scene": Infinity').encode()
    yield "duplicate-keys", text.replace('"scene": 0', '"scene": 0, "scene": 1').encode()
    yield "duplicate-asset", text.replace('"scene": 0', '"asset": {"version": "1.0"}').encode()
    yield "huge-number", text.replace('"scene": 0', '"scene": 1' + "0" * 5000).encode()
    yield "huge-exponent", text.replace('"scene": 0', '"scene": 1e999999').encode()
    yield "trailing-garbage", text.encode() + b" {}"
    yield "unterminated", text[:-1].encode()
    yield "single-quotes", text.replace('"', "'").encode()
    yield "comments", b"// a model\n" + text.encode()
    yield "lone-surrogate", text.replace('"scene": 0', '"scene": 0, "extras": "\\ud800"').encode()
    yield "nul-bytes", text.encode().replace(b"asset", b"as\0set")
    yield "utf16", text.encode("utf-16")
    yield "not-json", b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    yield "json-string", b'"glTF"'
    yield "json-number", b"2.0"
    yield "json-null", b"null"


def _zips(canary: str) -> Iterator[Hostile]:
    doc, binary = _base()
    linked = copy.deepcopy(doc)
    linked["buffers"][0]["uri"] = "m.bin"
    gltf = json.dumps(linked).encode()
    for name in ("../evil.gltf", "/abs/evil.gltf", "a/../../evil.gltf", "C:/evil.gltf", "a\\..\\..\\evil.gltf",
                 "~/evil.gltf", "./../evil.gltf", "a/./../../../evil.gltf"):
        yield f"zip-slip {name}", "slip.zip", _zip({name: gltf, "m.bin": binary})
        yield f"zip-slip-bin {name}", "slip.zip", _zip({"m.gltf": gltf, name.replace("evil.gltf", "m.bin"): binary})
    yield "zip-bomb-ratio", "bomb.zip", _zip({"m.gltf": gltf, "m.bin": binary, "zeros.bin": b"\0" * (16 << 20)})
    yield "zip-bomb-many", "bomb.zip", _zip({"m.gltf": gltf} | {f"z{i}.bin": b"\0" * (1 << 20) for i in range(40)})
    yield "zip-many-entries", "many.zip", _zip({"m.gltf": gltf} | {f"f{i}.txt": b"x" for i in range(5000)})
    yield "zip-no-gltf", "none.zip", _zip({"m.bin": binary, "readme.txt": b"hello"})
    yield "zip-two-gltf", "two.zip", _zip({"a.gltf": gltf, "b.gltf": gltf, "m.bin": binary})
    yield "zip-missing-bin", "missing.zip", _zip({"m.gltf": gltf})
    yield "zip-nested", "nested.zip", _zip({"inner.zip": _zip({"m.gltf": gltf, "m.bin": binary})})
    yield "zip-empty", "empty.zip", _zip({})
    yield "zip-truncated", "cut.zip", _zip({"m.gltf": gltf, "m.bin": binary})[:-30]
    yield "zip-garbage", "garbage.zip", b"PK\x03\x04" + bytes(range(256)) * 4
    yield "zip-encrypted-flag", "locked.zip", _encrypted_flag(_zip({"m.gltf": gltf, "m.bin": binary}))
    canary_doc = copy.deepcopy(doc)
    canary_doc["buffers"][0]["uri"] = f"{canary}/m.bin"
    yield "zip-canary-buffer", "canary.zip", _zip({"m.gltf": json.dumps(canary_doc).encode()})
    image_doc = copy.deepcopy(linked)
    _with_image(image_doc, {"uri": f"{canary}/t.png"})
    yield "zip-canary-image", "canary.zip", _zip({"m.gltf": json.dumps(image_doc).encode(), "m.bin": binary})
    escape_doc = copy.deepcopy(doc)
    escape_doc["buffers"][0]["uri"] = "../m.bin"
    yield "zip-uri-escape", "escape.zip", _zip({"model/m.gltf": json.dumps(escape_doc).encode(), "m.bin": binary})
    bomb_image = copy.deepcopy(linked)
    _with_image(bomb_image, {"uri": "t.png"})
    yield "zip-image-bomb", "image-bomb.zip", _zip({"m.gltf": json.dumps(bomb_image).encode(), "m.bin": binary,
                                                    "t.png": png_claiming(60_000, 60_000)})
    yield "zip-image-not-image", "image.zip", _zip({"m.gltf": json.dumps(bomb_image).encode(), "m.bin": binary,
                                                   "t.png": b"\x89PNG\r\n\x1a\n" + b"\xff" * 100})


def _encrypted_flag(data: bytes) -> bytes:
    """A zip whose members say they are encrypted (general purpose flag bit 0) in both headers."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        while at != -1:
            out[at + offset] |= 1
            at = out.find(signature, at + 4)
    return bytes(out)


def _glb_with_image(image: bytes) -> bytes:
    doc, binary = _base()
    start = len(binary)
    doc["bufferViews"].append({"buffer": 0, "byteOffset": start, "byteLength": len(image)})
    doc["buffers"][0]["byteLength"] = start + len(image)
    _with_image(doc, {"bufferView": 2, "mimeType": "image/png"})
    return _glb(doc, binary + image)


def corpus(canary: str) -> list[Hostile]:
    """Every hostile upload: (label, file name, bytes); `canary` is an http:// URL no upload may make us fetch."""
    files: list[Hostile] = list(_containers())
    doc, binary = _base()
    for label, mutate in _mutations(canary):
        changed = copy.deepcopy(doc)
        result = mutate(changed)
        if result is not None:
            changed = result
        files.append((f"glb {label}", "model.glb", glb_bytes({}, binary, json.dumps(changed).encode())))
        if isinstance(changed, dict):
            files.append((f"gltf {label}", "model.gltf", _gltf(changed, binary)))
    for label, text in _texts():
        files.append((f"glb {label}", "model.glb", glb_bytes({}, binary, text)))
        files.append((f"gltf {label}", "model.gltf", text))
    files.extend(_zips(canary))
    files.append(("glb image bomb", "bomb.glb", _glb_with_image(png_claiming(60_000, 60_000))))
    files.append(("glb image not an image", "image.glb", _glb_with_image(b"\x89PNG\r\n\x1a\n" + b"\xff" * 100)))
    files.append(("glb image tiff disguised", "image.glb", _glb_with_image(b"II*\0" + b"\0" * 100)))
    return files


def _picture(fmt: str, size: tuple[int, int] = (64, 48), **options: Any) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(out, fmt, **options)
    return out.getvalue()


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A real small JPEG whose start-of-frame marker is rewritten to claim other dimensions."""
    data = bytearray(_picture("JPEG"))
    at = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, at + 5, height, width)
    return bytes(data)


def pictures() -> Iterator[Hostile]:
    """Pictures that lie about their size, are cut short, or are something else under a picture's name."""
    png, jpeg, webp = _picture("PNG"), _picture("JPEG"), _picture("WEBP")
    for width, height in ((60_000, 60_000), (1, 1 << 30), (20_000, 20_000), (0x7FFFFFFF, 2)):
        yield f"png claims {width}x{height}", "bomb.png", png_claiming(width, height)
    for width, height in ((65_000, 65_000), (30_000, 30_000)):
        yield f"jpeg claims {width}x{height}", "bomb.jpg", _jpeg_claiming(width, height)
    yield "png zero size", "zero.png", png_claiming(0, 0)
    for name, data in (("png", png), ("jpg", jpeg), ("webp", webp)):
        for cut in (8, 16, 33, len(data) // 2):
            yield f"{name} cut at {cut}", f"cut.{name}", data[:cut]
        yield f"{name} empty", f"empty.{name}", b""
    yield "png bad crc", "crc.png", png[:29] + bytes([png[29] ^ 0xFF]) + png[30:]
    yield "gif named png", "gif.png", _picture("GIF")
    yield "bmp named jpg", "bmp.jpg", _picture("BMP")
    yield "tiff named png", "tiff.png", _picture("TIFF")
    yield "svg with script", "logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    yield "html named jpg", "page.jpg", b"<!doctype html><script>alert(1)</script>"
    yield "zip named png", "archive.png", _zip({"a.txt": b"a"})
    yield "exe named webp", "tool.webp", b"MZ" + b"\0" * 200


def sounds() -> Iterator[Hostile]:
    """Audio files that start right and hold nothing playable, or are not what their name says."""
    frame = b"\xff\xfb\x90\x00"
    yield "mp3 id3 then garbage", "a.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 4
    yield "mp3 id3 size lie", "a.mp3", b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + frame * 8
    yield "mp3 lone frame headers", "a.mp3", frame * 64
    yield "mp3 sync then zeros", "a.mp3", b"\xff\xfb" + b"\0" * 4000
    yield "ogg header only", "a.ogg", b"OggS" + b"\0" * 60
    yield "ogg wrong codec", "a.ogg", b"OggS\x00\x02" + b"\0" * 20 + b"\x01\x1e\x01video" + b"\0" * 40
    yield "wav no fmt", "a.wav", b"RIFF\x24\x00\x00\x00WAVE" + b"data\x00\x00\x00\x00"
    yield "wav chunk lie", "a.wav", b"RIFF\xff\xff\xff\x7fWAVEfmt \xff\xff\xff\x7f" + b"\0" * 16
    yield "m4a ftyp only", "a.m4a", b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00isomiso2"
    yield "m4a box size lie", "a.m4a", b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00isomiso2\xff\xff\xff\xffmoov"
    yield "html named mp3", "a.mp3", b"<html><script>alert(1)</script></html>"
    yield "empty mp3", "a.mp3", b""
    yield "unknown suffix", "a.flac", b"fLaC" + b"\0" * 100


def captions() -> Iterator[Hostile]:
    """Captions that are not WebVTT, not text, too large, or whose cues cannot be timed."""
    yield "srt named vtt", "c.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nhello\n"
    yield "utf16 vtt", "c.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n".encode("utf-16")
    yield "latin1 vtt", "c.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\n\xe9t\xe9\n"
    yield "no cues", "c.vtt", b"WEBVTT\n\nNOTE only a note\n"
    yield "backwards cue", "c.vtt", b"WEBVTT\n\n00:09.000 --> 00:01.000\nback\n"
    yield "minutes past 59", "c.vtt", b"WEBVTT\n\n00:75.000 --> 00:76.000\nx\n"
    yield "comma millis", "c.vtt", b"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nx\n"
    yield "timing words", "c.vtt", b"WEBVTT\n\nstart --> end\nx\n"
    yield "too large", "c.vtt", b"WEBVTT\n\n" + b"00:00.000 --> 00:01.000\n" + b"x" * (1 << 20) + b"\n"
    yield "header glued", "c.vtt", b"WEBVTTX\n\n00:00.000 --> 00:01.000\nx\n"
    yield "empty", "c.vtt", b""


def kiosk_photos() -> Iterator[Hostile]:
    """What a broken or hostile booth could send as the guests' photo."""
    jpeg = _picture("JPEG", (640, 480))
    yield "empty", "booth.jpg", b""
    yield "not an image", "booth.jpg", b"hello, this is text"
    for cut in (2, 20, 200, len(jpeg) // 2, len(jpeg) - 2):
        yield f"jpeg cut at {cut}", "booth.jpg", jpeg[:cut]
    for width, height in ((60_000, 60_000), (40_000, 1), (1, 40_000), (12_000, 9_000)):
        yield f"png claims {width}x{height}", "booth.jpg", png_claiming(width, height)
    yield "jpeg claims 65000x65000", "booth.jpg", _jpeg_claiming(65_000, 65_000)
    yield "gif", "booth.jpg", _picture("GIF")
    yield "svg", "booth.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    yield "glb", "booth.jpg", b"glTF" + b"\0" * 100
    yield "zip", "booth.jpg", _zip({"a.jpg": jpeg})

