"""Render a poster of an asset on the CPU (placeholder until the rasteriser lands)."""

from __future__ import annotations

from pathlib import Path

from assets.gltfio import Gltf
from assets.textures import TextureEncoder


def render_poster(gltf: Gltf, out: Path, encoder: TextureEncoder, size: int = 512) -> Path | None:
    """Render a lit, textured view of the default scene to a WebP with transparent background."""
    return None
