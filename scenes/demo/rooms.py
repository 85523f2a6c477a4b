"""The demo's three rooms - lobby, history hall, 5G smart-hospital hall - as phone-loadable GLBs.

Each room is centred on x/z=0 with its floor at y=0. Spawn and door yaws turn about +Y from facing -Z (the
three.js camera's forward), so yaw 90 faces -X. A door's position is the floor centre of its opening and its yaw
faces out through it. The rooms hold no pedestals or showcases: those are the plinths of the placements
(`scenes.plinth`), which move with their exhibits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenes.demo.emblem import emblem_parts
from scenes.demo.exhibits import build_exhibit_models
from scenes.demo.geometry import Part, box, compose, cylinder, lathe, prism, quad, rotate, translate
from scenes.demo.glb import Material, Texture, write_glb
from scenes.demo.layout import LAYOUT, placement_footprint
from scenes.demo.materials import PALETTE
from scenes.demo.model import DemoModel
from scenes.demo.roomkit import (
    Door,
    Finish,
    bench,
    door_pose,
    downlight,
    footprint,
    framed_picture,
    on_wall,
    pendant,
    placed,
    planter,
    rope_barrier,
    shell,
    wall_footprint,
)
from scenes.demo.textures import (
    archive_photo,
    contact_shadow,
    dashboard_screen,
    plaster,
    sign,
    stone_tiles,
    terrazzo,
    text_panel,
    vinyl_tiles,
    wood_planks,
)

Vec = list[float]


@dataclass(frozen=True)
class DemoRoom:
    """A generated gallery room: GLB bytes, size (w, h, d), walkable floor, spawn points, doors, obstacles."""

    slug: str
    glb: bytes
    size: tuple[float, float, float]
    floor: list[Vec]
    spawn: list[dict[str, Any]]
    doors: list[dict[str, Any]]
    obstacles: list[list[Vec]] = field(default_factory=list)  # floor footprints of the room's own furniture
    lighting: str = "warm"
    # A few point lights where the room's glowing fixtures are, for a front end that wants real light from them:
    # {"position": [x, y, z], "color": [r, g, b] (linear), "intensity": candela, "range": metres}.
    lights: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Room:
    """What a room builder collects before writing the GLB."""

    parts: list[Part] = field(default_factory=list)
    materials: dict[str, Material] = field(default_factory=dict)
    textures: dict[str, Texture] = field(default_factory=dict)
    obstacles: list[list[Vec]] = field(default_factory=list)
    lights: list[dict[str, Any]] = field(default_factory=list)

    def light(self, x: float, y: float, z: float, color: tuple[float, float, float], intensity: float,
              reach: float) -> None:
        self.lights.append({"position": [x, y, z], "color": list(color), "intensity": intensity, "range": reach})

    def furniture(self, parts: Sequence[Part], half_x: float, half_z: float, x: float, z: float, yaw: float) -> None:
        self.parts += placed(parts, x, z, yaw)
        self.obstacles.append(footprint(half_x, half_z, x, z, yaw))

    def texture(self, name: str, tex: Texture, material: Material) -> None:
        self.textures[name] = tex
        self.materials[name] = material

    def emissive_picture(self, name: str, tex: Texture, strength: float = 1.0) -> None:
        self.texture(name, tex, Material((0.05, 0.05, 0.05, 1), roughness=0.2, emissive=(1, 1, 1),
                                         emissive_texture=name, emissive_strength=strength))

    def picture(self, name: str, tex: Texture) -> None:
        self.texture(name, tex, Material(texture=name, color=(1, 1, 1, 1), roughness=0.7))


def _star_outline(radius: float, points: int) -> np.ndarray:
    angles = np.radians(90 + np.arange(2 * points) * 180 / points)
    radii = np.where(np.arange(2 * points) % 2 == 0, radius, radius * 0.38)
    return np.stack([radii * np.cos(angles), radii * np.sin(angles)], axis=1)


def _rectangle(width: float, depth: float) -> list[Vec]:
    w, d = width / 2, depth / 2
    return [[-w, -d], [w, -d], [w, d], [-w, d]]


def _spawn(name: str, x: float, z: float, yaw: float) -> dict[str, Any]:
    return {"name": name, "position": [x, 0.0, z], "yaw_deg": yaw}


def _contact_shadows(gallery: str, room: _Room, models: Mapping[str, DemoModel]) -> None:
    """Lay a soft shadow on the floor under each placement, so exhibits sit on the floor under any lighting."""
    room.texture("contact-shadow", contact_shadow(), Material((0, 0, 0, 1), roughness=1.0, texture="contact-shadow",
                                                              alpha_mode="BLEND"))
    flat = rotate(-90, "x")
    for item in LAYOUT[gallery]:
        if item.get("plinth"):
            continue  # a plinth stands on its own base, and would leave its shadow behind when moved
        corners = placement_footprint(item, models[item["exhibit"]].bounds)  # (4, 2)
        edges = np.diff(corners[:3], axis=0)  # (2, 2): the rectangle's two sides
        size_x, size_z = np.linalg.norm(edges, axis=1) + 0.5
        centre = corners.mean(axis=0)
        yaw = float(np.degrees(np.arctan2(-edges[0][1], edges[0][0])))
        shadow = quad(size_x, size_z, "contact-shadow").transformed(
            compose(translate((centre[0], 0.003, centre[1])), rotate(yaw, "y"), flat))
        room.parts.append(shadow)


def _finish_room(slug: str, room: _Room, size: tuple[float, float, float], doors: Sequence[Door],
                 spawn: list[dict[str, Any]], lighting: str, models: Mapping[str, DemoModel]) -> DemoRoom:
    w, h, d = size
    _contact_shadows(slug, room, models)
    # The room tells the layout rules what a visitor walks around: its furniture and its exhibits' cases.
    glb = write_glb(slug, room.parts, {**PALETTE, **room.materials}, room.textures,
                    extras={"size": list(size), "lighting": lighting, "obstacles": room.obstacles})
    return DemoRoom(slug=slug, glb=glb, size=size, floor=_rectangle(w, d), spawn=spawn,
                    doors=[door_pose(door, w, d) for door in doors], obstacles=room.obstacles, lighting=lighting,
                    lights=room.lights)


def build_lobby(models: Mapping[str, DemoModel]) -> DemoRoom:
    """Return the lobby: stone floor, warm walls, the emblem large on the north wall, reception and benches."""
    w, h, d = 14.0, 5.0, 12.0
    room = _Room()
    room.texture("lobby-floor", stone_tiles(1024, 11, 4), Material(texture="lobby-floor", color=(1, 1, 1, 1),
                                                               roughness=0.22, uv_scale=1 / 3.2))
    room.texture("lobby-wall", plaster(256, 3, (236, 226, 208)), Material(texture="lobby-wall", color=(1, 1, 1, 1),
                                                                          roughness=0.85, uv_scale=1 / 2.0))
    room.materials["lobby-ceiling"] = Material((0.96, 0.95, 0.92, 1), roughness=0.9)
    room.materials["warm-light"] = Material((1, 0.95, 0.85, 1), emissive=(1.0, 0.86, 0.62), emissive_strength=3.0)
    room.materials["cove-light"] = Material((1, 0.9, 0.7, 1), emissive=(1.0, 0.78, 0.5), emissive_strength=2.0)
    room.materials["glow-history"] = Material((0.9, 0.7, 0.5, 1), emissive=(0.95, 0.72, 0.45))
    room.materials["glow-smart"] = Material((0.6, 0.8, 1.0, 1), emissive=(0.55, 0.8, 1.0))
    doors = [Door("history-hall", "west", 0.0, glow="glow-history"),
             Door("smart-hospital-5g", "east", 0.0, glow="glow-smart")]
    finish = Finish("lobby-floor", "lobby-wall", "lobby-ceiling", "walnut", "walnut", "oak", 1.1)
    room.parts += shell(w, h, d, doors, finish)
    # The emblem, large on the north wall, above the reception desk and the museum's name.
    room.parts += [p.moved((0, 3.2, -d / 2 + 0.02)) for p in emblem_parts(1.15)]
    room.parts.append(box((3.4, 0.5, 0.03), (0, 1.65, -d / 2 + 0.015), "walnut"))
    room.emissive_picture("lobby-title", sign("Hospital History Museum", (60, 34, 20), (240, 204, 130), 1024, 128),
                          1.2)
    room.parts.append(quad(3.2, 0.4, "lobby-title").moved((0, 1.65, -d / 2 + 0.031)))
    desk = [box((1.0, 1.05, 3.2), (0, 0.525, 0), "walnut"), box((1.1, 0.05, 3.3), (0, 1.075, 0), "granite"),
            box((0.02, 0.06, 3.0), (0.51, 0.9, 0), "cove-light"), box((0.7, 0.04, 3.0), (-0.3, 0.75, 0), "oak")]
    room.furniture(desk, 0.55, 1.65, 0.0, -4.3, -90.0)
    room.furniture(bench(1.8, "oak", "brushed-steel"), 0.9, 0.23, -3.4, 2.6, 0.0)
    room.furniture(bench(1.8, "oak", "brushed-steel"), 0.9, 0.23, 3.4, 2.6, 0.0)
    for i, (x, z) in enumerate(((-6.3, -5.3), (6.3, -5.3), (6.3, 5.3))):
        room.furniture(planter("granite", "leaf", 30 + i), 0.3, 0.3, x, z, 0.0)
    room.materials["leaf"] = Material((0.16, 0.36, 0.14, 1), roughness=0.7)
    # Warm light: a glowing cove ring in the middle, downlights and wall sconces.
    for r0 in (2.2,):
        ring = [box((0.12, 0.06, 2 * r0), (x, h - 0.03, 0), "cove-light") for x in (-r0, r0)]
        ring += [box((2 * r0, 0.06, 0.12), (0, h - 0.03, z), "cove-light") for z in (-r0, r0)]
        room.parts += [p.moved((0, 0, 0.5)) for p in ring]
    for x in (-4.5, 4.5):
        for z in (-3.5, 0.5, 4.0):
            room.parts += downlight(x, z, h, "warm-light", "brass")
    for x in (-4.3, 4.3):
        slats = [box((2.6, 3.7, 0.03), (0, 0, 0.035), "walnut")]  # proud of the chair rail, no z-fight
        slats += [box((0.07, 3.7, 0.05), (u, 0, 0.075), "oak", faces="xXyYZ") for u in np.linspace(-1.2, 1.2, 13)]
        room.parts += on_wall(slats, "north", w, d, x, 2.2)
        room.parts += downlight(x, -d / 2 + 0.6, h, "warm-light", "brass", 0.1)
    medallion = [cylinder(1.4, 0.004, 48, "brass", y0=0.0), cylinder(1.32, 0.006, 48, "granite", y0=0.0),
                 cylinder(0.9, 0.008, 48, "brass", y0=0.0), cylinder(0.86, 0.01, 48, "marble", y0=0.0)]
    medallion += [p.transformed(compose(translate((0, 0.012, 0)), rotate(-90, "x")))
                  for p in (prism(_star_outline(0.75, 8), 0.002, "enamel-blue"),)]
    room.parts += [p.moved((0, 0, 1.0)) for p in medallion]
    room.materials["daylight"] = Material((0.9, 0.95, 1.0, 1), emissive=(0.85, 0.92, 1.0), emissive_strength=1.5)
    entrance = [box((3.2, 3.0, 0.02), (0, 1.5, 0.01), "daylight", faces="Z")]
    entrance += [box((0.08, 3.0, 0.1), (u, 1.5, 0.05), "brushed-steel") for u in (-1.6, -0.8, 0.0, 0.8, 1.6)]
    entrance += [box((3.28, 0.08, 0.1), (0, y, 0.05), "brushed-steel") for y in (0.04, 2.4, 3.0)]
    entrance += [box((3.2, 3.0, 0.01), (0, 1.5, 0.08), "glass", faces="Z")]
    entrance += [box((0.03, 0.5, 0.04), (u, 1.1, 0.12), "chrome") for u in (-0.12, 0.12)]
    room.parts += on_wall(entrance, "south", w, d, 0.0, 0.0)
    for wall, offsets in (("south", (-4.5, 4.5)),):
        for off in offsets:
            sconce = [box((0.3, 0.45, 0.06), (0, 0, 0.03), "brass"), box((0.24, 0.38, 0.02), (0, 0, 0.07),
                                                                         "warm-light")]
            room.parts += on_wall(sconce, wall, w, d, off, 2.4)
    room.emissive_picture("sign-history", sign("History Hall", (60, 34, 20), (240, 204, 130)))
    room.emissive_picture("sign-smart", sign("5G Smart Hospital", (10, 40, 80), (170, 220, 255)))
    room.parts += on_wall([quad(1.6, 0.4, "sign-history")], "west", w, d, 0.0, 3.25)
    room.parts += on_wall([quad(1.6, 0.4, "sign-smart")], "east", w, d, 0.0, 3.25)
    for x, z in ((-3.0, -2.0), (3.0, -2.0), (-3.0, 3.0), (3.0, 3.0)):
        room.light(x, h - 0.6, z, (1.0, 0.85, 0.65), 12.0, 10.0)
    spawn = [_spawn("entrance", 0.0, 4.8, 0.0), _spawn("from-history-hall", -6.0, 0.0, -90.0),
             _spawn("from-smart-hospital-5g", 6.0, 0.0, 90.0)]
    return _finish_room("lobby", room, (w, h, d), doors, spawn, "warm", models)



def build_history_hall(models: Mapping[str, DemoModel]) -> DemoRoom:
    """Return the history hall: oak plank floor, warm walls in pilastered bays, niches, framed panels, pendants."""
    w, h, d = 18.0, 4.5, 10.0
    room = _Room()
    room.texture("history-floor", wood_planks(1024, 7, 12), Material(texture="history-floor", color=(1, 1, 1, 1),
                                                                roughness=0.5, uv_scale=1 / 2.4))
    room.texture("history-wall", plaster(256, 4, (196, 150, 110)), Material(texture="history-wall", roughness=0.9,
                                                                            color=(1, 1, 1, 1), uv_scale=0.5))
    room.materials["history-ceiling"] = Material((0.93, 0.88, 0.8, 1), roughness=0.9)
    room.materials["warm-light"] = Material((1, 0.92, 0.8, 1), emissive=(1.0, 0.8, 0.55), emissive_strength=4.0)
    room.materials["niche-light"] = Material((0.9, 0.75, 0.55, 1), emissive=(0.42, 0.3, 0.18))
    room.materials["glow-lobby"] = Material((0.9, 0.8, 0.6, 1), emissive=(0.95, 0.85, 0.65))
    doors = [Door("lobby", "east", 0.0, glow="glow-lobby")]
    room.parts += shell(w, h, d, doors, Finish("history-floor", "history-wall", "history-ceiling", "walnut",
                                               "walnut", "walnut", 0.9))
    for x in np.arange(-w / 2 + 1.5, w / 2, 3.0):
        room.parts.append(box((0.16, 0.22, d), (x, h - 0.11, 0), "walnut"))
    # Pilasters every 3 m on the long walls make bays; bays hold framed photographs, panels or a lit niche.
    photos = 0
    for wall in ("north", "south"):
        for i, off in enumerate(np.arange(-7.5, 7.6, 3.0)):
            room.parts += on_wall([box((0.36, h, 0.14), (0, h / 2, 0.07), "history-wall"),
                                   box((0.44, 0.14, 0.18), (0, 0.07, 0.09), "walnut")], wall, w, d, off, 0.0)
            room.obstacles.append(wall_footprint(wall, w, d, off, 0.44, 0.18))
            if off > 7.0:
                continue
            bay = off + 1.5
            if wall == "north" and abs(bay - -3.0) < 1.0 or wall == "north" and abs(bay - 3.0) < 1.0:
                continue  # the apothecary cabinet and the ward bed stand in these bays
            if (i + (wall == "south")) % 3 == 0:
                room.parts += on_wall(_niche(), wall, w, d, bay, 0.0)
                room.obstacles.append(wall_footprint(wall, w, d, bay, 1.54, 0.32))
            else:
                name = f"photo-{photos}"
                room.picture(name, archive_photo(100 + photos))
                room.parts += on_wall(framed_picture(1.2, 0.9, name, "gold"), wall, w, d, bay, 2.1)
                panel = f"panel-{photos}"
                room.picture(panel, text_panel(("1900s", "1930s", "1950s", "1970s", "1990s", "2010s")[photos % 6],
                                               14, 200 + photos))
                room.parts += on_wall(framed_picture(0.4, 0.6, panel, "walnut", 0.03), wall, w, d, bay, 1.05)
                photos += 1
    room.emissive_picture("sign-lobby", sign("Lobby", (60, 34, 20), (240, 204, 130)))
    room.parts += on_wall([quad(1.2, 0.3, "sign-lobby")], "east", w, d, 0.0, 3.2)
    room.picture("hall-title", sign("A Century of Care", (120, 30, 34), (250, 232, 200), 1024, 128))
    room.parts += on_wall(framed_picture(4.0, 0.5, "hall-title", "gold", 0.05), "west", w, d, 0.0, 3.2)
    room.picture("timeline", text_panel("Timeline", 40, 300, 512, 256))
    room.parts += on_wall(framed_picture(4.0, 2.0, "timeline", "walnut", 0.05), "west", w, d, 0.0, 1.7)
    for x in np.arange(-7.5, 7.6, 3.0):
        for z in (-2.2, 2.2):
            room.parts += pendant(float(x), z, h, 1.1, "brass", "warm-light")
    room.furniture(bench(2.0, "walnut", "cast-iron"), 1.0, 0.23, -6.8, 0.0, 90.0)
    # Rope barriers keep visitors a step away from the bed and the cabinet.
    for x in (-3.2, 3.2):
        room.furniture(rope_barrier(2.0, "brass", "velvet"), 1.05, 0.12, x, -2.55, 0.0)
    room.materials["velvet"] = Material((0.5, 0.04, 0.06, 1), roughness=0.8)
    for x, z in ((-4.5, -2.2), (4.5, -2.2), (-4.5, 2.2), (4.5, 2.2)):
        room.light(x, h - 1.3, z, (1.0, 0.78, 0.5), 8.0, 8.0)
    spawn = [_spawn("from-lobby", 7.6, 0.0, 90.0)]
    return _finish_room("history-hall", room, (w, h, d), doors, spawn, "warm", models)


def _niche() -> list[Part]:
    """Return a lit wall niche (1.2 x 1.8 m) with a shelf and a turned vase, in the wall's frame."""
    vase = lathe([[0, 0], [0.08, 0], [0.12, 0.12], [0.07, 0.3], [0.09, 0.36], [0.0, 0.36]], 20, "lacquer-red")
    return [
        box((1.3, 2.1, 0.02), (0, 1.65, 0.01), "niche-light", faces="Z"),
        box((0.12, 2.2, 0.3), (-0.71, 1.7, 0.15), "walnut"),
        box((0.12, 2.2, 0.3), (0.71, 1.7, 0.15), "walnut"),
        box((1.54, 0.16, 0.32), (0, 2.8, 0.16), "walnut"),
        box((1.3, 0.06, 0.3), (0, 1.2, 0.15), "walnut"),
        vase.moved((0, 1.23, 0.15)),
    ]


