"""Texture usages and encodings per tier recipe."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from assets.imageformat import KTX2_MAGIC, sniff
from assets.textures import TextureEncoder, TextureRecipe, _webp, texture_usages


def image_bytes(image: Image.Image, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def test_usages_from_material_slots() -> None:
    doc = {
        "textures": [
            {"source": 0},
            {"source": 1},
            {"source": 2},
            {"extensions": {"KHR_texture_basisu": {"source": 3}}},
        ],
        "materials": [
            {
                "pbrMetallicRoughness": {"baseColorTexture": {"index": 0}, "metallicRoughnessTexture": {"index": 2}},
                "normalTexture": {"index": 1},
                "extensions": {"KHR_materials_sheen": {"sheenColorTexture": {"index": 3}}},
            }
        ],
    }
    assert texture_usages(doc) == {0: "color", 1: "normal", 2: "data", 3: "color"}


def test_large_png_becomes_webp_within_limit(tmp_path: Path) -> None:
    noisy = Image.linear_gradient("L").resize((2000, 1000)).convert("RGB")
    encoder = TextureEncoder({0: image_bytes(noisy)}, tmp_path)
    result = encoder.encode(0, TextureRecipe(1024, "webp", 75), "color")
    assert (result.fmt, result.width, result.height) == ("webp", 1024, 512)
    assert sniff(result.data) == "webp"
    assert encoder.encode(0, TextureRecipe(1024, "webp", 75), "color") is result


def test_small_original_is_kept_when_smaller(tmp_path: Path) -> None:
    flat = image_bytes(Image.new("RGB", (16, 16), (10, 20, 30)))
    result = TextureEncoder({0: flat}, tmp_path).encode(0, TextureRecipe(1024, "webp", 75), "color")
    if result.fmt == "png":
        assert result.data == flat and result.passed_through
    else:
        assert len(result.data) < len(flat)


def test_transparent_pixels_keep_alpha(tmp_path: Path) -> None:
    image = Image.new("RGBA", (64, 64), (255, 0, 0, 0))
    image.paste((0, 255, 0, 255), (16, 16, 48, 48))
    result = TextureEncoder({0: image_bytes(image)}, tmp_path).encode(0, TextureRecipe(32, "webp", 90), "color")
    decoded = Image.open(io.BytesIO(result.data))
    assert decoded.mode == "RGBA" and decoded.getchannel("A").getextrema()[0] == 0


def test_ktx2_encoding_and_passthrough(tmp_path: Path) -> None:
    source = image_bytes(Image.effect_noise((256, 256), 40).convert("RGB"))
    encoder = TextureEncoder({0: source}, tmp_path)
    ktx2 = encoder.encode(0, TextureRecipe(128, "ktx2"), "normal")
    assert ktx2.data.startswith(KTX2_MAGIC) and (ktx2.width, ktx2.height) == (128, 128)
    again = TextureEncoder({0: ktx2.data}, tmp_path / "b")
    kept = again.encode(0, TextureRecipe(1024, "webp"), "color")
    assert kept.passed_through and kept.data == ktx2.data
    smaller = again.encode(0, TextureRecipe(64, "webp"), "color")
    assert smaller.fmt == "webp" and smaller.width == 64


def test_concurrent_recipes_do_not_trade_qualities(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    source = image_bytes(Image.effect_noise((256, 256), 80).convert("RGB"))
    low, high = TextureRecipe(1024, "webp", 20, 20), TextureRecipe(2048, "webp", 95, 95)
    expected = {r: len(TextureEncoder({0: source}, tmp_path).encode(0, r, "color").data) for r in (low, high)}
    for _ in range(5):
        encoder = TextureEncoder({0: source}, tmp_path)
        with ThreadPoolExecutor(2) as pool:
            futures = {r: pool.submit(encoder.encode, 0, r, "color") for r in (low, high)}
        assert {r: len(f.result().data) for r, f in futures.items()} == expected


def test_data_maps_have_their_own_limit(tmp_path: Path) -> None:
    source = image_bytes(Image.linear_gradient("L").resize((1024, 1024)).convert("RGB"))
    recipe = TextureRecipe(1024, "webp", 72, 70, data_max_size=512)
    encoder = TextureEncoder({0: source}, tmp_path)
    assert encoder.encode(0, recipe, "normal").width == 512
    assert encoder.encode(0, recipe, "data").width == 512
    assert encoder.encode(0, recipe, "color").width == 1024


def test_ktx2_sides_are_multiples_of_four(tmp_path: Path) -> None:
    # WebGL refuses a block-compressed texture of 211 x 211 texels and three.js draws the surface black.
    source = image_bytes(Image.effect_noise((211, 105), 40).convert("RGB"))
    ktx2 = TextureEncoder({0: source}, tmp_path).encode(0, TextureRecipe(1024, "ktx2"), "color")
    assert ktx2.data.startswith(KTX2_MAGIC) and (ktx2.width, ktx2.height) == (212, 104)


def test_adaptive_recipe_keeps_fine_detail_and_halves_smooth_maps(tmp_path: Path) -> None:
    grain = image_bytes(Image.effect_noise((1024, 1024), 60).convert("RGB"))  # detail halving would blur away
    smooth = image_bytes(Image.linear_gradient("L").resize((1024, 1024)).convert("RGB"))
    fixed = TextureRecipe(1024, "webp", 72, 70, data_max_size=512)
    adaptive = TextureRecipe(1024, "webp", 72, 70, data_max_size=512, detail_bound=0.02)
    encoder = TextureEncoder({0: grain, 1: smooth}, tmp_path)
    assert encoder.encode(0, fixed, "data").width == 512
    assert encoder.encode(0, adaptive, "data").width == 1024
    assert encoder.encode(0, adaptive, "normal").width == 1024
    assert encoder.encode(1, adaptive, "data").width == 512
    assert encoder.encode(0, adaptive, "color").width == 1024


def test_ssim() -> None:
    import numpy as np

    from assets.imagemetrics import ssim

    rng = np.random.default_rng(3)
    a = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    assert ssim(a, a) == 1.0
    noisy = np.clip(a.astype(int) + rng.integers(-40, 40, a.shape), 0, 255).astype(np.uint8)
    assert 0.3 < ssim(a, noisy) < 0.99
    assert ssim(a[..., 0], noisy[..., 0]) < 0.99


def test_adaptive_quality_spends_bytes_where_the_loss_would_show(tmp_path: Path) -> None:
    # A smooth gradient loses nothing visible at the lowest quality. A photograph (smooth skin and sky against
    # sharp edges) shows block noise at every quality below the recipe's, so it keeps the recipe's own: adaptive
    # encodes are never larger, and smaller only where the loss is not seen.
    photo = pytest.importorskip("skimage.data").astronaut()
    smooth = image_bytes(Image.radial_gradient("L").resize((512, 512)).convert("RGB"))
    detailed = image_bytes(Image.fromarray(photo))
    fixed = TextureRecipe(1024, "webp", 72, 70)
    adaptive = TextureRecipe(1024, "webp", 72, 70, min_quality=45)
    assert adaptive.qualities("color") == [72, 63, 54, 45] and fixed.qualities("color") == [72]
    assert adaptive.qualities("data") == [70, 62, 53, 45]
    encoder = TextureEncoder({0: smooth, 1: detailed}, tmp_path)
    smooth_fixed, smooth_adaptive = (encoder.encode(0, r, "color").data for r in (fixed, adaptive))
    assert smooth_adaptive == _webp(Image.open(io.BytesIO(smooth)).convert("RGB"), 45)
    assert len(smooth_adaptive) < len(smooth_fixed)
    assert encoder.encode(1, adaptive, "color").data == encoder.encode(1, fixed, "color").data



def test_grain_in_a_normal_or_data_map_is_not_kept_at_the_heaviest_quality_when_no_quality_keeps_it(
    tmp_path: Path,
) -> None:
    # Grain (cast plastic) loses far more than the bound at every WebP quality. A normal map, or a data map whose
    # detail is at the texel's scale, is seen only through the light it shapes: it goes as low as loses at most
    # the bound beyond the highest quality. A colour map of the same grain is seen as it is, and a data map whose
    # structure is larger than a texel (brushed metal's roughness) is the material's look: both keep the highest.
    import numpy as np

    from assets.imagemetrics import ssim

    def channels(noise: Image.Image) -> Image.Image:
        return Image.merge("RGB", (noise, noise.rotate(90), Image.new("L", noise.size, 255)))

    grain = channels(Image.effect_noise((512, 512), 24))
    brushed = channels(Image.effect_noise((128, 128), 40).resize((512, 512), Image.Resampling.BICUBIC))
    recipe = TextureRecipe(1024, "webp", 72, 70, min_quality=45, effort=6, grain_bound=0.05)
    encoder = TextureEncoder({0: image_bytes(grain), 1: image_bytes(brushed)}, tmp_path)

    def loss(image: Image.Image, data: bytes) -> float:
        seen = np.asarray(Image.open(io.BytesIO(data)).convert("RGB").reduce(2))
        return 1.0 - ssim(np.asarray(image.reduce(2)), seen)

    for image in (grain, brushed):  # neither keeps the bound at any quality
        assert loss(image, _webp(image, 70, 6)) > recipe.quality_bound
    highest = _webp(grain, 70, 6)
    for usage in ("normal", "data"):
        lower = encoder.encode(0, recipe, usage).data
        assert len(lower) < len(highest)
        assert loss(grain, lower) <= loss(grain, highest) + recipe.quality_bound
    assert encoder.encode(0, recipe, "color").data == _webp(grain, 72, 6)
    assert encoder.encode(1, recipe, "data").data == _webp(brushed, 70, 6)
    assert len(encoder.encode(1, recipe, "normal").data) < len(_webp(brushed, 70, 6))
