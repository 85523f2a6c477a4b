from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ar_photo import props as props_module
from ar_photo.errors import PhotoRejected
from ar_photo.props import PropPose, PropRenderer, PropSource, parse_props
from ar_photo.raster import PropMesh
from tests.conftest import CORPUS, needs_corpus

from .test_raster import quads_glb


def test_pose_from_kiosk_json() -> None:
    poses = parse_props('[{"asset": "lamp", "x": 0.25, "y": 0.5, "scale": 1.5, "rotation_deg": -30}]')
    assert poses == [PropPose("lamp", 0.25, 0.5, 1.5, 330.0)]
    assert PropPose.from_dict(poses[0].to_dict()) == poses[0]
    assert parse_props(None) == [] and parse_props("") == []


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("not json", 400),
        ('{"asset": "x"}', 400),
        ('[{"asset": "x", "y": 0.5}]', 422),
        ('[{"asset": "x", "x": 9, "y": 0.5}]', 422),
        ('[{"asset": "x", "x": 0.5, "y": 0.5, "scale": 0}]', 422),
        ('[{"asset": "x", "x": "nan", "y": 0.5}]', 422),
        ('[{"asset": 5, "x": 0.5, "y": 0.5}]', 422),
    ],
)
def test_bad_poses_are_refused(raw: str, status: int) -> None:
    with pytest.raises(PhotoRejected) as info:
        parse_props(raw)
    assert info.value.status == status


def test_too_many_props_are_refused() -> None:
    with pytest.raises(PhotoRejected, match="At most 2"):
        parse_props([{"asset": "a", "x": 0.5, "y": 0.5}] * 3, max_props=2)


def _poster() -> Image.Image:
    img = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    img.paste((255, 0, 0, 255), (0, 0, 100, 100))
    img.paste((0, 0, 255, 255), (100, 0, 200, 100))
    return img


def test_poster_is_scaled_rotated_and_cached() -> None:
    renderer = PropRenderer({"banner": _poster()})
    sprite = renderer.render(PropPose("banner", 0.5, 0.5, rotation_deg=90), 100)
    assert sprite.mode == "RGBA" and sprite.size == (50, 100)
    # Counter-clockwise by 90 degrees: the red left half ends at the bottom.
    assert sprite.getpixel((25, 90))[:3] == (255, 0, 0)  # type: ignore[index]
    assert renderer.render(PropPose("banner", 0.1, 0.9, rotation_deg=90), 100) is sprite
    assert renderer.cache_stats["hits"] == 1


def test_poster_bytes_and_glb_paths_are_accepted(tmp_path: Path) -> None:
    buf = io.BytesIO()
    _poster().save(buf, "PNG")
    glb = tmp_path / "quads.glb"
    glb.write_bytes(quads_glb())
    sources: dict[str, PropSource] = {"poster": buf.getvalue(), "model": glb}
    renderer = PropRenderer(sources.get)
    assert renderer.render(PropPose("poster", 0.5, 0.5), 64).size == (64, 32)
    model = renderer.render(PropPose("model", 0.5, 0.5), 64)
    assert max(model.size) == 64 and np.asarray(model)[:, :, 3].max() == 255


def test_unknown_and_unreadable_props_are_422(tmp_path: Path) -> None:
    renderer = PropRenderer({"junk": b"definitely not a model", "gone": tmp_path / "missing.glb"})
    cases = [("nope", "PROP_UNKNOWN"), ("junk", "PROP_MODEL_UNREADABLE"), ("gone", "PROP_MODEL_UNREADABLE")]
    for asset, code in cases:
        with pytest.raises(PhotoRejected) as info:
            renderer.render(PropPose(asset, 0.5, 0.5), 64)
        assert (info.value.status, info.value.code) == (422, code)


@pytest.mark.slow
@needs_corpus
def test_corpus_duck_renders_yellow_on_transparent() -> None:
    duck = CORPUS / "Duck" / "glTF-Binary" / "Duck.glb"
    if not duck.is_file():
        pytest.fail(f"the shared glTF corpus is missing: {duck}")
    sprite = PropRenderer({"duck": duck}).render(PropPose("duck", 0.5, 0.5), 256)
    rgba = np.asarray(sprite).astype(int)
    assert max(sprite.size) == 256
    assert rgba[0, 0, 3] == 0 and rgba[-1, -1, 3] == 0  # corners stay transparent
    body = rgba[rgba[:, :, 3] == 255][:, :3]
    assert len(body) > 0.3 * 256 * 256
    r, g, b = np.median(body, axis=0)
    assert r > 150 and g > 120 and b < 80  # a yellow duck


def test_a_model_is_rasterised_once_per_15_degrees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[float] = []
    real = props_module.render_mesh

    def counting(
        mesh: PropMesh, long_side: int, rotation_deg: float = 0.0, supersample: int = 2
    ) -> Image.Image:
        calls.append(rotation_deg)
        return real(mesh, long_side, rotation_deg, supersample)

    monkeypatch.setattr(props_module, "render_mesh", counting)
    renderer = PropRenderer({"quads": quads_glb()})
    upright = renderer.render(PropPose("quads", 0.5, 0.5, rotation_deg=0), 100)
    turned = renderer.render(PropPose("quads", 0.5, 0.5, rotation_deg=6), 100)
    other = renderer.render(PropPose("quads", 0.5, 0.5, rotation_deg=-40), 100)
    assert calls == [0.0, 315.0]  # 6 degrees turns the 0-degree drawing; -40 rasterises at -45
    assert turned.width > upright.width and max(other.size) > 100
    assert np.asarray(turned)[0, 0, 3] == 0  # the turned square leaves its corners clear
