"""Read and write every GLB of the glTF corpus with the pipeline's own reader/writer and with pygltflib.

Why the project keeps one small GLB module (assets/gltfio.py) instead of pygltflib's document model: this prints,
per model and in total, the time to parse and to re-serialise with each, and whether each round trip keeps the
binary chunk byte for byte.

    .venv/bin/python bench/gltfio/run.py [--corpus DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from assets.gltfio import read_glb, split_glb, write_glb  # noqa: E402


def best_of(repeat: int, fn) -> float:  # type: ignore[no-untyped-def]
    """Return the fastest of `repeat` runs of fn, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def main() -> int:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = os.environ.get("MUSEUM_TEST_CORPUS") or str(REPO.parent / "shared" / "corpus" / "gltf")
    parser.add_argument("--corpus", default=default)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    try:
        import pygltflib
    except ImportError:
        print("pygltflib is not installed: pip install pygltflib (the peer of this benchmark)")
        return 2
    files = sorted(Path(args.corpus).rglob("*.glb"))
    if not files:
        print(f"no GLB files under {args.corpus} (set --corpus or MUSEUM_TEST_CORPUS)")
        return 2
    ours_total = peer_total = 0.0
    ratios = []
    peer_failures = []
    print(f"{'model':44} {'bytes':>10} {'ours ms':>9} {'pygltflib ms':>13} {'ratio':>7}  peer keeps BIN")
    for path in files:
        data = path.read_bytes()
        _, original_bin = split_glb(data)

        def ours(data: bytes = data) -> bytes:
            gltf = read_glb(data)
            return write_glb(gltf.doc, gltf.buffers[0] or b"")

        def peer(data: bytes = data) -> bytes:
            doc = pygltflib.GLTF2.load_from_bytes(data)
            return b"".join(doc.save_to_bytes())

        try:
            peer_out = peer()
            peer_ms = best_of(args.repeat, peer)
            kept = split_glb(peer_out)[1] == original_bin
        except Exception as exc:  # the peer is measured, not trusted: any failure is a row of the table
            peer_failures.append(f"{path.name}: {type(exc).__name__}: {exc}"[:160])
            print(f"{path.parent.parent.name + '/' + path.name:44} {len(data):>10} {'':>9} {'failed':>13}")
            continue
        ours_ms = best_of(args.repeat, ours)
        ours_total += ours_ms
        peer_total += peer_ms
        ratios.append(ours_ms / peer_ms if peer_ms else 0.0)
        print(f"{path.parent.parent.name + '/' + path.name:44} {len(data):>10} {ours_ms:>9.2f} {peer_ms:>13.2f} "
              f"{ours_ms / peer_ms:>7.2f}  {'yes' if kept else 'NO'}")
    print(f"\n{len(files)} GLB files; total ours {ours_total:.1f} ms, pygltflib {peer_total:.1f} ms "
          f"= {ours_total / peer_total:.2f}x; median per-file ratio {statistics.median(ratios):.2f}x")
    for failure in peer_failures:
        print("pygltflib failed:", failure)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
