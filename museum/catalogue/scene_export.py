"""A gallery's layout problems and the whole gallery as one GLB (room plus placed exhibits).

`gallery_problems(session, gallery)` reads the room, placements, doors and model bounds from the database and asks
`scenes.placement` for the problems; the studio shows them on the placements at fault.

`GET /api/v1/galleries/<slug>/scene.glb?tier=desktop|phone|vr` answers the composed scene for offline kiosks and
previews, each placement's plinth (`scenes.plinth`) under its exhibit. It is built once per set of inputs: the key
(and strong ETag) hashes the tier files' and plinths' content hashes and the placements' transforms; the GLB goes
into the content store and the key points at it from a `settings` row, so every worker and machine finds it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from flask import Blueprint, Flask, Response, current_app, request, send_file
from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.catalogue import queries
from museum.catalogue.manifest import pick_tier
from museum.catalogue.payloads import SceneQuery
from museum.catalogue.walkable import placement_spec, room_spec
from museum.core import db, openapi
from museum.core.db import get_db
from museum.core.errors import NotFound, library_error
from museum.core.payloads import query_parameters, read_query
from museum.identity.principal import can_see_drafts
from museum.models import Gallery, Placement, Setting
from museum.uploads.store import record_file
from scenes.compose import compose_gallery
from scenes.errors import ComposeFailed
from scenes.placement import placement_matrix, rotation_matrix, validate_gallery
from scenes.plinth import Plinth, plinth_glb

bp = Blueprint("gallery_export", __name__, url_prefix="/api/v1/galleries")

COMPOSE_VERSION = 2  # bump when compose_gallery's output changes for the same inputs
GLB_TYPE = "model/gltf-binary"
_KEY_PREFIX = "scene.glb:"


@dataclass(frozen=True)
class _Generated:
    """A model made here rather than stored (a plinth): its bytes and their hash."""

    data: bytes
    sha256: str


def _plinth_input(placement: Placement) -> tuple[_Generated, Any] | None:
    """Return a placement's plinth as a GLB and its transform (the placement's, without the model's scale)."""
    if not placement.plinth:
        return None
    data = plinth_glb(Plinth.from_json(placement.plinth))
    matrix = np.eye(4)
    matrix[:3, :3] = rotation_matrix(placement.rotation_deg)
    matrix[:3, 3] = [float(v) for v in placement.translation]
    return _Generated(data, hashlib.sha256(data).hexdigest()), matrix


def gallery_problems(session: Session, gallery: Gallery) -> list[dict[str, Any]]:
    """Return the layout problems of a gallery: [{placement_id, exhibit, code, message, pointer, ...}]."""
    if gallery.id is not None:
        # One query per relationship instead of one per placement; pending edits are flushed first.
        session.scalars(select(Gallery).where(Gallery.id == gallery.id).options(*queries.gallery_load())).all()
    placements = list(gallery.placements)
    index: dict[int | str, int] = {p.id: i for i, p in enumerate(placements)}
    doors: dict[int | str, int] = {d.id: i for i, d in enumerate(gallery.doors)}
    out = []
    for problem in validate_gallery(room_spec(gallery), [placement_spec(p) for p in placements]):
        item = problem.as_dict()
        if problem.placement_id is not None:
            item["pointer"] = f"/placements/{index[problem.placement_id]}"
        elif problem.door_id is not None:
            item["pointer"] = f"/doors/{doors[problem.door_id]}"
        else:
            item["pointer"] = "/floor" if problem.code == "NO_FLOOR" else "/spawns"
        out.append(item)
    return out


