"""A short Schemathesis run against the museum's own /api/openapi.json: every check, 0 failures.

The same run as `st run <base>/api/openapi.json --checks all`, over HTTP against the app served on a loopback port
in a thread, anonymous, as a curator (Bearer API token) and as a photo-booth kiosk (device token), each on a fresh
database with a small catalogue. The run is deterministic (fixed seed) and bounded (a few examples per operation;
MUSEUM_FUZZ_EXAMPLES=50 makes it a longer run).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from museum.core.db import get_db
from museum.identity.accounts import create_user
from museum.identity.tokens import create_api_token
from museum.photos.kiosks import register_kiosk
from museum.studio.documents import KINDS
from tests.museum.conftest import Catalogue

SEED = 20261201
EXAMPLES = int(os.environ.get("MUSEUM_FUZZ_EXAMPLES", "5"))

# Every built-in check but the response-time one (a shared 2-core machine times nothing reliably).
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance", "positive_data_acceptance",
          "negative_data_rejection", "use_after_free", "ensure_resource_availability", "missing_required_header",
          "ignored_auth", "unsupported_method", "allow_header_conformance")


@dataclass
class FuzzReport:
    """What one run found: failures (operation, check, title, status), errors, and how long it took."""

    failures: list[tuple[str, str, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    operations: int = 0
    cases: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        lines = [f"{op}: {check}: {title}: {message}" for op, check, title, message in self.failures]
        return "\n".join(lines + [f"error: {e}" for e in self.errors])


_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # Schemathesis's default for valid requests
# Where a schema-valid request can still be refused for what no schema can say, and why. Each is an answer the
# document lists; everything else must accept what the document calls valid.
STATE_AND_CONTENT: list[tuple[str, list[str], str]] = [  # the first entry whose path matches applies
    ("^/api/v1/studio/photo-templates(/|$)", ["400", "412", "422"],
     "as below; and a template's layout (spec) is free JSON, whose numbers the server takes within +-2^53 as it "
     "takes any JSON number"),
    ("^/api/v1/studio/(" + "|".join(KINDS) + ")(/|$)", ["412", "422"],
     "optimistic locking refuses a change based on a replaced version (412); an id must name a row of the right "
     "kind (an exhibit, an image asset), a start year come before the end year, a hotspot's slug be unique in its "
     "exhibit (422)"),
    ("^/api/v1/studio/galleries/\\{item_id\\}/layout-check$", ["422"],
     "the placements, doors and sounds checked name exhibits, galleries and sounds that must exist (as above)"),
    ("^/api/v1/(assets|kiosk/photos)$", ["400", "413", "415", "422"],
     "an upload must be a real model, image or sound: a schema only says binary"),
    ("^/files/", ["416"], "a Range past the end of the file cannot be satisfied, whatever its syntax"),
]


def fuzz_config(examples: int, seed: int, headers: dict[str, str] | None = None) -> Any:
    """Return the Schemathesis configuration of a run (MUSEUM_FUZZ_EXAMPLES sets the examples of a longer run)."""
    import schemathesis

    return schemathesis.Config.from_dict({
        "seed": seed,
        "headers": headers or {},
        "generation": {"max-examples": examples, "deterministic": True, "database": "none"},
        "checks": {name: {"enabled": True} for name in CHECKS},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True},
                   "fuzzing": {"enabled": True}, "stateful": {"enabled": True}},
        "operations": [{"include-path-regex": path,
                        "checks": {"positive_data_acceptance": {"expected-statuses": _ACCEPTED + statuses}}}
                       for path, statuses, _why in STATE_AND_CONTENT],
    })


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve the app on a free loopback port in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_schemathesis(base_url: str, examples: int = EXAMPLES, seed: int = SEED,
                     headers: dict[str, str] | None = None) -> FuzzReport:
    """Run every phase and check against the served app's own document; return what failed."""
    import schemathesis
    from schemathesis.engine import events as ev
    from schemathesis.engine import from_schema

    report = FuzzReport()
    started = time.monotonic()
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json",
                                           config=fuzz_config(examples, seed, headers))
    seen: set[tuple[str, str, str]] = set()
    for event in from_schema(schema).execute():
        if isinstance(event, (ev.ScenarioFinished, ev.FuzzScenarioFinished)):
            report.cases += len(event.recorder.cases)
            for case_id, checks in event.recorder.checks.items():
                node = event.recorder.cases.get(case_id)
                # A stateful scenario's label names no operation: name the one whose answer failed.
                label = node.value.operation.label if node is not None else event.recorder.label
                for check in checks:
                    if check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    key = (label, check.name, failure.title)
                    if key not in seen:
                        seen.add(key)
                        status = getattr(failure, "status_code", None)
                        report.failures.append((*key, f"[{status}] {failure.message[:300]}"))
        elif isinstance(event, ev.NonFatalError):
            report.errors.append(f"{event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, ev.FatalError):
            raise event.exception
        elif isinstance(event, ev.SuiteFinished):
            report.operations = max(report.operations, len(schema))
    report.seconds = time.monotonic() - started
    return report


def _curator_token(app: Flask) -> str:
    with app.app_context(), get_db().write() as session:
        user = create_user(session, "fuzz-curator", "curator", "a long fuzzing password")
        return create_api_token(session, user, "fuzz")[1]


def _kiosk_token(app: Flask) -> str:
    with app.app_context(), get_db().write() as session:
        return register_kiosk(session, "fuzz-booth")[1]


@pytest.mark.slow
@pytest.mark.parametrize("who", ["anonymous", "curator", "kiosk"])
def test_schemathesis_finds_nothing(app: Flask, catalogue: Catalogue, who: str) -> None:
    headers: dict[str, str] = {}
    if who == "curator":
        headers = {"Authorization": f"Bearer {_curator_token(app)}"}
    elif who == "kiosk":
        headers = {"Authorization": f"Bearer {_kiosk_token(app)}"}
    with serving(app) as base_url:
        report = run_schemathesis(base_url, headers=headers)
    print(f"schemathesis ({who}): {report.cases} cases in {report.seconds:.1f} s")
    assert report.cases > 0
    assert not report.failures and not report.errors, report.describe()
