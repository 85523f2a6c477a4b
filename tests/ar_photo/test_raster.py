from __future__ import annotations

import numpy as np
import pytest
import trimesh

from ar_photo import raster
from ar_photo.raster import load_glb, render_mesh
from tests.conftest import CORPUS, needs_corpus


def _quad(z: float, half: float, color: tuple[int, int, int]) -> trimesh.Trimesh:
    vertices = np.array([[-half, -half, z], [half, -half, z], [half, half, z], [-half, half, z]])
    faces = np.array([[0, 1, 2], [0, 2, 3]])
    return trimesh.Trimesh(vertices, faces, vertex_colors=np.tile([*color, 255], (4, 1)), process=False)


def quads_glb(near_first: bool = False) -> bytes:
    """Return a GLB of a large red quad at z=0 and a small blue quad in front of it at z=0.5."""
    far, near = _quad(0.0, 1.0, (255, 0, 0)), _quad(0.5, 0.4, (0, 0, 255))
    scene = trimesh.Scene([near, far] if near_first else [far, near])
    data = scene.export(file_type="glb")
    assert isinstance(data, bytes)
    return data


def test_nearest_surface_wins_whatever_the_order() -> None:
    for near_first in (False, True):
        img = np.asarray(render_mesh(load_glb(quads_glb(near_first)), 100)).astype(int)
        assert img.shape == (100, 100, 4)
        centre, edge = img[50, 50], img[10, 10]
        assert centre[2] > 100 and centre[0] < 30 and centre[3] == 255  # blue in front
        assert edge[0] > 100 and edge[2] < 30 and edge[3] == 255


def test_rotation_turns_the_drawing_and_leaves_corners_transparent() -> None:
    mesh = load_glb(quads_glb())
    img = np.asarray(render_mesh(mesh, 100, rotation_deg=45))
    assert img.shape[0] > 130 and img.shape[1] > 130  # the diagonal of a 100 px square
    assert img[2, 2, 3] == 0 and img[img.shape[0] // 2, img.shape[1] // 2, 3] == 255


def test_faces_turned_to_the_light_are_brighter() -> None:
    left = trimesh.Trimesh(
        np.array([[-1, -1, 0], [0, -1, 0.6], [0, 1, 0.6], [-1, 1, 0]]), np.array([[0, 1, 2], [0, 2, 3]]),
        vertex_colors=np.tile([200, 200, 200, 255], (4, 1)), process=False,
    )
    right = trimesh.Trimesh(
        np.array([[0, -1, 0.6], [1, -1, 0], [1, 1, 0], [0, 1, 0.6]]), np.array([[0, 1, 2], [0, 2, 3]]),
        vertex_colors=np.tile([200, 200, 200, 255], (4, 1)), process=False,
    )
    data = trimesh.Scene([left, right]).export(file_type="glb")
    assert isinstance(data, bytes)
    img = np.asarray(render_mesh(load_glb(data), 100)).astype(int)
    # The light comes from the upper left: the left slope (normal towards -x) is lit more.
    assert img[50, 25, 0] > img[50, 75, 0] + 20


def test_edges_are_antialiased() -> None:
    img = np.asarray(render_mesh(load_glb(quads_glb()), 100, rotation_deg=30))
    alpha = img[:, :, 3]
    assert ((alpha > 0) & (alpha < 255)).sum() > 50


def test_shading_band_by_band_draws_the_same_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pixels are lit a band of rows at a time (a whole large sprite's work arrays were ~400 MB): bands of a
    few rows, which cut triangles across many bands, draw what one band of the whole sprite draws."""
    mesh = load_glb(quads_glb())
    whole = np.asarray(render_mesh(mesh, 120, rotation_deg=30))
    monkeypatch.setattr(raster, "_SHADE_PIXELS", 700)  # 2 or 3 rows of the supersampled 330 px canvas
    banded = np.asarray(render_mesh(mesh, 120, rotation_deg=30))
    assert banded.shape == whole.shape and (whole[:, :, 3] == 255).sum() > 5000
    assert np.array_equal(banded, whole)


@needs_corpus
def test_a_sliver_flat_in_float32_is_lit_like_its_neighbours() -> None:
    """DamagedHelmet turned 45 degrees has a triangle with area in float64 whose corners are collinear in float32:
    its pixels got NaN weights (a RuntimeWarning, and an undefined colour); now its corners weigh alike."""
    mesh = load_glb((CORPUS / "DamagedHelmet" / "glTF-Binary" / "DamagedHelmet.glb").read_bytes())
    img = np.asarray(render_mesh(mesh, 700, rotation_deg=45))  # warnings are errors in this suite
    assert (img[:, :, 3] == 255).sum() > 100_000
