"""The furnished demo galleries load and draw in three.js in headless Chromium, without console errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scenes.demo import build_exhibit_models, build_rooms
from scenes.demo.preview.render import gallery_views, render_views


@pytest.mark.slow
@pytest.mark.browser
def test_each_gallery_renders_a_picture_without_errors(tmp_path: Path) -> None:
    models, rooms = build_exhibit_models(), build_rooms()
    files = {f"{s}.glb": m.glb for s, m in models.items()} | {f"{s}.glb": r.glb for s, r in rooms.items()}
    views = [gallery_views(room)[0] for room in rooms.values()]  # each room from its first spawn point
    results = render_views(files, views, tmp_path, size=(480, 300))
    assert results == {name: [] for name, _ in views}
    for name, _ in views:
        pixels = np.asarray(Image.open(tmp_path / f"{name}.png").convert("RGB"), dtype=np.float64)
        assert pixels.std() > 12, f"{name} looks blank"
        # The room fills the frame: hardly any pixel keeps the page's clear colour.
        background = np.all(np.abs(pixels - np.array([0x30, 0x34, 0x3A])) < 3, axis=2)
        assert background.mean() < 0.02, name
