"""The `museum` command: init, demo, serve, users, tokens, kiosks, translations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from museum import create_app
from museum.core import migrate
from museum.core.db import get_db


def command_line_actor() -> str:
    """Return who the audit log names for a change made from the command line: the account that ran it."""
    import getpass

    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        who = "?"
    return f"command line ({who})"


class MuseumGroup(FlaskGroup):
    """The museum's commands; refusals (a taken name, a weak password, ...) print a message, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from museum.core.errors import ApiError

        try:
            return super().invoke(ctx)
        except ApiError as exc:
            raise click.ClickException(f"{exc.message} ({exc.code})") from exc


@click.group(cls=MuseumGroup, create_app=create_app, add_default_commands=False, add_version_option=False,
             load_dotenv=False)
def main() -> None:
    """Run and manage the hospital-history museum."""


@main.command("init")
@with_appcontext
def init_command() -> None:
    """Create or migrate the database to the newest schema."""
    database = get_db()
    migrate.upgrade(database.engine)
    click.echo(f"database ready at revision {migrate.current(database.engine)}")


@main.command("demo")
@with_appcontext
def demo_command() -> None:
    """Seed the demo museum into the configured database (safe to run again)."""
    from museum.demo.seed import seed_demo

    database = get_db()
    migrate.upgrade(database.engine)
    summary: dict[str, Any] = dict(seed_demo(database, current_app.extensions["museum.storage"]))
    from museum.demo.traffic import seed_traffic

    summary["traffic"] = seed_traffic(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(json.dumps(summary, ensure_ascii=False))


def require_schema() -> None:
    """Refuse to go on (with what to do) unless the database is migrated to the newest schema."""
    database = get_db()
    where = database.engine.url.render_as_string(hide_password=True)
    try:
        have = migrate.current(database.engine)
    except Exception as exc:  # no server, wrong credentials, ...: say so instead of a traceback
        raise click.ClickException(f"Cannot open the database at {where}: {exc}") from exc
    want = migrate.head()
    if have is None:
        raise click.ClickException(f"The database at {where} has not been initialised: run `museum init` first.")
    if have != want:
        raise click.ClickException(f"The database at {where} is at schema revision {have}, this museum needs "
                                   f"{want}: run `museum init` to migrate it.")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=None, type=int, help="Worker processes (default: one per CPU core, 2 to 8).")
@click.option("--threads", default=None, type=int, help="Threads per worker (default 64).")
@click.option("--access-log/--no-access-log", default=False, help="Log every request to stdout.")
@click.option("--job-worker/--no-job-worker", default=True, help="Run a job worker beside the web workers.")
@with_appcontext
def serve_command(host: str, port: int, workers: int | None, threads: int | None, access_log: bool,
                  job_worker: bool) -> None:
    """Serve the museum with the production server (gunicorn, several workers)."""
    from museum.core.server import serve

    require_schema()
    config = current_app.config
    get_db().dispose()  # workers open their own connections after the fork
    serve(_serving_app, host, port, workers or config["MUSEUM_WORKERS"], threads or config["MUSEUM_THREADS"],
          access_log, job_worker, str(Path(current_app.instance_path) / "gunicorn.ctl"), preload=True)


def _serving_app() -> Flask:
    """Make the app for `museum serve`, with the search index built once before the workers fork."""
    from museum.catalogue.search_service import warm_index

    app = create_app()
    warm_index(app)
    return app


@main.command("worker")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between polls of the database.")
@click.option("--kinds", default="", help="Take only these kinds of job (comma-separated), e.g. photo.compose.")
@click.option("--nice", default=0, show_default=True, type=click.IntRange(0, 19),
              help="Run at a lower CPU priority (as `nice`), so other work comes first on a busy machine.")
@click.option("--exit-with-parent", is_flag=True, hidden=True, help="Stop when the process that started it ends.")
@with_appcontext
def worker_command(poll: float, kinds: str, nice: int, exit_with_parent: bool) -> None:
    """Run the job worker (asset tiers, posters, photo composition) until interrupted."""
    import os
    import signal

    from ar_photo.compose import prepare_worker
    from assets.memory import give_back_large_blocks
    from museum.core.jobs import PHOTO_KINDS, work_forever
    from museum.photos.service import COMPOSE_JOB

    require_schema()
    only = {k.strip() for k in kinds.split(",") if k.strip()} or None
    if only is None or not only <= PHOTO_KINDS:
        give_back_large_blocks()  # an ingest's decoded textures go back to the system, not into a heap kept for ever
    if only is not None and COMPOSE_JOB in only:
        prepare_worker()  # the photo lane keeps its image memory from one photo to the next
    if nice:
        os.nice(nice)  # the tools an ingest starts (node, the validator) inherit it

    def _terminated(_signum: int, _frame: Any) -> None:
        raise SystemExit(0)  # unwinds the job it is in, so the worker leaves its row and the job queued again

    signal.signal(signal.SIGTERM, _terminated)
    parent = os.getppid()
    # A worker orphaned by a kill -9 of `museum serve` stops after its current job instead of running forever.
    stop = (lambda: os.getppid() != parent) if exit_with_parent else (lambda: False)
    work_forever(current_app._get_current_object(), poll, stop, only)  # type: ignore[attr-defined]


