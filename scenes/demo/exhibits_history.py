"""Generators of the history hall's exhibits, from the Pinard stethoscope to the early X-ray stand."""

from __future__ import annotations

import numpy as np

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
from scenes.demo.glb import Material
from scenes.demo.model import DemoModel, finish
from scenes.demo.textures import label_glyphs


def monaural_stethoscope() -> DemoModel:
    """Return a turned-wood Pinard stethoscope (19 cm), standing on its bell."""
    profile = [[0, 0.034], [0.018, 0.022], [0.023, 0.004], [0.024, 0], [0.028, 0], [0.028, 0.004],
               [0.025, 0.02], [0.017, 0.042], [0.01, 0.066], [0.0075, 0.1], [0.0075, 0.14], [0.009, 0.158],
               [0.016, 0.168], [0.03, 0.174], [0.032, 0.178], [0.031, 0.182], [0.01, 0.186], [0, 0.185]]
    horn = lathe(profile, 32, "boxwood")
    rings = [cylinder(0.0082, 0.004, 24, "walnut", y0=y) for y in (0.098, 0.138)]
    return finish("monaural-stethoscope", [horn, *rings], {"earpiece": (0, 0.186, 0)})


def brass_microscope() -> DemoModel:
    """Return a 19th-century brass monocular microscope (about 33 cm) on a japanned horseshoe foot."""
    foot_outline = np.concatenate([
        np.stack([0.065 * np.cos(t), 0.065 * np.sin(t)], 1) for t in [np.radians(np.linspace(-60, 240, 24))]
    ] + [np.stack([0.03 * np.cos(t), 0.03 * np.sin(t)], 1) for t in [np.radians(np.linspace(240, -60, 16))]])
    foot = prism(foot_outline, 0.018, "japanned").transformed(rotate(-90, "x"))
    pillar = box((0.03, 0.1, 0.02), (0, 0.068, -0.04), "brass")
    stage = box((0.09, 0.006, 0.085), (0, 0.122, 0.005), "japanned")
    stage_clips = [box((0.008, 0.003, 0.04), (x, 0.1265, 0.01), "brass") for x in (-0.03, 0.03)]
    limb_path = np.array([[0, 0.118, -0.04], [0, 0.17, -0.045], [0, 0.22, -0.04], [0, 0.25, -0.03]])
    limb = tube(limb_path, 0.011, 8, "brass")
    trunnion = cylinder(0.012, 0.05, 16, "brass", y0=-0.025).transformed(
        compose(translate((0, 0.118, -0.04)), rotate(90, "z")))
    tube_parts = [
        lathe([[0.007, 0.135], [0.01, 0.15], [0.012, 0.152], [0.012, 0.165], [0.016, 0.168], [0.016, 0.27],
               [0.013, 0.272], [0.013, 0.305], [0.016, 0.308], [0.016, 0.322], [0.01, 0.325], [0, 0.325]],
              24, "brass"),
        cylinder(0.0071, 0.004, 16, "lens", y0=0.131),
        cylinder(0.0161, 0.012, 24, "japanned", y0=0.312),
    ]
    tube_parts = [p.moved((0, 0, 0.005)) for p in tube_parts]
    arm = box((0.02, 0.025, 0.05), (0, 0.235, -0.02), "brass")
    knobs = [cylinder(0.014, 0.008, 16, "brass", y0=0).transformed(
        compose(translate((x, 0.235, -0.03)), rotate(-90 * np.sign(x), "z"))) for x in (-0.012, 0.012)]
    mirror_pivot = translate((0, 0.06, 0.005))
    mirror = [cylinder(0.022, 0.004, 24, "chrome").transformed(compose(mirror_pivot, rotate(35, "x"))),
              cylinder(0.024, 0.006, 24, "brass", y0=-0.006).transformed(compose(mirror_pivot, rotate(35, "x")))]
    fork = tube(np.array([[-0.026, 0.06, 0.005], [-0.026, 0.09, -0.02], [0, 0.1, -0.04],
                          [0.026, 0.09, -0.02], [0.026, 0.06, 0.005]]), 0.003, 6, "brass")
    anchors = {"eyepiece": (0, 0.325, 0.005), "stage": (0, 0.125, 0.005)}
    return finish("brass-microscope", [foot, pillar, stage, *stage_clips, limb, trunnion, *tube_parts, arm,
                                       *knobs, *mirror, fork], anchors)