def _inputs(gallery: Gallery, tier: str, drafts: bool) -> tuple[Any, list[tuple[Any, Any, str]]]:
    """Return the room's file and what stands in it: (file, transform, node name) for each model and plinth."""
    room = pick_tier(gallery.room_asset, tier)
    if room is None:
        raise NotFound(f"The gallery {gallery.slug!r} has no room model.", code="gallery_room_missing")
    placed: list[tuple[Any, Any, str]] = []
    number = 0
    for p in gallery.placements:
        if not (drafts or p.exhibit.is_published):
            continue
        model = pick_tier(p.exhibit.model_asset, tier)
        plinth = _plinth_input(p)
        if model is None and plinth is None:
            continue
        number += 1
        if plinth is not None:
            placed.append((*plinth, f"plinth-{number}"))
        if model is not None:
            placed.append((model, placement_matrix(placement_spec(p)), f"placement-{number}"))
    return room, placed


def _key(room: Any, placed: list[tuple[Any, Any, str]]) -> str:
    inputs = {"compose": COMPOSE_VERSION, "room": room.sha256,
              "placed": [[m.sha256, [round(float(v), 6) for v in matrix.ravel()], name] for m, matrix, name in placed]}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _composed_path(key: str) -> Any:
    store = current_app.extensions["museum.storage"]
    row = db.session().get(Setting, _KEY_PREFIX + key[:48])
    if row is None or not row.value.get("sha256"):
        return None
    return store.path(row.value["sha256"])


def _build(room: Any, placed: list[tuple[Any, Any, str]], key: str) -> Any:
    store = current_app.extensions["museum.storage"]

    def read(sha256: str) -> bytes:
        path = store.path(sha256)
        if path is None:
            raise NotFound("A model file of this gallery is missing from the file store.", code="file_missing")
        return bytes(path.read_bytes())

    try:
        data = compose_gallery(read(room.sha256), [(m.data if isinstance(m, _Generated) else read(m.sha256), matrix)
                                                   for m, matrix, _ in placed], [name for _, _, name in placed])
    except ComposeFailed as exc:
        raise library_error(exc) from exc
    with get_db().write() as s:
        stored = record_file(s, store, data, GLB_TYPE)
        s.merge(Setting(key=_KEY_PREFIX + key[:48], value={"sha256": stored.sha256, "bytes": stored.bytes}))
    return store.path(stored.sha256)


@bp.get("/<slug>/scene.glb")
def scene_glb(slug: str) -> Response:
    """Send the gallery's room and placed exhibits as one GLB at a tier."""
    tier = read_query(SceneQuery, request.args).tier
    drafts = can_see_drafts("galleries", slug)
    gallery = queries.by_slug(db.session(), Gallery, slug, drafts, *queries.gallery_load())
    room, placed = _inputs(gallery, tier, drafts)
    key = _key(room, placed)
    response: Response
    if key in request.if_none_match:
        response = Response(status=304)
    else:
        path = _composed_path(key) or _build(room, placed, key)
        response = send_file(path, mimetype=GLB_TYPE, download_name=f"{slug}-{tier}.glb", conditional=False,
                             etag=False)
    response.set_etag(key)
    response.headers["Cache-Control"] = ("private" if drafts else "public") + ", max-age=0, must-revalidate"
    response.vary.update(("Authorization", "Cookie"))
    return response


OPENAPI_PATHS = {
    "/api/v1/galleries/{slug}/scene.glb": {
        "get": {
            "summary": "The gallery as one GLB: its room and every placed exhibit (offline kiosks, previews)",
            "parameters": [openapi.SLUG_PARAM, *query_parameters(SceneQuery)],
            "responses": {
                "200": {"description": "A Khronos-valid glTF binary (meshopt decoded); ETag hashes the inputs.",
                        "content": {GLB_TYPE: {"schema": {"type": "string", "format": "binary"}}},
                        "headers": {"ETag": {"schema": openapi.STR,
                                             "description": "Strong validator; send it in If-None-Match."}}},
                "304": openapi.ERRORS["304"], "400": openapi.ERRORS["400"], "404": openapi.ERRORS["404"],
                "422": {"description": "An input model cannot be merged",
                        "content": {"application/json": {"schema": openapi.ref("Error")}}},
            },
        }
    }
}


def init_app(app: Flask) -> None:
    """Register the composed-scene route and document it."""
    app.register_blueprint(bp)
    openapi.add_paths(app, OPENAPI_PATHS)
