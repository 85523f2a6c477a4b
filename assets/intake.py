"""Check an upload before any tool touches its bytes.

A `.glb`, a `.gltf` with its files beside it, or a `.zip` holding one of them is read into memory and
checked: GLB framing, strict JSON, URIs that stay inside the upload, data: URI sizes, buffer, bufferView and
accessor bounds, a node forest without cycles or shared parents, object counts, texture pixels, and
zip-slip and zip-bomb defences. Zip members are read, never extracted, so nothing lands on disk.
Every refusal is an `AssetRejected` with a code and, where one exists, a JSON pointer into the glTF.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import stat
import urllib.parse
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assets import imageformat
from assets.errors import AssetRejected
from assets.gltfio import COMPONENT_SIZES, TYPE_SIZES, Gltf, accessor_element_size, split_glb
from assets.limits import IngestLimits
from assets.strictjson import loads_strict

SUPPORTED_EXTENSIONS = frozenset(
    {
        "KHR_draco_mesh_compression",
        "EXT_meshopt_compression",
        "KHR_meshopt_compression",
        "KHR_mesh_quantization",
        "KHR_texture_basisu",
        "EXT_texture_webp",
        "KHR_texture_transform",
        "KHR_materials_unlit",
        "KHR_lights_punctual",
        "EXT_mesh_gpu_instancing",
        "KHR_materials_variants",
    }
)
MESHOPT_EXTENSIONS = ("EXT_meshopt_compression", "KHR_meshopt_compression")
MEDIA_TYPES = {".glb": "model/gltf-binary", ".gltf": "model/gltf+json", ".zip": "application/zip"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_DATA_URI = re.compile(r"^data:([^;,]*)(;base64)?,", re.DOTALL)


@dataclass
class CheckedUpload:
    """An upload that passed intake: its hash, name, media type and the glTF with every byte loaded."""

    sha256: str
    original_name: str
    media_type: str
    raw: bytes
    gltf: Gltf
    image_data: dict[int, bytes] = field(default_factory=dict)
    image_formats: dict[int, str] = field(default_factory=dict)
    image_sizes: dict[int, tuple[int, int]] = field(default_factory=dict)
    is_glb: bool = False
    self_contained: bool = False


Reader = Callable[[str, str], bytes]


def check_upload(path: Path, limits: IngestLimits | None = None) -> CheckedUpload:
    """Check an uploaded .glb, .gltf or .zip and return it loaded, or raise AssetRejected."""
    limits = limits or IngestLimits()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise AssetRejected("UNSUPPORTED_FILE_TYPE", f"{path.name}: upload a .glb, .gltf or .zip", status=415)
    if not path.is_file():
        raise AssetRejected("UPLOAD_MISSING", f"{path.name} is not a file", status=400)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise AssetRejected("UPLOAD_TOO_LARGE", f"upload is {size} bytes; the limit is {limits.max_bytes}", status=413)
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if suffix == ".zip":
        name, entry, reader = _zip_entry(path, limits)
    else:
        name, entry, reader = path.name, raw, _folder_reader(path.parent, limits)
    try:
        upload = _check_document(name, entry, reader, limits)
    except (TypeError, AttributeError, KeyError, ValueError, IndexError) as exc:
        # A property of the wrong JSON type somewhere the checks walk: malformed input, not a server fault.
        raise AssetRejected("GLTF_MALFORMED", f"glTF structure is malformed ({type(exc).__name__}: {exc})") from None
    upload.sha256 = digest
    upload.original_name = path.name
    upload.media_type = MEDIA_TYPES[suffix]
    upload.raw = raw
    return upload


def _folder_reader(base: Path, limits: IngestLimits) -> Reader:
    root = os.path.realpath(base)
    budget = [limits.max_bytes]

    def read(relative: str, pointer: str) -> bytes:
        """Return the bytes of a file of the upload's folder, refusing anything outside it."""
        target = os.path.realpath(os.path.join(root, *relative.split("/")))
        if os.path.commonpath([root, target]) != root:
            raise AssetRejected("URI_OUTSIDE_UPLOAD", f"{relative!r} leads outside the upload", pointer)
        if not os.path.isfile(target):
            raise AssetRejected("RESOURCE_MISSING", f"{relative!r} is not part of the upload", pointer)
        size = os.path.getsize(target)
        budget[0] -= size
        if budget[0] < 0:
            raise AssetRejected("UPLOAD_TOO_LARGE", "the upload's files together exceed the size limit", pointer, 413)
        return Path(target).read_bytes()

    return read


