"""Pack a checked upload into one self-contained GLB with nothing else changed."""

from __future__ import annotations

import copy
from typing import Any

from assets.gltfio import BinaryBuilder, write_glb
from assets.imageformat import MIME_BY_FORMAT
from assets.intake import MESHOPT_EXTENSIONS, CheckedUpload

# Sixteen-byte alignment keeps every accessor and meshopt stream aligned whatever its source buffer was.
_ALIGN = 16


def pack_glb(upload: CheckedUpload) -> bytes:
    """Return the upload as GLB bytes: all buffers in the BIN chunk, images in bufferViews."""
    if upload.self_contained:
        return upload.raw
    doc = copy.deepcopy(upload.gltf.doc)
    builder = BinaryBuilder()
    base: dict[int, int] = {}
    remap: dict[int, int] = {}
    kept = [{"byteLength": 0}]
    for i, data in enumerate(upload.gltf.buffers):
        if data is None:
            remap[i] = len(kept)
            kept.append(doc["buffers"][i])
        else:
            declared = int(doc["buffers"][i]["byteLength"])
            base[i] = builder.add(data[:declared], _ALIGN)
            remap[i] = 0
    for view in doc.get("bufferViews", []):
        source = view["buffer"]
        view["buffer"] = remap[source]
        if source in base:
            view["byteOffset"] = int(view.get("byteOffset", 0)) + base[source]
        for name in MESHOPT_EXTENSIONS:
            ext = view.get("extensions", {}).get(name)
            if ext is not None:
                ext["byteOffset"] = int(ext.get("byteOffset", 0)) + base[ext["buffer"]]
                ext["buffer"] = 0
    views = doc.setdefault("bufferViews", [])
    for i, image in enumerate(doc.get("images", [])):
        if "uri" in image:
            data = upload.image_data[i]
            offset = builder.add(data, _ALIGN)
            del image["uri"]
            image["bufferView"] = len(views)
            image["mimeType"] = MIME_BY_FORMAT[upload.image_formats[i]]
            views.append({"buffer": 0, "byteOffset": offset, "byteLength": len(data)})
    _ktx2_through_extension(doc, upload)
    binary = builder.getvalue()
    if binary:
        kept[0] = {"byteLength": len(binary)}
        doc["buffers"] = kept
    else:
        doc["buffers"] = kept[1:]
        if not doc["buffers"]:
            doc.pop("buffers")
    if not views:
        doc.pop("bufferViews")
    return write_glb(doc, binary)


def _ktx2_through_extension(doc: dict[str, Any], upload: CheckedUpload) -> None:
    # A KTX2 image named by a core `texture.source` is only legal in a GLB through KHR_texture_basisu (a
    # bufferView image needs a mimeType, and core allows only PNG and JPEG), so it moves into the extension.
    moved = False
    for texture in doc.get("textures", []):
        source = texture.get("source")
        if source is not None and upload.image_formats.get(source) == "ktx2":
            del texture["source"]
            texture.setdefault("extensions", {})["KHR_texture_basisu"] = {"source": source}
            moved = True
    if moved:
        for key in ("extensionsUsed", "extensionsRequired"):
            names = doc.setdefault(key, [])
            if "KHR_texture_basisu" not in names:
                names.append("KHR_texture_basisu")