def build_smart_hospital_hall(models: Mapping[str, DemoModel]) -> DemoRoom:
    """Return the 5G smart-hospital hall: pale tiles, cool white walls, glowing blue strips and wall screens."""
    w, h, d = 20.0, 5.0, 14.0
    room = _Room()
    room.texture("smart-floor", vinyl_tiles(512, 13, 4, (40, 48, 60), (112, 124, 140)),
                 Material(texture="smart-floor", color=(1, 1, 1, 1), roughness=0.22, uv_scale=1 / 2.4))
    room.texture("smart-wall", plaster(256, 5, (232, 238, 244), 0.03), Material(texture="smart-wall", roughness=0.8,
                                                                                color=(1, 1, 1, 1), uv_scale=0.5))
    room.texture("smart-terrazzo", terrazzo(256, 5), Material(texture="smart-terrazzo", color=(1, 1, 1, 1),
                                                              roughness=0.35, uv_scale=1.0))
    room.materials["smart-ceiling"] = Material((0.26, 0.28, 0.32, 1), roughness=0.8)
    room.materials["smart-panel"] = Material((0.16, 0.22, 0.3, 1), metallic=0.3, roughness=0.4)
    room.materials["cool-light"] = Material((1, 1, 1, 1), emissive=(0.9, 0.96, 1.0), emissive_strength=4.0)
    room.materials["blue-strip"] = Material((0.1, 0.5, 1.0, 1), emissive=(0.05, 0.45, 1.0), emissive_strength=1.6)
    room.materials["glow-lobby"] = Material((0.9, 0.8, 0.6, 1), emissive=(0.95, 0.85, 0.65))
    doors = [Door("lobby", "west", 0.0, glow="glow-lobby")]
    room.parts += shell(w, h, d, doors, Finish("smart-floor", "smart-wall", "smart-ceiling", "grey-plastic",
                                               "brushed-steel", "smart-panel", 1.2))
    for wall, length in (("north", w), ("south", w), ("east", d), ("west", d)):
        spans = [(-length / 2, -1.4), (1.4, length / 2)] if wall == "west" else [(-length / 2, length / 2)]
        for a, b in spans:
            strip = [box((b - a, 0.05, 0.02), ((a + b) / 2, 2.9, 0.01), "blue-strip")]
            room.parts += on_wall(strip, wall, w, d, 0.0, 0.0)
    inset = 0.6
    for x0, x1, z0, _ in ((-w / 2 + inset, w / 2 - inset, -d / 2 + inset, -d / 2 + inset),
                           (-w / 2 + inset, w / 2 - inset, d / 2 - inset, d / 2 - inset)):
        room.parts.append(box((x1 - x0, 0.01, 0.08), ((x0 + x1) / 2, 0.005, z0), "blue-strip"))
    for z in (-4.5, 4.5):
        room.parts.append(box((w - 3.0, 0.03, 0.12), (0, h - 0.015, z), "cool-light"))
    for x in (-7.5, 7.5):
        room.parts.append(box((0.12, 0.03, d - 5.0), (x, h - 0.015, 0), "cool-light"))
    # A halo over the middle of the hall and a glowing ring in the floor beneath it.
    halo = [lathe([[2.4, -0.06], [2.6, -0.06], [2.6, 0.06], [2.4, 0.06], [2.4, -0.06]], 64, "dark-plastic"),
            lathe([[2.4, -0.061], [2.6, -0.061]], 64, "cool-light")]
    halo = [p.moved((0, h - 0.9, 0.5)) for p in halo]
    halo += [cylinder(0.006, 0.84, 6, "steel", y0=h - 0.84).moved((2.5 * np.cos(a), 0, 0.5 + 2.5 * np.sin(a)))
             for a in np.radians([90, 210, 330])]
    room.parts += halo
    room.parts.append(lathe([[2.55, 0.004], [2.45, 0.004]], 64, "blue-strip").moved((0, 0, 0.5)))
    room.parts.append(lathe([[1.24, 0.004], [1.2, 0.004]], 48, "blue-strip").moved((0, 0, 0.5)))
    for wall, offsets in (("north", (-8.5, -3.6, 4.4, 8.6)), ("south", (-7.5, -2.5, 2.5, 7.5))):
        for off in offsets:
            room.parts += on_wall([box((0.06, 1.6, 0.02), (0, 0, 0.01), "blue-strip")], wall, w, d, off, 2.05)
    room.emissive_picture("sign-lobby", sign("Lobby", (10, 40, 80), (170, 220, 255)))
    room.parts += on_wall([quad(1.2, 0.3, "sign-lobby")], "west", w, d, 0.0, 3.3)
    room.emissive_picture("hall-title", sign("5G Smart Hospital", (8, 30, 64), (120, 210, 255), 1024, 128), 1.5)
    room.parts += on_wall([box((5.2, 0.7, 0.04), (0, 0, 0.02), "dark-plastic"),
                           quad(5.0, 0.6, "hall-title").moved((0, 0, 0.041))], "north", w, d, 1.2, 3.85)
    for i, off in enumerate((-5.0, 0.0, 5.0)):
        name = f"wall-screen-{i}"
        room.emissive_picture(name, dashboard_screen(10 + i))
        room.parts += on_wall([box((2.1, 1.22, 0.06), (0, 0, 0.03), "dark-plastic"),
                               quad(2.0, 1.125, name).moved((0, 0, 0.061))], "south", w, d, off, 2.0)
    hexagon = np.array([[np.cos(a), np.sin(a)] for a in np.radians(np.arange(0, 360, 60))])
    for i, (u, v) in enumerate(((0, 0), (1.5, 0.87), (1.5, -0.87), (-1.5, 0.87), (-1.5, -0.87), (0, 1.74))):
        material = "blue-strip" if i % 2 == 0 else "white-plastic"
        tile = [prism(hexagon * 0.8, 0.04, "grey-plastic"), prism(hexagon * 0.7, 0.05, material)]
        room.parts += on_wall([p.moved((u, v, 0)) for p in tile], "east", w, d, 0.0, 2.4)
    room.furniture(bench(2.0, "white-plastic", "brushed-steel"), 1.0, 0.23, 0.0, 0.5, 0.0)
    for x, z in ((-6.0, -3.0), (6.0, -3.0), (-6.0, 3.5), (6.0, 3.5)):
        room.light(x, h - 0.5, z, (0.85, 0.93, 1.0), 14.0, 12.0)
    spawn = [_spawn("from-lobby", -8.6, 0.0, -90.0)]
    return _finish_room("smart-hospital-5g", room, (w, h, d), doors, spawn, "cool", models)


def build_rooms(models: Mapping[str, DemoModel] | None = None) -> dict[str, DemoRoom]:
    """Return the three demo rooms by gallery slug (pass the exhibit models if already built: shadows need bounds)."""
    models = models if models is not None else build_exhibit_models()
    return {"lobby": build_lobby(models), "history-hall": build_history_hall(models),
            "smart-hospital-5g": build_smart_hospital_hall(models)}
