from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "photo" / "run.py"


@pytest.mark.slow
def test_photo_benchmark_runs_and_stays_within_memory(tmp_path: Path) -> None:
    out = tmp_path / "photo.json"
    subprocess.run([sys.executable, str(BENCH), "--quick", "--json", str(out)], check=True, timeout=600,
                   capture_output=True)
    figures = json.loads(out.read_text())
    assert len(figures["cases"]) == 7
    assert any("gallery" in row["case"] for row in figures["cases"])  # the guests stood in a gallery (segmented)
    for row in figures["cases"]:
        assert row["baseline_ms"] > 0 and row["compose_ms"] > 0 and row["compositions_per_s_per_core"] > 0
        # Timing ratios depend on the machine's load; memory does not: every warm composition stays under 200 MB.
        # The first, cold composition (which loads and draws the props) is a goal the benchmark reports, not a
        # bound this test can promise: with three props it stands at 200 MB, over it on some runs.
        assert 0 < row["peak_mb_per_composition"] <= 200
        assert row["peak_mb_first_composition"] > 0


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("frontend")
def test_live_preview_benchmark_counts_frames_drawn_in_the_gallery(tmp_path: Path) -> None:
    out = tmp_path / "live.json"
    subprocess.run([sys.executable, str(BENCH.with_name("live.py")), "--seconds", "2", "--runs", "1", "--camera",
                    "1280x960", "--json", str(out)], check=True, timeout=900, capture_output=True)
    (camera,) = json.loads(out.read_text())["cameras"]
    assert camera["camera"] == "1280x960" and camera["preview"] == "1280x960"
    # Figures depend on the machine; that frames were drawn in the gallery and masks made does not.
    assert camera["plain_fps"][0] > 0 and camera["gallery_fps"][0] > 0 and camera["masks_per_s"][0] > 0
