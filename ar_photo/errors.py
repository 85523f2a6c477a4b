"""Exceptions raised by the photo booth library.

    PhotoError
    ├── PhotoRejected      the guest's photo or the kiosk's request is not acceptable (a 4xx: 400/413/415/422)
    ├── TemplateInvalid    a curator's template is inconsistent (boxes outside the canvas, bad frame image)
    └── FontMissing        no font covers the caption (a 5xx: the server set-up is incomplete)
"""

from __future__ import annotations


class PhotoError(Exception):
    """Base class of every photo booth error."""


class PhotoRejected(PhotoError):
    """The input is refused; `code` names the problem and `status` is the HTTP status to answer."""

    def __init__(self, code: str, message: str, status: int = 422) -> None:
        if status not in (400, 413, 415, 422):
            raise ValueError(f"PhotoRejected status must be 400, 413, 415 or 422, not {status}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class TemplateInvalid(PhotoError):
    """A photo template does not describe a usable layout."""


class FontMissing(PhotoError):
    """No installed font can draw the caption."""
