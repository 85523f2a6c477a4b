"""Coverage-guided fuzzing (atheris, libFuzzer) of the model intake and the booth's photo normalisation.

Each target runs in its own process for FUZZ_SECONDS (default 120) from a seed of valid files; a crash is any
exception other than the library's own refusal (AssetRejected 4xx, PhotoRejected 4xx). Prints runs and crashes.

    .venv/bin/pip install -e '.[fuzz]' && .venv/bin/python bench/fuzz/run.py
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECONDS = int(os.environ.get("FUZZ_SECONDS", "120"))


def _seed_files(folder: Path) -> None:
    import trimesh
    from PIL import Image

    (folder / "intake").mkdir()
    (folder / "photo").mkdir()
    buf = io.BytesIO()
    trimesh.creation.box().export(buf, file_type="glb")
    (folder / "intake" / "box.glb").write_bytes(buf.getvalue())
    for fmt in ("JPEG", "PNG", "WEBP"):
        out = io.BytesIO()
        Image.new("RGB", (40, 30), (200, 100, 50)).save(out, fmt)
        (folder / "photo" / f"seed.{fmt.lower()}").write_bytes(out.getvalue())


def _target(name: str) -> None:
    import atheris
    import numpy  # noqa: F401  (imported first so only the museum's own code is instrumented: it is what we test)
    import PIL.Image  # noqa: F401

    with atheris.instrument_imports(include=["assets", "ar_photo"]):
        from ar_photo.errors import PhotoRejected
        from ar_photo.normalize import load_photo
        from assets.errors import AssetRejected
        from assets.intake import check_upload

    scratch = Path(tempfile.mkdtemp(prefix="fuzz-"))

    def intake(data: bytes) -> None:
        path = scratch / "upload.glb"
        path.write_bytes(data)
        try:
            check_upload(path)
        except AssetRejected as exc:
            if not 400 <= exc.status < 500:
                raise

    def photo(data: bytes) -> None:
        try:
            load_photo(data)
        except PhotoRejected as exc:
            if not 400 <= exc.status < 500:
                raise

    atheris.Setup(sys.argv[:1] + sys.argv[3:], intake if name == "intake" else photo)
    atheris.Fuzz()


def main() -> int:
    """Fuzz both targets and print what each did."""
    if len(sys.argv) > 2 and sys.argv[1] == "--target":
        _target(sys.argv[2])
        return 0
    print(f"fuzz: {SECONDS} s per target (libFuzzer via atheris); the machine may be shared, so runs vary")
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        seeds = Path(folder)
        _seed_files(seeds)
        for name in ("intake", "photo"):
            corpus = seeds / name
            result = subprocess.run(
                [sys.executable, __file__, "--target", name, f"-max_total_time={SECONDS}", "-max_len=65536",
                 "-rss_limit_mb=2048", str(corpus)], capture_output=True, text=True, cwd=ROOT)
            lines = result.stderr.splitlines()
            done = next((line for line in reversed(lines) if "Done" in line and "runs" in line), "")
            crashed = result.returncode != 0
            failed += crashed
            print(f"{name:8} exit={result.returncode} {done.strip() or '(no summary)'} "
                  f"crashes={'yes' if crashed else 0}")
            if crashed:
                print("\n".join(lines[-30:]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
