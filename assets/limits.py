"""Limits an upload must stay within before any tool reads it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestLimits:
    """Configurable bounds on an upload: bytes, JSON shape, object counts, texture pixels, zip archives."""

    max_bytes: int = 256 * 1024 * 1024
    max_json_bytes: int = 16 * 1024 * 1024
    max_json_depth: int = 64
    max_data_uri_bytes: int = 64 * 1024 * 1024
    max_decoded_bytes: int = 1024 * 1024 * 1024
    max_nodes: int = 20_000
    max_meshes: int = 10_000
    max_primitives: int = 20_000
    max_accessors: int = 100_000
    max_buffer_views: int = 100_000
    max_buffers: int = 256
    max_images: int = 256
    max_textures: int = 1024
    max_materials: int = 4096
    max_animations: int = 1024
    max_texture_pixels: int = 8192 * 8192
    max_zip_entries: int = 1000
    max_zip_total_bytes: int = 512 * 1024 * 1024
    max_zip_ratio: float = 200.0