def apothecary_cabinet() -> DemoModel:
    """Return a Chinese medicine cabinet (1.6 x 1.95 m): 56 labelled drawers over a counter and two doors."""
    width, height, depth = 1.6, 1.95, 0.5
    parts: list[Part] = [
        box((width, 0.08, depth), (0, 0.04, 0), "walnut"),
        box((width - 0.02, height - 0.08, depth - 0.04), (0, 0.08 + (height - 0.08) / 2, -0.02), "lacquer-red"),
        box((width + 0.06, 0.05, depth + 0.04), (0, height + 0.025, 0), "walnut"),
        box((width + 0.04, 0.04, depth + 0.06), (0, 0.86, 0.01), "walnut"),
    ]
    cols, rows = 8, 7
    x_edges = np.linspace(-width / 2 + 0.05, width / 2 - 0.05, cols + 1)
    y_edges = np.linspace(0.92, height - 0.05, rows + 1)
    front_z = depth / 2 - 0.02
    knob = lathe([[0, 0], [0.009, 0], [0.009, 0.008], [0.013, 0.014], [0, 0.018]], 8, "brass")
    knob = knob.transformed(rotate(90, "x"))
    for i in range(cols):
        for j in range(rows):
            cx, cy = (x_edges[i] + x_edges[i + 1]) / 2, (y_edges[j] + y_edges[j + 1]) / 2
            w, h = x_edges[i + 1] - x_edges[i] - 0.012, y_edges[j + 1] - y_edges[j] - 0.012
            parts.append(box((w, h, 0.02), (cx, cy, front_z + 0.01), "elm", faces="xXyYZ"))
            label = quad(w * 0.3, h * 0.56, "drawer-labels").moved((cx, cy + h * 0.14, front_z + 0.0205))
            cell = (i * rows + j) * 5 % 8  # the label atlas holds 8 names; spread them over the drawers
            uv = label.uvs * [1 / 8, 1] + [cell / 8, 0]
            parts.append(Part(label.positions, label.normals, uv, label.faces, label.material))
            parts.append(knob.moved((cx, cy - h * 0.28, front_z + 0.02)))
    for x in (-width / 4, width / 4):
        parts.append(box((width / 2 - 0.08, 0.66, 0.02), (x, 0.46, front_z + 0.01), "elm", faces="xXyYZ"))
        parts.append(box((width / 2 - 0.2, 0.5, 0.01), (x, 0.46, front_z + 0.024), "lacquer-red", faces="xXyYZ"))
        parts.append(knob.moved((x - np.sign(x) * 0.3, 0.5, front_z + 0.02)))
    labels = {"drawer-labels": label_glyphs()}
    material = {"drawer-labels": Material(texture="drawer-labels", color=(1, 1, 1, 1), roughness=0.9),
                "elm": Material((0.42, 0.24, 0.11, 1), roughness=0.5)}
    return finish("apothecary-cabinet", parts, {"drawers": (0, (y_edges[0] + y_edges[-1]) / 2, front_z + 0.02)},
                  labels, material)


