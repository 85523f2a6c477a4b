"""Describe an asset for curators and budgets: counts, textures, extensions, bounds and real-world size."""

from __future__ import annotations

from typing import Any

import numpy as np

from assets import imageformat
from assets.gltfio import Gltf
from assets.scene import local_matrix, world_matrices, world_primitives

_TRIANGLE_MODES = {4: lambda n: n // 3, 5: lambda n: max(n - 2, 0), 6: lambda n: max(n - 2, 0)}


def primitive_triangles(doc: dict[str, Any], primitive: dict[str, Any]) -> int:
    """Return how many triangles a primitive draws (0 for points and lines)."""
    mode = int(primitive.get("mode", 4))
    if mode not in _TRIANGLE_MODES:
        return 0
    if "indices" in primitive:
        n = int(doc["accessors"][primitive["indices"]]["count"])
    elif "POSITION" in primitive.get("attributes", {}):
        n = int(doc["accessors"][primitive["attributes"]["POSITION"]]["count"])
    else:
        return 0
    return int(_TRIANGLE_MODES[mode](n))


def count_triangles(doc: dict[str, Any]) -> int:
    """Return the triangles of every mesh, each counted once however often it is placed."""
    return sum(primitive_triangles(doc, p) for m in doc.get("meshes", []) for p in m.get("primitives", []))


def count_draw_calls(doc: dict[str, Any]) -> int:
    """Return the draw calls of the default scene: one per primitive per mesh node (instancing counts once)."""
    meshes = doc.get("meshes", [])
    nodes = doc.get("nodes", [])
    return sum(len(meshes[nodes[i]["mesh"]].get("primitives", [])) for i in world_matrices(doc) if "mesh" in nodes[i])


def _vertices(doc: dict[str, Any]) -> int:
    seen: set[int] = set()
    for mesh in doc.get("meshes", []):
        for prim in mesh.get("primitives", []):
            if "POSITION" in prim.get("attributes", {}):
                seen.add(int(prim["attributes"]["POSITION"]))
    return sum(int(doc["accessors"][a]["count"]) for a in seen)


def textures(gltf: Gltf) -> list[dict[str, Any]]:
    """Return width, height and MIME type of every image."""
    out = []
    for i, image in enumerate(gltf.doc.get("images", [])):
        data = gltf.image_bytes(i)
        fmt = imageformat.sniff(data)
        width, height = imageformat.dimensions(data, fmt) if fmt else (0, 0)
        mime = imageformat.MIME_BY_FORMAT[fmt] if fmt else str(image.get("mimeType", "unknown"))
        out.append({"width": width, "height": height, "mime": mime})
    return out


def _bounds_from_accessors(doc: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    corners = []
    for index, world in world_matrices(doc).items():
        node = doc["nodes"][index]
        if "mesh" not in node:
            continue
        for prim in doc["meshes"][node["mesh"]].get("primitives", []):
            accessor = doc["accessors"][prim["attributes"]["POSITION"]]
            lo, hi = np.array(accessor["min"], float), np.array(accessor["max"], float)
            box = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])
            corners.append(box @ world[:3, :3].T + world[:3, 3])  # (8, 3)
    if not corners:
        return None
    points = np.concatenate(corners)
    return points.min(axis=0), points.max(axis=0)


def scene_bounds(gltf: Gltf) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the world-space (min, max) corners of the default scene, or None if it draws nothing."""
    if "KHR_draco_mesh_compression" in gltf.doc.get("extensionsUsed", []):
        return _bounds_from_accessors(gltf.doc)
    prims = world_primitives(gltf)
    if not prims:
        return None
    points = np.concatenate([p.positions for p in prims])  # (n, 3)
    finite = points[np.isfinite(points).all(axis=1)]
    if not len(finite):
        return None
    return finite.min(axis=0), finite.max(axis=0)


MAX_OBSTACLES = 500
MAX_OBSTACLE_POINTS = 64


def scene_obstacles(doc: dict[str, Any]) -> list[list[list[float]]]:
    """Return the floor footprints [[[x, z], ...], ...] a room lists in its default scene's extras (`obstacles`).

    A room model names the furniture a visitor walks around (beds, rope barriers, glass cases) this way; footprints
    that are not lists of 3 to MAX_OBSTACLE_POINTS finite [x, z] pairs are left out.
    """
    scenes = doc.get("scenes")
    index = doc.get("scene", 0)
    if not isinstance(scenes, list) or not isinstance(index, int) or not 0 <= index < len(scenes):
        return []
    extras = scenes[index].get("extras") if isinstance(scenes[index], dict) else None
    listed = extras.get("obstacles") if isinstance(extras, dict) else None
    if not isinstance(listed, list):
        return []
    out: list[list[list[float]]] = []
    for footprint in listed[:MAX_OBSTACLES]:
        if not isinstance(footprint, list) or not 3 <= len(footprint) <= MAX_OBSTACLE_POINTS:
            continue
        points = [p for p in footprint if isinstance(p, list) and len(p) == 2
                  and all(isinstance(v, int | float) and not isinstance(v, bool) and np.isfinite(v) for v in p)]
        if len(points) == len(footprint):
            out.append([[round(float(x), 4), round(float(z), 4)] for x, z in points])
    return out


def inspect_asset(gltf: Gltf) -> dict[str, Any]:
    """Return a JSON-ready description of the asset (meshopt is read through; Draco uses accessor bounds)."""
    doc = gltf.doc
    bounds = scene_bounds(gltf)
    lo, hi = bounds if bounds else (np.zeros(3), np.zeros(3))
    meshes = doc.get("meshes", [])
    obstacles = scene_obstacles(doc)
    return {
        "triangles": count_triangles(doc),
        "vertices": _vertices(doc),
        "draw_calls": count_draw_calls(doc),
        "meshes": len(meshes),
        "nodes": len(doc.get("nodes", [])),
        "materials": len(doc.get("materials", [])),
        "textures": textures(gltf),
        "animations": len(doc.get("animations", [])),
        "skins": len(doc.get("skins", [])),
        "morph_targets": sum(
            max((len(p.get("targets", [])) for p in m.get("primitives", [])), default=0) for m in meshes
        ),
        "cameras": len(doc.get("cameras", [])),
        "scenes": len(doc.get("scenes", [])),
        "extensions_used": sorted(doc.get("extensionsUsed", [])),
        "bounds": {"min": [round(float(v), 6) for v in lo], "max": [round(float(v), 6) for v in hi]},
        "size_m": [round(float(v), 6) for v in (hi - lo)],
    } | ({"obstacles": obstacles} if obstacles else {})


__all__ = ["count_draw_calls", "count_triangles", "inspect_asset", "local_matrix", "scene_obstacles", "textures"]
