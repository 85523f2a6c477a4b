"""Benchmark the asset pipeline against gltf-transform and gltfpack over the shared glTF corpus.

    .venv/bin/python bench/assets/run.py              # every model in corpus.tsv; figures printed and written
                                                      # to bench/out/assets.json
    .venv/bin/python bench/assets/run.py --only Duck  # models whose name contains a string (a smoke test)

Per model, interleaved so both see the same machine load:
- peer: `gltf-transform optimize IN OUT --texture-compress webp --texture-size 1024` (wall time of the CLI run,
  output bytes, Khronos validator errors of the output and of its meshopt-decoded copy);
- ours: `assets.pipeline.ingest` in this process (wall time of everything: intake, validation, inspection,
  phone + desktop + vr tiers, poster, validation of every written file and its meshopt-decoded copy);
- CPU seconds (user + system, this process and its children) of each, which other load on the machine
  disturbs far less than wall time;
- geometry error: mean vertex deviation of our phone tier and of `gltfpack -si 0.5` from the original surface,
  in % of the original's bounding-box diagonal. Deviation is symmetric: the mean of (original vertices to the
  simplified surface) and (simplified vertices to the original surface); surfaces are approximated by their
  vertices plus 200k area-weighted samples (seeded) in a k-d tree, the same for both sides of the comparison.
Peak memory: the largest model is ingested again in a fresh subprocess and its ru_maxrss (self and children:
node tools and basisu) is reported.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assets.gltfio import Gltf, read_glb  # noqa: E402
from assets.meshoptcodec import decoded_glb, has_meshopt  # noqa: E402
from assets.nodetools import node_binary, npm_bin  # noqa: E402
from assets.pipeline import decode_draco, ingest  # noqa: E402
from assets.scene import world_primitives  # noqa: E402
from assets.tiers import placeholder_glb  # noqa: E402
from assets.validator import validate_files  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "gltf"
OUT = ROOT / "bench" / "out" / "assets.json"
SAMPLES = 200_000


def surface(gltf: Gltf) -> tuple[np.ndarray, np.ndarray]:
    """Return world-space vertices (n, 3) used by triangles and (v, 3, 3) triangle corners of the default scene."""
    verts, corners = [], []
    for prim in world_primitives(gltf):
        if len(prim.triangles):
            used = np.unique(prim.triangles)
            verts.append(prim.positions[used])
            corners.append(prim.positions[prim.triangles])
    if not verts:
        return np.zeros((0, 3)), np.zeros((0, 3, 3))
    return np.concatenate(verts), np.concatenate(corners)


def samples(corners: np.ndarray, count: int, seed: int = 7) -> np.ndarray:
    """Return (count, 3) points spread over triangles in proportion to their area."""
    area = np.linalg.norm(np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]), axis=1) / 2
    if area.sum() <= 0:
        return corners.reshape(-1, 3)
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(corners), size=count, p=area / area.sum())
    u, v = rng.random(count), rng.random(count)
    flip = u + v > 1
    u[flip], v[flip] = 1 - u[flip], 1 - v[flip]
    c = corners[pick]
    return c[:, 0] + u[:, None] * (c[:, 1] - c[:, 0]) + v[:, None] * (c[:, 2] - c[:, 0])


def deviation(reference: Gltf, candidate: Gltf) -> float | None:
    """Return the symmetric mean vertex deviation of candidate from reference, in % of the reference diagonal."""
    ref_v, ref_c = surface(reference)
    can_v, can_c = surface(candidate)
    if not len(ref_v) or not len(can_v):
        return None
    diagonal = float(np.linalg.norm(ref_v.max(axis=0) - ref_v.min(axis=0)))
    if diagonal <= 0:
        return None
    ref_tree = cKDTree(np.concatenate([ref_v, samples(ref_c, SAMPLES)]))
    can_tree = cKDTree(np.concatenate([can_v, samples(can_c, SAMPLES)]))
    forward = can_tree.query(ref_v)[0].mean()
    backward = ref_tree.query(can_v)[0].mean()
    return float((forward + backward) / 2 / diagonal * 100)


def cpu_seconds() -> float:
    """Return user + system CPU seconds of this process and its waited-for children so far."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_peer(source: Path, out: Path) -> tuple[float, int | None, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        [
            node_binary(),
            str(npm_bin("gltf-transform")),
            "optimize",
            str(source),
            str(out),
            "--texture-compress",
            "webp",
            "--texture-size",
            "1024",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0 or not out.exists():
        return elapsed, None, proc.stderr.strip()[-200:]
    return elapsed, out.stat().st_size, ""