def iron_ward_bed() -> DemoModel:
    """Return an early iron-frame ward bed (1.95 x 0.9 m) with a mattress, pillow and spindled ends."""
    length, width = 1.95, 0.92
    parts: list[Part] = []
    hx, hz = width / 2, length / 2
    for z, top in ((-hz, 1.15), (hz, 0.88)):
        for x in (-hx, hx):
            parts.append(tube(np.array([[x, 0.03, z], [x, top, z]]), 0.022, 12, "enamel-cream"))
            parts.append(sphere(0.032, 12, 8, "brass").moved((x, top + 0.02, z)))
            parts.append(cylinder(0.03, 0.03, 10, "cast-iron").moved((x, 0, z)))
        arch = np.array([[-hx, top - 0.06, z], [-hx * 0.5, top - 0.01, z], [0, top + 0.02, z],
                         [hx * 0.5, top - 0.01, z], [hx, top - 0.06, z]])
        parts.append(tube(arch, 0.014, 8, "enamel-cream", caps=False))
        parts.append(tube(np.array([[-hx, 0.5, z], [hx, 0.5, z]]), 0.014, 8, "enamel-cream", caps=False))
        for x in np.linspace(-hx, hx, 9)[1:-1]:
            parts.append(tube(np.array([[x, 0.5, z], [x, top - 0.04 + 0.03 * np.cos(x / hx * 1.4), z]]),
                              0.008, 6, "enamel-cream", caps=False))
        parts.append(sphere(0.05, 14, 8, "brass").transformed(compose(translate((0, top - 0.2, z)),
                                                                      scale((1, 1, 0.4)))))
    for x in (-hx, hx):
        parts.append(box((0.035, 0.05, length), (x, 0.42, 0), "enamel-cream"))
    parts.append(box((width - 0.04, 0.02, length - 0.04), (0, 0.44, 0), "cast-iron"))
    parts.append(box((width - 0.06, 0.16, length - 0.08), (0, 0.53, 0), "ticking"))
    parts.append(box((width - 0.04, 0.02, length * 0.62), (0, 0.62, hz * 0.36), "linen"))
    pillow = sphere(0.5, 16, 8, "linen").transformed(compose(translate((0, 0.65, -hz + 0.26)),
                                                             scale((0.62, 0.11, 0.3))))
    parts.append(pillow)
    return finish("iron-ward-bed", parts, {"headboard": (0, 1.1, -hz)})


def cardiac_surgery_heart_model() -> DemoModel:
    """Return an anatomical heart model (1.5x life size) on a turned stand, about 36 cm tall."""
    stand = [lathe([[0, 0], [0.09, 0], [0.09, 0.012], [0.075, 0.025], [0, 0.025]], 32, "walnut"),
             cylinder(0.008, 0.13, 12, "brass", y0=0.02)]
    c = np.array([0.0, 0.23, 0.0])
    # The ventricles as one teardrop, apex down and to the patient's left (+x, the viewer's right).
    profile = np.array([[0, -1], [0.35, -0.8], [0.66, -0.5], [0.88, -0.15], [0.98, 0.15], [0.92, 0.42],
                        [0.62, 0.64], [0, 0.72]])
    radii = (0.088, 0.105, 0.078)
    tilt = rotate(28, "z")
    ventricles = lathe(profile, 28, "myocardium").transformed(compose(translate(c), tilt, scale(radii)))

    def on_surface(y: float, angle_deg: float, lift: float = 1.04) -> np.ndarray:
        r = np.interp(y, profile[:, 1], profile[:, 0]) * lift
        a = np.radians(angle_deg)
        local = np.array([r * radii[0] * np.sin(a), y * radii[1], r * radii[2] * np.cos(a), 1.0])
        return (tilt @ local)[:3] + c

    right_atrium = sphere(0.042, 20, 10, "myocardium").moved(c + np.array([-0.07, 0.055, 0.01]))
    left_atrium = sphere(0.038, 20, 10, "myocardium").moved(c + np.array([0.0, 0.075, -0.04]))
    groove = tube(np.array([on_surface(0.38, a, 1.0) for a in np.linspace(-110, 110, 12)]), 0.007, 8, "fat")
    t = np.linspace(0, 1, 24)
    # Wide enough that the arch bends on a radius larger than the vessel's own (else the tube folds inside out).
    arch = np.stack([-0.01 + 0.08 * (1 - np.cos(np.pi * t)) / 2,
                     0.07 + 0.09 * np.sin(np.pi * t) - 0.1 * t**3,
                     0.02 - 0.1 * t], axis=1) + c
    aorta = tube(arch, 0.018, 16, "artery")
    top = arch[np.argmax(arch[:, 1])]
    branches = [tube(np.array([top + [dx, -0.005, dz], top + [dx * 1.3, 0.07, dz]]), r, 10, "artery")
                for dx, dz, r in ((-0.028, 0.005, 0.009), (0.0, -0.01, 0.007), (0.025, -0.02, 0.007))]
    pulmonary = tube(np.array([[0.02, 0.05, 0.04], [0.02, 0.11, 0.035], [0.0, 0.14, 0.01]]) + c, 0.019, 14,
                     "vein")
    pulm_branches = [tube(np.array([[0.0, 0.14, 0.01], [s * 0.07, 0.135, -0.02]]) + c, 0.011, 10, "vein")
                     for s in (-1, 1)]
    cava = [tube(np.array([[-0.06, 0.08, 0.0], [-0.065, 0.2, -0.005]]) + c, 0.016, 12, "vein"),
            tube(np.array([[-0.05, -0.02, -0.02], [-0.055, -0.09, -0.03]]) + c, 0.017, 12, "vein")]
    coronaries = [tube(np.array([on_surface(y, 25 - 40 * (0.4 - y)) for y in np.linspace(0.4, -0.85, 10)]), 0.004,
                       6, "artery"),
                  tube(np.array([on_surface(y, -70 + 20 * (0.3 - y)) for y in np.linspace(0.3, -0.6, 8)]), 0.0035,
                       6, "artery")]
    parts = [*stand, ventricles, right_atrium, left_atrium, groove, aorta, *branches, pulmonary,
             *pulm_branches, *cava, *coronaries]
    return finish("cardiac-surgery-heart-model", parts, {"aorta": top + np.array([0, 0.018, 0])})


