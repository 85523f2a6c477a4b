"""Merge a room and its placed exhibits into one glTF binary, for offline kiosks and previews.

Each input keeps its meshes, materials, textures, skins, animations, cameras and punctual lights; the room hangs
under a node `room` and each exhibit under a node `placement-<n>` carrying its transform (names three.js keeps as
they are). An input used several times shares its data (accessors, meshes, materials, images) and gets its own
nodes, skins and animations, since a glTF node has one parent. Meshopt-compressed inputs are decoded first;
Draco is refused (decode it upstream).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from assets.errors import AssetError
from assets.gltfio import BinaryBuilder, Gltf, read_glb, write_glb
from assets.meshoptcodec import decoded, has_meshopt
from scenes.errors import ComposeFailed

# A transform is a (4, 4) row-major matrix (nested lists or an array) or glTF TRS: {"translation": [3],
# "rotation": [x, y, z, w], "scale": [3]}.
Transform = Sequence[Sequence[float]] | np.ndarray | Mapping[str, Sequence[float]]

_SHARED = ("accessors", "bufferViews", "images", "samplers", "textures", "materials", "meshes", "cameras")
_REFUSED = ("KHR_draco_mesh_compression",)
_IMAGE_SOURCE_EXTENSIONS = ("KHR_texture_basisu", "EXT_texture_webp", "EXT_texture_avif")


def _load(data: bytes) -> Gltf:
    try:
        gltf = read_glb(data)
    except AssetError as exc:
        raise ComposeFailed("NOT_GLB", str(exc)) from exc
    refused = [e for e in gltf.doc.get("extensionsRequired", []) if e in _REFUSED]
    if refused:
        raise ComposeFailed("UNSUPPORTED_EXTENSION", f"inputs must not require {', '.join(refused)}")
    if has_meshopt(gltf):
        gltf = decoded(gltf)
    if len(gltf.buffers) > 1 or any(b is None for b in gltf.buffers):
        raise ComposeFailed("NOT_PACKED", "every input must keep all its data in the GLB's binary chunk")
    if any("uri" in image for image in gltf.doc.get("images", [])):
        raise ComposeFailed("NOT_PACKED", "every input image must live in a bufferView, not at a URI")
    return gltf


def _remap_texture_infos(value: Any, textures: int) -> None:
    """Shift every textureInfo's index (keys ending in "Texture", extensions included) by `textures`."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("Texture") and isinstance(item, dict) and "index" in item:
                item["index"] += textures
            _remap_texture_infos(item, textures)
    elif isinstance(value, list):
        for item in value:
            _remap_texture_infos(item, textures)