@main.command("workers")
@click.option("--photo-lane/--no-photo-lane", default=True, help="Run a second worker only for guests' photos.")
@click.option("--exit-with-parent", is_flag=True, hidden=True, help="Stop when the process that started it ends.")
@with_appcontext
def workers_command(photo_lane: bool, exit_with_parent: bool) -> None:
    """Run the job workers under supervision: each is restarted (with backoff) when it dies, until interrupted."""
    import os

    from museum.core.server import supervise_job_workers

    require_schema()
    get_db().dispose()  # the workers open their own connections
    parent = os.getppid()
    supervise_job_workers((lambda: os.getppid() != parent) if exit_with_parent else (lambda: False), photo_lane)


@main.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--repair", "do_repair", is_flag=True,
              help="Remove what is safe to remove: orphaned files past the grace hour, abandoned upload staging "
                   "folders, temp files of interrupted writes.")
@with_appcontext
def check_command(as_json: bool, do_repair: bool) -> None:
    """Verify the file and photo stores against the database, list what is missing, corrupt or left behind (upload
    staging, temp files), and check the job queue."""
    from museum.core.jobs import queue_health
    from museum.photos.store import photo_store
    from museum.photos.urls import share_link_problem
    from museum.uploads.check import check_store, problems, repair
    from museum.uploads.ingest import staging_root

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    files, photos = app.extensions["museum.storage"], photo_store(app)
    with get_db().read() as session:
        report = check_store(session, files, photos, staging_root(app))
        queue = queue_health(session)
    report["queue"] = queue.answer()
    if do_repair:
        report["repaired"] = repair(report, files, photos)
    # A warning, not a failure: the store is fine, but the photo booth will refuse to start sessions.
    share_problem = share_link_problem(app.config.get("MUSEUM_BASE_URL"))
    report["warnings"] = [f"photo booth share links: {share_problem}"] if share_problem else []
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(f"{report['files']} files, {report['rows']} rows, {report['photo_files']} photo files")
        for key in ("missing", "corrupt", "orphan_files", "unreferenced_rows", "photo_missing", "photo_corrupt",
                    "photo_orphans", "abandoned_staging", "stale_tmp"):
            click.echo(f"{key}: {len(report[key])}")
            for item in report[key]:
                click.echo(f"  {item}")
        state = f"STALLED ({queue.reason})" if queue.stalled else "moving"
        click.echo(f"job queue: {state}; {queue.workers} worker(s) alive, {queue.waiting} job(s) waiting "
                   f"(oldest {queue.oldest_wait_s or 0:.0f} s, {queue.photos_waiting} photo(s)), "
                   f"{queue.running} running")
        if do_repair:
            click.echo("repaired: " + ", ".join(f"{k} {v}" for k, v in report["repaired"].items()))
        for warning in report["warnings"]:
            click.echo(f"warning: {warning}")
    if problems(report) or queue.stalled:
        sys.exit(1)


