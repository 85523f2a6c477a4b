"""Seed a large museum for the growth benchmark: N exhibits in N/100 galleries, with tours, events, models, photos.

At N = 10,000: 100 galleries of 100 exhibits, 200 tours of 5 stops, 2,000 timeline events, 1,000 stored models
(real GLB files, three tiers each), 100,000 guest photos past their expiry (one small file each). Texts are in the
three languages, built from a vocabulary of hospital objects so that searches match a realistic share of them.
One exhibit in a hundred is left a draft, for the benchmark to publish.

    .venv/bin/python bench/growth/seed.py --exhibits 10000 --instance /tmp/growth [--database-url URL]

The database is created with `museum init` first. Rows go in with bulk inserts and photo files are written
without an fsync each: this is test data, made quickly; the museum's own writes are not used for it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

OBJECTS = [  # (zh-Hans, zh-Hant, en)
    ("听诊器", "聽診器", "stethoscope"), ("心脏模型", "心臟模型", "heart model"), ("显微镜", "顯微鏡", "microscope"),
    ("手术刀", "手術刀", "scalpel"), ("血压计", "血壓計", "blood pressure gauge"), ("X光机", "X光機", "X-ray machine"),
    ("药箱", "藥箱", "medicine chest"), ("病历本", "病歷本", "case book"),
    ("针灸铜人", "針灸銅人", "acupuncture figure"),
    ("输液架", "輸液架", "drip stand"), ("体温计", "體溫計", "thermometer"), ("护士帽", "護士帽", "nurse's cap"),
    ("手术灯", "手術燈", "operating lamp"), ("救护车模型", "救護車模型", "ambulance model"),
    ("肺部模型", "肺部模型", "lung model"), ("骨骼标本", "骨骼標本", "skeleton specimen"),
    ("注射器", "注射器", "syringe"), ("药碾", "藥碾", "herb grinder"), ("心电图机", "心電圖機", "ECG machine"),
    ("呼吸机", "呼吸機", "ventilator"), ("牙科椅", "牙科椅", "dental chair"), ("眼底镜", "眼底鏡", "ophthalmoscope"),
    ("消毒锅", "消毒鍋", "steriliser"), ("脑部模型", "腦部模型", "brain model"), ("奖章", "獎章", "medal"),
]
MATERIALS = [("铜制", "銅製", "brass"), ("木制", "木製", "wooden"), ("玻璃", "玻璃", "glass"),
             ("钢制", "鋼製", "steel"), ("搪瓷", "搪瓷", "enamel"), ("象牙", "象牙", "ivory"),
             ("皮革", "皮革", "leather"), ("陶瓷", "陶瓷", "ceramic")]
DEPARTMENTS = [("心脏外科", "心臟外科", "cardiac surgery"), ("内科", "內科", "internal medicine"),
               ("儿科", "兒科", "paediatrics"), ("放射科", "放射科", "radiology"), ("护理部", "護理部", "nursing"),
               ("中医科", "中醫科", "traditional medicine"), ("药剂科", "藥劑科", "pharmacy")]
ERAS = [("建院初期", "建院初期", "Founding years", 1946), ("发展时期", "發展時期", "Years of growth", 1960),
        ("改革开放", "改革開放", "Reform and opening", 1978), ("新世纪", "新世紀", "New century", 2000),
        ("智慧医院", "智慧醫院", "Smart hospital", 2015), ("今天", "今天", "Today", 2022)]


def t(zh: str, hant: str, en: str) -> dict[str, str]:
    """Return a text in the three languages."""
    return {"zh-Hans": zh, "zh-Hant": hant, "en": en}


def box_glb(size: float) -> bytes:
    """Return a small valid GLB of a box of the given size (distinct sizes give distinct files)."""
    import trimesh

    buffer = io.BytesIO()
    trimesh.creation.box(extents=[size, size * 1.3, size * 0.7]).export(buffer, file_type="glb")
    return buffer.getvalue()


def _write_raw(root: Path, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    target = root / sha[:2] / sha[2:4] / sha
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return sha


def _fix_sequences(session: Any, tables: list[str]) -> None:
    """Move PostgreSQL's id sequences past the ids given explicitly here."""
    from sqlalchemy import text

    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def seed(instance: Path, database_url: str | None, exhibits: int, photos: int | None = None) -> dict[str, Any]:
    """Create and fill a museum of `exhibits` exhibits; return what was made and how long it took."""
    env = dict(os.environ, MUSEUM_INSTANCE_PATH=str(instance))
    if database_url:
        env["MUSEUM_DATABASE_URL"] = database_url
    else:  # the instance's own SQLite, not a database named by an earlier seeding in this process
        env.pop("MUSEUM_DATABASE_URL", None)
        os.environ.pop("MUSEUM_DATABASE_URL", None)
    subprocess.run([str(ROOT / ".venv/bin/museum"), "init"], env=env, check=True, capture_output=True)
    os.environ.update(env)

    from sqlalchemy import insert, text

    from museum import create_app
    from museum.core.db import get_db
    from museum.core.http_cache import bump_catalogue
    from museum.models import (
        Asset,
        AssetTier,
        Era,
        Exhibit,
        ExhibitTag,
        Gallery,
        Hotspot,
        Photo,
        Placement,
        Rights,
        Setting,
        StoredFile,
        TimelineEvent,
        Tour,
        TourStop,
        event_exhibits,
    )
    from museum.models.base import utcnow
    from museum.photos.store import photo_store

    started = time.perf_counter()
    app = create_app()
    n = exhibits
    galleries, tours, events, models = max(1, n // 100), max(1, n // 50), max(1, n // 5), max(1, n // 10)
    photos = n * 10 if photos is None else photos
    store = app.extensions["museum.storage"]
    with app.app_context(), get_db().write() as s:
        s.merge(Setting(key="museum", value={"name": t("医院历史博物馆", "醫院歷史博物館", "Hospital History Museum")}))
        s.add(Rights(id=1, licence="CC-BY-4.0", credit=t("本院", "本院", "The hospital"), copyright="© Museum"))
        s.execute(insert(Era), [dict(id=i + 1, slug=f"era-{i + 1}", status="published", title=t(zh, hant, en),
                                     summary=t(zh, hant, en), start_year=year, position=i, version=1)
                                for i, (zh, hant, en, year) in enumerate(ERAS)])
        files, assets, tiers = [], [], []
        for i in range(models):
            data = box_glb(0.2 + i * 0.001)
            sha = store.put_bytes(data)
            files.append(dict(sha256=sha, media_type="model/gltf-binary", bytes=len(data)))
            assets.append(dict(id=i + 1, sha256=sha, kind="model", media_type="model/gltf-binary", bytes=len(data),
                               status="ready", inspection={"triangles": 12}, rights_id=1))
            tiers += [dict(asset_id=i + 1, tier=tier, sha256=sha, bytes=len(data), triangles=12, draw_calls=1)
                      for tier in ("phone", "desktop", "original")]
        s.execute(insert(StoredFile), files)
        s.execute(insert(Asset), assets)
        s.execute(insert(AssetTier), tiers)

        rows, tags, hotspots, placements = [], [], [], []
        for i in range(n):
            obj, mat = OBJECTS[i % len(OBJECTS)], MATERIALS[(i // len(OBJECTS)) % len(MATERIALS)]
            dept, era = DEPARTMENTS[i % len(DEPARTMENTS)], ERAS[i % len(ERAS)]
            rows.append(dict(
                id=i + 1, slug=f"exhibit-{i + 1}", status="draft" if i % 100 == 99 else "published", version=1,
                title=t(f"{mat[0]}{obj[0]} 第{i + 1}号", f"{mat[1]}{obj[1]} 第{i + 1}號", f"{mat[2].capitalize()} "
                        f"{obj[2]} no. {i + 1}"),
                summary=t(f"{era[0]}{dept[0]}使用的{obj[0]}", f"{era[1]}{dept[1]}使用的{obj[1]}",
                          f"A {obj[2]} used in {dept[2]} during the {era[2].lower()}"),
                body=t(f"这件{mat[0]}{obj[0]}记录了{dept[0]}的发展。", f"這件{mat[1]}{obj[1]}記錄了{dept[1]}的發展。",
                       f"This {mat[2]} {obj[2]} tells the story of {dept[2]} at the hospital."),
                object_date=t(f"{era[3] + i % 20}年", f"{era[3] + i % 20}年", str(era[3] + i % 20)),
                era_id=(i % len(ERAS)) + 1, model_asset_id=(i % models) + 1, rights_id=1, real_height_m=0.4))
            tags += [dict(exhibit_id=i + 1, tag=obj[2].replace(" ", "-").replace("'", "")),
                     dict(exhibit_id=i + 1, tag=dept[2].replace(" ", "-"))]
            hotspots.append(dict(exhibit_id=i + 1, slug="detail", anchor=[0.0, 0.1, 0.0], position=0,
                                 title=t("细节", "細節", "Detail"), text=t(f"{mat[0]}部件", f"{mat[1]}部件",
                                                                        f"The {mat[2]} part")))
            placements.append(dict(gallery_id=(i // 100) % galleries + 1, exhibit_id=i + 1, position=i % 100,
                                   translation=[(i % 10) * 1.5 - 7, 0.0, ((i // 10) % 10) * 1.5 - 7], mount="floor",
                                   label={}))
        s.execute(insert(Gallery), [dict(
            id=g + 1, slug=f"gallery-{g + 1}", status="published", version=1, position=g,
            title=t(f"第{g + 1}展厅", f"第{g + 1}展廳", f"Gallery {g + 1}"),
            summary=t(f"{DEPARTMENTS[g % 7][0]}展厅", f"{DEPARTMENTS[g % 7][1]}展廳",
                      f"The {DEPARTMENTS[g % 7][2]} room"),
            lighting="gallery", size_m=[16.0, 4.0, 16.0], floor=[[-8, -8], [8, -8], [8, 8], [-8, 8]],
            spawns=[{"position": [0, 0, 7], "yaw_deg": 180}]) for g in range(galleries)])
        for chunk in range(0, n, 2000):
            s.execute(insert(Exhibit), rows[chunk:chunk + 2000])
        s.execute(insert(ExhibitTag), tags)
        s.execute(insert(Hotspot), hotspots)
        s.execute(insert(Placement), placements)
        s.execute(insert(TimelineEvent), [dict(
            id=e + 1, slug=f"event-{e + 1}", status="published", version=1, year=1946 + e % 80, month=1 + e % 12,
            era_id=(e % len(ERAS)) + 1,
            title=t(f"{DEPARTMENTS[e % 7][0]}第{e + 1}项进展", f"{DEPARTMENTS[e % 7][1]}第{e + 1}項進展",
                    f"Milestone {e + 1} of {DEPARTMENTS[e % 7][2]}"),
            body=t(f"引进{OBJECTS[e % 25][0]}。", f"引進{OBJECTS[e % 25][1]}。",
                   f"A new {OBJECTS[e % 25][2]} arrived."))
            for e in range(events)])
        s.execute(insert(event_exhibits), [dict(event_id=e + 1, exhibit_id=(e * 5) % n + 1) for e in range(events)])
        s.execute(insert(Tour), [dict(id=k + 1, slug=f"tour-{k + 1}", status="published", version=1,
                                      title=t(f"导览{k + 1}", f"導覽{k + 1}", f"Tour {k + 1}"),
                                      summary=t("五站导览", "五站導覽", "Five stops")) for k in range(tours)])
        stops = []
        for k in range(tours):
            for j in range(5):
                exhibit = (k * 37 + j * 101) % n
                if exhibit % 100 == 99:
                    exhibit -= 1
                stops.append(dict(tour_id=k + 1, position=j, gallery_id=(exhibit // 100) % galleries + 1,
                                  exhibit_id=exhibit + 1, title=t(f"第{j + 1}站", f"第{j + 1}站", f"Stop {j + 1}"),
                                  text={}, narration={}, viewpoint={}))
        s.execute(insert(TourStop), stops)
        _fix_sequences(s, ["rights", "eras", "assets", "exhibits", "galleries", "timeline_events", "tours"])
        bump_catalogue(s)

    photo_root = photo_store(app).root
    expired = utcnow() - timedelta(days=30)
    with app.app_context():
        for chunk in range(0, photos, 5000):
            batch = []
            for p in range(chunk, min(photos, chunk + 5000)):
                sha = _write_raw(photo_root, b"expired guest photo %d " % p + os.urandom(16))
                batch.append(dict(public_id=f"p{p:012d}", share_token_hash=hashlib.sha256(b"%d" % p).hexdigest(),
                                  status="ready", thumb_sha256=sha, expires_at=expired, consent={}, props=[],
                                  created_at=expired, updated_at=expired))
            with get_db().write() as s:
                s.execute(insert(Photo), batch)
        if database_url:
            # A live PostgreSQL's autovacuum gathers statistics once a tenth of a table has changed, within a
            # minute; rows bulk-inserted a moment ago have none yet, and the planner would guess (75 published
            # exhibits of 10,000) and choose plans no running museum gets.
            with get_db().engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.commit()
    app.extensions["museum.db"].dispose()
    return {"exhibits": n, "galleries": galleries, "tours": tours, "events": events, "models": models,
            "photos": photos, "seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    """Seed a museum of the size asked for."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exhibits", type=int, default=10000)
    parser.add_argument("--photos", type=int, default=None, help="expired photos (default 10 per exhibit)")
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(seed(args.instance.resolve(), args.database_url, args.exhibits, args.photos))


if __name__ == "__main__":
    main()
