"""Write the per-device tiers (phone, desktop, vr) of an asset as GLB files.

Geometry goes through npm `gltfpack` (simplification toward a triangle budget, quantization, meshopt compression);
textures go around it: before gltfpack every image becomes a placeholder URI (`-tr` keeps it as a reference), so
gltfpack never decodes, drops or mangles a texture (the npm build has no texture codecs and breaks KTX2); after
it, each placeholder is replaced by the tier's encoding of the original image (`assets.textures`).

Texture formats and their fallback
    Phone and desktop textures are WebP through EXT_texture_webp, which three.js GLTFLoader, Babylon.js and
    model-viewer read and every browser the museum targets decodes (Safari 14+). WebP was measured against
    KTX2/ETC1S at the same size: about half the bytes for colour maps, and phones' download size is the
    constraint. The PNG/JPEG fallback is dropped to save its bytes, so EXT_texture_webp is listed in
    `extensionsRequired`: a client without it must load the `original` tier instead (the manifest offers it).
    An original PNG/JPEG smaller than its WebP and within the size limit is kept as it is.

Budgets
    phone    colour textures <= 1024 px WebP, normal and data maps (roughness, occlusion, ...) <= 512 px: on a
             phone an exhibit covers a few hundred pixels, where shading detail finer than 512 px is not seen
             but costs about a fifth of the download (measured over the corpus); a map with fine detail that
             halving would blur (over 0.02 of SSIM lost, measured per map) keeps 1024 px; each texture's WebP
             quality is the lowest of 72..45 that loses at most 0.02 of SSIM seen at half size (textures.py);
             geometry toward 50k triangles per exhibit, never below half the triangles (the simplifier's error
             limit, 1 % of the extent, stays in charge); within the budget, toward half the triangles where the
             surface moves by at most 0.1 % of the extent (under a pixel of a phone screen the exhibit fills),
             across UV seams too where the attributes on both sides agree (gltfpack -sp); positions quantized to
             11 bits (1/2048 of the extent: half a pixel of a phone screen the exhibit fills), texture
             coordinates to 11 bits (half a texel of a 1024 px texture mapped once), normals to 7 bits; meshopt
             (KHR_meshopt_compression). Each choice was measured by bench/assets/look.py.
    desktop  textures <= 2048 px WebP; light simplification toward 500k triangles, never below 80 %.
    vr       a standalone headset (Quest 2/3 class: Adreno 650/740, ~1M triangles and ~150 draw calls per frame
             at 72-90 Hz with both eyes drawn, a few GB of memory shared with the OS). A gallery room shows ten
             to fifteen exhibits at once next to the room itself, so one exhibit gets 60k triangles and its
             textures 1024 px: at 1-2 m an exhibit covers a third of the ~1900 px per-eye view, so 1024 px
             with mipmaps is as sharp as the display. Textures are KTX2/ETC1S with mipmaps (KHR_texture_basisu):
             they stay compressed in GPU memory (ETC2/ASTC after transcoding, ~0.7 MB per 1024 px texture with
             mips instead of 5.6 MB as RGBA8), which is what keeps many exhibits inside the headset's memory.
Every tier keeps animations, skins, morph targets, cameras, lights, texture transforms, second UV sets, vertex
colours and KHR_materials_* extensions (gltfpack carries them; tests check each on corpus models).
"""

from __future__ import annotations

import copy
import hashlib
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assets.errors import AssetError
from assets.gltfio import BinaryBuilder, Gltf, read_glb, write_glb
from assets.imageformat import MIME_BY_FORMAT
from assets.inspection import count_draw_calls, count_triangles
from assets.nodetools import node_binary, npm_bin
from assets.textures import TextureEncoder, TextureRecipe, texture_usages

_TEXTURE_EXTENSIONS = {"webp": "EXT_texture_webp", "ktx2": "KHR_texture_basisu"}
_PLACEHOLDER = re.compile(r"^img(\d+)\.png$")


@dataclass(frozen=True)
class TierPlan:
    """What one tier aims for: texture recipe, triangle budget and the least share of triangles to keep."""

    name: str
    textures: TextureRecipe
    triangle_budget: int
    min_ratio: float
    # Within the budget, simplify toward half the triangles wherever the surface moves by at most this share of
    # the mesh's extent (None: keep every triangle within the budget).
    fine_error: float | None = None
    position_bits: int | None = None  # quantization of positions (None: gltfpack's 14 bits)
    texcoord_bits: int | None = None  # ... of texture coordinates (None: gltfpack's 12 bits)
    normal_bits: int | None = None  # ... of normals and tangents (None: gltfpack's 8 bits)
    # Simplify across UV seams and hard edges where the attributes on both sides stay within the error.
    permissive: bool = False


