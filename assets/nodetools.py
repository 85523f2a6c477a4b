"""Locate the npm tools the pipeline runs (node, gltf-validator, gltfpack)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from assets.errors import ToolMissing

_HERE = Path(__file__).resolve().parent


def node_modules(start: Path | None = None) -> Path:
    """Return the node_modules folder that holds the project's npm tools."""
    override = os.environ.get("MUSEUM_NODE_MODULES")
    if override:
        return Path(override)
    for folder in [start or _HERE, *(start or _HERE).parents]:
        candidate = folder / "node_modules"
        if (candidate / "gltf-validator").is_dir():
            return candidate
    raise ToolMissing("node_modules with gltf-validator not found: run the set-up command (npm ci)")


def node_binary() -> str:
    """Return the path of the node executable."""
    found = shutil.which("node")
    if not found:
        raise ToolMissing("node is not installed")
    return found


def npm_bin(name: str) -> Path:
    """Return the path of an executable installed by npm (node_modules/.bin/NAME)."""
    path = node_modules() / ".bin" / name
    if not path.exists():
        raise ToolMissing(f"{name} is not installed: run the set-up command (npm ci)")
    return path
