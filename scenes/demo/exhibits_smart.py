"""Generators of the 5G smart-hospital hall's exhibits: mast, UAV, robots, consultation desk, dialysis, cockpit."""

from __future__ import annotations

import numpy as np

from scenes.demo.exhibits_lobby import rounded_rect
from scenes.demo.geometry import (
    Part,
    box,
    compose,
    cylinder,
    lathe,
    prism,
    quad,
    rotate,
    scale,
    sphere,
    translate,
    tube,
)
from scenes.demo.glb import Material, Texture
from scenes.demo.model import DemoModel, finish
from scenes.demo.textures import dashboard_screen, dialysis_panel, sign, video_call_screen


def _screens(textures: dict[str, Texture]) -> dict[str, Material]:
    return {name: Material((0.05, 0.05, 0.05, 1), roughness=0.15, emissive=(1, 1, 1), emissive_texture=name)
            for name in textures}


def base_station_5g() -> DemoModel:
    """Return a 4.3 m 5G mast: steel pole, three panel antennas (AAUs), cabinet, cables and beacon."""
    parts: list[Part] = [
        box((0.7, 0.08, 0.7), (0, 0.04, 0), "brushed-steel"),
        cylinder(0.09, 4.0, 20, "steel", y0=0.08),
        cylinder(0.02, 0.25, 8, "steel", y0=4.08),
        sphere(0.035, 10, 6, "led-red").moved((0, 4.34, 0)),
        box((0.55, 1.0, 0.35), (0, 0.58, 0.28), "grey-plastic"),
        box((0.5, 0.04, 0.01), (0, 0.95, 0.456), "led-green"),
    ]
    for k, angle in enumerate((0.0, 120.0, 240.0)):
        mount = rotate(angle, "y")
        panel = [box((0.42, 1.1, 0.14), (0, 3.35, 0.42), "white-plastic"),
                 box((0.3, 0.05, 0.02), (0, 3.75, 0.5), "signal-blue"),
                 quad(0.3, 0.3, "badge-5g").moved((0, 3.3, 0.4905)),
                 box((0.46, 0.06, 0.16), (0, 2.78, 0.42), "grey-plastic"),
                 tube(np.array([[0, 3.7, 0.08], [0, 3.7, 0.35]]), 0.025, 8, "steel"),
                 tube(np.array([[0, 3.0, 0.08], [0, 3.0, 0.35]]), 0.025, 8, "steel"),
                 tube(np.array([[0.05 * (k - 1), 1.08, 0.3], [0.1, 1.6, 0.12], [0.12, 2.6, 0.13],
                                [0.1, 2.78, 0.4]]), 0.012, 6, "rubber")]
        parts += [p.transformed(mount) for p in panel]
    parts.append(box((1.2, 0.05, 0.05), (0, 4.0, 0), "steel"))
    badge = {"badge-5g": sign("5G", (246, 248, 250), (20, 90, 200), 256, 256)}
    return finish("5g-base-station", parts, {"antenna": (0, 3.35, 0.49)}, badge,
                  {"badge-5g": Material(texture="badge-5g", color=(1, 1, 1, 1), roughness=0.4)})