PLANS: dict[str, TierPlan] = {
    "phone": TierPlan(
        "phone",
        TextureRecipe(
            1024, "webp", quality=72, data_quality=70, data_max_size=512, detail_bound=0.02, min_quality=45,
            effort=6, grain_bound=0.05,
        ),
        50_000,
        0.5,
        fine_error=0.001,
        position_bits=11,
        texcoord_bits=11,
        normal_bits=7,
        permissive=True,
    ),
    "desktop": TierPlan("desktop", TextureRecipe(2048, "webp", quality=85, data_quality=85), 500_000, 0.8),
    "vr": TierPlan("vr", TextureRecipe(1024, "ktx2"), 60_000, 0.5),
}


@dataclass
class BuiltTier:
    """A tier written to disk with the numbers the pipeline reports."""

    path: Path
    triangles: int
    draw_calls: int
    stats: dict[str, Any] = field(default_factory=dict)


# A curator's per-exhibit budget is the phone's; the headset gets a fifth more, the desktop ten times as much.
_BUDGET_SCALE = {"phone": 1.0, "vr": 1.2, "desktop": 10.0}


def plan_for(name: str, triangle_budget: int | None = None) -> TierPlan:
    """Return the plan of tier `name`, aimed at a curator's per-exhibit triangle budget when one is given.

    An explicit budget is followed down to 1 % of the triangles (gltfpack's error limit, 1 % of the extent,
    still stops it before the shape breaks); the default budgets never drop below each plan's min_ratio.
    """
    plan = PLANS[name]
    if not triangle_budget:
        return plan
    return replace(plan, triangle_budget=max(1, round(triangle_budget * _BUDGET_SCALE[name])), min_ratio=0.01)


def simplify_ratio(triangles: int, budget: int, min_ratio: float) -> float:
    """Return the share of triangles to keep: toward the budget, never below min_ratio."""
    if triangles <= budget or triangles == 0:
        return 1.0
    return max(min_ratio, budget / triangles)


def placeholder_glb(work: Gltf) -> bytes:
    """Return the working asset as GLB with each image replaced by a placeholder URI for gltfpack."""
    doc = copy.deepcopy(work.doc)
    for i, image in enumerate(doc.get("images", [])):
        doc["images"][i] = {"uri": f"img{i}.png", **({"name": image["name"]} if "name" in image else {})}
    for texture in doc.get("textures", []):
        extensions = texture.get("extensions", {})
        for name in _TEXTURE_EXTENSIONS.values():
            if name in extensions:
                # The extension's image is the one the author meant for capable clients: it becomes the source.
                texture["source"] = extensions.pop(name)["source"]
        if not extensions:
            texture.pop("extensions", None)
    for key in ("extensionsUsed", "extensionsRequired"):
        if key in doc:
            doc[key] = [e for e in doc[key] if e not in _TEXTURE_EXTENSIONS.values()]
            if not doc[key]:
                del doc[key]
    binary = work.buffers[0] if work.buffers else b""
    return write_glb(doc, binary or b"")


Packer = Callable[[list[str]], None]


def _gltfpack_process(args: list[str]) -> None:
    proc = subprocess.run(
        [node_binary(), str(npm_bin("gltfpack")), *args], capture_output=True, text=True, timeout=600, check=False
    )
    if proc.returncode != 0:
        raise AssetError(f"gltfpack failed: {(proc.stderr or proc.stdout).strip()[-400:]}")


def run_gltfpack(
    source: Path,
    target: Path,
    ratio: float,
    quantize: bool = True,
    packer: Packer | None = None,
    instanced: bool = False,
    error: float | None = None,
    plan: TierPlan | None = None,
) -> list[str]:
    """Run gltfpack on a placeholder GLB and return the options used.

    `error` limits simplification to that share of each mesh's extent (gltfpack's default: 1 %); the plan's
    quantization bits and permissive simplification apply when it has them.
    """
    # -cz (KHR_meshopt_compression, the codec's second version) decodes to the very bytes -cc does and saves 6-8 %
    # of the geometry bytes over it, -cc 5-10 % over -c; but their lossy exponential filter moves GPU-instancing
    # transforms (0.002 % of the extent on SimpleInstancing, where unsimplified geometry should not move at all).
    options = ["-c" if instanced else "-cz", "-tr", "-ke"]
    if ratio < 0.999:
        options += ["-si", f"{ratio:.4f}"]
        if error is not None:
            options += ["-se", f"{error:g}"]
        if plan is not None and plan.permissive:
            options.append("-sp")
    if not quantize:
        options.append("-noq")
    elif plan is not None:
        for flag, bits in (("-vp", plan.position_bits), ("-vt", plan.texcoord_bits), ("-vn", plan.normal_bits)):
            if bits is not None:
                options += [flag, str(bits)]
    (packer or _gltfpack_process)([*options, "-i", str(source), "-o", str(target)])
    if not target.exists():
        raise AssetError("gltfpack wrote no output")
    return options


