"""Payloads declared once: one model reads a request, writes a reply and gives the OpenAPI document its schema."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from pydantic import Field

from museum.core.errors import Unprocessable
from museum.core.payloads import Reply, Request, schemas, validate
from tests.museum.core.test_openapi import _resolve_refs


class Item(Request):
    name: str = Field(min_length=1, max_length=10)
    count: int = Field(0, ge=0)


class Order(Request):
    items: list[Item]
    note: str | None = None


class Receipt(Reply):
    items: int
    note: str | None = None


@pytest.mark.parametrize(("data", "pointer", "words"), [
    ({"items": [{"name": "a", "count": "5"}]}, "/items/0/count", "valid integer"),  # no coercion from text
    ({"items": [{"name": "a", "count": True}]}, "/items/0/count", "valid integer"),  # nor from a boolean
    ({"items": [{"name": "a", "count": -1}]}, "/items/0/count", "greater than or equal to 0"),
    ({"items": [{"name": ""}]}, "/items/0/name", "at least 1 character"),
    ({"items": [], "extra": 1}, "/extra", "There is no field 'extra'"),
    ({"note": "x"}, "/items", "items is required"),
    ([], None, "valid dictionary"),
])
def test_a_bad_request_is_a_422_naming_its_first_wrong_field(data: Any, pointer: str | None, words: str) -> None:
    with pytest.raises(Unprocessable) as raised:
        validate(Order, data, "invalid_order")
    code = "unknown_field" if "no field" in words else "invalid_order"
    assert raised.value.code == code and raised.value.pointer == pointer
    assert words in raised.value.message, raised.value.message


def test_a_good_request_is_read_into_its_model() -> None:
    order = validate(Order, {"items": [{"name": "tea", "count": 2}, {"name": "cake"}]}, "invalid_order")
    assert [(i.name, i.count) for i in order.items] == [("tea", 2), ("cake", 0)] and order.note is None


def test_the_schemas_describe_what_the_models_accept_and_write() -> None:
    found = schemas(Order, Receipt)
    assert set(found) == {"Order", "Item", "Receipt"}
    assert found["Order"]["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Item"}
    assert found["Order"]["required"] == ["items"] and found["Order"]["additionalProperties"] is False
    assert found["Receipt"]["required"] == ["items", "note"]  # a reply always writes every field
    doc = {"components": {"schemas": found}}
    order = Draft202012Validator(_resolve_refs(found["Order"], doc))
    assert order.is_valid({"items": [{"name": "tea", "count": 2}]})
    assert not order.is_valid({"items": [{"name": "tea", "count": -2}]})
    assert not order.is_valid({"items": [], "extra": 1})
    receipt = Receipt(items=2).answer()
    assert receipt == {"items": 2, "note": None}
    assert Draft202012Validator(_resolve_refs(found["Receipt"], doc)).is_valid(receipt)


def test_the_document_holds_the_schemas_of_the_features_models(app: Flask, client: FlaskClient) -> None:
    from museum.inquiry.payloads import InquirySession

    doc = client.get("/api/openapi.json").get_json()
    assert doc["components"]["schemas"]["InquirySession"] == schemas(InquirySession)["InquirySession"]
    body = doc["paths"]["/api/v1/inquiry/sessions"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/InquirySession"}


def test_the_roles_a_payload_takes_are_the_roles_there_are() -> None:
    from typing import get_args

    from museum.models import Role
    from museum.studio.payloads import RoleName

    assert set(get_args(RoleName)) == {r.value for r in Role}


@pytest.mark.parametrize(("payload", "code", "pointer"), [
    ({"name": "someone", "role": "curator", "password": "short"}, "weak_password", "/password"),
    ({"name": "someone", "role": "curator", "password": 1234567890123}, "weak_password", "/password"),
    ({"name": "some one", "role": "curator", "password": "a long password"}, "invalid_name", "/name"),
    ({"name": "someone", "role": "owner", "password": "a long password"}, "invalid_role", "/role"),
    ({"name": "someone", "role": "curator", "password": "a long password", "admin": True}, "unknown_field", "/admin"),
])
def test_a_field_names_its_own_error_code(app: Flask, client: FlaskClient, payload: dict[str, Any], code: str,
                                          pointer: str) -> None:
    from tests.museum.conftest import make_token

    headers = {"Authorization": f"Bearer {make_token(app, 'root', 'admin')}", "Accept": "application/json"}
    response = client.post("/api/v1/studio/users", headers=headers, json=payload)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] == code and response.get_json()["error"]["pointer"] == pointer