class _Merger:
    """Collects the merged document's arrays and the one binary buffer."""

    def __init__(self) -> None:
        self.doc: dict[str, Any] = {"asset": {"version": "2.0", "generator": "museum scenes.compose"},
                                    "buffers": [], "nodes": [], "scenes": [{"name": "gallery", "nodes": []}],
                                    "scene": 0}
        self.binary = BinaryBuilder()
        self.lights: list[dict[str, Any]] = []
        self.used: set[str] = set()
        self.required: set[str] = set()
        self.shared: dict[str, dict[str, int]] = {}  # input hash -> offsets of its shared arrays

    def _array(self, name: str) -> list[Any]:
        return self.doc.setdefault(name, [])

    def _add_shared(self, gltf: Gltf) -> dict[str, int]:
        src = gltf.doc
        base = {name: len(self.doc.get(name, [])) for name in _SHARED}
        base["lights"] = len(self.lights)
        start = self.binary.add(gltf.buffers[0] or b"", 16) if gltf.buffers else 0
        for view in src.get("bufferViews", []):
            self._array("bufferViews").append(view | {"buffer": 0, "byteOffset": int(view.get("byteOffset", 0))
                                                      + start})
        for accessor in src.get("accessors", []):
            out = dict(accessor)
            if "bufferView" in out:
                out["bufferView"] += base["bufferViews"]
            if "sparse" in out:
                sparse = {k: dict(v) if isinstance(v, dict) else v for k, v in out["sparse"].items()}
                sparse["indices"]["bufferView"] += base["bufferViews"]
                sparse["values"]["bufferView"] += base["bufferViews"]
                out["sparse"] = sparse
            self._array("accessors").append(out)
        for image in src.get("images", []):
            self._array("images").append(image | {"bufferView": image["bufferView"] + base["bufferViews"]})
        self._array("samplers").extend(dict(s) for s in src.get("samplers", []))
        for texture in src.get("textures", []):
            out = dict(texture)
            if "source" in out:
                out["source"] += base["images"]
            if "sampler" in out:
                out["sampler"] += base["samplers"]
            extensions = {k: dict(v) for k, v in out.get("extensions", {}).items()}
            for name in _IMAGE_SOURCE_EXTENSIONS:
                if name in extensions and "source" in extensions[name]:
                    extensions[name]["source"] += base["images"]
            if extensions:
                out["extensions"] = extensions
            self._array("textures").append(out)
        for material in src.get("materials", []):
            out = _deep_copy(material)
            _remap_texture_infos(out, base["textures"])
            self._array("materials").append(out)
        for mesh in src.get("meshes", []):
            out = _deep_copy(mesh)
            for primitive in out["primitives"]:
                primitive["attributes"] = {k: v + base["accessors"] for k, v in primitive["attributes"].items()}
                if "indices" in primitive:
                    primitive["indices"] += base["accessors"]
                if "material" in primitive:
                    primitive["material"] += base["materials"]
                if "targets" in primitive:
                    primitive["targets"] = [{k: v + base["accessors"] for k, v in t.items()}
                                            for t in primitive["targets"]]
            self._array("meshes").append(out)
        self._array("cameras").extend(_deep_copy(c) for c in src.get("cameras", []))
        self.lights.extend(_deep_copy(src.get("extensions", {}).get("KHR_lights_punctual", {}).get("lights", [])))
        self.used.update(src.get("extensionsUsed", []))
        self.required.update(src.get("extensionsRequired", []))
        return base

    def add(self, data: bytes, name: str, transform: Transform | None) -> int:
        """Add an input under a new parent node and return that node's index."""
        key = hashlib.sha256(data).hexdigest()
        gltf = _load(data)
        if key not in self.shared:
            self.shared[key] = self._add_shared(gltf)
        base = self.shared[key]
        src = gltf.doc
        node0 = len(self.doc["nodes"])
        skin0 = len(self.doc.get("skins", []))
        for node in src.get("nodes", []):
            out = _deep_copy(node)
            for field, offset in (("mesh", base["meshes"]), ("camera", base["cameras"]), ("skin", skin0)):
                if field in out:
                    out[field] += offset
            if "children" in out:
                out["children"] = [c + node0 for c in out["children"]]
            light = out.get("extensions", {}).get("KHR_lights_punctual")
            if light is not None:
                light["light"] += base["lights"]
            self.doc["nodes"].append(out)
        for skin in src.get("skins", []):
            out = dict(skin)
            out["joints"] = [j + node0 for j in skin["joints"]]
            if "skeleton" in out:
                out["skeleton"] += node0
            if "inverseBindMatrices" in out:
                out["inverseBindMatrices"] += base["accessors"]
            self._array("skins").append(out)
        for animation in src.get("animations", []):
            out = _deep_copy(animation)
            for sampler in out["samplers"]:
                sampler["input"] += base["accessors"]
                sampler["output"] += base["accessors"]
            for channel in out["channels"]:
                if "node" in channel["target"]:
                    channel["target"]["node"] += node0
            out["name"] = f"{name}:{animation.get('name', len(self.doc.get('animations', [])))}"
            self._array("animations").append(out)
        scenes = src.get("scenes", [])
        roots = scenes[int(src.get("scene", 0))].get("nodes", []) if scenes else []
        parent: dict[str, Any] = {"name": name, "children": [r + node0 for r in roots]}
        if transform is not None:
            parent.update(_transform_json(transform))
        if not parent["children"]:
            del parent["children"]
        self.doc["nodes"].append(parent)
        index = len(self.doc["nodes"]) - 1
        self.doc["scenes"][0]["nodes"].append(index)
        return index

    def glb(self) -> bytes:
        """Return the merged GLB."""
        doc = self.doc
        if self.lights:
            doc["extensions"] = {"KHR_lights_punctual": {"lights": self.lights}}
        if self.used:
            doc["extensionsUsed"] = sorted(self.used)
        if self.required:
            doc["extensionsRequired"] = sorted(self.required)
        binary = self.binary.getvalue()
        if binary:
            doc["buffers"] = [{"byteLength": len(binary)}]
        else:
            del doc["buffers"]
        for name in (*_SHARED, "skins", "animations"):
            if name in doc and not doc[name]:
                del doc[name]
        return write_glb(doc, binary)


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value


def _transform_json(transform: Transform) -> dict[str, Any]:
    """Return glTF node fields for a transform: TRS as given, or a matrix in glTF's column-major order."""
    if isinstance(transform, Mapping):
        return {k: [float(v) for v in transform[k]] for k in ("translation", "rotation", "scale") if k in transform}
    matrix = np.asarray(transform, dtype=np.float64)  # (4, 4) row-major
    if matrix.shape != (4, 4):
        raise ComposeFailed("BAD_TRANSFORM", f"a placement matrix must be 4x4, not {matrix.shape}")
    if np.allclose(matrix, np.eye(4)):
        return {}
    return {"matrix": [float(v) for v in matrix.T.ravel()]}


def compose_gallery(room_glb: bytes, placed: Sequence[tuple[bytes, Transform]],
                    names: Sequence[str] | None = None) -> bytes:
    """Return one GLB holding the room and every placed input under a node with its transform (named by `names`,
    else `placement-<n>`)."""
    merger = _Merger()
    merger.add(room_glb, "room", None)
    for number, (data, transform) in enumerate(placed, start=1):
        merger.add(data, names[number - 1] if names else f"placement-{number}", transform)
    return merger.glb()
