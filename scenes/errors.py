"""Exceptions raised by `scenes`.

SceneError
├── LayoutInvalid     a gallery's room or placements cannot be read (missing floor, bad numbers)
└── ComposeFailed     the room and exhibits cannot be merged into one glTF binary
"""

from __future__ import annotations


class SceneError(Exception):
    """Base class of every `scenes` error."""


class LayoutInvalid(SceneError):
    """The room or a placement is not a usable layout; `code` names the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ComposeFailed(SceneError):
    """A model cannot be merged into the composed scene; `code` names the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