@main.command("backup")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Back up the database and the file and photo stores into the new folder PATH (safe while the museum serves)."""
    from museum.core.backup import BackupError, take_backup
    from museum.photos.store import photo_store

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        manifest = take_backup(get_db(), app.extensions["museum.storage"], photo_store(app), path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backed up {sum(manifest['counts'].values())} rows in {len(manifest['counts'])} tables, "
               f"{len(manifest['files'])} files and {len(manifest['photos'])} photo files to {path}")


@main.command("restore")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(path: Path) -> None:
    """Replace the database and the file and photo stores with the backup in PATH (stop the museum first)."""
    from museum.core.backup import BackupError, inventory, restore_backup
    from museum.photos.store import photo_store

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    files, photos = app.extensions["museum.storage"], photo_store(app)
    try:
        manifest = restore_backup(get_db(), files, photos, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    now = inventory(get_db(), files, photos)
    same = (now["counts"] == manifest["counts"] and now["files"] == sorted(manifest["files"])
            and now["photos"] == sorted(manifest["photos"]))
    click.echo(f"restored {sum(manifest['counts'].values())} rows in {len(manifest['counts'])} tables, "
               f"{len(manifest['files'])} files and {len(manifest['photos'])} photo files from {path} "
               f"(schema revision {manifest['revision']}); counts and hashes {'match' if same else 'DIFFER'}")
    if manifest["revision"] != migrate.head():
        click.echo("the backup is of an older schema: run `museum init` to migrate it")
    if not same:
        sys.exit(1)


@main.group("assets")
def assets_group() -> None:
    """Manage 3D assets."""


@assets_group.command("ingest")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_appcontext
def assets_ingest(path: Path, as_json: bool) -> None:
    """Ingest a .glb, a .gltf (with its files beside it) or a .zip into every device tier."""
    from museum.core.errors import ApiError
    from museum.uploads.ingest import ingest_path

    try:
        summary = ingest_path(current_app._get_current_object(), path)  # type: ignore[attr-defined]
    except ApiError as exc:
        error = {"error": {"code": exc.code, "message": exc.message, "pointer": exc.pointer}}
        click.echo(json.dumps(error, ensure_ascii=False) if as_json else f"rejected: {exc.code}: {exc.message}")
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    click.echo(f"asset {summary['id']} {summary['sha256']}")
    for name, tier in summary["tiers"].items():
        click.echo(f"  {name:8} {tier['bytes']:>10} bytes {tier['triangles']:>8} triangles  {tier['url']}")
    for problem in summary["problems"]:
        click.echo(f"  problem: {problem.get('code')}: {problem.get('message')}")


@main.group("user")
def user_group() -> None:
    """Manage studio users."""


@user_group.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "curator", "reviewer", "manager"]), default="curator",
              show_default=True)
@with_appcontext
def user_create(name: str, role: str) -> None:
    """Create a user; the password is asked for, or read from stdin when it is not a terminal."""
    from museum.identity.accounts import create_user

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    with get_db().write() as session:
        user = create_user(session, name, role, password)
        click.echo(f"created {user.role} {user.name}")


@main.group("token")
def token_group() -> None:
    """Manage curator API tokens."""


@token_group.command("create")
@click.argument("name")
@click.option("--user", "user_name", default=None,
              help="Act as this user and role (e.g. a manager); default: a curator account named NAME.")
@with_appcontext
def token_create(name: str, user_name: str | None) -> None:
    """Create an API token (a curator's, or USER's with --user); prints it as the last line."""
    from museum.identity.accounts import ensure_user
    from museum.identity.tokens import create_api_token

    with get_db().write() as session:
        user = ensure_user(session, user_name or name, "curator")
        _, token = create_api_token(session, user, name, actor=command_line_actor())
    click.echo(f"token {name!r} for {user.name} ({user.role}); keep it secret, it is shown once:")
    click.echo(token)


@token_group.command("revoke")
@click.argument("prefix")
@with_appcontext
def token_revoke(prefix: str) -> None:
    """Revoke the API tokens whose secret starts with PREFIX."""
    from museum.identity.tokens import revoke_api_token, tokens_with_prefix

    with get_db().write() as session:
        rows = tokens_with_prefix(session, prefix)
        for row in rows:
            revoke_api_token(session, row, actor=command_line_actor())
    click.echo(f"revoked {len(rows)} token(s)")
    if not rows:
        sys.exit(1)


@main.group("kiosk")
def kiosk_group() -> None:
    """Manage kiosks: the photo booth and the inquiry kiosk."""


@kiosk_group.command("register")
@click.argument("name")
@click.option("--kind", type=click.Choice(["booth", "inquiry"]), default="booth", show_default=True,
              help="booth: the photo booth (/kiosk); inquiry: the touch-screen inquiry kiosk (/inquiry).")
@with_appcontext
def kiosk_register(name: str, kind: str) -> None:
    """Register a kiosk device; prints its device token as the last line."""
    from museum.photos.kiosks import register_kiosk

    with get_db().write() as session:
        _, token = register_kiosk(session, name, actor=command_line_actor(), kind=kind)
    where = "the booth (/kiosk)" if kind == "booth" else "the inquiry kiosk (/inquiry)"
    click.echo(f"kiosk {name!r} registered; put this device token into {where} (shown once):")
    click.echo(token)


@kiosk_group.command("revoke")
@click.argument("name")
@with_appcontext
def kiosk_revoke(name: str) -> None:
    """Revoke a kiosk's device token; it is refused from its next request."""
    from museum.photos.kiosks import kiosk_named, revoke_kiosk

    with get_db().write() as session:
        kiosk = kiosk_named(session, name)
        if kiosk is not None:
            revoke_kiosk(session, kiosk, actor=command_line_actor())
        found = kiosk is not None
    click.echo("revoked" if found else f"no kiosk named {name!r}")
    if not found:
        sys.exit(1)


@main.group("translations")
def translations_group() -> None:
    """Check the three languages of every visitor-facing text."""


@translations_group.command("missing")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def translations_missing(as_json: bool) -> None:
    """List texts that are not yet translated into every language."""
    from museum.studio.translations import untranslated

    with get_db().read() as session:
        rows = untranslated(session)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['type']}:{row['slug']} {row['field']} missing {', '.join(row['missing'])}")
    click.echo(f"{len(rows)} untranslated text(s)")
