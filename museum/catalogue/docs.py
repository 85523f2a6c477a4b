"""The public catalogue's routes in the OpenAPI document (their replies and parameters are the models')."""

from __future__ import annotations

from typing import Any

from museum.catalogue.payloads import ExhibitFilter, SearchQuery, TimelineQuery
from museum.core.openapi import LANG_PARAM, SLUG_PARAM, get_operation, json_response, list_of, ref
from museum.core.payloads import Paged, query_parameters

PATHS: dict[str, Any] = {
    "/api/v1": get_operation("Museum information", json_response(ref("MuseumInfo")), [LANG_PARAM], ("304", "400")),
    "/api/v1/exhibits": get_operation(
        "List exhibits", json_response(list_of("ExhibitSummary")),
        [LANG_PARAM, *query_parameters(ExhibitFilter)], ("304", "400"),
    ),
    "/api/v1/exhibits/{slug}": get_operation(
        "One exhibit", json_response(ref("ExhibitDetail")), [SLUG_PARAM, LANG_PARAM]
    ),
    "/api/v1/galleries": get_operation(
        "List galleries", json_response(list_of("GallerySummary")), [LANG_PARAM, *query_parameters(Paged)],
        ("304", "400")
    ),
    "/api/v1/galleries/{slug}": get_operation(
        "One gallery", json_response(ref("GalleryDetail")), [SLUG_PARAM, LANG_PARAM]
    ),
    "/api/v1/galleries/{slug}/manifest": get_operation(
        "Scene manifest of a gallery",
        json_response(ref("GalleryManifest")),
        [
            SLUG_PARAM,
            LANG_PARAM,
            {
                "name": "tier",
                "in": "query",
                "required": False,
                "description": "Device tier; when absent the server suggests one from device hints.",
                "schema": {"type": "string", "enum": ["phone", "desktop", "vr"]},
            },
        ],
    ),
    "/api/v1/tours": get_operation(
        "List tours", json_response(list_of("TourSummary")), [LANG_PARAM, *query_parameters(Paged)],
        ("304", "400")
    ),
    "/api/v1/tours/{slug}": get_operation(
        "A tour with its stops", json_response(ref("TourDetail")), [SLUG_PARAM, LANG_PARAM]
    ),
    "/api/v1/timeline": get_operation(
        "Eras and events",
        {
            "description": "OK",
            "content": {"application/json": {"schema": {"oneOf": [ref("Timeline"), ref("TimelineJS")]}}},
        },
        [LANG_PARAM, *query_parameters(TimelineQuery)],
        ("304", "400"),
    ),
    "/api/v1/search": get_operation(
        "Search exhibits, events, galleries and tours",
        json_response(ref("SearchResults")),
        [*query_parameters(SearchQuery), LANG_PARAM],
        ("304", "400"),
    ),
}
