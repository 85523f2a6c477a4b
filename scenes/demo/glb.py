"""Write demo models as binary glTF 2.0: PBR materials, textures, emissive strength, transmission, anchors.

The document is built here rather than by trimesh's exporter, because the demo needs extensions trimesh does not write
(KHR_materials_emissive_strength, KHR_materials_transmission) and byte-identical output on every run; the GLB
container is written by `assets.gltfio`, the project's one GLB reader and writer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assets import gltfio
from assets.gltfio import BinaryBuilder
from scenes.demo.geometry import Part

_FLOAT, _USHORT, _UINT = 5126, 5123, 5125
_ARRAY_BUFFER, _ELEMENT_ARRAY_BUFFER = 34962, 34963
_LINEAR, _LINEAR_MIPMAP_LINEAR, _REPEAT, _CLAMP = 9729, 9987, 10497, 33071


@dataclass(frozen=True)
class Material:
    """A glTF metallic-roughness material; `texture` and `emissive_texture` name entries of the texture table.

    Colours are sRGB, as a colour picker shows them (alpha linear); the writer stores them linear as glTF wants.
    """

    color: tuple[float, float, float, float] = (0.8, 0.8, 0.8, 1.0)
    metallic: float = 0.0
    roughness: float = 0.6
    texture: str | None = None
    emissive: tuple[float, float, float] = (0.0, 0.0, 0.0)
    emissive_texture: str | None = None
    emissive_strength: float = 1.0
    alpha_mode: str = "OPAQUE"
    double_sided: bool = False
    transmission: float = 0.0
    uv_scale: float = 1.0  # multiplies the parts' UVs, which are in metres for boxes: 0.5 = a 2 m texture tile


@dataclass(frozen=True)
class Texture:
    """An encoded image (PNG or JPEG) and whether it repeats or clamps."""

    data: bytes
    mime_type: str
    repeat: bool = True


class _Buffer:
    """Collect aligned byte ranges of the one binary chunk and the bufferViews that point at them."""

    def __init__(self) -> None:
        self.binary = BinaryBuilder()
        self.views: list[dict[str, object]] = []

    def add(self, data: bytes, target: int | None = None) -> int:
        view: dict[str, object] = {"buffer": 0, "byteOffset": self.binary.add(data), "byteLength": len(data)}
        if target is not None:
            view["target"] = target
        self.views.append(view)
        return len(self.views) - 1


def srgb_to_linear(value: float) -> float:
    """Return the linear value of an sRGB channel (0..1): glTF colour factors are linear."""
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _material_json(name: str, mat: Material, texture_index: Mapping[str, int]) -> dict[str, object]:
    r, g, b, a = mat.color
    pbr: dict[str, object] = {
        "baseColorFactor": [round(srgb_to_linear(float(c)), 4) for c in (r, g, b)] + [round(float(a), 4)],
        "metallicFactor": round(float(mat.metallic), 4),
        "roughnessFactor": round(float(mat.roughness), 4),
    }
    if mat.texture:
        pbr["baseColorTexture"] = {"index": texture_index[mat.texture]}
    out: dict[str, object] = {"name": name, "pbrMetallicRoughness": pbr}
    if any(mat.emissive) or mat.emissive_texture:
        out["emissiveFactor"] = [round(srgb_to_linear(float(c)), 4) for c in mat.emissive]
    if mat.emissive_texture:
        out["emissiveTexture"] = {"index": texture_index[mat.emissive_texture]}
    extensions: dict[str, object] = {}
    if mat.emissive_strength != 1.0 and (any(mat.emissive) or mat.emissive_texture):
        extensions["KHR_materials_emissive_strength"] = {"emissiveStrength": float(mat.emissive_strength)}
    if mat.transmission > 0:
        extensions["KHR_materials_transmission"] = {"transmissionFactor": float(mat.transmission)}
    if extensions:
        out["extensions"] = extensions
    if mat.alpha_mode != "OPAQUE":
        out["alphaMode"] = mat.alpha_mode
    if mat.double_sided:
        out["doubleSided"] = True
    return out


def _accessor(buffer: _Buffer, array: np.ndarray, kind: str, target: int, bounds: bool = False) -> dict[str, object]:
    component = {np.dtype(np.float32): _FLOAT, np.dtype(np.uint16): _USHORT, np.dtype(np.uint32): _UINT}
    acc: dict[str, object] = {
        "bufferView": buffer.add(np.ascontiguousarray(array).tobytes(), target),
        "componentType": component[array.dtype],
        "count": int(array.shape[0]),
        "type": kind,
    }
    if bounds:
        acc["min"] = [float(v) for v in array.min(axis=0)]
        acc["max"] = [float(v) for v in array.max(axis=0)]
    return acc


def write_glb(
    name: str,
    parts: Sequence[Part],
    materials: Mapping[str, Material],
    textures: Mapping[str, Texture] | None = None,
    anchors: Mapping[str, tuple[float, float, float]] | None = None,
    extras: Mapping[str, object] | None = None,
) -> bytes:
    """Return a GLB with one mesh (one primitive per material, in order of first use) and anchor nodes."""
    textures = textures or {}
    grouped: dict[str, list[Part]] = {}
    for part in parts:
        if len(part.faces):
            grouped.setdefault(part.material, []).append(part)
    used_textures = sorted({t for key in grouped for t in (materials[key].texture, materials[key].emissive_texture)
                            if t})
    buffer = _Buffer()
    accessors: list[dict[str, object]] = []
    primitives: list[dict[str, object]] = []
    for index, (key, group) in enumerate(grouped.items()):
        mat = materials[key]
        positions = np.concatenate([p.positions for p in group]).astype(np.float32)
        normals = np.concatenate([p.normals for p in group])
        normals = (normals / np.linalg.norm(normals, axis=1, keepdims=True)).astype(np.float32)
        offsets = np.cumsum([0] + [len(p.positions) for p in group[:-1]])
        faces = np.concatenate([p.faces + o for p, o in zip(group, offsets, strict=True)])
        index_type = np.uint16 if len(positions) < 65535 else np.uint32
        attributes = {"POSITION": len(accessors)}
        accessors.append(_accessor(buffer, positions, "VEC3", _ARRAY_BUFFER, bounds=True))
        attributes["NORMAL"] = len(accessors)
        accessors.append(_accessor(buffer, normals, "VEC3", _ARRAY_BUFFER))
        if mat.texture or mat.emissive_texture:
            uvs = (np.concatenate([p.uvs for p in group]) * mat.uv_scale).astype(np.float32)
            attributes["TEXCOORD_0"] = len(accessors)
            accessors.append(_accessor(buffer, uvs, "VEC2", _ARRAY_BUFFER))
        indices = len(accessors)
        accessors.append(_accessor(buffer, faces.reshape(-1).astype(index_type), "SCALAR", _ELEMENT_ARRAY_BUFFER))
        primitives.append({"attributes": attributes, "indices": indices, "material": index, "mode": 4})
    images, samplers, texture_json = [], [], []
    sampler_of = {True: _REPEAT, False: _CLAMP}
    for tex_name in used_textures:
        tex = textures[tex_name]
        images.append({"name": tex_name, "mimeType": tex.mime_type, "bufferView": buffer.add(tex.data)})
        wrap = sampler_of[tex.repeat]
        sampler = {"magFilter": _LINEAR, "minFilter": _LINEAR_MIPMAP_LINEAR, "wrapS": wrap, "wrapT": wrap}
        if sampler not in samplers:
            samplers.append(sampler)
        texture_json.append({"sampler": samplers.index(sampler), "source": len(images) - 1})
    texture_index = {t: i for i, t in enumerate(used_textures)}
    material_json = [_material_json(key, materials[key], texture_index) for key in grouped]
    nodes: list[dict[str, object]] = [{"name": name, "mesh": 0}]
    for anchor, point in sorted((anchors or {}).items()):
        nodes.append({"name": f"anchor:{anchor}", "translation": [float(v) for v in point]})
    gltf: dict[str, object] = {
        "asset": {"version": "2.0", "generator": "museum scenes.demo"},
        "scene": 0,
        "scenes": [{"name": name, "nodes": list(range(len(nodes)))}],
        "nodes": nodes,
        "meshes": [{"name": name, "primitives": primitives}],
        "materials": material_json,
        "accessors": accessors,
    }
    if images:
        gltf.update(images=images, samplers=samplers, textures=texture_json)
    extensions_used = sorted({ext for m in material_json for ext in m.get("extensions", {})})  # type: ignore[attr-defined]
    if extensions_used:
        gltf["extensionsUsed"] = extensions_used
    if extras:
        gltf["scenes"][0]["extras"] = dict(extras)  # type: ignore[index]
    binary = buffer.binary.getvalue()
    gltf["bufferViews"] = buffer.views
    gltf["buffers"] = [{"byteLength": len(binary)}]
    return gltfio.write_glb(gltf, binary)
