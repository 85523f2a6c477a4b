"""Ingest one uploaded model: intake, validation, inspection, tiers, poster.

    ingest(source, workdir) -> IngestResult

Order of work: intake checks every byte first (nothing else runs on a rejected upload); the packed original is
then validated by the Khronos validator while the tiers and the poster are built from it (the two node tools
involved only ever see intake-checked input); a validator error rejects the upload and removes every file
written. Every GLB the pipeline writes is validated too, as written and as a meshopt-decoded copy; a tier
with errors is rebuilt without quantization, and a tier still with errors fails the ingest (a server fault,
not the curator's).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assets.errors import AssetError, AssetRejected, ValidationFailed
from assets.gltfio import Gltf, read_glb, write_glb
from assets.inspection import count_draw_calls, count_triangles, inspect_asset
from assets.intake import CheckedUpload, check_upload
from assets.limits import IngestLimits
from assets.meshoptcodec import decoded_glb, has_meshopt
from assets.nodetools import node_binary, node_modules
from assets.nodeworker import NodeWorker
from assets.pack import pack_glb
from assets.poster import render_poster
from assets.problems import curator_problems
from assets.repair import blocking_errors, repair_model
from assets.textures import TextureEncoder, texture_usages
from assets.tiers import BuiltTier, build_tier, placeholder_glb, plan_for
from assets.validator import ValidationReport, parse_report

TIER_NAMES = ("original", "phone", "desktop", "vr")
_UNDRACO = Path(__file__).resolve().parent / "js" / "undraco.cjs"

Progress = Callable[[str, float], None]


@dataclass
class TierFile:
    """One GLB the pipeline wrote, with its size, hash and the numbers a budget needs."""

    path: Path
    bytes: int
    sha256: str
    triangles: int
    draw_calls: int
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass
class IngestResult:
    """Everything the service stores about an ingested model."""

    sha256: str
    original_name: str
    media_type: str
    tiers: dict[str, TierFile]
    poster: Path | None
    inspection: dict[str, Any]
    validator: dict[str, Any]
    problems: list[dict[str, Any]]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def decode_draco(original: Path, scratch: Path) -> Gltf:
    """Return a GLB with KHR_draco_mesh_compression decoded (npm gltf-transform), written under scratch."""
    target = scratch / "undraco.glb"
    proc = subprocess.run(
        [node_binary(), str(_UNDRACO), str(original), str(target)],
        capture_output=True,
        text=True,
        timeout=600,
        env={"NODE_PATH": str(node_modules()), "PATH": "/usr/bin:/bin:/usr/local/bin"},
        check=False,
    )
    if proc.returncode != 0:
        raise AssetError(f"Draco decoding failed: {proc.stderr.strip()[-400:]}")
    return read_glb(target.read_bytes())


def _validator_summary(report: ValidationReport) -> dict[str, Any]:
    return {"errors": report.errors, "warnings": report.warnings, "messages": report.summary()["messages"]}


class _Run:
    """The state of one ingest: where files go and what has been written."""

    def __init__(self, workdir: Path, progress: Progress | None, node: NodeWorker) -> None:
        self.node = node
        self.workdir = workdir
        self.scratch = workdir / ".work"
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.progress = progress or (lambda stage, fraction: None)
        self.written: list[Path] = []

    def out(self, name: str) -> Path:
        """Return the path of an output file and remember it for clean-up."""
        path = self.workdir / name
        self.written.append(path)
        return path

    def pack(self, args: list[str]) -> None:
        """Run gltfpack in this ingest's node process."""
        self.node.call("gltfpack", args=args).result(timeout=600)

    def discard(self) -> None:
        """Remove every output written so far."""
        for path in self.written:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        """Remove the scratch folder."""
        shutil.rmtree(self.scratch, ignore_errors=True)


