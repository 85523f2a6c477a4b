"""The payload benchmark (bench/api/payloads.py) runs and reports every contender at both batch sizes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "api" / "payloads.py"
CONTENDERS = ("none", "museum", "museum/get_json", "spectree", "flask-openapi3")


def test_payload_benchmark_reports_every_contender() -> None:
    run = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    for name in CONTENDERS:
        for events in (1, 100):
            row = re.search(rf"^{re.escape(name)} +{events} +(\d+\.\d) +(\d+\.\d) ", run.stdout, re.MULTILINE)
            assert row, f"no figures for {name} at {events} events:\n{run.stdout}"
            # Figures depend on the machine; that each request took some time and p95 >= median does not.
            assert 0 < float(row[1]) <= float(row[2])
    for package in ("flask", "pydantic", "spectree", "flask-openapi3"):
        assert re.search(rf"\b{re.escape(package)} \d+\.\d+", run.stdout), package