def operating_lamp() -> DemoModel:
    """Return a mobile surgical lamp (about 2 m): five-star base, column, arm and a domed LED head."""
    parts: list[Part] = []
    for k in range(5):
        a = k * 72.0
        leg = box((0.34, 0.035, 0.05), (0.17, 0.08, 0), "white-plastic").transformed(rotate(a, "y"))
        caster = sphere(0.03, 10, 6, "rubber").moved((0.32, 0.03, 0)).transformed(rotate(a, "y"))
        parts += [leg, caster]
    parts.append(cylinder(0.07, 0.1, 20, "white-plastic", y0=0.06))
    parts.append(cylinder(0.028, 1.62, 16, "chrome", y0=0.15))
    parts.append(cylinder(0.04, 0.08, 16, "white-plastic", y0=1.7))
    arm = tube(np.array([[0, 1.78, 0], [0.0, 1.86, 0.08], [0.0, 1.88, 0.35], [0, 1.8, 0.55]]), 0.022, 12,
               "white-plastic")
    parts.append(arm)
    head_centre = np.array([0.0, 1.6, 0.55])
    tilt = compose(translate(head_centre), rotate(-30, "x"))
    dome = lathe([[0.0, -0.01], [0.26, -0.01], [0.28, 0.0], [0.27, 0.02], [0.2, 0.08], [0.08, 0.118],
                  [0.0, 0.12]], 40, "white-plastic")
    yoke = tube(np.array([[0, 1.8, 0.55], [0, 1.72, 0.55]]) - head_centre, 0.018, 10, "white-plastic")
    parts += [p.transformed(tilt) for p in (dome, yoke)]
    lenses = [cylinder(0.045, 0.012, 16, "lamp-light", y0=-0.022).moved((0.16 * np.cos(a), 0, 0.16 * np.sin(a)))
              for a in np.radians(np.arange(0, 360, 60))]
    lenses.append(cylinder(0.05, 0.012, 16, "lamp-light", y0=-0.022))
    handle = cylinder(0.022, 0.1, 12, "signal-blue", y0=-0.12)
    parts += [p.transformed(tilt) for p in (*lenses, handle)]
    return finish("operating-lamp", parts, {"lamp-head": head_centre})


