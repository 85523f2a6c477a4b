"""Walk a glTF scene into world-space triangle soups: node transforms, instancing, skins, morph weights.

Works on any asset whose bufferViews are plain or meshopt-compressed (meshopt is decoded on read); Draco must be
decoded beforehand. Skinned meshes are posed in their rest pose (joint world matrices times inverse binds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from assets.gltfio import Gltf, read_accessor
from assets.meshoptcodec import decoded, has_meshopt


@dataclass
class WorldPrimitive:
    """One primitive placed in the world: arrays in world space, triangles as vertex index triples."""

    positions: np.ndarray  # (n, 3) float64
    normals: np.ndarray | None  # (n, 3) float64, unit length
    uvs: dict[int, np.ndarray]  # set number -> (n, 2) float32 TEXCOORD_<set>
    colors: np.ndarray | None  # (n, 4) float32 COLOR_0
    triangles: np.ndarray  # (m, 3) int64; empty for points and lines
    material: int | None
    mode: int


def quaternion_matrix(q: np.ndarray) -> np.ndarray:
    """Return the (3, 3) rotation of a unit quaternion given as (x, y, z, w)."""
    x, y, z, w = (float(v) for v in q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def local_matrix(node: dict[str, Any]) -> np.ndarray:
    """Return a node's (4, 4) local transform from `matrix` or TRS."""
    if "matrix" in node:
        return np.array(node["matrix"], dtype=np.float64).reshape(4, 4).T
    m = np.eye(4)
    scale = np.array(node.get("scale", [1, 1, 1]), dtype=np.float64)
    m[:3, :3] = quaternion_matrix(np.array(node.get("rotation", [0, 0, 0, 1]))) * scale
    m[:3, 3] = node.get("translation", [0, 0, 0])
    return m


def world_matrices(doc: dict[str, Any]) -> dict[int, np.ndarray]:
    """Return the (4, 4) world matrix of every node reachable from the default scene."""
    nodes = doc.get("nodes", [])
    scenes = doc.get("scenes", [])
    if scenes:
        roots = scenes[int(doc.get("scene", 0))].get("nodes", [])
    else:
        children = {c for n in nodes for c in n.get("children", [])}
        roots = [i for i in range(len(nodes)) if i not in children]
    out: dict[int, np.ndarray] = {}
    stack = [(int(r), np.eye(4)) for r in roots]
    while stack:
        index, parent = stack.pop()
        out[index] = parent @ local_matrix(nodes[index])
        stack.extend((int(c), out[index]) for c in nodes[index].get("children", []))
    return out


def _instances(gltf: Gltf, node: dict[str, Any]) -> list[np.ndarray]:
    ext = node.get("extensions", {}).get("EXT_mesh_gpu_instancing")
    if not ext:
        return [np.eye(4)]
    attrs = ext.get("attributes", {})
    count = next((int(gltf.doc["accessors"][a]["count"]) for a in attrs.values()), 1)
    t = read_accessor(gltf, attrs["TRANSLATION"]) if "TRANSLATION" in attrs else np.zeros((count, 3))
    r = read_accessor(gltf, attrs["ROTATION"]) if "ROTATION" in attrs else np.tile([0.0, 0, 0, 1], (count, 1))
    s = read_accessor(gltf, attrs["SCALE"]) if "SCALE" in attrs else np.ones((count, 3))
    out = []
    for i in range(count):
        m = np.eye(4)
        m[:3, :3] = quaternion_matrix(r[i]) * s[i]
        m[:3, 3] = t[i]
        out.append(m)
    return out


def triangle_indices(mode: int, indices: np.ndarray) -> np.ndarray:
    """Return (m, 3) triangles of a TRIANGLES, TRIANGLE_STRIP or TRIANGLE_FAN index list (others: empty)."""
    n = len(indices)
    if mode == 4:
        return indices[: n - n % 3].reshape(-1, 3)
    if mode == 5 and n >= 3:
        k = np.arange(n - 2)
        tri = np.stack([indices[k], indices[k + 1], indices[k + 2]], axis=1)
        odd = k % 2 == 1
        tri[odd] = tri[odd][:, [1, 0, 2]]
        return tri
    if mode == 6 and n >= 3:
        k = np.arange(1, n - 1)
        return np.stack([np.full(n - 2, indices[0]), indices[k], indices[k + 1]], axis=1)
    return np.zeros((0, 3), dtype=np.int64)


