"""The hospital's emblem as relief geometry: an enamel medallion with a cross and the rod of Asclepius.

The demo's own design: a blue disc in a gold rim, a white-edged red cross, and a gold staff with one serpent
climbing it. Used by the lobby's sculpture and as the large wall emblem.
"""

from __future__ import annotations

import numpy as np

from scenes.demo.geometry import Part, box, cylinder, lathe, prism, rotate, scale, sphere, tube


def emblem_parts(radius: float, segments: int = 48, back: bool = False) -> list[Part]:
    """Return the emblem in the XY plane facing +z, centred at the origin, from z=0 (back) to about 0.2*radius.

    With `back`, the cross is repeated on the back face for a medallion seen from both sides.
    """
    r = radius
    t = 0.08 * r  # disc thickness
    spin = rotate(90, "x")  # lathe axis y -> z so the disc faces +z
    disc = cylinder(0.92 * r, t, segments, "enamel-blue").transformed(spin)
    rim_profile = [[0.9 * r, 0], [r, 0], [r, t * 1.4], [0.98 * r, t * 1.6], [0.9 * r, t * 1.4], [0.9 * r, t]]
    rim = lathe(rim_profile, segments, "gold").transformed(spin)
    inner_ring = lathe([[0.78 * r, t], [0.8 * r, t], [0.8 * r, t * 1.25], [0.78 * r, t * 1.25], [0.78 * r, t]],
                       segments, "gold").transformed(spin)
    arm, width = 0.62 * r, 0.2 * r
    cross_white = [box((2 * arm + 0.06 * r, width + 0.06 * r, 0.04 * r), (0, 0, t + 0.02 * r), "enamel-white"),
                   box((width + 0.06 * r, 2 * arm + 0.06 * r, 0.04 * r), (0, 0, t + 0.02 * r), "enamel-white")]
    cross_red = [box((2 * arm, width, 0.06 * r), (0, 0, t + 0.03 * r), "medical-red"),
                 box((width, 2 * arm, 0.06 * r), (0, 0, t + 0.03 * r), "medical-red")]
    front = t + 0.06 * r
    staff = cylinder(0.03 * r, 1.3 * r, 12, "gold", y0=-0.65 * r).moved((0, 0, front + 0.04 * r))
    knob = sphere(0.05 * r, 12, 6, "gold").moved((0, 0.67 * r, front + 0.04 * r))
    s = np.linspace(0, 1, 60)
    serpent_path = np.stack([0.1 * r * np.sin(s * 5 * np.pi), -0.55 * r + 1.05 * r * s,
                             front + 0.04 * r + 0.06 * r * np.cos(s * 5 * np.pi)], axis=1)
    serpent = tube(serpent_path, 0.025 * r * (0.6 + 0.6 * np.sin(np.pi * np.clip(s * 1.2, 0, 1))), 8, "gold")
    head = sphere(0.045 * r, 10, 6, "gold").moved(serpent_path[-1] + np.array([0.03 * r, 0.01 * r, 0]))
    stars = [prism(_star(0.05 * r), 0.02 * r, "gold", z0=t).moved((0.7 * r * np.cos(a), 0.7 * r * np.sin(a), 0))
             for a in np.radians([45, 135, 225, 315])]
    parts = [disc, rim, inner_ring, *cross_white, *cross_red, staff, knob, serpent, head, *stars]
    if back:
        mirror = scale((1, 1, -1))
        parts += [p.moved((0, 0, -t)).transformed(mirror) for p in (*cross_white, *cross_red)]
    return parts


def _star(radius: float) -> np.ndarray:
    angles = np.radians(90 + np.arange(10) * 36)
    radii = np.where(np.arange(10) % 2 == 0, radius, radius * 0.45)
    return np.stack([radii * np.cos(angles), radii * np.sin(angles)], axis=1)
