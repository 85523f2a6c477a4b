"""Generators of the lobby's exhibits: the emblem sculpture, the museum terminal and the SMS phone."""

from __future__ import annotations

import numpy as np

from scenes.demo.emblem import emblem_parts
from scenes.demo.geometry import arc_points, box, compose, cylinder, lathe, prism, quad, rotate, sphere, translate
from scenes.demo.glb import Material
from scenes.demo.model import DemoModel, finish
from scenes.demo.textures import museum_screen, sms_screen


def _screen_material(texture: str) -> Material:
    return Material((0.05, 0.05, 0.05, 1), roughness=0.15, emissive=(1, 1, 1), emissive_texture=texture)


def rounded_rect(width: float, height: float, radius: float, corner_points: int = 6) -> np.ndarray:
    """Return the outline (k, 2) of a rounded rectangle centred at the origin, counter-clockwise."""
    w, h, r = width / 2 - radius, height / 2 - radius, radius
    corners = [((w, -h), -90), ((w, h), 0), ((-w, h), 90), ((-w, -h), 180)]
    return np.concatenate([arc_points(r, a, a + 90, corner_points, c) for c, a in corners])


def hospital_emblem() -> DemoModel:
    """Return the emblem medallion (1.1 m) on a stepped marble plinth, about 2.2 m tall."""
    plinth = [
        box((0.95, 0.12, 0.62), (0, 0.06, 0), "granite"),
        box((0.78, 0.9, 0.46), (0, 0.57, 0), "marble"),
        box((0.86, 0.06, 0.54), (0, 1.05, 0), "granite"),
        box((0.5, 0.04, 0.05), (0, 0.5, 0.231), "gold"),
    ]
    radius = 0.55
    centre = np.array([0.0, 1.08 + 0.04 + radius, -0.05])
    medal = [p.moved(centre) for p in emblem_parts(radius, back=True)]
    bracket = box((0.16, 0.1, 0.12), (0, 1.12, -0.02), "bronze")
    anchors = {"center": centre + np.array([0.0, 0.0, 0.16 * radius])}
    return finish("hospital-emblem", [*plinth, bracket, *medal], anchors)


def digital_museum_terminal() -> DemoModel:
    """Return a floor-standing touchscreen kiosk (about 1.55 m) showing the 3D museum."""
    tilt = -15.0
    head_centre = np.array([0.0, 1.3, 0.0])
    head = compose(translate(head_centre), rotate(tilt, "x"))
    parts = [
        lathe([[0, 0], [0.3, 0], [0.3, 0.02], [0.27, 0.045], [0, 0.045]], 32, "grey-plastic"),
        box((0.14, 0.09, 0.03), (0, 0.98, 0.055), "dark-plastic"),  # card and QR reader under the screen
        box((0.2, 1.05, 0.12), (0, 0.56, -0.02), "white-plastic"),
        box((0.24, 0.08, 0.16), (0, 1.07, -0.02), "white-plastic"),
        box((0.66, 0.5, 0.07), (0, 0, 0), "white-plastic").transformed(head),
        box((0.6, 0.44, 0.01), (0, 0, 0.036), "screen-off").transformed(head),
        quad(0.56, 0.4375, "terminal-screen").moved((0, 0, 0.0415)).transformed(head),
        box((0.206, 0.02, 0.126), (0, 0.9, -0.02), "signal-blue"),
        cylinder(0.015, 0.006, 12, "lens", y0=0).transformed(compose(translate((0, 0.23, 0.03)),
                                                                     rotate(90, "x"))).transformed(head),
    ]
    screen = head[:3, :3] @ np.array([0, 0, 0.045]) + head_centre
    return finish("digital-museum-terminal", parts, {"screen": screen},
                  {"terminal-screen": museum_screen()}, {"terminal-screen": _screen_material("terminal-screen")})


def sms_internet_hospital() -> DemoModel:
    """Return a 1.9 m smartphone sculpture showing an SMS link, with a speech bubble beside it."""
    width, height, depth = 0.95, 1.9, 0.1
    lift = 0.12
    body = prism(rounded_rect(width, height, 0.12), depth, "dark-plastic", z0=-depth / 2)
    body = body.moved((0, lift + height / 2, 0))
    bezel = prism(rounded_rect(width - 0.04, height - 0.04, 0.1), 0.004, "screen-off", z0=depth / 2)
    bezel = bezel.moved((0, lift + height / 2, 0))
    screen = quad(width - 0.1, height - 0.2, "sms-screen").moved((0, lift + height / 2, depth / 2 + 0.0045))
    camera = cylinder(0.015, 0.002, 12, "lens").transformed(rotate(90, "x")).moved(
        (0, lift + height - 0.05, depth / 2 + 0.004))
    base = [box((1.3, 0.06, 0.6), (0, 0.03, 0), "granite"), box((1.1, 0.08, 0.22), (0, 0.1, 0), "brushed-steel")]
    bubble = prism(rounded_rect(0.7, 0.42, 0.16, 8), 0.08, "signal-blue")
    tail = prism(np.array([[-0.22, -0.2], [-0.05, -0.2], [-0.32, -0.38]]), 0.08, "signal-blue")
    dots = [sphere(0.04, 12, 6, "enamel-white").moved((x, 0, 0.08)) for x in (-0.17, 0, 0.17)]
    place = translate((width / 2 + 0.18, lift + height - 0.35, 0.02))
    bubble_parts = [p.transformed(place) for p in (bubble, tail, *dots)]
    stem = box((0.06, 0.06, 0.04), (width / 2 + 0.005, lift + height - 0.5, 0.0), "brushed-steel")
    anchors = {"screen": (0.0, lift + height / 2, depth / 2 + 0.005)}
    return finish("sms-internet-hospital", [body, bezel, screen, camera, *base, *bubble_parts, stem], anchors,
                  {"sms-screen": sms_screen()}, {"sms-screen": _screen_material("sms-screen")})
