"""Media types of stored files and the file extensions of their URLs."""

from __future__ import annotations

EXTENSIONS: dict[str, str] = {
    "model/gltf-binary": "glb",
    "model/gltf+json": "gltf",
    "model/vnd.usdz+zip": "usdz",
    "image/webp": "webp",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/ktx2": "ktx2",
    "image/svg+xml": "svg",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "audio/wav": "wav",
    "text/vtt": "vtt",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "application/zip": "zip",
    "application/octet-stream": "bin",
}

MEDIA_TYPES: dict[str, str] = {ext: media for media, ext in EXTENSIONS.items()}
MEDIA_TYPES["jpeg"] = "image/jpeg"


def extension(media_type: str) -> str:
    """Return the URL extension for a media type."""
    return EXTENSIONS.get(media_type, "bin")


def file_url(sha256: str, media_type: str) -> str:
    """Return the content-hashed URL of a stored file."""
    return f"/files/{sha256}.{extension(media_type)}"
