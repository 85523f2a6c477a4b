"""The upload API's JSON objects, declared once (museum.core.payloads)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from museum.catalogue.payloads import Film, Models
from museum.core.jobs import JobState
from museum.core.payloads import Reply


class AssetStatus(Reply):
    """An uploaded file and the state of its processing: a model's tiers, a film's renditions, what went wrong."""

    id: int
    sha256: str
    kind: Literal["model", "image", "audio", "captions", "video"]
    url: str | None = Field(description="The file itself (not for models and films: see tiers and film)")
    status: Literal["queued", "processing", "ready", "failed"]
    original_name: str
    media_type: str
    bytes: int
    tiers: Models
    film: Film | None
    poster_url: str | None
    inspection: dict[str, Any] | None
    validator: dict[str, Any] | None = Field(description="The Khronos glTF-Validator's report of a model")
    problems: list[dict[str, Any]] = Field(description="What was refused or repaired: code, message, pointer")
    job: JobState | None
    status_url: str
