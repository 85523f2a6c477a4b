"""A small published museum built in code, for the browser tests when the demo museum cannot be seeded.

Run as `python -m tests.frontend.seed` with MUSEUM_INSTANCE_PATH set to a migrated instance.
"""

from __future__ import annotations

import io

import numpy as np
import trimesh

from museum import create_app
from museum.core.db import get_db
from museum.core.http_cache import bump_catalogue
from museum.models import (
    Asset,
    Door,
    Era,
    Exhibit,
    Gallery,
    Hotspot,
    Placement,
    Rights,
    Setting,
    TimelineEvent,
    Tour,
    TourStop,
)
from museum.uploads.store import record_file, set_tier


def t(zh_hans: str, zh_hant: str, en: str) -> dict[str, str]:
    """Return a text in the three languages."""
    return {"zh-Hans": zh_hans, "zh-Hant": zh_hant, "en": en}


def _glb(meshes: list[trimesh.Trimesh]) -> bytes:
    buffer = io.BytesIO()
    trimesh.Scene(meshes).export(buffer, file_type="glb")
    return buffer.getvalue()


def _coloured(mesh: trimesh.Trimesh, rgba: tuple[int, int, int, int]) -> trimesh.Trimesh:
    mesh.visual.face_colors = np.tile(np.array(rgba, dtype=np.uint8), (len(mesh.faces), 1))
    return mesh


def room_glb(width: float, depth: float, height: float = 3.2) -> bytes:
    """Return a room: a floor, four walls and a ceiling, centred on the origin with the floor at y = 0."""
    floor = _coloured(trimesh.creation.box(extents=[width, 0.1, depth]), (214, 200, 176, 255))
    floor.apply_translation([0, -0.05, 0])
    ceiling = _coloured(trimesh.creation.box(extents=[width, 0.1, depth]), (240, 236, 228, 255))
    ceiling.apply_translation([0, height + 0.05, 0])
    walls = []
    for sx, sz, ex, ez in ((0, -1, width, 0.2), (0, 1, width, 0.2), (-1, 0, 0.2, depth), (1, 0, 0.2, depth)):
        wall = _coloured(trimesh.creation.box(extents=[ex, height, ez]), (150, 110, 80, 255))
        wall.apply_translation([sx * width / 2, height / 2, sz * depth / 2])
        walls.append(wall)
    return _glb([floor, ceiling, *walls])


def exhibit_glb(rgba: tuple[int, int, int, int]) -> bytes:
    """Return a pedestal with an object on it, 1.4 m high, standing on y = 0."""
    pedestal = _coloured(trimesh.creation.box(extents=[0.6, 0.9, 0.6]), (236, 232, 224, 255))
    pedestal.apply_translation([0, 0.45, 0])
    thing = _coloured(trimesh.creation.icosphere(subdivisions=2, radius=0.25), rgba)
    thing.apply_translation([0, 1.15, 0])
    return _glb([pedestal, thing])


def _asset(session, store, glb: bytes) -> Asset:  # type: ignore[no-untyped-def]
    stored = record_file(session, store, glb, "model/gltf-binary")
    asset = Asset(sha256=stored.sha256, kind="model", media_type="model/gltf-binary", bytes=len(glb),
                  inspection={"triangles": 0})
    session.add(asset)
    session.flush()
    for tier in ("phone", "desktop", "vr", "original"):
        set_tier(session, asset, tier, stored, 100, 2)
    return asset