def x_ray_apparatus() -> DemoModel:
    """Return an early X-ray stand (about 1.8 m): column, clamp arm, a glowing glass tube and an induction coil."""
    parts: list[Part] = [
        box((0.9, 0.06, 0.62), (0, 0.03, 0), "walnut"),
        box((0.1, 1.7, 0.1), (-0.32, 0.91, -0.1), "walnut"),
        box((0.16, 0.1, 0.16), (-0.32, 1.79, -0.1), "brass"),
        box((0.16, 0.16, 0.16), (-0.32, 1.38, -0.1), "brass"),
        tube(np.array([[-0.24, 1.38, -0.1], [0.1, 1.38, -0.1]]), 0.018, 12, "brass"),
        cylinder(0.05, 0.02, 16, "cast-iron", y0=-0.01).transformed(
            compose(translate((-0.39, 1.38, -0.1)), rotate(90, "z"))),
    ]
    bulb_c = np.array([0.1, 1.1, -0.1])
    glass = [sphere(0.11, 28, 16, "x-ray-glass").moved(bulb_c)]
    glass += [tube(np.array([bulb_c + [s * 0.08, 0, 0], bulb_c + [s * 0.3, 0, 0]]), 0.028, 14, "x-ray-glass")
              for s in (-1, 1)]
    electrodes = [tube(np.array([bulb_c + [s * 0.03, 0, 0], bulb_c + [s * 0.31, 0, 0]]), 0.009, 8, "brushed-steel")
                  for s in (-1, 1)]
    electrodes.append(cylinder(0.025, 0.012, 16, "brushed-steel", y0=-0.006).transformed(
        compose(translate(bulb_c + [-0.03, 0, 0]), rotate(90, "z"))))
    caps = [cylinder(0.034, 0.05, 14, "brass", y0=-0.025).transformed(
        compose(translate(bulb_c + [s * 0.32, 0, 0]), rotate(90, "z"))) for s in (-1, 1)]
    target = box((0.035, 0.035, 0.035), (0, 0, 0), "steel").transformed(
        compose(translate(bulb_c + [0.03, 0, 0]), rotate(45, "z")))
    clamp = [tube(np.array([[0.1, 1.38, -0.1], bulb_c + [0, 0.125, 0]]), 0.012, 8, "cast-iron"),
             tube(np.array([[np.cos(a) * 0.118, 0, np.sin(a) * 0.118] for a in np.linspace(0, 2 * np.pi, 25)])
                  + bulb_c, 0.008, 6, "cast-iron", caps=False)]
    diaphragm = [lathe([[0.03, -0.2], [0.08, -0.2], [0.045, -0.12], [0.03, -0.12]], 20, "japanned").moved(bulb_c),
                 cylinder(0.03, 0.02, 16, "brass", y0=-0.125).moved(bulb_c)]
    coil_c = np.array([0.12, 0.3, 0.12])
    coil = [box((0.56, 0.2, 0.3), coil_c + [0, -0.12, 0], "walnut"),
            cylinder(0.1, 0.4, 24, "japanned", y0=-0.2).transformed(compose(translate(coil_c + [0, 0.09, 0]),
                                                                            rotate(90, "z"))),
            *(cylinder(0.11, 0.02, 24, "brass", y0=-0.01).transformed(
                compose(translate(coil_c + [x, 0.09, 0]), rotate(90, "z"))) for x in (-0.2, 0.2))]
    for s in (-1, 1):
        post = coil_c + [s * 0.2, 0.2, 0]
        coil += [cylinder(0.008, 0.12, 8, "brass", y0=0).moved(post),
                 tube(np.array([post + [0, 0.12, 0], post + [-s * 0.17, 0.12, 0]]), 0.005, 6, "brass"),
                 sphere(0.018, 12, 6, "brass").moved(post + [-s * 0.17, 0.12, 0])]
    wires = [tube(np.array([coil_c + [0.2, 0.32, 0], [0.46, 0.8, 0.05], [0.46, 1.05, -0.05], bulb_c + [0.34, 0, 0]]),
                  0.005, 6, "rubber"),
             tube(np.array([coil_c + [-0.2, 0.32, 0], [-0.2, 0.75, 0.1], [-0.25, 1.0, 0.0], bulb_c + [-0.34, 0, 0]]),
                  0.005, 6, "rubber")]
    parts += [*glass, *electrodes, *caps, target, *clamp, *diaphragm, *coil, *wires]
    glow = {"x-ray-glass": Material((0.7, 0.95, 0.78, 0.5), roughness=0.05, alpha_mode="BLEND",
                                    emissive=(0.25, 0.62, 0.32))}
    return finish("x-ray-apparatus", parts, {"tube": bulb_c}, materials=glow)
