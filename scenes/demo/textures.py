"""Procedural textures for the demo: wood planks, stone tiles, terrazzo, plaster and screen faces.

Every texture comes from a seeded generator, so the same call returns the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from scenes.demo.glb import Texture

Gray = NDArray[np.floating[Any]]  # (h, w) values in 0..1


def value_noise(size: int, cells: int, seed: int) -> Gray:
    """Return tileable smooth noise (size, size) from a random grid of cells x cells."""
    rng = np.random.default_rng(seed)
    grid = rng.random((cells, cells), dtype=np.float32)
    t = (np.arange(size) * cells / size).astype(np.float32)
    i0 = np.floor(t).astype(int)
    f = t - i0
    f = f * f * (3 - 2 * f)
    i1 = (i0 + 1) % cells
    rows0, rows1 = grid[i0], grid[i1]  # (size, cells)
    rows = rows0 * (1 - f)[:, None] + rows1 * f[:, None]
    return rows[:, i0] * (1 - f)[None, :] + rows[:, i1] * f[None, :]


def fractal_noise(size: int, seed: int, base_cells: int = 4, octaves: int = 4) -> Gray:
    """Return tileable fractal noise (size, size) normalised to 0..1."""
    total = np.zeros((size, size), dtype=np.float32)
    amplitude = 1.0
    for octave in range(octaves):
        cells = min(base_cells * 2**octave, size)
        total += amplitude * value_noise(size, cells, seed + octave)
        amplitude *= 0.5
    return (total - total.min()) / max(float(np.ptp(total)), 1e-9)


def _rgb(gray: Gray, dark: tuple[int, int, int], light: tuple[int, int, int]) -> Image.Image:
    d, lt = np.asarray(dark, dtype=np.float32), np.asarray(light, dtype=np.float32)
    pixels = d + (lt - d) * np.clip(gray, 0, 1).astype(np.float32)[..., None] + 0.5
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


def encode(image: Image.Image, fmt: str = "JPEG", repeat: bool = True) -> Texture:
    """Return a Texture from a Pillow image as JPEG (quality 85) or PNG, stretched to power-of-two sides."""
    # Power-of-two sides let WebGL1 phones mipmap; the quads' 0..1 UVs undo the stretch.
    pot = (1 << (image.width - 1).bit_length(), 1 << (image.height - 1).bit_length())
    if pot != image.size:
        image = image.resize(pot, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85)
        return Texture(out.getvalue(), "image/jpeg", repeat)
    image.save(out, "PNG")
    return Texture(out.getvalue(), "image/png", repeat)


def wood_planks(size: int = 512, seed: int = 7, planks: int = 6,
                dark: tuple[int, int, int] = (92, 56, 30), light: tuple[int, int, int] = (170, 118, 72)) -> Texture:
    """Return a plank floor: `planks` boards across v, staggered end joints, grain along u."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    board = np.floor(y * planks).astype(int)
    warp = fractal_noise(size, seed + 1, 2, 3)
    grain = 0.5 + 0.5 * np.sin((y * planks * 9 + warp * 6 + board * 1.7) * np.pi * 2)
    streaks = fractal_noise(size, seed + 2, 8, 3)
    tone = rng.uniform(-0.18, 0.18, planks)[board]
    value = 0.45 + 0.25 * grain * streaks + tone + 0.15 * (warp - 0.5)
    seam_v = np.abs(((y * planks) % 1.0) - 0.5) > 0.485
    offsets = rng.random(planks)[board]
    seam_u = np.abs(((x + offsets) % 0.5) / 0.5 - 0.5) > 0.494
    value = np.where(seam_v | seam_u, 0.08, value)
    return encode(_rgb(value, dark, light))