def seed() -> None:
    """Write two galleries with three exhibits, a tour and a timeline."""
    app = create_app()
    store = app.extensions["museum.storage"]
    with app.app_context(), get_db().write() as s:
        s.add(Setting(key="museum", value={"name": t("医院历史博物馆", "醫院歷史博物館", "Hospital History Museum")}))
        rights = Rights(licence="CC-BY-4.0", credit=t("本院", "本院", "The hospital"), copyright="© 2026 Museum")
        s.add(rights)
        era = Era(slug="smart-hospital", title=t("智慧医院", "智慧醫院", "Smart hospital"),
                  summary=t("5G时代", "5G時代", "The 5G era"), start_year=2019, status="published")
        s.add(era)
        colours = {"heart-model": (200, 40, 50, 255), "medical-uav": (40, 120, 220, 255),
                   "robot": (60, 180, 90, 255)}
        titles = {"heart-model": t("心脏模型", "心臟模型", "Heart model"),
                  "medical-uav": t("医疗无人机", "醫療無人機", "Medical UAV"),
                  "robot": t("物流机器人", "物流機器人", "Delivery robot")}
        exhibits = {}
        for slug, rgba in colours.items():
            exhibit = Exhibit(slug=slug, status="published", title=titles[slug],
                              summary=t("一件展品", "一件展品", "An exhibit"), body=t("介绍。", "介紹。", "About it."),
                              era=era, rights=rights, model_asset=_asset(s, store, exhibit_glb(rgba)),
                              real_height_m=1.4)
            exhibit.hotspots = [Hotspot(slug="top", anchor=[0.0, 1.4, 0.0], title=t("顶部", "頂部", "Top"),
                                        text=t("看这里", "看這裡", "Look here"))]
            exhibits[slug] = exhibit
        s.add_all(exhibits.values())
        floor = [[-5.0, -4.0], [5.0, -4.0], [5.0, 4.0], [-5.0, 4.0]]
        room = _asset(s, store, room_glb(10, 8))
        lobby = Gallery(slug="lobby", status="published", title=t("序厅", "序廳", "Lobby"),
                        summary=t("从这里开始", "從這裡開始", "Start here"), lighting="warm",
                        room_asset=room, size_m=[10, 3.2, 8], floor=floor,
                        spawns=[{"position": [0, 0, 3], "yaw_deg": 0}], position=0)
        hall = Gallery(slug="smart-hospital-5g", status="published", title=t("5G馆", "5G館", "5G hall"),
                       summary=t("未来", "未來", "The future"), lighting="cool",
                       room_asset=room, size_m=[10, 3.2, 8], floor=floor,
                       spawns=[{"position": [0, 0, 3], "yaw_deg": 0}], position=1)
        s.add_all([lobby, hall])
        s.flush()
        lobby.placements = [Placement(exhibit=exhibits["heart-model"], translation=[-1.5, 0, -1.5]),
                            Placement(exhibit=exhibits["robot"], translation=[1.5, 0, -1.5])]
        hall.placements = [Placement(exhibit=exhibits["medical-uav"], translation=[0, 0, -1.5])]
        lobby.doors = [Door(to_gallery=hall, translation=[5.0, 0, 0], yaw_deg=-90)]
        hall.doors = [Door(to_gallery=lobby, translation=[-5.0, 0, 0], yaw_deg=90)]
        s.add(TimelineEvent(slug="5g-hospital", status="published", era=era, year=2019, month=3,
                            title=t("5G医院", "5G醫院", "5G hospital"), body=t("开始", "開始", "It began."),
                            exhibits=[exhibits["medical-uav"]]))
        tour = Tour(slug="highlights", status="published", title=t("精华游", "精華遊", "Highlights"),
                    summary=t("两个展厅", "兩個展廳", "Two galleries"))
        tour.stops = [
            TourStop(position=0, gallery=lobby, exhibit=exhibits["heart-model"], title=t("心脏", "心臟", "Heart"),
                     text=t("看", "看", "Look"), narration=t("讲解", "講解", "Guide")),
            TourStop(position=1, gallery=hall, exhibit=exhibits["medical-uav"], title=t("无人机", "無人機", "UAV"),
                     text=t("飞", "飛", "Fly"), narration=t("讲解", "講解", "Guide")),
        ]
        s.add(tour)
        bump_catalogue(s)


if __name__ == "__main__":
    seed()
