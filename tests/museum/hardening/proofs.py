"""The hardening proofs, sized by the caller: short in the test suite, full in bench/hardening/.

- `racing_editors`: writer processes each doing read-modify-writes of one exhibit the way the studio saves (read
  the version, then a conditional UPDATE of the version and the change in one transaction; retry on conflict).
- `crash_rounds`: `museum serve` killed with SIGKILL (the server, or a job worker) at random moments while booth
  photos and model uploads arrive, restarted, and then checked: every accepted photo composed, every job finished,
  `museum check` clean.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import threading
import time
import uuid
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from museum import create_app
from museum.core.db import get_db
from museum.core.errors import PreconditionFailed
from museum.models import Asset, Exhibit, Job
from museum.models.base import utcnow
from museum.studio import locking
from tests.museum.conftest import box_glb
from tests.museum.hardening.live import MUSEUM, LiveMuseum, museum_env, start_serve, wait_until


def _editor(config: dict[str, Any], exhibit_id: int, updates: int, out: Any, checked: bool = True) -> None:
    """Do `updates` read-modify-writes of the exhibit's counter; report successes, conflicts and errors.

    Unchecked (the benchmark's peer), the write skips the version check: a plain read, then a plain write.
    """
    app = create_app(config)
    database = get_db(app)
    done = conflicts = errors = 0
    while done < updates:
        try:
            with database.read() as session:
                row = session.get(Exhibit, exhibit_id)
                assert row is not None
                version, value = row.version, int(row.real_height_m or 0)
            with database.write() as session:
                if checked:
                    locking.claim(session, Exhibit, exhibit_id, version)
                row = session.get(Exhibit, exhibit_id)
                assert row is not None
                row.real_height_m = float(value + 1)
            done += 1
        except PreconditionFailed:
            conflicts += 1  # someone saved first: read again and redo the change, as the studio asks
        except Exception:
            errors += 1
            if errors > 50:
                break
    database.dispose()
    out.put((done, conflicts, errors))


def racing_editors(app: Flask, processes: int, updates: int, checked: bool = True) -> dict[str, Any]:
    """Race `processes` writer processes of `updates` read-modify-writes each on one exhibit; return the tally."""
    with get_db(app).write() as session:
        exhibit = Exhibit(slug=f"raced-{uuid.uuid4().hex[:8]}", status="draft", version=1, real_height_m=0.0,
                          title={"en": "Raced"})
        session.add(exhibit)
        session.flush()
        exhibit_id = exhibit.id
    config = {k[len("MUSEUM_"):]: v for k, v in app.config.items() if k.startswith("MUSEUM_")}
    config.update({"TESTING": True, "INSTANCE_PATH": app.instance_path})
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [context.Process(target=_editor, args=(config, exhibit_id, updates, out, checked))
               for _ in range(processes)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    tallies = [out.get(timeout=1800) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    elapsed = time.perf_counter() - started
    with get_db(app).read() as session:
        row = session.get(Exhibit, exhibit_id)
        assert row is not None
        final, version = int(row.real_height_m or 0), row.version
    saves = sum(t[0] for t in tallies)
    return {"processes": processes, "updates_each": updates, "saves": saves, "final_value": final,
            "lost_updates": saves - final, "version_moves": version - 1,
            "conflicts_retried": sum(t[1] for t in tallies), "errors": sum(t[2] for t in tallies),
            "seconds": round(elapsed, 1)}


def _curator_token(app: Flask) -> str:
    from museum.identity.accounts import ensure_user
    from museum.identity.tokens import create_api_token

    with get_db(app).write() as session:
        return create_api_token(session, ensure_user(session, "crash-curator", "curator"), "crash")[1]


def _upload_model(live: LiveMuseum, token: str, seed: int) -> int | None:
    """Upload a small model as a curator; return the asset id when it was accepted (202)."""
    import json
    import urllib.request

    from tests.museum.hardening.live import multipart

    body, content_type = multipart({}, {"file": (f"box-{seed}.glb", box_glb(0.2 + seed * 0.001), "model/gltf-binary")})
    request = urllib.request.Request(live.origin + "/api/v1/assets", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": content_type, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(json.loads(response.read())["id"]) if response.status == 202 else None
    except (OSError, urllib.error.HTTPError):
        return None  # the server was killed under it: not accepted, nothing promised


def _unsettled(live: LiveMuseum, photos: list[str]) -> str:
    """Describe what a crash round left unfinished: the jobs, the pending photos, and the server's last words."""
    with get_db(live.app).read() as session:
        jobs = session.scalars(select(Job).where(Job.status.in_(("queued", "running")))).all()
        lines = [f"job {j.id} {j.kind} {j.status} attempts={j.attempts} deaths={j.deaths} by={j.locked_by} "
                 f"after={j.run_after:%H:%M:%S} error={(j.error or {}).get('code')}" for j in jobs]
    lines += [f"photo {p} pending" for p in photos if live.photo_status(p) == "pending"]
    return "\n".join(lines) + "\n--- serve log ---\n" + live.log_tail(3000)


def crash_rounds(app: Flask, rounds: int, photos_per_round: int, seed: int = 11) -> dict[str, Any]:
    """Kill -9 `museum serve` or a job worker at random moments under traffic, restart, and check what survived."""
    rng = random.Random(seed)
    token = _curator_token(app)
    live = start_serve(app)
    kiosk = live.kiosk
    accepted_photos: list[str] = []
    accepted_assets: list[int] = []
    kills = {"server": 0, "worker": 0}
    lock = threading.Lock()
    try:
        for round_no in range(rounds):
            def traffic(current: LiveMuseum = live, round_no: int = round_no) -> None:
                for index in range(photos_per_round):
                    try:
                        public_id = current.post_photo()
                    except (OSError, AssertionError):
                        continue  # refused or cut off by the kill: not accepted
                    with lock:
                        accepted_photos.append(public_id)
                    if index == 0:
                        asset = _upload_model(current, token, round_no)
                        if asset is not None:
                            with lock:
                                accepted_assets.append(asset)

            thread = threading.Thread(target=traffic)
            thread.start()
            time.sleep(rng.uniform(0.2, 2.5))
            if round_no % 2 == 1:  # alternate, so both kinds of kill happen in every run of two rounds or more
                os.kill(live.process.pid, signal.SIGKILL)  # the whole server: master first, children follow
                live.process.wait()
                kills["server"] += 1
                thread.join()
                live.log_handle.close()
                live = start_serve(app, kiosk)
            else:
                pids = list(wait_until(live.worker_pids, 60, "a live job worker").values())
                os.kill(rng.choice(pids), signal.SIGKILL)
                kills["worker"] += 1
                thread.join()
        # Everything accepted must now get done by the museum running after the last kill.
        def settled() -> bool:
            with get_db(app).read() as session:
                busy = session.scalar(select(func.count()).select_from(Job).where(
                    Job.status.in_(("queued", "running")), Job.run_after <= utcnow())) or 0
            return busy == 0 and all(live.photo_status(p) != "pending" for p in accepted_photos)

        try:
            wait_until(settled, 300, "every accepted photo and job to be finished")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{_unsettled(live, accepted_photos)}") from None
        check = subprocess.run([*MUSEUM, "check"], env=museum_env(app), capture_output=True, text=True,
                               timeout=300)
    finally:
        live.stop()
    with get_db(app).read() as session:
        statuses = [live.photo_status(p) for p in accepted_photos]
        assets = [session.get(Asset, a) for a in accepted_assets]
        failed_jobs = session.scalars(select(Job).where(Job.status == "failed")).all()
    return {
        "kills": kills, "photos_accepted": len(accepted_photos),
        "photos_ready": statuses.count("ready"), "photos_not_ready": len(statuses) - statuses.count("ready"),
        "models_accepted": len(accepted_assets),
        "models_ready": sum(1 for a in assets if a is not None and a.status == "ready"),
        "jobs_failed": [(j.kind, (j.error or {}).get("code")) for j in failed_jobs],
        "check_exit": check.returncode, "check_output": check.stdout[-1500:] + check.stderr[-1500:],
    }
