"""Overhead of reading a request with a pydantic model: the museum's own integration beside spectree and flask-openapi3.

    .venv/bin/python bench/api/payloads.py          # figures printed (and with --json PATH, written as JSON)
    .venv/bin/python bench/api/payloads.py --quick  # few repetitions (a smoke test)

Minimal Flask apps each have one route, POST /events, that takes the same batch of visitors' events and answers
202 {"accepted": N}:

  none            `json.loads` of the body, no validation (the floor);
  museum          `museum.core.payloads.read(EventBatch, ...)` (the museum's JSON reader with its limits, then the
                  model) and `Accepted(...).answer()`, the museum's error handlers installed;
  museum/get_json the same with the body read by Flask's `request.get_json` (as the peers read it), then
                  `payloads.validate`: it splits the museum's figure into its JSON reader and its model;
  spectree        `@api.validate(json=EventBatch, resp=Response(HTTP_202=Accepted))`, the view returning the
                  `Accepted` instance (spectree serialises it);
  flask-openapi3  `@app.post("/events", responses={202: Accepted})` with a `body: EventBatch` parameter.

All use the real models of museum.cockpit.payloads and museum.core.payloads. Each request goes through Flask's test
client in this process; per batch size (1 and 100 events) the contenders are timed in interleaved rounds after a
warm-up, and the median and p95 microseconds per request are reported, with ratios to `museum` and to `none` and the
microseconds over `none` (what the validation costs). Before timing, every app must answer the batch with 202 and
the right count, and refuse a bad batch (a step sent as the string "3") with 422.

The OpenAPI figure is the time to declare the route on a fresh app and produce its OpenAPI document (median of
fresh builds): flask-openapi3 makes the schemas when the route is declared, spectree when `api.spec` is first read,
the museum with `payloads.schemas` in a document shaped like museum/cockpit/docs.py's.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask.testing import FlaskClient

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from museum.cockpit.payloads import EventBatch  # noqa: E402
from museum.core import errors, payloads  # noqa: E402
from museum.core.openapi import json_response, ref  # noqa: E402
from museum.core.payloads import Accepted  # noqa: E402

CONTENDERS = ("none", "museum", "museum/get_json", "spectree", "flask-openapi3")
SIZES = (1, 100)
PACKAGES = ("flask", "werkzeug", "pydantic", "pydantic-core", "spectree", "flask-openapi3")
ERROR_CODE = "invalid_batch"

# What the pages send (static/src/_analytics.js): every event carries device, lang and path besides its own fields.
EXHIBITS = ("ventilator-1952", "iron-lung", "x-ray-tube-1923", "surgical-kit-1890", "medical-uav", "stethoscope")
GALLERIES = ("early-medicine", "modern-surgery", "smart-hospital", "nursing-history")
TOURS = ("highlights", "children", "nursing")
QUERIES = ("听诊器", "iron lung", "X光", "nurse uniform", "無人機", "penicillin")
DEVICES = ("phone", "desktop", "headset", "kiosk")
LANGS = ("zh-Hans", "zh-Hant", "en")


def event(rng: random.Random, index: int) -> dict[str, Any]:
    """Return one visitor event as a page would send it; types cycle through views, tour steps and searches."""
    common = {"device": rng.choice(DEVICES), "lang": rng.choice(LANGS)}
    kind = index % 4
    if kind == 0:
        exhibit, gallery = rng.choice(EXHIBITS), rng.choice(GALLERIES)
        return {"type": "exhibit_view", "exhibit": exhibit, "gallery": gallery, "path": f"/galleries/{gallery}",
                "dwell_ms": rng.randint(800, 90_000), **common}
    if kind == 1:
        gallery = rng.choice(GALLERIES)
        return {"type": "gallery_view", "gallery": gallery, "path": f"/galleries/{gallery}",
                "dwell_ms": rng.randint(5_000, 600_000), **common}
    if kind == 2:
        tour = rng.choice(TOURS)
        return {"type": "tour_step", "tour": tour, "step": rng.randint(0, 12), "path": f"/tours/{tour}", **common}
    return {"type": "search", "query": rng.choice(QUERIES), "results": rng.randint(0, 40), "path": "/", **common}


def batch(size: int, seed: int = 7) -> bytes:
    """Return the JSON body of a batch of `size` events (the same for every contender)."""
    rng = random.Random(seed)
    return json.dumps({"events": [event(rng, i) for i in range(size)]}, ensure_ascii=False).encode()


BAD_BATCH = json.dumps({"events": [{"type": "tour_step", "tour": "highlights", "step": "3"}]}).encode()


def none_app() -> Flask:
    app = Flask("none")

    @app.post("/events")
    def events() -> Any:
        data = json.loads(request.get_data())
        return {"accepted": len(data["events"])}, 202

    return app


def museum_app(reader: bool = True) -> Flask:
    """Return the museum's route; without `reader`, the body is read by Flask's `request.get_json` as the peers do."""
    app = Flask("museum")
    errors.init_app(app)

    @app.post("/events")
    def events() -> Any:
        if reader:
            received = payloads.read(EventBatch, ERROR_CODE)
        else:
            received = payloads.validate(EventBatch, request.get_json(), ERROR_CODE)
        return Accepted(accepted=len(received.events)).answer(), 202

    return app


def museum_document() -> dict[str, Any]:
    """Return the museum app's OpenAPI document, built as the museum builds its own."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "events", "version": "1"},
        "paths": {"/events": {"post": {
            "requestBody": {"required": True, "content": {"application/json": {"schema": ref("EventBatch")}}},
            "responses": {"202": json_response(ref("Accepted"), "Stored")},
        }}},
        "components": {"schemas": payloads.schemas(EventBatch, Accepted)},
    }