def ingest(
    source: Path,
    workdir: Path,
    limits: IngestLimits | None = None,
    triangle_budget: int | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Check, validate, inspect and tier an uploaded model into workdir, or raise AssetRejected.

    `triangle_budget` is the exhibit's phone budget (see `assets.tiers.plan_for`); `progress(stage, fraction)`
    is called from this thread as stages finish.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    with NodeWorker() as node:
        run = _Run(workdir, progress, node)
        try:
            return _ingest(Path(source), run, limits, triangle_budget)
        except BaseException:
            run.discard()
            raise
        finally:
            run.close()


@dataclass
class _Build:
    """Tiers and poster under way for one working copy of the model."""

    inspection: dict[str, Any]
    encoder: TextureEncoder
    usages: dict[int, str]
    placeholder: Path
    triangles: int
    tiers: dict[str, Future[BuiltTier]]
    poster: Future[Path | None]

    def settle(self) -> None:
        """Wait for every piece, ignoring failures (the build is being replaced)."""
        futures: list[Future[Any]] = [*self.tiers.values(), self.poster]
        for future in futures:
            try:
                future.result()
            except Exception:  # noqa: BLE001, S110 - a build of an invalid model may fail; it is rebuilt
                pass


def _start(work: Gltf, run: _Run, pool: ThreadPoolExecutor, budget: int | None) -> _Build | None:
    """Inspect a working copy and start its tiers and poster; None when its scene draws nothing."""
    inspection = inspect_asset(work)
    run.progress("inspect", 0.2)
    if not inspection["draw_calls"]:
        return None
    images = range(len(work.doc.get("images", [])))
    encoder = TextureEncoder({i: work.image_bytes(i) for i in images}, run.scratch)
    usages = texture_usages(work.doc)
    placeholder = run.scratch / "placeholder.glb"
    placeholder.write_bytes(placeholder_glb(work))
    triangles = count_triangles(work.doc)
    built: dict[str, Future[BuiltTier]] = {
        name: pool.submit(
            build_tier,
            plan_for(name, budget),
            placeholder,
            triangles,
            encoder,
            usages,
            run.out(f"{name}.glb"),
            packer=run.pack,
        )
        for name in ("phone", "vr", "desktop")
    }
    poster: Future[Path | None] = pool.submit(render_poster, work, run.out("poster.webp"), encoder)
    return _Build(inspection, encoder, usages, placeholder, triangles, built, poster)


def _ingest(source: Path, run: _Run, limits: IngestLimits | None, budget: int | None) -> IngestResult:
    run.progress("intake", 0.0)
    upload = check_upload(source, limits)
    original = run.out("original.glb")
    original.write_bytes(pack_glb(upload))
    run.progress("validate", 0.1)
    original_report = run.node.call("validate", files=[str(original)])

    def verdict() -> ValidationReport:
        """Return the validator's report on the original, raising ValidationFailed on an error no repair covers."""
        report = parse_report(original_report.result(timeout=600)[0])
        blocking = blocking_errors(report)
        if blocking:
            raise ValidationFailed(
                f"the Khronos glTF-Validator found {report.errors} error(s) in the upload",
                blocking + [m for m in report.error_messages if m not in blocking],
            )
        return report

    def no_geometry() -> AssetRejected:
        return AssetRejected("NO_GEOMETRY", "the model's scene draws nothing: there is no mesh to show", "/scenes")

    repairs: list[dict[str, Any]] = []
    with ThreadPoolExecutor(max_workers=4) as pool:
        work: Gltf | None = None
        build: _Build | None = None
        try:
            # Built while the validator runs; a failure here on an invalid upload is reported as the
            # validator's verdict, not as a fault of the pipeline.
            work = _working_copy(upload, original, run)
            build = _start(work, run, pool, budget)
        except Exception:
            if not verdict().errors or work is None:
                raise
        report = verdict()
        if report.errors:
            # Every error is one the pipeline repairs: the tiers come from a repaired copy instead.
            if build is not None:
                build.settle()
            work, repairs, report = _repaired(work, report, run)
            build = _start(work, run, pool, budget)
        if build is None:
            raise no_geometry()
        run.progress("validate", 0.3)
        names: dict[Future[Any], str] = {future: name for name, future in build.tiers.items()}
        names[build.poster] = "poster"
        for step, future in enumerate(as_completed(names), start=1):
            future.result()
            run.progress(names[future], 0.3 + 0.55 * step / len(names))
        tiers_built = {name: future.result() for name, future in build.tiers.items()}
        poster_result = build.poster.result()
    checked = _validate_tiers(tiers_built, run, build.placeholder, build.triangles, build.encoder, build.usages, budget)
    run.progress("check", 0.95)
    original_summary = parse_report(original_report.result(timeout=600)[0]).summary()
    tiers = {"original": _tier_file(original, read_glb(original.read_bytes()).doc, {"validator": original_summary})}
    for name in ("phone", "desktop", "vr"):
        tier = checked[name]
        tiers[name] = TierFile(
            tier.path, tier.path.stat().st_size, _digest(tier.path), tier.triangles, tier.draw_calls, tier.stats
        )
    problems = repairs + curator_problems(report.messages)
    if upload.image_formats and any(f == "ktx2" for f in upload.image_formats.values()):
        if any(
            "source" in t
            for t in upload.gltf.doc.get("textures", [])
            if upload.image_formats.get(t.get("source", -1)) == "ktx2"
        ):
            problems.append(curator_problems([{"code": "KTX2_TEXTURE_PASSED_THROUGH", "severity": 1}])[0])
    validator = _validator_summary(report)
    if repairs:
        validator["repaired"] = {"errors": original_summary["errors"], "warnings": original_summary["warnings"]}
    run.progress("done", 1.0)
    return IngestResult(
        sha256=upload.sha256,
        original_name=upload.original_name,
        media_type=upload.media_type,
        tiers=tiers,
        poster=poster_result,
        inspection=build.inspection,
        validator=validator,
        problems=problems,
    )


def _repaired(work: Gltf, report: ValidationReport, run: _Run) -> tuple[Gltf, list[dict[str, Any]], ValidationReport]:
    """Return a repaired working copy, the repairs made and the validator's report on it; refuse if errors remain."""
    run.progress("repair", 0.25)
    source = run.scratch / "repair-in.glb"
    target = run.scratch / "repaired.glb"
    binary = work.buffers[0] if work.buffers and work.buffers[0] else b""
    source.write_bytes(decoded_glb(work) if has_meshopt(work) else write_glb(work.doc, binary))
    repairs = repair_model(run.node, source, target, report)
    after = parse_report(run.node.call("validate", files=[str(target)]).result(timeout=600)[0])
    if after.errors:
        raise ValidationFailed(
            f"the Khronos glTF-Validator found {report.errors} error(s) in the upload and repairing them failed "
            f"({', '.join(sorted({str(m.get('code')) for m in after.error_messages}))} remain)",
            report.error_messages,
        )
    return read_glb(target.read_bytes()), repairs, after


def _working_copy(upload: CheckedUpload, original: Path, run: _Run) -> Gltf:
    work = read_glb(original.read_bytes())
    if "KHR_draco_mesh_compression" in work.doc.get("extensionsUsed", []):
        run.progress("draco", 0.15)
        return decode_draco(original, run.scratch)
    if upload.self_contained:
        return upload.gltf
    return work


def _tier_file(path: Path, doc: dict[str, Any], stats: dict[str, Any]) -> TierFile:
    return TierFile(path, path.stat().st_size, _digest(path), count_triangles(doc), count_draw_calls(doc), stats)


def _validate_tiers(
    tiers: dict[str, BuiltTier],
    run: _Run,
    placeholder: Path,
    triangles: int,
    encoder: TextureEncoder,
    usages: dict[int, str],
    budget: int | None,
) -> dict[str, BuiltTier]:
    reports = _check_files(tiers, run)
    for name, (plain, decoded) in reports.items():
        if plain.errors or decoded.errors:
            # Quantization is the one gltfpack step that can break an unusual asset; rebuild without it.
            tiers[name] = build_tier(
                plan_for(name, budget), placeholder, triangles, encoder, usages, tiers[name].path, False, run.pack
            )
            again = _check_files({name: tiers[name]}, run)[name]
            if (again[0].errors or again[1].errors) and tiers[name].triangles == 0:
                # Every triangle had no area (all its corners at one point, say), so nothing was left to draw.
                raise AssetRejected("NO_GEOMETRY", "every triangle of the model has no area: there is nothing to show",
                                    "/meshes")
            if again[0].errors or again[1].errors:
                raise AssetError(
                    f"the {name} tier fails validation: {again[0].error_messages[:3]}{again[1].error_messages[:3]}"
                )
            reports[name] = again
    for name, (plain, decoded) in reports.items():
        tiers[name].stats["validator"] = {"errors": plain.errors, "warnings": plain.warnings}
        tiers[name].stats["validator_meshopt_decoded"] = {"errors": decoded.errors, "warnings": decoded.warnings}
    return tiers


def _check_files(tiers: dict[str, BuiltTier], run: _Run) -> dict[str, tuple[ValidationReport, ValidationReport]]:
    paths = []
    for name, tier in tiers.items():
        gltf = read_glb(tier.path.read_bytes())
        copy = run.scratch / f"{name}.decoded.glb"
        copy.write_bytes(decoded_glb(gltf) if has_meshopt(gltf) else tier.path.read_bytes())
        paths += [tier.path, copy]
    reports = [parse_report(raw) for raw in run.node.call("validate", files=[str(p) for p in paths]).result(600)]
    return {name: (reports[2 * i], reports[2 * i + 1]) for i, name in enumerate(tiers)}


__all__ = ["IngestLimits", "IngestResult", "TierFile", "decode_draco", "ingest"]
