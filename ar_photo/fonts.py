"""Find the CJK font the set-up installs (Noto Sans CJK) and check that it can draw a caption."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from ar_photo.errors import FontMissing

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FAMILY = "Noto Sans CJK SC"
_FILE_PATTERNS = {
    False: ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf"),
    True: ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansSC-Bold.otf"),
}
# A code point no font assigns: FreeType draws the font's .notdef ("tofu") glyph for it.
_NOTDEF_PROBE = "\U000effff"


@dataclass(frozen=True)
class FontFace:
    """A font file and the index of the face to use inside it (a .ttc holds several)."""

    path: Path
    index: int = 0


def _face_index(path: Path) -> int:
    # A Noto CJK collection holds JP, KR, SC, TC, HK faces; pick Simplified Chinese, else the first.
    for index in range(16):
        try:
            family, _style = ImageFont.truetype(str(path), 12, index=index).getname()
        except OSError:
            break
        if family == FAMILY:
            return index
    return 0


def _fc_match(bold: bool) -> Path | None:
    if shutil.which("fc-match") is None:
        return None
    pattern = f"{FAMILY}:style={'Bold' if bold else 'Regular'}"
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10, check=False
    ).stdout.strip()
    path = Path(found) if found else None
    return path if path is not None and "cjk" in path.name.lower() and path.is_file() else None


@lru_cache(maxsize=8)
def find_cjk_font(override: str | None = None, bold: bool = False) -> FontFace:
    """Locate a Noto Sans CJK face (Simplified Chinese), preferring the `override` path when given."""
    if override:
        path = Path(override)
        if not path.is_file():
            raise FontMissing(f"The caption font {path} does not exist.")
        return FontFace(path, _face_index(path))
    for directory in FONT_DIRS:
        for name in _FILE_PATTERNS[bold]:
            for path in sorted(directory.rglob(name)) if directory.is_dir() else ():
                return FontFace(path, _face_index(path))
    matched = _fc_match(bold)
    if matched is not None:
        return FontFace(matched, _face_index(matched))
    raise FontMissing("No Noto Sans CJK font is installed (Debian: apt-get install fonts-noto-cjk).")


@lru_cache(maxsize=64)
def load_font(face: FontFace, size: int) -> ImageFont.FreeTypeFont:
    """Open `face` at `size` pixels."""
    return ImageFont.truetype(str(face.path), size, index=face.index)


@lru_cache(maxsize=4096)
def _glyph_mask(face: FontFace, char: str) -> tuple[tuple[int, int], bytes]:
    mask = load_font(face, 32).getmask(char, mode="L")
    return mask.size, bytes(mask)


def missing_glyphs(face: FontFace, text: str) -> list[str]:
    """Return the characters of `text` that `face` would draw as its .notdef (tofu) glyph."""
    tofu = _glyph_mask(face, _NOTDEF_PROBE)
    seen: list[str] = []
    for char in dict.fromkeys(text):
        if char.isspace() or char in seen:
            continue
        if _glyph_mask(face, char) == tofu:
            seen.append(char)
    return seen