def spectree_app() -> tuple[Flask, Any]:
    from spectree import Response, SpecTree

    app = Flask("spectree")
    api = SpecTree("flask")

    @app.post("/events")
    @api.validate(json=EventBatch, resp=Response(HTTP_202=Accepted))
    def events(json: EventBatch) -> Any:
        return Accepted(accepted=len(json.events)), 202

    api.register(app)
    return app, api


def openapi3_app() -> Any:
    from flask_openapi3 import OpenAPI

    app = OpenAPI("flask-openapi3")

    @app.post("/events", responses={202: Accepted})
    def events(body: EventBatch) -> Any:
        return Accepted(accepted=len(body.events)).answer(), 202

    return app


def document_ms(contender: str) -> float | None:
    """Return the milliseconds to declare the route on a fresh app and produce its OpenAPI document."""
    start = time.perf_counter()
    if contender == "none":
        return None
    if contender.startswith("museum"):
        museum_app()
        doc = museum_document()
    elif contender == "spectree":
        app, api = spectree_app()
        with app.app_context():  # spectree finds the routes through current_app
            doc = api.spec
    else:
        doc = openapi3_app().api_doc
    elapsed = (time.perf_counter() - start) * 1000
    if not any(name.startswith("EventBatch") for name in doc["components"]["schemas"]):  # spectree adds a hash
        raise SystemExit(f"{contender}: its OpenAPI document has no EventBatch schema")
    return elapsed


def app_ms() -> float:
    """Return the milliseconds to make the plain app (the floor of `document_ms`)."""
    start = time.perf_counter()
    none_app()
    return (time.perf_counter() - start) * 1000


def post(client: FlaskClient, body: bytes) -> Any:
    return client.post("/events", data=body, content_type="application/json")


def check(name: str, client: FlaskClient, body: bytes, size: int) -> None:
    """Refuse to time an app that does not answer as the museum's route does."""
    reply = post(client, body)
    if reply.status_code != 202 or reply.get_json() != {"accepted": size}:
        raise SystemExit(f"{name}: answered {reply.status_code} {reply.get_data(as_text=True)[:200]!r}")
    if name != "none":
        refused = post(client, BAD_BATCH)
        if refused.status_code != 422:
            raise SystemExit(f"{name}: a bad batch got {refused.status_code}, not 422")


