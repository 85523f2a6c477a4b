"""Exceptions raised by the asset pipeline.

AssetError
├── AssetRejected        the upload is not acceptable (a 4xx for the curator)
│   └── ValidationFailed the Khronos validator reported errors
└── ToolMissing          a required external tool is not installed (a 5xx: the server is incomplete)
"""

from __future__ import annotations


class AssetError(Exception):
    """Base class of every asset pipeline error."""


class AssetRejected(AssetError):
    """The uploaded asset is refused; `code` and `pointer` name the problem."""

    def __init__(self, code: str, message: str, pointer: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.pointer = pointer
        self.status = status


class ValidationFailed(AssetRejected):
    """The Khronos glTF-Validator found errors in the asset."""

    def __init__(self, message: str, issues: list[dict[str, object]]) -> None:
        first = issues[0] if issues else {}
        super().__init__(
            code=str(first.get("code", "GLTF_VALIDATION_ERROR")),
            message=message,
            pointer=str(first["pointer"]) if first.get("pointer") else None,
        )
        self.issues = issues


class ToolMissing(AssetError):
    """An external tool the pipeline needs is not installed."""
