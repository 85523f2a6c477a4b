"""Run the Khronos glTF-Validator (npm `gltf-validator`) on files or bytes."""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assets.errors import AssetError
from assets.nodetools import node_binary, node_modules

_SCRIPT = Path(__file__).resolve().parent / "js" / "validate.cjs"


@dataclass
class ValidationReport:
    """The validator's verdict on one file: counts and the issue messages."""

    errors: int
    warnings: int
    infos: int
    hints: int
    messages: list[dict[str, Any]] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def error_messages(self) -> list[dict[str, Any]]:
        """Return the messages of severity 0 (errors)."""
        return [m for m in self.messages if m.get("severity") == 0]

    @property
    def warning_messages(self) -> list[dict[str, Any]]:
        """Return the messages of severity 1 (warnings)."""
        return [m for m in self.messages if m.get("severity") == 1]

    def summary(self) -> dict[str, Any]:
        """Return a JSON-ready summary: counts and the error and warning messages."""
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "hints": self.hints,
            "messages": [m for m in self.messages if m.get("severity") in (0, 1)],
        }


def _report(raw: dict[str, Any]) -> ValidationReport:
    if "fatal" in raw:
        return ValidationReport(
            errors=1,
            warnings=0,
            infos=0,
            hints=0,
            messages=[{"code": "VALIDATOR_FATAL", "message": raw["fatal"], "severity": 0, "pointer": ""}],
        )
    issues = raw.get("issues", {})
    return ValidationReport(
        errors=int(issues.get("numErrors", 0)),
        warnings=int(issues.get("numWarnings", 0)),
        infos=int(issues.get("numInfos", 0)),
        hints=int(issues.get("numHints", 0)),
        messages=list(issues.get("messages", [])),
        info=dict(raw.get("info", {})),
    )


def parse_report(raw: dict[str, Any]) -> ValidationReport:
    """Return the report for one raw validator answer (as validate.cjs writes it)."""
    return _report(raw)


def validate_files(paths: Sequence[Path | str], timeout: float = 300.0) -> list[ValidationReport]:
    """Validate each .glb or .gltf file (resources beside it) in one node process."""
    if not paths:
        return []
    env = {"NODE_PATH": str(node_modules()), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    proc = subprocess.run(
        [node_binary(), str(_SCRIPT)],
        input=json.dumps([str(Path(p).resolve()) for p in paths]),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise AssetError(f"gltf-validator failed: {proc.stderr.strip()[:500]}")
    return [_report(r) for r in json.loads(proc.stdout)]


def validate_bytes(data: bytes, suffix: str = ".glb") -> ValidationReport:
    """Validate a self-contained glTF asset given as bytes."""
    with tempfile.TemporaryDirectory(prefix="museum-validate-") as tmp:
        path = Path(tmp) / f"asset{suffix}"
        path.write_bytes(data)
        return validate_files([path])[0]
