"""Write PNG previews of the demo's exhibits and galleries: `python -m scenes.demo.preview OUT [PREFIX ...]`."""

from __future__ import annotations

import sys
from pathlib import Path

from scenes.demo.exhibits import build_exhibit_models
from scenes.demo.preview.render import exhibit_view, gallery_views, render_views
from scenes.demo.rooms import build_rooms


def main(argv: list[str]) -> int:
    """Render every view (or those whose names start with one of the given prefixes) into the output folder."""
    models, rooms = build_exhibit_models(), build_rooms()
    files = {f"{slug}.glb": m.glb for slug, m in models.items()} | {f"{slug}.glb": r.glb for slug, r in rooms.items()}
    views = [exhibit_view(m) for m in models.values()] + [v for r in rooms.values() for v in gallery_views(r)]
    wanted = argv[1:]
    views = [v for v in views if not wanted or any(v[0].startswith(w) for w in wanted)]
    for name, errors in render_views(files, views, Path(argv[0]).resolve()).items():
        print(name, "errors:", errors)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