def medical_uav() -> DemoModel:
    """Return a hexacopter medical UAV (1.6 m across) carrying a red-cross cargo box."""
    parts: list[Part] = [
        lathe([[0, 0.3], [0.16, 0.3], [0.2, 0.34], [0.18, 0.42], [0.1, 0.46], [0, 0.47]], 24, "white-plastic"),
        cylinder(0.2, 0.02, 24, "dark-plastic", y0=0.29),
    ]
    rotor_top = None
    for k in range(6):
        a = np.radians(k * 60 + 30)
        tip = np.array([0.62 * np.cos(a), 0.38, 0.62 * np.sin(a)])
        parts.append(tube(np.array([[0.15 * np.cos(a), 0.37, 0.15 * np.sin(a)], tip]), 0.018, 8, "dark-plastic"))
        parts.append(cylinder(0.035, 0.06, 14, "brushed-steel", y0=0.36).moved((tip[0], 0, tip[2])))
        parts.append(cylinder(0.012, 0.02, 8, "chrome", y0=0.42).moved((tip[0], 0, tip[2])))
        blade = box((0.42, 0.006, 0.04), (0, 0.437, 0), "dark-plastic")
        parts.append(blade.transformed(compose(translate((tip[0], 0, tip[2])), rotate(k * 37.0, "y"))))
        parts.append(sphere(0.012, 8, 4, "led-green" if np.cos(a) > 0 else "led-red").moved(tip + [0, -0.03, 0]))
        if k == 0:
            rotor_top = tip + np.array([0, 0.06, 0])
    for s in (-1, 1):
        parts.append(tube(np.array([[s * 0.1, 0.3, -0.08], [s * 0.22, 0.02, -0.12]]), 0.01, 6, "dark-plastic"))
        parts.append(tube(np.array([[s * 0.1, 0.3, 0.08], [s * 0.22, 0.02, 0.12]]), 0.01, 6, "dark-plastic"))
        parts.append(tube(np.array([[s * 0.22, 0.012, -0.3], [s * 0.22, 0.012, 0.3]]), 0.012, 8, "dark-plastic"))
    cargo = [box((0.34, 0.2, 0.26), (0, 0.17, 0), "white-plastic")]
    for z in (-1, 1):
        cargo += [box((0.12, 0.035, 0.004), (0, 0.17, z * 0.131), "medical-red"),
                  box((0.035, 0.12, 0.004), (0, 0.17, z * 0.131), "medical-red")]
    cargo.append(box((0.36, 0.02, 0.28), (0, 0.28, 0), "medical-blue"))
    parts += cargo
    assert rotor_top is not None
    return finish("medical-uav", parts, {"payload": (0, 0.17, 0), "rotor": rotor_top})


def logistics_robot() -> DemoModel:
    """Return a 1.3 m wheeled hospital logistics robot with four lockable cargo compartments."""
    w, d = 0.62, 0.78
    parts: list[Part] = [
        box((w + 0.04, 0.18, d + 0.04), (0, 0.14, 0), "dark-plastic"),
        box((w, 1.05, d), (0, 0.755, 0), "white-plastic"),
        box((w - 0.04, 0.04, d - 0.04), (0, 1.3, 0), "grey-plastic"),
        box((w + 0.01, 0.03, d + 0.01), (0, 0.27, 0), "led-blue"),
    ]
    for x in (-w / 2 + 0.02, w / 2 - 0.02):
        for z in (-d / 2 + 0.14, d / 2 - 0.14):
            parts.append(cylinder(0.07, 0.05, 16, "rubber", y0=-0.025).transformed(
                compose(translate((x, 0.07, z)), rotate(90, "z"))))
    for i, (y, h) in enumerate(((0.5, 0.38), (0.95, 0.44))):
        for j, x in enumerate((-w / 4, w / 4)):
            parts.append(box((w / 2 - 0.03, h, 0.015), (x, y, d / 2 + 0.0075), "enamel-white", faces="xXyYZ"))
            parts.append(box((0.012, 0.12, 0.02), (x + (0.1 if j == 0 else -0.1), y, d / 2 + 0.02), "chrome"))
            parts.append(box((0.03, 0.012, 0.004), (x, y + h / 2 - 0.03, d / 2 + 0.017),
                             "led-green" if (i + j) % 2 else "led-blue"))
    # A sloped touch panel over the lockers and a lidar puck on the roof.
    panel = compose(translate((0, 1.3, d / 2 - 0.12)), rotate(-35, "x"))
    parts += [box((0.36, 0.22, 0.03), (0, 0.11, 0), "dark-plastic").transformed(panel),
              box((0.32, 0.18, 0.002), (0, 0.11, 0.016), "led-blue").transformed(panel),
              cylinder(0.07, 0.06, 20, "dark-plastic", y0=1.32).moved((0, 0, -0.15)),
              cylinder(0.072, 0.012, 20, "led-blue", y0=1.35).moved((0, 0, -0.15))]
    return finish("logistics-robot", parts, {"cargo": (0, 0.72, d / 2 + 0.016)})