def validate_with_decoded(paths: list[Path], scratch: Path) -> list[tuple[int, int, list[str]]]:
    """Return (errors, decoded-copy errors, error codes) for each GLB."""
    batch = []
    for i, path in enumerate(paths):
        gltf = read_glb(path.read_bytes())
        copy = scratch / f"decoded-{i}.glb"
        copy.write_bytes(decoded_glb(gltf) if has_meshopt(gltf) else path.read_bytes())
        batch += [path, copy]
    reports = validate_files(batch)
    out = []
    for i in range(len(paths)):
        plain, dec = reports[2 * i], reports[2 * i + 1]
        codes = sorted({m["code"] for m in plain.error_messages + dec.error_messages})
        out.append((plain.errors, dec.errors, codes))
    return out


def reference_gltfpack(original: Path, scratch: Path) -> Gltf:
    work = read_glb(original.read_bytes())
    if "KHR_draco_mesh_compression" in work.doc.get("extensionsUsed", []):
        work = decode_draco(original, scratch)
    placeholder = scratch / "reference-in.glb"
    placeholder.write_bytes(placeholder_glb(work))
    target = scratch / "reference-si05.glb"
    subprocess.run(
        [node_binary(), str(npm_bin("gltfpack")), "-tr", "-si", "0.5", "-i", str(placeholder), "-o", str(target)],
        capture_output=True,
        check=True,
    )
    return read_glb(target.read_bytes())


def working(original: Path, scratch: Path) -> Gltf:
    work = read_glb(original.read_bytes())
    if "KHR_draco_mesh_compression" in work.doc.get("extensionsUsed", []):
        return decode_draco(original, scratch)
    return work