def stone_tiles(size: int = 512, seed: int = 11, tiles: int = 2,
                dark: tuple[int, int, int] = (168, 158, 146), light: tuple[int, int, int] = (226, 218, 206)) -> Texture:
    """Return polished stone tiles (tiles x tiles) with veining and thin grout lines."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    cell = (np.floor(x * tiles) + tiles * np.floor(y * tiles)).astype(int)
    veins = np.abs(np.sin((x * 3 + y * 2 + fractal_noise(size, seed, 3, 5) * 2.5) * np.pi * 2))
    value = 0.65 + 0.25 * fractal_noise(size, seed + 3, 4, 4) - 0.35 * (veins < 0.06)
    value += rng.uniform(-0.08, 0.08, tiles * tiles)[cell]
    grout = (np.abs(((x * tiles) % 1) - 0.5) > 0.495) | (np.abs(((y * tiles) % 1) - 0.5) > 0.495)
    return encode(_rgb(np.where(grout, 0.25, value), dark, light))


def terrazzo(size: int = 512, seed: int = 5, base: tuple[int, int, int] = (214, 212, 206)) -> Texture:
    """Return terrazzo: a pale ground scattered with chips of marble and glass (tileable)."""
    rng = np.random.default_rng(seed)
    shade = (int(base[0] * 0.92), int(base[1] * 0.92), int(base[2] * 0.92))
    image = _rgb(0.85 + 0.15 * fractal_noise(size, seed, 4, 3), shade, base)
    draw = ImageDraw.Draw(image)
    palette = [(120, 132, 140), (70, 86, 96), (200, 190, 170), (156, 112, 90), (235, 235, 232), (90, 120, 150)]
    for _ in range(900):
        cx, cy = rng.random(2) * size
        r = rng.uniform(1.5, 6.5)
        sides = int(rng.integers(4, 7))
        angles = np.sort(rng.random(sides)) * 2 * np.pi
        color = palette[int(rng.integers(len(palette)))]
        for dx in (-size, 0, size):
            for dy in (-size, 0, size):
                pts = [(cx + dx + r * np.cos(a), cy + dy + r * np.sin(a)) for a in angles]
                draw.polygon(pts, fill=color)
    return encode(image)


def plaster(size: int = 256, seed: int = 3, color: tuple[int, int, int] = (232, 224, 210),
            depth: float = 0.06) -> Texture:
    """Return a softly mottled wall plaster in the given colour."""
    noise = fractal_noise(size, seed, 4, 5)
    c = np.asarray(color, dtype=np.float64)
    pixels = c[None, None, :] * (1 - depth + 2 * depth * noise[..., None])
    return encode(Image.fromarray(np.clip(np.round(pixels), 0, 255).astype(np.uint8), "RGB"))


def vinyl_tiles(size: int = 512, seed: int = 13, tiles: int = 4, dark: tuple[int, int, int] = (150, 160, 172),
                light: tuple[int, int, int] = (236, 240, 246)) -> Texture:
    """Return large floor tiles with faint seams between dark and light tones."""
    y, x = np.mgrid[0:size, 0:size] / size
    value = 0.82 + 0.1 * fractal_noise(size, seed, 8, 3)
    seams = (np.abs(((x * tiles) % 1) - 0.5) > 0.496) | (np.abs(((y * tiles) % 1) - 0.5) > 0.496)
    return encode(_rgb(np.where(seams, 0.55, value), dark, light))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _screen(width: int, height: int, paint: Callable[[ImageDraw.ImageDraw, int, int], None],
            background: tuple[int, int, int] = (12, 24, 40)) -> Texture:
    image = Image.new("RGB", (width, height), background)
    paint(ImageDraw.Draw(image), width, height)
    return encode(image, "PNG", repeat=False)


def museum_screen() -> Texture:
    """Return the terminal's face: a 3D museum hall in perspective with exhibit cards."""
    def paint(d: ImageDraw.ImageDraw, w: int, h: int) -> None:
        d.rectangle([0, 0, w, 40], fill=(150, 32, 40))
        d.text((16, 10), "Hospital History Museum", fill=(255, 255, 255), font=_font(20))
        cx, cy = w // 2, 150
        d.polygon([(40, 260), (w - 40, 260), (cx + 60, cy), (cx - 60, cy)], fill=(120, 84, 50))
        d.polygon([(40, 60), (40, 260), (cx - 60, cy), (cx - 60, 90)], fill=(210, 196, 170))
        d.polygon([(w - 40, 60), (w - 40, 260), (cx + 60, cy), (cx + 60, 90)], fill=(196, 180, 152))
        d.rectangle([cx - 60, 90, cx + 60, cy], fill=(228, 218, 196))
        for i, x in enumerate((70, 120, w - 130, w - 80)):
            d.rectangle([x, 120 + i % 2 * 6, x + 30, 160], fill=(90, 60, 40))
        for i in range(3):
            x0 = 24 + i * (w - 48) // 3
            d.rounded_rectangle([x0 + 6, 280, x0 + (w - 48) // 3 - 6, h - 20], 8, fill=(30, 48, 72))
            d.rectangle([x0 + 16, 292, x0 + 56, 332], fill=(200, 160, 90))
            d.text((x0 + 16, 342), ("1900s", "1950s", "5G era")[i], fill=(230, 236, 245), font=_font(16))
    return _screen(512, 400, paint, (20, 30, 46))


def sms_screen() -> Texture:
    """Return a phone screen: an SMS thread with a link to the 5G Internet hospital."""
    def paint(d: ImageDraw.ImageDraw, w: int, h: int) -> None:
        d.rectangle([0, 0, w, 70], fill=(245, 245, 247))
        d.text((20, 24), "Messages", fill=(20, 20, 20), font=_font(24))
        d.rounded_rectangle([20, 100, w - 70, 220], 22, fill=(229, 229, 234))
        d.text((40, 120), "Your appointment:", fill=(30, 30, 30), font=_font(20))
        d.text((40, 150), "tap to open the", fill=(30, 30, 30), font=_font(20))
        d.text((40, 180), "5G Internet hospital", fill=(30, 30, 30), font=_font(20))
        d.rounded_rectangle([70, 250, w - 20, 330], 22, fill=(52, 120, 246))
        d.text((92, 276), "Open link  >", fill=(255, 255, 255), font=_font(22))
        for i in range(4):
            y = 370 + i * 80
            d.rounded_rectangle([20, y, w - 20, y + 64], 14, fill=(255, 255, 255))
            d.ellipse([32, y + 12, 72, y + 52], fill=((220, 60, 60), (60, 170, 110), (60, 120, 220), (240, 170, 40))[i])
            d.rectangle([86, y + 18, w - 60 - i * 30, y + 28], fill=(120, 120, 128))
            d.rectangle([86, y + 38, w - 120, y + 46], fill=(190, 190, 196))
        d.rounded_rectangle([20, h - 70, w - 20, h - 24], 22, outline=(200, 200, 206), width=3)
    return _screen(360, 760, paint, (250, 250, 252))


def dashboard_screen(seed: int, width: int = 512, height: int = 288) -> Texture:
    """Return an operations dashboard: KPI tiles, a line chart, bars and a ring gauge."""
    rng = np.random.default_rng(seed)

    def paint(d: ImageDraw.ImageDraw, w: int, h: int) -> None:
        d.rectangle([0, 0, w, 28], fill=(10, 60, 110))
        d.text((10, 6), ("5G Smart Hospital", "Beds & Wards", "UAV Logistics", "Remote Care", "Dialysis Centre",
                         "Emergency")[seed % 6], fill=(200, 230, 255), font=_font(16))
        for i in range(4):
            x0 = 10 + i * (w - 20) // 4
            d.rounded_rectangle([x0 + 4, 38, x0 + (w - 20) // 4 - 4, 88], 6, fill=(16, 48, 84))
            d.text((x0 + 12, 46), f"{int(rng.integers(40, 999))}", fill=(90, 220, 255), font=_font(24))
        values = np.cumsum(rng.normal(0, 1, 24))
        values = (values - values.min()) / max(float(np.ptp(values)), 1e-9)
        pts = [(14 + i * (w * 0.55) / 23, h - 20 - v * (h - 130)) for i, v in enumerate(values)]
        d.line(pts, fill=(80, 255, 170), width=3)
        for i, v in enumerate(rng.random(8)):
            x = int(w * 0.62) + i * 14
            d.rectangle([x, int(h - 20 - v * 90), x + 9, h - 20], fill=(255, 180, 60))
        cx, cy, r = w - 60, h - 70, 40
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(40, 70, 100), width=9)
        d.arc([cx - r, cy - r, cx + r, cy + r], -90, -90 + int(rng.integers(120, 330)), fill=(90, 220, 255), width=9)
    return _screen(width, height, paint, (6, 20, 38))


def video_call_screen(seed: int) -> Texture:
    """Return a remote consultation screen: a remote doctor's tile, a patient file and controls."""
    def paint(d: ImageDraw.ImageDraw, w: int, h: int) -> None:
        d.rectangle([0, 0, w, h], fill=(32, 40, 52))
        if seed % 2 == 0:
            d.rectangle([16, 16, w * 2 // 3, h - 50], fill=(170, 190, 205))
            cx = w // 3
            d.ellipse([cx - 45, 60, cx + 45, 160], fill=(226, 190, 160))
            d.pieslice([cx - 110, 160, cx + 110, 380], 180, 360, fill=(245, 248, 250))
            d.polygon([(cx - 14, 170), (cx + 14, 170), (cx, 230)], fill=(60, 110, 170))
            d.rectangle([w * 2 // 3 + 16, 16, w - 16, 120], fill=(90, 110, 130))
            d.text((w * 2 // 3 + 24, 130), "Remote consult", fill=(220, 230, 240), font=_font(16))
        else:
            d.text((20, 16), "Patient record", fill=(220, 230, 240), font=_font(20))
            for i in range(6):
                d.rectangle([20, 60 + i * 26, w // 2 - 20 - (i * 37) % 90, 72 + i * 26], fill=(110, 130, 150))
            d.rectangle([w // 2, 56, w - 20, h - 60], fill=(10, 14, 20))
            d.ellipse([w // 2 + 40, 80, w - 60, h - 90], outline=(200, 200, 200), width=4)
            d.ellipse([w // 2 + 90, 120, w - 110, h - 130], fill=(150, 150, 150))
        for i, c in enumerate(((220, 60, 60), (80, 200, 120), (90, 140, 220))):
            d.ellipse([w // 2 - 70 + i * 50, h - 42, w // 2 - 38 + i * 50, h - 10], fill=c)
    return _screen(512, 320, paint)


def dialysis_panel() -> Texture:
    """Return the cycler's touch panel: cycle progress, volumes and a start button."""
    def paint(d: ImageDraw.ImageDraw, w: int, h: int) -> None:
        d.text((14, 10), "PD cycler  -  Cycle 3/5", fill=(220, 240, 255), font=_font(18))
        d.rounded_rectangle([14, 44, w - 14, 68], 10, fill=(30, 50, 70))
        d.rounded_rectangle([14, 44, int(w * 0.62), 68], 10, fill=(70, 200, 160))
        for i, label in enumerate(("Fill 2000 ml", "Dwell 1:30", "Drain 2150 ml")):
            d.text((20, 84 + i * 28), label, fill=(180, 210, 230), font=_font(16))
        d.rounded_rectangle([w - 120, h - 60, w - 14, h - 14], 10, fill=(40, 160, 90))
        d.text((w - 100, h - 48), "START", fill=(255, 255, 255), font=_font(18))
    return _screen(320, 200, paint, (10, 28, 44))


def archive_photo(seed: int, width: int = 384, height: int = 288) -> Texture:
    """Return a sepia 'photograph' of a hospital building for the history hall's framed panels."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (width, height), (196, 178, 146))
    d = ImageDraw.Draw(image)
    d.rectangle([0, int(height * 0.72), width, height], fill=(150, 130, 100))
    wings = int(rng.integers(2, 4))
    x = 20
    for _ in range(wings):
        bw = int((width - 40) / wings)
        top = int(height * rng.uniform(0.25, 0.45))
        d.rectangle([x, top, x + bw - 8, int(height * 0.74)], fill=(120, 98, 74))
        d.polygon([(x - 6, top), (x + bw // 2 - 4, top - 30), (x + bw - 2, top)], fill=(90, 70, 52))
        for row in range(3):
            for col in range(max(2, bw // 34)):
                wx, wy = x + 10 + col * 30, top + 14 + row * 30
                if wx + 14 < x + bw - 12 and wy + 18 < height * 0.72:
                    d.rectangle([wx, wy, wx + 14, wy + 18], fill=(60, 46, 34))
        x += bw
    d.rectangle([width // 2 - 14, int(height * 0.58), width // 2 + 14, int(height * 0.74)], fill=(50, 38, 28))
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    grain = fractal_noise(max(width, height), seed, 32, 2)[:height, :width]
    pixels = np.asarray(image, dtype=np.float64) * (0.85 + 0.3 * grain[..., None])
    vignette = 1 - 0.45 * (((np.mgrid[0:height, 0:width][0] / height - 0.5) ** 2
                            + (np.mgrid[0:height, 0:width][1] / width - 0.5) ** 2) * 2)
    return encode(Image.fromarray(np.clip(pixels * vignette[..., None], 0, 255).astype(np.uint8), "RGB"),
                  repeat=False)


def text_panel(title: str, lines: int, seed: int, width: int = 256, height: int = 384) -> Texture:
    """Return an interpretation panel: a title, a picture block and grey text lines."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (width, height), (244, 238, 226))
    d = ImageDraw.Draw(image)
    d.rectangle([0, 0, width, 10], fill=(150, 32, 40))
    d.text((16, 22), title, fill=(60, 40, 30), font=_font(20))
    d.rectangle([16, 56, width - 16, 56 + height // 3], fill=(190, 170, 140))
    for i in range(lines):
        y = 80 + height // 3 + i * 16
        if y > height - 20:
            break
        d.rectangle([16, y, int(width - 16 - rng.integers(0, 70)), y + 6], fill=(150, 140, 130))
    return encode(image, repeat=False)


def sign(text: str, background: tuple[int, int, int], foreground: tuple[int, int, int],
         width: int = 512, height: int = 128) -> Texture:
    """Return a gallery sign: centred text on a plain board (PNG, clamped)."""
    image = Image.new("RGB", (width, height), background)
    d = ImageDraw.Draw(image)
    font = _font(int(height * 0.42))
    stroke = max(1, height // 48)  # the built-in font is thin: embolden it to read from across a room
    left, top, right, bottom = d.textbbox((0, 0), text, font=font, stroke_width=stroke)
    d.text(((width - (right - left)) / 2 - left, (height - (bottom - top)) / 2 - top), text, fill=foreground,
           font=font, stroke_width=stroke, stroke_fill=foreground)
    return encode(image, "PNG", repeat=False)


def contact_shadow(size: int = 128, darkness: float = 0.6) -> Texture:
    """Return a soft rounded-square shadow (black, alpha falling to 0 at the edges) to lay under an object."""
    t = np.linspace(-1, 1, size)
    u, v = np.meshgrid(t, t)
    r = (np.abs(u) ** 4 + np.abs(v) ** 4) ** 0.25
    alpha = darkness * np.clip((1 - r) / 0.5, 0, 1) ** 1.6
    pixels = np.zeros((size, size, 4), dtype=np.uint8)
    pixels[..., 3] = np.round(alpha * 255).astype(np.uint8)
    return encode(Image.fromarray(pixels, "RGBA"), "PNG", repeat=False)


def label_glyphs(cells: int = 8, seed: int = 21, size: int = 64) -> Texture:
    """Return a strip of `cells` paper labels, each with two brush-stroke glyphs (a drawer label atlas)."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (cells * size, size * 2), (236, 222, 184))
    d = ImageDraw.Draw(image)
    for cell in range(cells):
        for row in range(2):
            x0, y0 = cell * size + 10, row * size + 8
            g = size - 20
            for _ in range(int(rng.integers(3, 7))):
                kind = int(rng.integers(0, 4))
                a, b = rng.uniform(0.1, 0.9, 2)
                if kind == 0:  # horizontal stroke
                    pts = [(x0 + g * 0.1, y0 + g * a), (x0 + g * 0.9, y0 + g * a)]
                elif kind == 1:  # vertical stroke
                    pts = [(x0 + g * a, y0 + g * 0.05), (x0 + g * a, y0 + g * 0.95)]
                elif kind == 2:  # falling diagonal
                    pts = [(x0 + g * a, y0 + g * 0.3), (x0 + g * (a - 0.35), y0 + g * 0.95)]
                else:  # dot
                    pts = [(x0 + g * a, y0 + g * b), (x0 + g * (a + 0.08), y0 + g * (b + 0.1))]
                d.line(pts, fill=(40, 28, 20), width=5)
    return encode(image, "PNG", repeat=False)
