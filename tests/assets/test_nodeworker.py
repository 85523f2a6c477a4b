"""The per-ingest node process answers validator and gltfpack requests and reports failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from assets.errors import AssetError
from assets.nodeworker import NodeWorker
from assets.validator import parse_report


def test_validate_and_pack(corpus: Path, tmp_path: Path) -> None:
    source = corpus / "Box/glTF-Binary/Box.glb"
    with NodeWorker() as node:
        report = node.call("validate", files=[str(source)])
        packed = node.call("gltfpack", args=["-cc", "-i", str(source), "-o", str(tmp_path / "box.glb")])
        assert parse_report(report.result(timeout=60)[0]).errors == 0
        packed.result(timeout=60)
    assert (tmp_path / "box.glb").read_bytes()[:4] == b"glTF"


def test_failures_become_asset_errors(tmp_path: Path) -> None:
    with NodeWorker() as node:
        with pytest.raises(AssetError):
            node.call("gltfpack", args=["-i", str(tmp_path / "missing.glb"), "-o", str(tmp_path / "x.glb")]).result(60)
        with pytest.raises(AssetError):
            node.call("nonsense").result(timeout=60)
        fatal = parse_report(node.call("validate", files=[str(tmp_path / "missing.glb")]).result(timeout=60)[0])
        assert fatal.errors == 1
