"""The booth's photo form is read through one declared model: what it documents, what it refuses and in which order,
and what booths have always sent that is still taken."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from sqlalchemy import select

from museum.core.db import get_db
from museum.core.errors import ApiError
from museum.core.payloads import schemas
from museum.models import Photo, PhotoTemplate
from museum.photos.payloads import FILE_PARTS, KioskPhotoForm, KioskPropPose
from tests.museum.conftest import Catalogue
from tests.museum.photos.conftest import photo_jpeg, stored
from tests.museum.photos.test_booth_layer import _layer

TEXT_FIELDS = {"consent", "guardian", "template", "props", "prop_layer_box", "background_gallery",
               "prop_layer_behind_box"}
FILES = {"photo", "prop_layer", "background", "prop_layer_behind"}


def _send(client: FlaskClient, token: str, fields: dict[str, str], photo: bytes | None = None,
          **files: bytes) -> Any:
    """POST a booth form: the text `fields`, the photo (a good one unless given) and the other `files`."""
    form: dict[str, Any] = dict(fields)
    for name, data in {"photo": photo_jpeg(1600, 1200) if photo is None else photo, **files}.items():
        form[name] = (io.BytesIO(data), f"{name}.bin", "application/octet-stream")
    return client.post("/api/v1/kiosk/photos", data=form, content_type="multipart/form-data",
                       headers={"Accept": "application/json", "Authorization": f"Bearer {token}"})


def _refusal(response: Any) -> tuple[int, str, str | None]:
    error = response.get_json()["error"]
    return response.status_code, error["code"], error.get("pointer")


def _poses(**changes: Any) -> str:
    return json.dumps([{"asset": "heart-model", "x": 0.5, "y": 0.5, **changes}])


def test_the_documented_form_is_the_models_text_fields_and_its_file_parts(client: FlaskClient) -> None:
    doc = client.get("/api/openapi.json").get_json()
    body = doc["paths"]["/api/v1/kiosk/photos"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert body["schema"] == {"$ref": "#/components/schemas/KioskPhotoForm"}
    form = doc["components"]["schemas"]["KioskPhotoForm"]
    assert form == schemas(KioskPhotoForm)["KioskPhotoForm"]
    fields = form["properties"]
    assert set(fields) == TEXT_FIELDS | FILES and set(KioskPhotoForm.model_fields) == TEXT_FIELDS
    assert form["required"] == ["photo", "consent"] and "additionalProperties" not in form  # extras are ignored
    for name in FILES:
        assert fields[name] == {"type": "string", "format": "binary", "description": FILE_PARTS[name]}
    assert all(fields[name]["type"] == "string" and fields[name]["description"] for name in TEXT_FIELDS)
    assert not any("default" in field for field in fields.values())  # a form sends text or nothing
    assert fields["consent"]["const"] == "true" and fields["guardian"]["enum"] == ["true", "false"]
    for box in ("prop_layer_box", "prop_layer_behind_box"):
        assert fields[box]["pattern"] == "^[0-9]+,[0-9]+,[0-9]+,[0-9]+$"
    assert fields["props"]["contentMediaType"] == "application/json"
    assert fields["props"]["contentSchema"] == {"type": "array",
                                                "items": {"$ref": "#/components/schemas/KioskPropPose"}}
    pose = doc["components"]["schemas"]["KioskPropPose"]
    assert pose == schemas(KioskPropPose)["KioskPropPose"]
    assert pose["required"] == ["asset", "x", "y"]
    assert (pose["properties"]["asset"]["minLength"], pose["properties"]["asset"]["maxLength"]) == (1, 128)
    for axis in ("x", "y"):
        assert (pose["properties"][axis]["minimum"], pose["properties"][axis]["maximum"]) == (-0.5, 1.5)
    assert (pose["properties"]["scale"]["minimum"], pose["properties"]["scale"]["maximum"]) == (0.05, 5.0)
    assert pose["properties"]["rotation_deg"]["type"] == "number"


POSES = [
    ({"asset": "heart-model", "x": 0.3, "y": 0.4, "scale": 1.2, "rotation_deg": 20}, True),
    ({"asset": "heart-model", "x": 1.5, "y": -0.5, "scale": 5}, True),
    ({"asset": "heart-model", "x": 9, "y": 0.5}, False),
    ({"asset": "heart-model", "x": -0.51, "y": 0.5}, False),
    ({"asset": "heart-model", "x": "abc", "y": 0.5}, False),
    ({"asset": "heart-model", "x": None, "y": 0.5}, False),
    ({"asset": "heart-model", "x": [0.5], "y": 0.5}, False),
    ({"asset": "heart-model", "x": 0.5}, False),
    ({"asset": "heart-model", "x": 0.5, "y": 0.5, "scale": 0.01}, False),
    ({"asset": "heart-model", "x": 0.5, "y": 0.5, "scale": None}, False),
    ({"asset": 5, "x": 0.5, "y": 0.5}, False),
    ({"asset": "", "x": 0.5, "y": 0.5}, False),
    ({"asset": "a" * 129, "x": 0.5, "y": 0.5}, False),
    ("heart-model", False),
]


@pytest.mark.parametrize(("pose", "valid"), POSES, ids=[json.dumps(p)[:40] for p, _ in POSES])
def test_a_pose_is_refused_as_the_document_says_with_the_code_it_always_had(
        client: FlaskClient, kiosk_token: str, templates: list[str], catalogue: Catalogue, pose: Any,
        valid: bool) -> None:
    # The document's KioskPropPose is the model's (test_the_documented_form_is_the_models_text_fields_...).
    assert Draft202012Validator(schemas(KioskPropPose)["KioskPropPose"]).is_valid(pose) is valid
    response = _send(client, kiosk_token, {"consent": "true", "props": json.dumps([pose])})
    if valid:
        assert response.status_code == 201, response.get_json()
    else:
        assert _refusal(response) == (422, "PROP_POSE_INVALID", "/props")
        assert response.get_json()["error"]["message"].startswith("props.0")


BAD_PROPS = [
    ("[{", 400, "PROPS_INVALID_JSON"),
    ("{}", 400, "PROPS_INVALID_JSON"),
    ("null", 400, "PROPS_INVALID_JSON"),
    (" ", 400, "PROPS_INVALID_JSON"),
    ('[{"asset": "heart-model", "x": NaN, "y": 0.5}]', 400, "PROPS_INVALID_JSON"),
    ('[{"asset": "heart-model", "asset": "medical-uav", "x": 0.5, "y": 0.5}]', 400, "json_duplicate_key"),
    ('[{"asset": "heart-model", "x": ' + "9" * 400 + ', "y": 0.5}]', 400, "json_number_out_of_range"),
    ("[" * 40 + "]" * 40, 400, "json_too_deep"),
    ("[" + ",".join(["0"] * 40000) + "]", 413, "json_too_large"),
    (json.dumps([{"asset": "heart-model", "x": 0.5, "y": 0.5}] * 7), 422, "PROPS_TOO_MANY"),
]


@pytest.mark.parametrize(("props", "status", "code"), BAD_PROPS, ids=[case[2] + str(i) for i, case in
                                                                      enumerate(BAD_PROPS)])
def test_props_that_are_not_a_json_list_of_poses_keep_their_refusal(
        app: Flask, client: FlaskClient, kiosk_token: str, templates: list[str], catalogue: Catalogue,
        props: str, status: int, code: str) -> None:
    before = stored(app)
    response = _send(client, kiosk_token, {"consent": "true", "props": props})
    assert _refusal(response) == (status, code, "/props")
    assert stored(app) == before


def test_a_form_wrong_in_several_ways_is_refused_for_what_the_booth_checks_first(
        client: FlaskClient, kiosk_token: str, templates: list[str], catalogue: Catalogue) -> None:
    layer, box = _layer((1600, 1200), 0.5, 0.5)
    view = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (1600, 1200), (40, 90, 160)).save(view, "PNG")
    bad_pose = {"asset": "heart-model", "x": "abc", "y": 0.5}
    cases: list[tuple[dict[str, str], bytes | None, dict[str, bytes], tuple[int, str, str]]] = [
        ({"consent": "false", "props": "[{", "prop_layer_box": "x"}, b"not a photo", {"prop_layer": layer},
         (422, "consent_required", "/consent")),
        ({"props": "[{"}, None, {}, (422, "consent_required", "/consent")),
        ({"consent": "true", "props": "[{", "prop_layer_box": "x"}, b"not a photo" * 20, {"prop_layer": layer},
         (415, "PHOTO_NOT_IMAGE", "/photo")),
        ({"consent": "true", "template": "no-such-frame", "props": "[{"}, None, {},
         (422, "template_unknown", "/template")),
        ({"consent": "true", "props": json.dumps([bad_pose] * 7)}, None, {}, (422, "PROPS_TOO_MANY", "/props")),
        ({"consent": "true", "props": json.dumps([{"asset": "no-such", "x": 0.5, "y": 0.5}, bad_pose])}, None, {},
         (422, "PROP_POSE_INVALID", "/props")),
        ({"consent": "true", "props": "[{", "prop_layer_box": "x"}, None, {"prop_layer": layer},
         (400, "PROPS_INVALID_JSON", "/props")),
        ({"consent": "true", "props": _poses(asset="no-such"), "prop_layer_box": "x"}, None, {"prop_layer": layer},
         (422, "PROP_UNKNOWN", "/props/0/asset")),
        ({"consent": "true", "props": _poses(), "prop_layer_box": "x", "prop_layer_behind_box": "y"}, None,
         {"prop_layer": layer, "prop_layer_behind": layer}, (400, "PROP_LAYER_BOX_INVALID", "/prop_layer_box")),
        ({"consent": "true", "props": _poses(), "prop_layer_box": box, "prop_layer_behind_box": "y",
          "background_gallery": "no-such-gallery"}, None,
         {"prop_layer": layer, "prop_layer_behind": layer, "background": view.getvalue()},
         (422, "background_gallery_unknown", "/background_gallery")),
        ({"consent": "true", "props": _poses(), "prop_layer_behind_box": "1,2", "background_gallery": "history-hall"},
         None, {"prop_layer_behind": layer, "background": view.getvalue()},
         (400, "PROP_LAYER_BOX_INVALID", "/prop_layer_behind_box")),
        ({"consent": "true", "props": _poses()}, None, {"prop_layer": layer},
         (400, "PROP_LAYER_BOX_INVALID", "/prop_layer_box")),
    ]
    for fields, photo, files, refusal in cases:
        assert _refusal(_send(client, kiosk_token, fields, photo, **files)) == refusal, fields


def _kept(app: Flask, response: Any) -> Photo:
    assert response.status_code == 201, response.get_json()
    with app.app_context(), get_db().read() as session:
        photo = session.scalars(select(Photo).where(Photo.public_id == response.get_json()["id"])).one()
        session.expunge(photo)
        return photo


def test_what_booths_have_always_sent_is_still_taken(app: Flask, client: FlaskClient, kiosk_token: str,
                                                     templates: list[str], catalogue: Catalogue) -> None:
    def send(**fields: str) -> Photo:
        return _kept(app, _send(client, kiosk_token, fields))

    assert send(consent=" TRUE ", guardian=" True ").consent["guardian"] is True
    assert send(consent="true", guardian="maybe").consent["guardian"] is False
    # A field the form does not have is ignored, and so is a box sent without its layer.
    assert send(consent="true", colour="red", prop_layer_box="a,b,c,d", prop_layer_behind_box="x").layer_box is None
    portrait = send(consent="true", template="  heritage-portrait ", background_gallery="   ")
    assert portrait.background is None
    with app.app_context(), get_db().read() as session:
        assert session.get(PhotoTemplate, portrait.template_id).slug == "heritage-portrait"  # type: ignore[union-attr]
    assert send(consent="true", props="").props == [] and send(consent="true", props="[]").props == []
    # Pose numbers written as strings, true for 1, keys a pose does not have: read as they always were.
    posed = send(consent="true", props=_poses(x=" 0.25 ", y=True, rotation_deg="725", colour="red"))
    assert posed.props == [{"asset": "heart-model", "x": 0.25, "y": 1.0, "scale": 1.0, "rotation_deg": 5.0}]
    layer, box = _layer((1600, 1200), 0.5, 0.5)
    drawn = _kept(app, _send(client, kiosk_token, {"consent": "true", "props": _poses(),
                                                   "prop_layer_box": " " + box.replace(",", " , ")},
                             prop_layer=layer))
    assert drawn.layer_box == [int(v) for v in box.split(",")]


def test_the_form_puts_a_refused_field_aside_until_its_turn() -> None:
    form = KioskPhotoForm.read({"consent": "True", "props": "[{", "prop_layer_box": "1,2", "template": " t "})
    assert (form.template, form.props, form.prop_layer_box, form.guardian) == ("t", [], None, False)
    form.check("template")
    for field, status, code in (("props", 400, "PROPS_INVALID_JSON"), ("prop_layer_box", 400,
                                                                         "PROP_LAYER_BOX_INVALID")):
        with pytest.raises(ApiError) as refused:
            form.check(field)
        assert (refused.value.status, refused.value.code, refused.value.pointer) == (status, code, f"/{field}")
    for data in ({}, {"consent": "yes", "props": "[{"}):
        with pytest.raises(ApiError) as refused:
            KioskPhotoForm.read(data)
        assert (refused.value.status, refused.value.code, refused.value.pointer) == (422, "consent_required",
                                                                                     "/consent")
    read = KioskPhotoForm.read({"consent": "true", "props": '[{"asset": "a"}]', "prop_layer_box": "1, 2,3 ,4"})
    assert read.props == [{"asset": "a"}] and read.prop_layer_box == (1, 2, 3, 4)