def _check_member_name(name: str) -> None:
    if (
        name.startswith(("/", "\\"))
        or "\\" in name
        or "\0" in name
        or re.match(r"^[A-Za-z]:", name)
        or ".." in name.split("/")
    ):
        raise AssetRejected("ZIP_SLIP", f"zip entry {name!r} points outside the archive", status=400)


def _zip_entry(path: Path, limits: IngestLimits) -> tuple[str, bytes, Reader]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise AssetRejected("ZIP_INVALID", f"not a readable zip archive ({exc})", status=400) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_zip_entries:
            raise AssetRejected(
                "ZIP_TOO_MANY_ENTRIES",
                f"zip has {len(infos)} entries; the limit is {limits.max_zip_entries}",
                status=413,
            )
        total = 0
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            _check_member_name(info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise AssetRejected("ZIP_SYMLINK", f"zip entry {info.filename!r} is a symbolic link", status=400)
            if info.flag_bits & 0x1:
                raise AssetRejected("ZIP_ENCRYPTED", f"zip entry {info.filename!r} is encrypted", status=400)
            total += info.file_size
            if total > limits.max_zip_total_bytes:
                raise AssetRejected("ZIP_BOMB", "zip expands beyond the size limit", status=413)
            if info.file_size > 1 << 20 and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
                raise AssetRejected(
                    "ZIP_BOMB",
                    f"zip entry {info.filename!r} expands {info.file_size} bytes from {info.compress_size}",
                    status=413,
                )
            if not info.is_dir():
                members[info.filename] = info
        models = [n for n in members if n.lower().endswith((".gltf", ".glb")) and not n.startswith("__MACOSX/")]
        if not models:
            raise AssetRejected("ZIP_NO_MODEL", "zip holds no .gltf or .glb file", status=400)
        if len(models) > 1:
            raise AssetRejected("ZIP_MANY_MODELS", f"zip holds {len(models)} models; upload one at a time", status=400)
        entry_name = models[0]
        folder = entry_name.rsplit("/", 1)[0] + "/" if "/" in entry_name else ""
        contents: dict[str, bytes] = {}
        for name, info in members.items():
            try:
                with archive.open(info) as handle:
                    # Read one byte past the declared size: a member that lies about its size is a bomb.
                    data = handle.read(info.file_size + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
                raise AssetRejected("ZIP_INVALID", f"zip entry {name!r} cannot be read ({exc})", status=400) from None
            if len(data) > info.file_size:
                raise AssetRejected("ZIP_BOMB", f"zip entry {name!r} is larger than it declares", status=413)
            contents[name] = data

    def read(relative: str, pointer: str) -> bytes:
        """Return the bytes of a zip member beside the model."""
        member = folder + relative
        if member not in contents:
            raise AssetRejected("RESOURCE_MISSING", f"{relative!r} is not in the zip", pointer)
        return contents[member]

    return entry_name.rsplit("/", 1)[-1], contents[entry_name], read


def resolve_uri(uri: str, pointer: str) -> str:
    """Return the upload-relative path a URI names, or raise if it could lead anywhere else."""
    if _SCHEME.match(uri):
        raise AssetRejected(
            "URI_SCHEME_NOT_ALLOWED",
            f"URI {uri[:80]!r} names a scheme; only relative paths and data: URIs are allowed",
            pointer,
        )
    if uri.startswith(("/", "\\")) or "\\" in uri:
        raise AssetRejected("URI_ABSOLUTE", f"URI {uri[:80]!r} is not a relative path", pointer)
    decoded = urllib.parse.unquote(uri)
    if "\0" in decoded or decoded.startswith("/") or "\\" in decoded or _SCHEME.match(decoded):
        raise AssetRejected("URI_ABSOLUTE", f"URI {uri[:80]!r} is not a relative path", pointer)
    parts = [p for p in decoded.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise AssetRejected("URI_OUTSIDE_UPLOAD", f"URI {uri[:80]!r} climbs out of the upload with '..'", pointer)
    if not parts:
        raise AssetRejected("URI_EMPTY", "URI names no file", pointer)
    return "/".join(parts)


def _data_uri(uri: str, pointer: str, limits: IngestLimits) -> tuple[str, bytes]:
    match = _DATA_URI.match(uri)
    if not match or not match.group(2):
        raise AssetRejected("DATA_URI_INVALID", "data: URI must be base64-encoded", pointer)
    payload = uri[match.end() :]
    if len(payload) * 3 // 4 > limits.max_data_uri_bytes:
        raise AssetRejected(
            "DATA_URI_TOO_LARGE", f"data: URI is larger than {limits.max_data_uri_bytes} bytes", pointer, 413
        )
    try:
        return match.group(1), base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise AssetRejected("DATA_URI_INVALID", "data: URI holds invalid base64", pointer) from None


def _load_uri(uri: Any, pointer: str, reader: Reader, limits: IngestLimits) -> bytes:
    if not isinstance(uri, str):
        raise AssetRejected("URI_INVALID", "uri must be a string", pointer)
    if uri.startswith("data:"):
        return _data_uri(uri, pointer, limits)[1]
    return reader(resolve_uri(uri, pointer), pointer)


def _int(value: Any, pointer: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise AssetRejected("VALUE_INVALID", f"expected an integer >= {minimum}", pointer)
    return value


def _array(doc: dict[str, Any], key: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise AssetRejected("VALUE_INVALID", f"{key} must be an array of objects", f"/{key}")
    return value


def _index(value: Any, length: int, pointer: str) -> int:
    index = _int(value, pointer)
    if index >= length:
        raise AssetRejected("INDEX_OUT_OF_RANGE", f"index {index} is out of range (0..{length - 1})", pointer)
    return index


def _check_document(name: str, entry: bytes, reader: Reader, limits: IngestLimits) -> CheckedUpload:
    is_glb = entry[:4] == b"glTF"
    binary: bytes | None = None
    if is_glb:
        text, binary = split_glb(entry)
        doc = loads_strict(text, limits.max_json_bytes, limits.max_json_depth)
    elif name.lower().endswith(".glb"):
        raise AssetRejected("GLB_BAD_MAGIC", "file does not start with the GLB magic 'glTF'")
    else:
        doc = loads_strict(entry, limits.max_json_bytes, limits.max_json_depth)
    asset = doc.get("asset")
    if not isinstance(asset, dict) or asset.get("version") != "2.0":
        raise AssetRejected("GLTF_VERSION", 'asset.version must be "2.0"', "/asset/version")
    _check_counts(doc, limits)
    for i, ext in enumerate(doc.get("extensionsRequired", []) or []):
        if ext not in SUPPORTED_EXTENSIONS and not str(ext).startswith("KHR_materials_"):
            raise AssetRejected(
                "UNSUPPORTED_EXTENSION",
                f"required extension {ext} is not supported",
                f"/extensionsRequired/{i}",
                415,
            )
    buffers, self_contained = _load_buffers(doc, binary, reader, limits)
    gltf = Gltf(doc, buffers)
    _check_buffer_views(doc, buffers, limits)
    _check_accessors(doc, limits)
    upload = CheckedUpload("", name, "", b"", gltf, is_glb=is_glb)
    self_contained = _load_images(upload, reader, limits) and self_contained
    upload.self_contained = is_glb and self_contained
    _check_nodes(doc)
    return upload


def _check_counts(doc: dict[str, Any], limits: IngestLimits) -> None:
    bounds = {
        "nodes": limits.max_nodes,
        "meshes": limits.max_meshes,
        "accessors": limits.max_accessors,
        "bufferViews": limits.max_buffer_views,
        "buffers": limits.max_buffers,
        "images": limits.max_images,
        "textures": limits.max_textures,
        "materials": limits.max_materials,
        "animations": limits.max_animations,
    }
    for key, bound in bounds.items():
        if len(_array(doc, key)) > bound:
            raise AssetRejected("TOO_MANY_OBJECTS", f"{len(doc[key])} {key}; the limit is {bound}", f"/{key}", 413)
    primitives = sum(len(m.get("primitives", [])) for m in doc.get("meshes", []))
    if primitives > limits.max_primitives:
        raise AssetRejected(
            "TOO_MANY_OBJECTS",
            f"{primitives} primitives; the limit is {limits.max_primitives}",
            "/meshes",
            413,
        )


def _load_buffers(
    doc: dict[str, Any], binary: bytes | None, reader: Reader, limits: IngestLimits
) -> tuple[list[bytes | None], bool]:
    buffers: list[bytes | None] = []
    self_contained = True
    for i, buffer in enumerate(_array(doc, "buffers")):
        pointer = f"/buffers/{i}"
        length = _int(buffer.get("byteLength"), pointer + "/byteLength", 1)
        data: bytes | None
        if "uri" in buffer:
            if not str(buffer["uri"]).startswith("data:"):
                self_contained = False
            data = _load_uri(buffer["uri"], pointer + "/uri", reader, limits)
        elif i == 0 and binary is not None:
            data = binary
            if len(binary) - length > 3:
                raise AssetRejected(
                    "GLB_BIN_LENGTH", f"BIN chunk is {len(binary)} bytes, buffer 0 says {length}", pointer
                )
        elif any(buffer.get("extensions", {}).get(e, {}).get("fallback") for e in MESHOPT_EXTENSIONS):
            buffers.append(None)
            continue
        else:
            raise AssetRejected("BUFFER_NO_DATA", "buffer has neither uri nor GLB BIN chunk", pointer)
        if len(data) < length:
            raise AssetRejected(
                "BUFFER_TOO_SHORT",
                f"buffer holds {len(data)} bytes, byteLength says {length}",
                pointer + "/byteLength",
            )
        buffers.append(data)
    return buffers, self_contained


def _check_buffer_views(doc: dict[str, Any], buffers: list[bytes | None], limits: IngestLimits) -> None:
    declared = [int(b["byteLength"]) for b in doc.get("buffers", [])]
    decoded = 0
    for i, view in enumerate(_array(doc, "bufferViews")):
        pointer = f"/bufferViews/{i}"
        buffer = _index(view.get("buffer"), len(declared), pointer + "/buffer")
        offset = _int(view.get("byteOffset", 0), pointer + "/byteOffset")
        length = _int(view.get("byteLength"), pointer + "/byteLength", 1)
        if offset + length > declared[buffer]:
            raise AssetRejected(
                "BUFFER_VIEW_OUT_OF_BOUNDS",
                f"bufferView ends at byte {offset + length}, past its buffer's {declared[buffer]}",
                pointer,
            )
        if "byteStride" in view:
            stride = _int(view["byteStride"], pointer + "/byteStride", 4)
            if stride > 252 or stride % 4:
                raise AssetRejected(
                    "BUFFER_VIEW_BAD_STRIDE",
                    f"byteStride {stride} is not 4..252, a multiple of 4",
                    pointer + "/byteStride",
                )
        for name in MESHOPT_EXTENSIONS:
            ext = view.get("extensions", {}).get(name)
            if ext is None:
                continue
            epointer = f"{pointer}/extensions/{name}"
            source = _index(ext.get("buffer"), len(declared), epointer + "/buffer")
            eoffset = _int(ext.get("byteOffset", 0), epointer + "/byteOffset")
            elength = _int(ext.get("byteLength"), epointer + "/byteLength", 1)
            if buffers[source] is None or eoffset + elength > declared[source]:
                raise AssetRejected("BUFFER_VIEW_OUT_OF_BOUNDS", "compressed data lies outside its buffer", epointer)
            count = _int(ext.get("count"), epointer + "/count", 1)
            stride = _int(ext.get("byteStride"), epointer + "/byteStride", 1)
            if count * stride > length:
                raise AssetRejected("BUFFER_VIEW_OUT_OF_BOUNDS", "decoded data is larger than its bufferView", epointer)
            decoded += length
        if buffers[buffer] is None and not any(n in view.get("extensions", {}) for n in MESHOPT_EXTENSIONS):
            raise AssetRejected("BUFFER_NO_DATA", "bufferView reads a fallback buffer without compressed data", pointer)
    if decoded > limits.max_decoded_bytes:
        raise AssetRejected("DECODED_TOO_LARGE", f"compressed buffers expand to {decoded} bytes", "/bufferViews", 413)


def _check_accessors(doc: dict[str, Any], limits: IngestLimits) -> None:
    views = doc.get("bufferViews", [])
    implicit = 0
    for i, accessor in enumerate(_array(doc, "accessors")):
        pointer = f"/accessors/{i}"
        if accessor.get("componentType") not in COMPONENT_SIZES:
            raise AssetRejected(
                "ACCESSOR_INVALID", "componentType is not a glTF component type", pointer + "/componentType"
            )
        if accessor.get("type") not in TYPE_SIZES:
            raise AssetRejected("ACCESSOR_INVALID", "type is not a glTF accessor type", pointer + "/type")
        count = _int(accessor.get("count"), pointer + "/count", 1)
        element = accessor_element_size(accessor)
        if "bufferView" not in accessor:
            # Zero-filled (or sparse) accessors cost memory without costing upload bytes: bound them too.
            implicit += count * element
            if implicit > limits.max_decoded_bytes:
                raise AssetRejected(
                    "DECODED_TOO_LARGE", "accessors without bufferView expand past the size limit", pointer, 413
                )
        if "bufferView" in accessor:
            view = views[_index(accessor["bufferView"], len(views), pointer + "/bufferView")]
            offset = _int(accessor.get("byteOffset", 0), pointer + "/byteOffset")
            stride = int(view.get("byteStride", element))
            if offset + stride * (count - 1) + element > int(view["byteLength"]):
                raise AssetRejected(
                    "ACCESSOR_OUT_OF_BOUNDS",
                    f"accessor reads {count} elements past the end of bufferView {accessor['bufferView']}",
                    pointer,
                )
        sparse = accessor.get("sparse")
        if sparse is not None:
            n = _int(sparse.get("count"), pointer + "/sparse/count", 1)
            if n > count:
                raise AssetRejected("ACCESSOR_OUT_OF_BOUNDS", "sparse count exceeds accessor count", pointer)
            for part, size in (
                ("indices", COMPONENT_SIZES.get(sparse.get("indices", {}).get("componentType"), 0)),
                ("values", element),
            ):
                info = sparse.get(part, {})
                if not size:
                    raise AssetRejected(
                        "ACCESSOR_INVALID", "sparse indices need a componentType", f"{pointer}/sparse/{part}"
                    )
                view = views[_index(info.get("bufferView"), len(views), f"{pointer}/sparse/{part}/bufferView")]
                if _int(info.get("byteOffset", 0), f"{pointer}/sparse/{part}") + n * size > int(view["byteLength"]):
                    raise AssetRejected(
                        "ACCESSOR_OUT_OF_BOUNDS",
                        f"sparse {part} run past their bufferView",
                        f"{pointer}/sparse/{part}",
                    )


def _load_images(upload: CheckedUpload, reader: Reader, limits: IngestLimits) -> bool:
    doc = upload.gltf.doc
    views = doc.get("bufferViews", [])
    self_contained = True
    for i, image in enumerate(_array(doc, "images")):
        pointer = f"/images/{i}"
        if "uri" in image:
            if not str(image["uri"]).startswith("data:"):
                self_contained = False
            data = _load_uri(image["uri"], pointer + "/uri", reader, limits)
        elif "bufferView" in image:
            data = upload.gltf.view_bytes(_index(image["bufferView"], len(views), pointer + "/bufferView"))
        else:
            raise AssetRejected("IMAGE_NO_DATA", "image has neither uri nor bufferView", pointer)
        fmt = imageformat.sniff(data)
        if fmt is None:
            raise AssetRejected("IMAGE_UNSUPPORTED", "image is not PNG, JPEG, WebP or KTX2", pointer)
        try:
            width, height = imageformat.dimensions(data, fmt)
        except ValueError as exc:
            raise AssetRejected("IMAGE_UNREADABLE", f"image header cannot be read: {exc}", pointer) from None
        if width * height > limits.max_texture_pixels:
            raise AssetRejected(
                "TEXTURE_TOO_LARGE",
                f"image is {width}x{height} pixels; the limit is {limits.max_texture_pixels} pixels",
                pointer,
                413,
            )
        upload.image_data[i] = data
        upload.image_formats[i] = fmt
        upload.image_sizes[i] = (width, height)
    return self_contained


def _check_nodes(doc: dict[str, Any]) -> None:
    nodes = _array(doc, "nodes")
    parent: dict[int, int] = {}
    for i, node in enumerate(nodes):
        children = node.get("children", [])
        if not isinstance(children, list):
            raise AssetRejected("VALUE_INVALID", "children must be an array", f"/nodes/{i}/children")
        for j, child in enumerate(children):
            c = _index(child, len(nodes), f"/nodes/{i}/children/{j}")
            if c == i:
                raise AssetRejected("NODE_CYCLE", "node is its own child", f"/nodes/{i}/children/{j}")
            if c in parent:
                raise AssetRejected(
                    "NODE_SHARED_CHILD",
                    f"node {c} has two parents ({parent[c]} and {i})",
                    f"/nodes/{i}/children/{j}",
                )
            parent[c] = i
    # With at most one parent each, a cycle is a chain that never reaches a root.
    state = [0] * len(nodes)
    for start in range(len(nodes)):
        trail = []
        n: int | None = start
        while n is not None and state[n] == 0:
            state[n] = 1
            trail.append(n)
            n = parent.get(n)
        if n is not None and state[n] == 1:
            raise AssetRejected("NODE_CYCLE", f"node {n} is its own ancestor", f"/nodes/{n}")
        for t in trail:
            state[t] = 2
    for s, scene in enumerate(_array(doc, "scenes")):
        for j, root in enumerate(scene.get("nodes", [])):
            r = _index(root, len(nodes), f"/scenes/{s}/nodes/{j}")
            if r in parent:
                raise AssetRejected(
                    "SCENE_ROOT_HAS_PARENT",
                    f"scene root {r} is a child of node {parent[r]}",
                    f"/scenes/{s}/nodes/{j}",
                )
