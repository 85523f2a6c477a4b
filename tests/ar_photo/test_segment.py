"""Person segmentation, measured on a real photo of a person and on composites made from it with known masks.

The photo is scikit-image's astronaut. Its reference mask is the outline below, traced for this test: the rows of
hair and face against the plain backdrop from where the pixels turn dark, the suit and the helmet she holds (what
a guest holds belongs in front of the museum too) by eye on a 16 px grid, within about 2 px. Whether a held helmet
is part of a person is a matter of opinion, and the model's changes with what is behind it, so the helmet is left
out of the scores (a "don't care" region, as segmentation benchmarks mark such pixels).

The composites stand the cut-out astronaut in places a booth's backgrounds are like: a room's wall and floor, a
brick wall, a launch hall at dusk, a gallery wall hung with pictures. (The model is a selfie model: on a close-up
of one large round object, a coffee cup filling the frame, it takes the cup for a head; no booth background is
like that.)
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw
from scipy import ndimage

data = pytest.importorskip("skimage.data")

from ar_photo import segment  # noqa: E402

OUTLINE = [(230, 12), (253, 20), (272, 30), (286, 40), (292, 50), (296, 60), (299, 70), (300, 80), (299, 90),
           (298, 100), (295, 110), (288, 120), (278, 130), (266, 140), (263, 150), (257, 160), (255, 170), (265, 180),
           (277, 190), (286, 200), (294, 210), (300, 220), (303, 230), (310, 236), (325, 250), (345, 275), (355, 300),
           (362, 330), (372, 340), (400, 346), (430, 352), (455, 368), (480, 395), (495, 430), (500, 460), (512, 470),
           (512, 512), (22, 512), (25, 480), (20, 440), (20, 380), (25, 320), (40, 282), (60, 255), (82, 232),
           (95, 225), (108, 210), (113, 190), (122, 180), (130, 170), (138, 160), (157, 150), (175, 146), (183, 140),
           (177, 130), (170, 120), (161, 110), (155, 100), (153, 80), (155, 60), (162, 50), (174, 40), (188, 30),
           (207, 20)]
HELD = [(280, 400), (300, 360), (340, 342), (400, 344), (455, 366), (485, 398), (500, 440), (512, 466), (512, 512),
        (275, 512), (272, 460)]
IOU_GOAL = 0.9  # issue 15


def _reference() -> tuple[Image.Image, np.ndarray, np.ndarray]:
    """Return the astronaut, her mask and the region left out of the scores (the helmet)."""
    photo = Image.fromarray(data.astronaut())
    mask, held = Image.new("L", photo.size, 0), Image.new("L", photo.size, 0)
    ImageDraw.Draw(mask).polygon(OUTLINE, fill=255)
    ImageDraw.Draw(held).polygon(HELD, fill=255)
    return photo, np.asarray(mask) > 127, np.asarray(held) > 127


def _iou(found: np.ndarray, known: np.ndarray, ignored: np.ndarray) -> float:
    counted = ~ignored
    return float((found & known & counted).sum() / ((found | known) & counted).sum())


def _edge_band(known: np.ndarray, width: int) -> np.ndarray:
    return ndimage.binary_dilation(known, iterations=width) & ~ndimage.binary_erosion(known, iterations=width)


def test_the_astronaut_is_found_and_her_hair_edge_follows_the_photo() -> None:
    photo, known, held = _reference()
    alpha = np.asarray(segment.person_mask(photo)) / 255.0
    assert alpha.shape == known.shape
    iou = _iou(alpha > 0.5, known, held)
    print(f"\nastronaut: mask IoU {iou:.3f} (goal >= {IOU_GOAL})")
    assert iou >= IOU_GOAL

    # Edges: within 6 px of the outline around her hair, the refined mask is closer to the outline than the
    # model's own (a soft blur 256 px across the whole photo).
    hair = _edge_band(known, 6)
    hair[150:] = False
    raw = segment.model_mask(np.asarray(photo))
    raw_error = float(np.abs(raw - known)[hair].mean())
    refined_error = float(np.abs(alpha - known)[hair].mean())
    print(f"hair edge: mean alpha error {refined_error:.3f}, the model's own {raw_error:.3f}")
    assert refined_error < 0.85 * raw_error
    # The background is clear and the person solid, away from the edge.
    assert alpha[~ndimage.binary_dilation(known, iterations=12) & ~held].mean() < 0.02
    assert alpha[ndimage.binary_erosion(known, iterations=12) & ~held].mean() > 0.97


def _backdrops(size: tuple[int, int]) -> dict[str, Image.Image]:
    """Places without people, as a booth's background could be: a room's wall and floor, a corridor, bricks."""
    w, h = size
    y = np.linspace(0, 1, h)[:, None, None]
    room = np.where(y < 0.62, np.array([214, 204, 186]) * (0.85 + 0.15 * y), np.array([112, 86, 64]) * (1.2 - y))
    wall_and_floor = Image.fromarray(np.broadcast_to(room, (h, w, 3)).astype(np.uint8))
    gallery = wall_and_floor.copy()
    draw = ImageDraw.Draw(gallery)
    for i, colour in enumerate([(120, 40, 30), (30, 60, 110), (70, 90, 40), (150, 120, 60)]):
        x = 40 + i * w // 4
        draw.rectangle((x, h // 8, x + w // 6, h // 8 + h // 4), fill=(60, 45, 30))  # frame
        draw.rectangle((x + 10, h // 8 + 10, x + w // 6 - 10, h // 8 + h // 4 - 10), fill=colour)
    return {
        "wall and floor": wall_and_floor,
        "bricks": Image.fromarray(data.brick()).convert("RGB").resize(size),
        "launch hall": Image.fromarray(data.rocket()).resize(size),
        "gallery wall": gallery,
    }


@pytest.mark.parametrize(("scale", "left"), [(1.0, 0), (0.75, 300), (0.6, 40)])
def test_composites_with_known_masks(scale: float, left: int) -> None:
    photo, known, held = _reference()
    person = photo.resize((round(512 * scale), round(512 * scale)), Image.Resampling.LANCZOS)
    cut = Image.fromarray(known.astype(np.uint8) * 255).resize(person.size, Image.Resampling.NEAREST)
    for name, backdrop in _backdrops((900, 600)).items():
        composite = backdrop.copy()
        top = 600 - person.height  # standing on the frame's bottom edge, as guests do
        composite.paste(person, (left, top), cut)
        truth, ignored = np.zeros((600, 900), bool), np.zeros((600, 900), bool)
        truth[top:, left:left + person.width] = np.asarray(cut) > 127
        ignored[top:, left:left + person.width] = np.asarray(
            Image.fromarray(held).resize(person.size, Image.Resampling.NEAREST))
        found = np.asarray(segment.person_mask(composite)) > 127
        iou = _iou(found, truth, ignored)
        print(f"\n{name}, scale {scale}: IoU {iou:.3f}")
        assert iou >= IOU_GOAL, name


def test_a_photo_without_people_gives_an_empty_mask() -> None:
    wall = _backdrops((640, 480))["wall and floor"]
    assert np.asarray(segment.person_mask(wall)).mean() < 0.01 * 255


def test_large_photos_are_segmented_at_the_working_size_and_scaled_back() -> None:
    photo, known, held = _reference()
    large = photo.resize((3000, 3000), Image.Resampling.BICUBIC)
    mask = segment.person_mask(large)
    assert mask.size == large.size and mask.mode == "L"
    small = np.asarray(mask.resize((512, 512), Image.Resampling.BOX)) > 127
    assert _iou(small, known, held) >= IOU_GOAL


@pytest.mark.parametrize("box", [None, (10.3, 5.2, 390.1, 290.7)])
def test_scaling_for_the_stand_in_samples_as_pillow_does(box: tuple[float, float, float, float] | None) -> None:
    # The gallery's view and the mask are enlarged to the photo with OpenCV; a box must pick the same pixels as
    # Pillow's resize(box=), or the gallery would shift behind the guests.
    rng = np.random.default_rng(0)
    pixels = ndimage.gaussian_filter(rng.integers(0, 256, (300, 400, 3)).astype(float), (3, 3, 0)).astype(np.uint8)
    pillow = np.asarray(Image.fromarray(pixels).resize((1000, 750), Image.Resampling.BILINEAR, box=box), dtype=int)
    ours = segment.scaled(pixels, (1000, 750), box).astype(int)
    assert ours.shape == pillow.shape
    assert np.abs(ours - pillow).max() <= 1