def patrol_robot() -> DemoModel:
    """Return a 1.55 m patrol robot: tapered body on wheels, light ring, and a sensor head with cameras."""
    body = lathe([[0, 0.08], [0.34, 0.08], [0.36, 0.14], [0.33, 0.5], [0.24, 0.95], [0.2, 1.05], [0.0, 1.06]],
                 32, "white-plastic")
    skirt = cylinder(0.365, 0.06, 32, "dark-plastic", y0=0.06)
    visor = lathe([[0.336, 0.4], [0.3, 0.62], [0.28, 0.7]], 32, "screen-off")
    ring = lathe([[0.368, 0.125], [0.372, 0.135], [0.368, 0.145]], 32, "led-blue")
    wheels = [cylinder(0.08, 0.05, 14, "rubber", y0=-0.025).transformed(
        compose(translate((0.32 * np.cos(a), 0.08, 0.32 * np.sin(a))), rotate(np.degrees(-a), "y"),
                rotate(90, "z"))) for a in np.radians([45, 135, 225, 315])]
    neck = cylinder(0.06, 0.15, 16, "grey-plastic", y0=1.05)
    head_c = np.array([0, 1.32, 0])
    head = [sphere(0.16, 24, 12, "white-plastic").transformed(compose(translate(head_c), scale((1, 0.8, 1)))),
            cylinder(0.13, 0.05, 24, "dark-plastic", y0=0.11).moved(head_c),
            cylinder(0.1, 0.025, 24, "led-blue", y0=0.16).moved(head_c)]
    for x in (-0.06, 0.06):
        head.append(cylinder(0.035, 0.05, 16, "dark-plastic", y0=0).transformed(
            compose(translate(head_c + [x, 0.0, 0.12]), rotate(90, "x"))))
        head.append(sphere(0.024, 12, 6, "lens").moved(head_c + [x, 0, 0.17]))
    antenna = cylinder(0.006, 0.12, 6, "dark-plastic", y0=0.185).moved(head_c + [0.08, 0, -0.05])
    parts = [body, skirt, visor, ring, *wheels, neck, *head, antenna]
    return finish("patrol-robot", parts, {"sensor-head": head_c})


def remote_consultation_station() -> DemoModel:
    """Return a consultation desk (1.6 m) with two large screens, a camera, keyboard and microphone."""
    textures = {"consult-a": video_call_screen(0), "consult-b": video_call_screen(1)}
    parts: list[Part] = [
        box((1.6, 0.04, 0.8), (0, 0.74, 0), "oak"),
        box((1.5, 0.4, 0.02), (0, 0.5, -0.36), "white-plastic"),
    ]
    for x in (-0.75, 0.75):
        parts.append(box((0.05, 0.72, 0.7), (x, 0.36, 0), "brushed-steel"))
    screens = {}
    for name, x, yaw in (("consult-a", -0.37, 12.0), ("consult-b", 0.37, -12.0)):
        frame = compose(translate((x, 1.12, -0.2)), rotate(yaw, "y"))
        mon = [box((0.72, 0.44, 0.04), (0, 0, 0), "dark-plastic"),
               quad(0.68, 0.4, name).moved((0, 0, 0.0205)),
               box((0.06, 0.3, 0.03), (0, -0.3, -0.03), "brushed-steel"),
               box((0.25, 0.012, 0.18), (0, -0.375, 0.0), "brushed-steel")]
        parts += [p.transformed(frame) for p in mon]
        screens[name] = frame[:3, 3] + frame[:3, :3] @ np.array([0, 0, 0.02])
    parts += [box((0.12, 0.045, 0.05), (0, 1.37, -0.22), "dark-plastic"),
              cylinder(0.016, 0.01, 12, "lens").transformed(compose(translate((0, 1.37, -0.195)), rotate(90, "x"))),
              box((0.44, 0.02, 0.14), (0, 0.77, 0.18), "grey-plastic"),
              box((0.06, 0.02, 0.1), (0.35, 0.77, 0.2), "grey-plastic"),
              cylinder(0.05, 0.015, 12, "dark-plastic", y0=0.76).moved((-0.45, 0, 0.15)),
              tube(np.array([[-0.45, 0.77, 0.15], [-0.45, 0.9, 0.12], [-0.4, 0.98, 0.18]]), 0.006, 6,
                   "dark-plastic"),
              sphere(0.018, 10, 6, "dark-plastic").moved((-0.4, 0.99, 0.19))]
    return finish("remote-consultation-station", parts, {"screen": screens["consult-a"]}, textures,
                  _screens(textures))


