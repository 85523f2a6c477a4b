"""A small catalogue built directly in the database, for API tests that do not need the asset pipeline."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
import trimesh
from flask import Flask

from museum.core.db import get_db
from museum.core.http_cache import bump_catalogue
from museum.models import (
    Asset,
    Door,
    Era,
    Exhibit,
    ExhibitTag,
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


def box_glb(size: float = 0.5) -> bytes:
    """Return a small valid GLB of a box."""
    mesh = trimesh.creation.box(extents=[size, size, size])
    buffer = io.BytesIO()
    mesh.export(buffer, file_type="glb")
    return buffer.getvalue()


@dataclass
class Catalogue:
    """Slugs and files of the small test catalogue."""

    phone_sha: str
    desktop_sha: str
    glb_bytes: bytes


@pytest.fixture
def catalogue(app: Flask) -> Catalogue:
    """Seed two galleries, three exhibits (one a draft), two eras, three events and a tour."""
    store = app.extensions["museum.storage"]
    phone_glb, desktop_glb = box_glb(0.5), box_glb(0.6)
    with app.app_context(), get_db().write() as s:
        s.add(Setting(key="museum", value={"name": t("医院历史博物馆", "醫院歷史博物館", "Hospital History Museum"),
                                          "tagline": t("掌上院史", "掌上院史", "History in your hand")}))
        rights = Rights(licence="CC-BY-4.0", credit=t("本院", "本院", "The hospital"), copyright="© 2026 Museum")
        asset = Asset(sha256="a" * 64, kind="model", media_type="model/gltf-binary", bytes=len(desktop_glb),
                      inspection={"triangles": 12})
        s.add_all([rights, asset])
        s.flush()
        phone = record_file(s, store, phone_glb, "model/gltf-binary")
        desktop = record_file(s, store, desktop_glb, "model/gltf-binary")
        set_tier(s, asset, "phone", phone, 12, 1)
        set_tier(s, asset, "desktop", desktop, 12, 1)
        set_tier(s, asset, "original", desktop, 12, 1)
        early = Era(slug="early-years", title=t("早期", "早期", "Early years"), summary=t("示例", "範例", "Sample"),
                    start_year=1946, end_year=1978, sample=True, status="published")
        smart = Era(slug="smart-hospital", title=t("智慧医院", "智慧醫院", "Smart hospital"),
                    summary=t("5G时代", "5G時代", "The 5G era"), start_year=2019, status="published")
        heart = Exhibit(slug="heart-model", status="published", title=t("心脏模型", "心臟模型", "Cardiac heart model"),
                        summary=t("中国首例心脏手术", "中國首例心臟手術", "China's first cardiac surgery case"),
                        body=t("心脏外科的历史。", "心臟外科的歷史。", "The history of heart surgery."),
                        era=smart, model_asset=asset, rights=rights, real_height_m=0.3)
        heart.tags = [ExhibitTag(tag="surgery"), ExhibitTag(tag="heart")]
        heart.hotspots = [Hotspot(slug="aorta", anchor=[0.0, 0.25, 0.0], title=t("主动脉", "主動脈", "Aorta"),
                                  text=t("主动脉弓", "主動脈弓", "The aortic arch"))]
        uav = Exhibit(slug="medical-uav", status="published", title=t("医疗无人机", "醫療無人機", "Medical UAV"),
                      summary=t("时速65公里", "時速65公里", "Up to 65 km/h carrying 15 kg"),
                      body=t("运送血液。", "運送血液。", "Carries blood and samples."), era=smart,
                      model_asset=asset, rights=rights)
        uav.tags = [ExhibitTag(tag="5g")]
        draft = Exhibit(slug="secret-draft", status="draft", title=t("草稿", "草稿", "Draft exhibit"),
                        summary=t("未发布", "未發布", "Not published"), era=early)
        hall = Gallery(slug="history-hall", status="published", title=t("院史馆", "院史館", "History hall"),
                       summary=t("历史", "歷史", "History"), lighting="warm", room_asset=asset, size_m=[10, 4, 8],
                       floor=[[-5, -4], [5, -4], [5, 4], [-5, 4]],
                       spawns=[{"position": [0, 0, 3], "yaw_deg": 180}], position=0)
        fiveg = Gallery(slug="smart-hospital-5g", status="published", title=t("5G智慧医院馆", "5G智慧醫院館",
                                                                               "5G smart hospital hall"),
                        summary=t("未来医院", "未來醫院", "The hospital of the future"), lighting="cool",
                        size_m=[10, 4, 8], floor=[[-5, -4], [5, -4], [5, 4], [-5, 4]],
                        spawns=[{"position": [0, 0, 3], "yaw_deg": 180}], position=1)
        hidden = Gallery(slug="draft-gallery", status="draft", title=t("草稿馆", "草稿館", "Draft gallery"))
        s.add_all([early, smart, heart, uav, draft, hall, fiveg, hidden])
        s.flush()
        hall.placements = [Placement(exhibit=heart, translation=[1.0, 0.9, -2.0], mount="pedestal"),
                           Placement(exhibit=draft, translation=[-1.0, 0.0, -2.0])]
        fiveg.placements = [Placement(exhibit=uav, translation=[0.0, 0.0, -2.0])]
        hall.doors = [Door(to_gallery=fiveg, translation=[5.0, 0.0, 0.0], yaw_deg=90)]
        s.add_all([
            TimelineEvent(slug="first-cardiac-surgery", status="published", era=smart, year=1950,
                          title=t("首例心脏手术", "首例心臟手術", "First cardiac surgery"),
                          body=t("心脏外科。", "心臟外科。", "Cardiac surgery."), exhibits=[heart]),
            TimelineEvent(slug="5g-demonstration-hospital", status="published", era=smart, year=2019, month=3,
                          day=9, title=t("5G应用示范医院", "5G應用示範醫院", "5G application demonstration hospital"),
                          body=t("与中国移动合作。", "與中國移動合作。", "With China Mobile."), exhibits=[uav]),
            TimelineEvent(slug="draft-event", status="draft", era=early, year=1960, month=5,
                          title=t("草稿事件", "草稿事件", "Draft event"), body=t("无", "無", "None")),
        ])
        tour = Tour(slug="highlights", status="published", title=t("精华游", "精華遊", "Highlights"),
                    summary=t("两个展厅", "兩個展廳", "Two galleries"))
        tour.stops = [
            TourStop(position=0, gallery=hall, exhibit=heart, hotspot=heart.hotspots[0],
                     title=t("心脏", "心臟", "Heart"), text=t("看", "看", "Look"), narration=t("讲解", "講解", "Guide"),
                     viewpoint={"position": [1, 1.6, 0], "target": [1, 1, -2]}),
            TourStop(position=1, gallery=fiveg, exhibit=uav, title=t("无人机", "無人機", "UAV"),
                     text=t("飞", "飛", "Fly"), narration=t("讲解", "講解", "Guide")),
        ]
        s.add(tour)
        bump_catalogue(s)
    return Catalogue(phone_sha=phone.sha256, desktop_sha=desktop.sha256, glb_bytes=desktop_glb)


def make_token(app: Flask, name: str = "curator", role: str = "curator") -> str:
    """Create a user with a role and return an API token of theirs."""
    from museum.identity.accounts import ensure_user
    from museum.identity.tokens import create_api_token

    with app.app_context(), get_db().write() as s:
        user = ensure_user(s, name, role)
        return create_api_token(s, user, f"{name}-token")[1]


@pytest.fixture
def curator_headers(app: Flask) -> dict[str, str]:
    """Return Authorization headers of a curator's API token."""
    return {"Authorization": f"Bearer {make_token(app)}", "Accept": "application/json"}