def child_memory(source: Path) -> None:
    """Ingest one model and print peak resident memory (KiB) of this process and of its children."""
    with tempfile.TemporaryDirectory() as tmp:
        ingest(source, Path(tmp) / "out")
    self_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"self_kib": self_kib, "children_kib": children_kib}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="only models whose name contains this")
    parser.add_argument("--child-memory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory(Path(args.child_memory))
        return
    rows = list(csv.DictReader((CORPUS / "corpus.tsv").open(encoding="utf-8"), delimiter="\t"))
    if args.only:
        rows = [r for r in rows if args.only in r["name"]]
    results: list[dict[str, Any]] = []
    scratch_root = Path(tempfile.mkdtemp(prefix="bench-assets-"))
    try:
        header = (
            f"{'model':34s} {'peer s':>7s} {'ours s':>7s} {'peer B':>9s} {'phone B':>9s} {'ratio':>6s} "
            f"{'err%':>7s} {'si0.5%':>7s} {'peer val':>9s} {'our val':>8s}"
        )
        print(header)
        for row in rows:
            key = f"{row['name']}/{row['variant']}"
            source = CORPUS / row["path"]
            scratch = scratch_root / f"{len(results)}"
            scratch.mkdir()
            cpu_before = cpu_seconds()
            peer_s, peer_bytes, peer_err = run_peer(source, scratch / "peer.glb")
            peer_cpu = cpu_seconds() - cpu_before
            started, cpu_before = time.perf_counter(), cpu_seconds()
            result = ingest(source, scratch / "ours")
            ours_s = time.perf_counter() - started
            ours_cpu = cpu_seconds() - cpu_before
            peer_val = validate_with_decoded([scratch / "peer.glb"], scratch)[0] if peer_bytes else (None, None, [])
            original = result.tiers["original"].path
            base = working(original, scratch)
            phone = read_glb(result.tiers["phone"].path.read_bytes())
            ours_err = deviation(base, phone)
            ref_err = deviation(base, reference_gltfpack(original, scratch))
            our_errors = sum(
                t.stats["validator"]["errors"] + t.stats["validator_meshopt_decoded"]["errors"]
                for n, t in result.tiers.items()
                if n != "original"
            )
            entry = {
                "model": key,
                "input_bytes": int(row["size_bytes"]),
                "peer_seconds": round(peer_s, 4),
                "ours_seconds": round(ours_s, 4),
                "peer_cpu_seconds": round(peer_cpu, 4),
                "ours_cpu_seconds": round(ours_cpu, 4),
                "peer_bytes": peer_bytes,
                "peer_failure": peer_err,
                "phone_bytes": result.tiers["phone"].bytes,
                "desktop_bytes": result.tiers["desktop"].bytes,
                "vr_bytes": result.tiers["vr"].bytes,
                "phone_triangles": result.tiers["phone"].triangles,
                "triangles": result.inspection["triangles"],
                "phone_error_pct": ours_err,
                "gltfpack_si05_error_pct": ref_err,
                "peer_validator_errors": peer_val[0],
                "peer_validator_errors_decoded": peer_val[1],
                "peer_error_codes": peer_val[2],
                "our_validator_errors": our_errors,
                "poster": result.poster is not None,
            }
            results.append(entry)
            ratio = f"{entry['phone_bytes'] / peer_bytes:6.2f}" if peer_bytes else "   n/a"
            fmt = lambda v: f"{v:7.3f}" if v is not None else "    n/a"  # noqa: E731
            print(
                f"{key[:34]:34s} {peer_s:7.2f} {ours_s:7.2f} {peer_bytes or 0:9d} {entry['phone_bytes']:9d} "
                f"{ratio} {fmt(ours_err)} {fmt(ref_err)} {str(peer_val[0]) + '/' + str(peer_val[1]):>9s} "
                f"{our_errors:8d}",
                flush=True,
            )
            shutil.rmtree(scratch, ignore_errors=True)
        largest = max(rows, key=lambda r: int(r["size_bytes"]))
        proc = subprocess.run(
            [sys.executable, __file__, "--child-memory", str(CORPUS / largest["path"])],
            capture_output=True,
            text=True,
            check=True,
        )
        memory = json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(scratch_root, ignore_errors=True)
    compared = [r for r in results if r["peer_bytes"]]
    peer_total = sum(r["peer_bytes"] for r in compared)
    phone_total = sum(r["phone_bytes"] for r in compared)
    pairs = [
        (r["phone_error_pct"], r["gltfpack_si05_error_pct"])
        for r in results
        if r["phone_error_pct"] is not None and r["gltfpack_si05_error_pct"] is not None
    ]
    summary = {
        "models": len(results),
        "phone_bytes_total": phone_total,
        "peer_bytes_total": peer_total,
        "phone_over_peer_bytes": round(phone_total / peer_total, 4) if peer_total else None,
        "phone_over_peer_bytes_without_ktx2_inputs": round(
            sum(r["phone_bytes"] for r in compared if "KTX2" not in r["model"])
            / max(1, sum(r["peer_bytes"] for r in compared if "KTX2" not in r["model"])),
            4,
        ),
        "median_per_model_bytes_ratio": round(
            statistics.median(r["phone_bytes"] / r["peer_bytes"] for r in compared), 4
        ),
        "median_ours_seconds_all_tiers_and_poster": round(statistics.median(r["ours_seconds"] for r in results), 4),
        "median_peer_seconds_phone_only": round(statistics.median(r["peer_seconds"] for r in results), 4),
        "median_ours_cpu_seconds": round(statistics.median(r["ours_cpu_seconds"] for r in results), 4),
        "median_peer_cpu_seconds": round(statistics.median(r["peer_cpu_seconds"] for r in results), 4),
        "our_validator_errors_total": sum(r["our_validator_errors"] for r in results),
        "peer_models_with_validator_errors": [
            f"{r['model']}: {r['peer_validator_errors']} in file, {r['peer_validator_errors_decoded']} decoded "
            f"({', '.join(r['peer_error_codes'])})"
            for r in results
            if (r["peer_validator_errors"] or 0) + (r["peer_validator_errors_decoded"] or 0)
        ],
        "peer_failures": [r["model"] for r in results if not r["peer_bytes"]],
        "phone_error_pct_mean": round(statistics.mean(p[0] for p in pairs), 5) if pairs else None,
        "gltfpack_si05_error_pct_mean": round(statistics.mean(p[1] for p in pairs), 5) if pairs else None,
        "models_where_phone_error_exceeds_si05": [
            r["model"]
            for r in results
            if r["phone_error_pct"] is not None
            and r["gltfpack_si05_error_pct"] is not None
            and r["phone_error_pct"] > r["gltfpack_si05_error_pct"] * 1.05 + 1e-4
        ],
        "largest_model": largest["path"],
        "largest_model_peak_rss_mib": round(memory["self_kib"] / 1024, 1),
        "largest_model_children_peak_rss_mib": round(memory["children_kib"] / 1024, 1),
    }
    print()
    for k, v in summary.items():
        print(f"{k}: {v}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"summary": summary, "models": results}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