def peritoneal_dialysis_unit() -> DemoModel:
    """Return an automated peritoneal dialysis cycler on a two-shelf cart (about 1.05 m tall)."""
    textures = {"pd-panel": dialysis_panel()}
    w, d = 0.56, 0.46
    parts: list[Part] = []
    for x in (-w / 2, w / 2):
        for z in (-d / 2, d / 2):
            parts.append(cylinder(0.014, 0.76, 10, "brushed-steel", y0=0.08).moved((x, 0, z)))
            parts.append(sphere(0.035, 10, 6, "rubber").moved((x, 0.035, z)))
            parts.append(cylinder(0.012, 0.05, 8, "grey-plastic", y0=0.03).moved((x, 0, z)))
    parts += [box((w + 0.04, 0.025, d + 0.04), (0, 0.84, 0), "white-plastic"),
              box((w + 0.02, 0.02, d + 0.02), (0, 0.25, 0), "white-plastic"),
              tube(np.array([[-w / 2, 0.92, d / 2 + 0.02], [-w / 2, 0.98, d / 2 + 0.06], [w / 2, 0.98, d / 2 + 0.06],
                             [w / 2, 0.92, d / 2 + 0.02]]), 0.01, 8, "chrome")]
    machine = [box((0.42, 0.18, 0.38), (0, 0.945, -0.02), "enamel-white"),
               box((0.36, 0.02, 0.3), (0, 1.045, -0.04), "grey-plastic"),
               box((0.06, 0.1, 0.02), (0.16, 0.93, 0.17), "medical-blue")]
    panel_frame = compose(translate((-0.04, 0.97, 0.175)), rotate(-20, "x"))
    machine += [box((0.26, 0.16, 0.02), (0, 0, 0), "dark-plastic").transformed(panel_frame),
                quad(0.24, 0.15, "pd-panel").moved((0, 0, 0.0105)).transformed(panel_frame)]
    bag = sphere(1.0, 20, 10, "bag-fluid").transformed(compose(translate((0, 1.085, -0.04)),
                                                               scale((0.15, 0.03, 0.12))))
    lower_bags = [sphere(1.0, 16, 8, "bag-fluid").transformed(compose(translate((x, 0.32, 0)),
                                                                      scale((0.12, 0.06, 0.16))))
                  for x in (-0.14, 0.14)]
    lines = [tube(np.array([[0.2, 1.0, 0.1], [0.3, 0.9, 0.2], [0.27, 0.55, 0.22], [0.14, 0.36, 0.1]]), 0.004, 6,
                  "crt-glass"),
             tube(np.array([[0.21, 0.98, 0.0], [0.32, 0.8, 0.05], [0.3, 0.5, 0.05], [-0.14, 0.36, 0.05]]), 0.004,
                  6, "crt-glass")]
    parts += [*machine, bag, *lower_bags, *lines]
    anchor = panel_frame[:3, 3] + panel_frame[:3, :3] @ np.array([0, 0, 0.012])
    return finish("peritoneal-dialysis-unit", parts, {"panel": anchor}, textures, _screens(textures))


def president_cockpit_screen() -> DemoModel:
    """Return the operations cockpit: a 3 x 2 wall of 55-inch dashboard screens on a frame (3.8 x 2.4 m)."""
    textures = {f"dash-{i}": dashboard_screen(i) for i in range(6)}
    sw, sh, gap = 1.22, 0.69, 0.012
    bottom = 0.85
    parts: list[Part] = [
        box((3 * sw + 0.16, 0.1, 0.5), (0, 0.05, 0), "dark-plastic"),
        box((3 * sw + 0.1, 0.7, 0.4), (0, 0.45, -0.02), "grey-plastic"),
        box((3 * sw + 0.1, 0.04, 0.44), (0, 0.82, -0.02), "dark-plastic"),
        box((3 * sw + 0.12, 2 * sh + 0.12, 0.08), (0, bottom + sh + 0.02, -0.14), "dark-plastic"),
        box((3 * sw + 0.1, 0.02, 0.01), (0, 0.78, 0.185), "led-blue"),
    ]
    for i in range(6):
        col, row = i % 3, i // 3
        cx, cy = (col - 1) * (sw + gap), bottom + 0.04 + sh / 2 + (1 - row) * (sh + gap)
        parts.append(box((sw, sh, 0.05), (cx, cy, -0.075), "screen-off"))
        parts.append(quad(sw - 0.02, sh - 0.02, f"dash-{i}").moved((cx, cy, -0.0495)))
    outline = rounded_rect(0.5, 0.12, 0.04)
    parts.append(prism(outline, 0.02, "medical-blue").moved((0, bottom + 2 * sh + 0.16, -0.14)))
    return finish("president-cockpit-screen", parts, {"screen": (0, bottom + 0.04 + sh, -0.049)}, textures,
                  _screens(textures))
