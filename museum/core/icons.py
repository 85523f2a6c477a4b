"""The museum's icon: a white cross on a red disc in a gold ring (the header's logo), drawn by the project.

`static/favicon.svg` is the icon for browsers that take SVG; the PNG and ICO versions are drawn here with Pillow
from the same shapes, once per process, for browsers and home screens that ask for /favicon.ico or a touch icon.
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw

# Every page's <head> carries these links (the museum's pages, the studio, the cockpit, the booth and share pages).
ICON_LINKS = ('<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">'
              '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
              '<link rel="apple-touch-icon" href="/apple-touch-icon.png">')
GOLD, RED, WHITE = (240, 194, 123, 255), (179, 38, 30, 255), (255, 255, 255, 255)


def _draw(size: int, background: tuple[int, int, int, int] | None = None) -> Image.Image:
    """Draw the icon at `size` pixels (4x supersampled, then reduced, for smooth edges)."""
    big = size * 4
    k = big / 64  # the SVG's 64-unit grid
    image = Image.new("RGBA", (big, big), background or (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([k * 1, k * 1, k * 63, k * 63], fill=GOLD)
    draw.ellipse([k * 5, k * 5, k * 59, k * 59], fill=RED)
    draw.rectangle([k * 26, k * 13, k * 38, k * 51], fill=WHITE)
    draw.rectangle([k * 13, k * 26, k * 51, k * 38], fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


@cache
def favicon_ico() -> bytes:
    """Return /favicon.ico: the icon at 16, 32 and 48 pixels."""
    out = io.BytesIO()
    _draw(48).save(out, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return out.getvalue()


@cache
def touch_icon_png() -> bytes:
    """Return the 180-pixel home-screen icon (on the page's dark colour: home screens do not show transparency)."""
    out = io.BytesIO()
    _draw(180, background=(29, 26, 22, 255)).save(out, format="PNG", optimize=True)
    return out.getvalue()