def _skin_matrices(gltf: Gltf, skin: dict[str, Any], worlds: dict[int, np.ndarray]) -> np.ndarray:
    joints = skin.get("joints", [])
    if "inverseBindMatrices" in skin:
        ibm = read_accessor(gltf, skin["inverseBindMatrices"]).reshape(-1, 4, 4).transpose(0, 2, 1)
    else:
        ibm = np.tile(np.eye(4), (len(joints), 1, 1))
    return np.stack([worlds.get(int(j), np.eye(4)) @ ibm[k] for k, j in enumerate(joints)])  # (joints, 4, 4)


def world_primitives(gltf: Gltf) -> list[WorldPrimitive]:
    """Return every primitive of the default scene in world space."""
    if has_meshopt(gltf):
        gltf = decoded(gltf)
    doc = gltf.doc
    worlds = world_matrices(doc)
    out: list[WorldPrimitive] = []
    for node_index, world in worlds.items():
        node = doc["nodes"][node_index]
        if "mesh" not in node:
            continue
        mesh = doc["meshes"][node["mesh"]]
        weights = node.get("weights", mesh.get("weights", []))
        skin = doc["skins"][node["skin"]] if "skin" in node and doc.get("skins") else None
        joint_mats = _skin_matrices(gltf, skin, worlds) if skin else None
        for prim in mesh.get("primitives", []):
            attrs = prim.get("attributes", {})
            if "POSITION" not in attrs:
                continue
            pos = read_accessor(gltf, attrs["POSITION"]).astype(np.float64)
            nrm = read_accessor(gltf, attrs["NORMAL"]).astype(np.float64) if "NORMAL" in attrs else None
            for w, target in zip(weights, prim.get("targets", []), strict=False):
                if w and "POSITION" in target:
                    pos = pos + w * read_accessor(gltf, target["POSITION"])
                if w and nrm is not None and "NORMAL" in target:
                    nrm = nrm + w * read_accessor(gltf, target["NORMAL"])
            mode = int(prim.get("mode", 4))
            if "indices" in prim:
                idx = read_accessor(gltf, prim["indices"], normalized_to_float=False).reshape(-1).astype(np.int64)
            else:
                idx = np.arange(len(pos), dtype=np.int64)
            tris = triangle_indices(mode, idx)
            material = prim.get("material")
            uvs = {
                int(name[9:]): read_accessor(gltf, index)
                for name, index in attrs.items()
                if name.startswith("TEXCOORD_") and name[9:].isdigit()
            }
            colors = None
            if "COLOR_0" in attrs:
                colors = read_accessor(gltf, attrs["COLOR_0"]).astype(np.float32)
                if colors.shape[1] == 3:
                    colors = np.concatenate([colors, np.ones((len(colors), 1), np.float32)], axis=1)
            if joint_mats is not None and "JOINTS_0" in attrs and "WEIGHTS_0" in attrs:
                joints = read_accessor(gltf, attrs["JOINTS_0"], normalized_to_float=False).astype(np.int64)
                wts = read_accessor(gltf, attrs["WEIGHTS_0"]).astype(np.float64)
                joints = np.clip(joints, 0, len(joint_mats) - 1)
                skin_m = np.einsum("nk,nkij->nij", wts, joint_mats[joints])  # (n, 4, 4)
                placements = [None]
            else:
                skin_m = None
                placements = [world @ inst for inst in _instances(gltf, node)]
            for m in placements:
                if m is None and skin_m is not None:
                    wpos = np.einsum("nij,nj->ni", skin_m[:, :3, :3], pos) + skin_m[:, :3, 3]
                    wnrm = np.einsum("nij,nj->ni", skin_m[:, :3, :3], nrm) if nrm is not None else None
                    flip = False
                else:
                    assert m is not None
                    wpos = pos @ m[:3, :3].T + m[:3, 3]
                    normal_m = np.linalg.inv(m[:3, :3]).T if abs(np.linalg.det(m[:3, :3])) > 1e-12 else m[:3, :3]
                    wnrm = nrm @ normal_m.T if nrm is not None else None
                    flip = np.linalg.det(m[:3, :3]) < 0
                if wnrm is not None:
                    wnrm = wnrm / np.maximum(np.linalg.norm(wnrm, axis=1, keepdims=True), 1e-12)
                t = tris[:, [0, 2, 1]] if flip else tris
                out.append(WorldPrimitive(wpos, wnrm, uvs, colors, t, material, mode))
    return out