def timed(client: FlaskClient, body: bytes, count: int) -> list[float]:
    """Return the microseconds of `count` requests, one by one."""
    out = []
    clock = time.perf_counter_ns
    for _ in range(count):
        start = clock()
        post(client, body)
        out.append((clock() - start) / 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


@dataclass
class Row:
    contender: str
    events: int
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return p95(self.samples)


def measure(apps: dict[str, Flask], rounds: int, per_round: int, warmup: int) -> list[Row]:
    """Time every contender at every batch size, in interleaved rounds (a slow moment hits them all alike)."""
    rows: list[Row] = []
    for size in SIZES:
        body = batch(size)
        clients = {name: app.test_client() for name, app in apps.items()}
        for name, client in clients.items():
            check(name, client, body, size)
            timed(client, body, warmup)
        by_name = {name: Row(name, size) for name in clients}
        for turn in range(rounds):
            order = list(clients) if turn % 2 == 0 else list(reversed(clients))
            for name in order:
                by_name[name].samples += timed(clients[name], body, per_round)
        rows += by_name.values()
    return rows


def table(rows: list[Row], docs: dict[str, float | None], floor_ms: float) -> str:
    base = {(r.contender, r.events): r for r in rows}
    head = (f"{'contender':<15} {'events':>6} {'median µs':>10} {'p95 µs':>9} {'over none µs':>13} "
            f"{'x museum':>9} {'x none':>7} {'OpenAPI ms':>11}")
    lines = [head, "-" * len(head)]
    for r in rows:
        museum, floor = base["museum", r.events], base["none", r.events]
        doc = docs[r.contender]
        shown = f"{doc:.2f}" if doc is not None else f"({floor_ms:.2f} app)"
        lines.append(f"{r.contender:<15} {r.events:>6} {r.median:>10.1f} {r.p95:>9.1f} "
                     f"{r.median - floor.median:>13.1f} {r.median / museum.median:>8.2f}x "
                     f"{r.median / floor.median:>6.2f}x {shown:>11}")
    return "\n".join(lines)


def versions() -> dict[str, str]:
    return {name: version(name) for name in PACKAGES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions (a smoke test)")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds per batch size")
    parser.add_argument("--per-round", type=int, default=None, help="requests per contender and round")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 20)
    per_round = args.per_round or (20 if args.quick else 250)
    warmup = 20 if args.quick else 300
    builds = 3 if args.quick else 15

    apps: dict[str, Flask] = {"none": none_app(), "museum": museum_app(), "museum/get_json": museum_app(False),
                              "spectree": spectree_app()[0], "flask-openapi3": openapi3_app()}
    for name in CONTENDERS:  # the first build pays for imports and pydantic's schema caches: not counted
        document_ms(name)
    docs: dict[str, float | None] = {}
    for name in CONTENDERS:
        times = [document_ms(name) for _ in range(builds)]
        docs[name] = None if name == "none" else statistics.median(t for t in times if t is not None)
    floor_ms = statistics.median(app_ms() for _ in range(builds))
    rows = measure(apps, rounds, per_round, warmup)

    found = versions()
    print("POST /events through Flask's test client, in process; "
          f"{rounds} rounds x {per_round} requests per contender and batch size, after {warmup} warm-up requests")
    print("versions: " + ", ".join(f"{name} {v}" for name, v in found.items()) + f", Python {sys.version.split()[0]}")
    print()
    print(table(rows, docs, floor_ms))
    print()
    print("museum:         payloads.read (museum.core.jsonbody.body: content type, size and depth limits, "
          "duplicate keys) then EventBatch.model_validate; no app config needed")
    print("spectree:       json=EventBatch as is (RootModel union, strict); the body read with request.get_json; "
          "the view returns the Accepted instance")
    print("flask-openapi3: body: EventBatch as is (RootModel union, strict); the body read with request.get_json")
    print("museum/get_json: payloads.validate(EventBatch, request.get_json(), ...): the museum without its JSON reader")
    print("A bad batch is a 422 in every app; the peers answer it with their own body (pydantic's error list), "
          "not the museum's error body, and name their schemas their own way (spectree adds a hash)")
    print("OpenAPI ms: a fresh app's route declared and its document produced (median of "
          f"{builds}); for none, the bare app")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "versions": found, "rounds": rounds, "per_round": per_round,
            "openapi_ms": docs, "app_ms": floor_ms,
            "rows": [{"contender": r.contender, "events": r.events, "median_us": r.median, "p95_us": r.p95}
                     for r in rows],
        }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
