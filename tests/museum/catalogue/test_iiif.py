"""IIIF manifests and schema.org JSON-LD other museum systems can read."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from iiif_prezi3 import Manifest

from tests.museum.conftest import Catalogue


def test_exhibit_iiif_presentation_3_loads_into_prezi3(client: FlaskClient, catalogue: Catalogue) -> None:
    response = client.get("/iiif/exhibits/heart-model/manifest.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    data = response.get_json()
    manifest = Manifest(**data)
    assert manifest.id == "http://localhost/iiif/exhibits/heart-model/manifest.json"
    assert data["label"] == {"zh-Hans": ["心脏模型"], "zh-Hant": ["心臟模型"], "en": ["Cardiac heart model"]}
    assert {r["format"] for r in data["rendering"]} == {"model/gltf-binary"}
    assert any(r["id"].endswith(f"{catalogue.phone_sha}.glb") for r in data["rendering"])
    assert data["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    assert "The hospital" in data["requiredStatement"]["value"]["en"][0]
    assert client.get("/iiif/exhibits/secret-draft/manifest.json").status_code == 404


def test_gallery_iiif_scene_places_models_and_hotspots(client: FlaskClient, catalogue: Catalogue) -> None:
    data = client.get("/iiif/galleries/history-hall/manifest.json").get_json()
    assert data["@context"] == "http://iiif.io/api/presentation/4/context.json"
    scene = data["items"][0]
    assert scene["type"] == "Scene"
    painted = scene["items"][0]["items"]
    placed = [a for a in painted if a["body"].get("type") == "SpecificResource"]
    assert len(placed) == 1  # the draft exhibit is not exported
    assert placed[0]["target"]["selector"][0] == {"type": "PointSelector", "x": 1.0, "y": 0.9, "z": -2.0}
    comment = scene["annotations"][0]["items"][0]
    assert comment["motivation"] == ["commenting"]
    assert {b["language"] for b in comment["body"]} == {"zh-Hans", "zh-Hant", "en"}
    assert comment["target"]["selector"][0]["y"] == 0.9 + 0.25


def test_exhibit_json_ld(app: Flask, catalogue: Catalogue) -> None:
    from sqlalchemy import select

    from museum.catalogue.iiif import exhibit_jsonld, linked_events
    from museum.core.db import get_db
    from museum.models import Exhibit

    with app.app_context(), get_db().read() as s:
        heart = s.scalars(select(Exhibit).where(Exhibit.slug == "heart-model")).one()
        data = exhibit_jsonld(heart, "https://museum.example.org", linked_events(s, heart, False), "en")
    assert data["@type"] == "3DModel" and data["name"] == "Cardiac heart model"
    assert data["subjectOf"][0]["@type"] == "ExhibitionEvent"
    assert data["encoding"][0]["contentUrl"].startswith("https://museum.example.org/files/")


def test_exhibit_and_gallery_pages_carry_schema_org_json_ld(client: FlaskClient, catalogue: Catalogue) -> None:
    import json
    import re

    html = client.get("/e/heart-model?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["@type"] == "3DModel" and data["name"] == "Cardiac heart model"
    assert data["subjectOf"][0]["name"] == "First cardiac surgery"
    gallery = client.get("/g/history-hall?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', gallery, re.S)
    assert block is not None and json.loads(block.group(1))["@type"] == "ExhibitionEvent"