def restore_textures(
    packed: bytes, encoder: TextureEncoder, recipe: TextureRecipe, usages: dict[int, str]
) -> tuple[bytes, list[dict[str, Any]]]:
    """Return gltfpack output with placeholders replaced by encoded images, and a row per texture."""
    gltf = read_glb(packed)
    doc = gltf.doc
    builder = BinaryBuilder()
    if gltf.buffers and gltf.buffers[0]:
        builder.add(gltf.buffers[0])
    views = doc.setdefault("bufferViews", [])
    formats: dict[int, str] = {}
    rows = []
    for j, image in enumerate(doc.get("images", [])):
        match = _PLACEHOLDER.match(str(image.get("uri", "")))
        if not match:
            raise AssetError(f"gltfpack changed image {j} unexpectedly")
        source = int(match.group(1))
        encoded = encoder.encode(source, recipe, usages.get(source, "color"))
        offset = builder.add(encoded.data, 8)
        views.append({"buffer": 0, "byteOffset": offset, "byteLength": len(encoded.data)})
        doc["images"][j] = {"bufferView": len(views) - 1, "mimeType": MIME_BY_FORMAT[encoded.fmt]}
        if "name" in image:
            doc["images"][j]["name"] = image["name"]
        formats[j] = encoded.fmt
        rows.append(
            {
                "width": encoded.width,
                "height": encoded.height,
                "mime": MIME_BY_FORMAT[encoded.fmt],
                "bytes": len(encoded.data),
                "usage": usages.get(source, "color"),
                "passed_through": encoded.passed_through,
            }
        )
    needed: set[str] = set()
    for texture in doc.get("textures", []):
        source = texture.get("source")
        if source is None or formats.get(source) in ("png", "jpeg", None):
            continue
        name = _TEXTURE_EXTENSIONS[formats[source]]
        del texture["source"]
        texture.setdefault("extensions", {})[name] = {"source": source}
        needed.add(name)
    # An image no texture uses still needs its format's extension declared (the validator insists).
    present = {_TEXTURE_EXTENSIONS[f] for f in formats.values() if f in _TEXTURE_EXTENSIONS}
    for key, wanted in (("extensionsUsed", needed | present), ("extensionsRequired", needed)):
        names = doc.get(key, [])
        names += sorted(wanted - set(names))
        if names:
            doc[key] = names
    if not views:
        doc.pop("bufferViews")
    return write_glb(doc, builder.getvalue()), rows


def build_tier(
    plan: TierPlan,
    placeholder: Path,
    triangles: int,
    encoder: TextureEncoder,
    usages: dict[int, str],
    out: Path,
    quantize: bool = True,
    packer: Packer | None = None,
) -> BuiltTier:
    """Write one tier GLB to `out` from a placeholder GLB and return its numbers."""
    ratio = simplify_ratio(triangles, plan.triangle_budget, plan.min_ratio)
    error = None
    if ratio >= 0.999 and plan.fine_error is not None:
        ratio, error = 0.5, plan.fine_error  # within budget: only what no one would see goes
    raw = out.with_name(out.stem + ".gltfpack.glb")
    instanced = "EXT_mesh_gpu_instancing" in read_glb(placeholder.read_bytes()).doc.get("extensionsUsed", [])
    options = run_gltfpack(placeholder, raw, ratio, quantize, packer, instanced, error, plan)
    data, rows = restore_textures(raw.read_bytes(), encoder, plan.textures, usages)
    raw.unlink()
    out.write_bytes(data)
    doc = read_glb(data).doc
    stats = {
        "textures": rows,
        "texture_bytes": sum(r["bytes"] for r in rows),
        "simplify_ratio": round(ratio, 4),
        "simplify_error": error,  # None: gltfpack's default limit (1 % of the extent)
        "gltfpack": options,
        "extensions_used": sorted(doc.get("extensionsUsed", [])),
        "sha256_geometry_input": hashlib.sha256(placeholder.read_bytes()).hexdigest(),
    }
    return BuiltTier(out, count_triangles(doc), count_draw_calls(doc), stats)


__all__ = [
    "PLANS",
    "BuiltTier",
    "TierPlan",
    "build_tier",
    "placeholder_glb",
    "plan_for",
    "simplify_ratio",
    "texture_usages",
]
