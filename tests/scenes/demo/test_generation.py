"""All the demo's generated 3D files together: Khronos-valid in one validator run, and quick to make."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from assets.validator import validate_files
from scenes.demo import build_exhibit_models, build_rooms


def test_every_model_and_room_passes_the_khronos_validator(tmp_path: Path) -> None:
    models = build_exhibit_models()
    rooms = build_rooms(models)
    files = {**{f"exhibit-{s}": m.glb for s, m in models.items()}, **{f"room-{s}": r.glb for s, r in rooms.items()}}
    paths = []
    for name, glb in files.items():
        path = tmp_path / f"{name}.glb"
        path.write_bytes(glb)
        paths.append(path)
    reports = dict(zip((p.stem for p in paths), validate_files(paths), strict=True))
    assert len(reports) == 20
    assert {name: r.summary()["messages"] for name, r in reports.items() if r.errors or r.warnings} == {}
    # Anchors are empty nodes on purpose; nothing else may even draw a remark.
    remarks = {(name.split("-")[0], m["code"]) for name, r in reports.items() for m in r.messages}
    assert remarks <= {("exhibit", "NODE_EMPTY")}


_DIGEST = """
import hashlib
from scenes.demo import build_exhibit_models, build_rooms
models = build_exhibit_models()
rooms = build_rooms(models)
digest = hashlib.sha256()
for built in (models, rooms):
    for slug in sorted(built):
        digest.update(built[slug].glb)
print(digest.hexdigest())
"""


def test_another_process_generates_the_same_bytes() -> None:
    runs = {
        subprocess.run([sys.executable, "-c", _DIGEST], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("1", "2")
    }
    models = build_exhibit_models()
    rooms = build_rooms(models)
    digest = hashlib.sha256()
    for built in (models, rooms):
        for slug in sorted(built):
            digest.update(built[slug].glb)
    assert runs == {digest.hexdigest()}
