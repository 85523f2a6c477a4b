"""Payloads declared once: one model reads a request, writes a reply and gives the OpenAPI document its schema."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from pydantic import Field

from museum.core.errors import BadRequest, Unprocessable
from museum.core.payloads import Paged, Reply, Request, query_parameters, read_query, schemas, validate
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


class Listing(Paged):
    colour: Literal["red", "green"] | None = Field(None, description="Only this colour")


@pytest.mark.parametrize(("args", "pointer"), [
    ({"page": "1_000"}, "/query/page"),  # int() would take it
    ({"page": " 7 "}, "/query/page"),
    ({"page": "\u0663"}, "/query/page"),  # ARABIC-INDIC DIGIT THREE
    ({"page": "0"}, "/query/page"),
    ({"per_page": "101"}, "/query/per_page"),
    ({"per_page": ""}, "/query/per_page"),
    ({"colour": ""}, "/query/colour"),  # an empty value is none of the documented ones
    ({"colour": "blue"}, "/query/colour"),
])
def test_a_bad_query_parameter_is_a_400_naming_it(args: dict[str, str], pointer: str) -> None:
    with pytest.raises(BadRequest) as refused:
        read_query(Listing, args)
    assert (refused.value.code, refused.value.pointer) == ("invalid_parameter", pointer)
    name = pointer.rsplit("/", 1)[1]
    assert refused.value.message.startswith(f"{name}: ") and "Value error" not in refused.value.message


def test_a_query_is_read_from_its_text_and_documented_from_its_model() -> None:
    read = read_query(Listing, {"page": "3", "per_page": "50", "colour": "red", "utm_source": "sms"})
    assert (read.page, read.per_page, read.colour, read.offset) == (3, 50, "red", 100)
    assert read_query(Listing, {}) == Listing()
    documented = {p["name"]: p for p in query_parameters(Listing)}
    assert set(documented) == {"page", "per_page", "colour"}
    assert documented["per_page"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    assert documented["colour"]["description"] == "Only this colour" and not documented["colour"]["required"]


def test_the_catalogue_documents_the_parameters_its_models_read(client: FlaskClient) -> None:
    from museum.catalogue.payloads import ExhibitFilter, SearchQuery

    doc = client.get("/api/openapi.json").get_json()
    exhibits = [p for p in doc["paths"]["/api/v1/exhibits"]["get"]["parameters"] if p["name"] != "lang"]
    assert exhibits == query_parameters(ExhibitFilter)
    search = [p for p in doc["paths"]["/api/v1/search"]["get"]["parameters"] if p["name"] != "lang"]
    assert search == query_parameters(SearchQuery) and search[0]["required"]
