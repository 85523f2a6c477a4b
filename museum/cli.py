"""The `museum` command: init, demo, serve, users, tokens, kiosks, translations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from museum import create_app, migrate
from museum.db import get_db


class MuseumGroup(FlaskGroup):
    """The museum's commands; refusals (a taken name, a weak password, ...) print a message, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from museum.errors import ApiError

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
    summary = seed_demo(database, current_app.extensions["museum.storage"])
    click.echo(json.dumps(summary, ensure_ascii=False))


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=None, type=int, help="Worker processes (default: 2 x CPU cores, at most 8).")
@click.option("--threads", default=None, type=int, help="Threads per worker (default 32).")
@click.option("--access-log/--no-access-log", default=False, help="Log every request to stdout.")
@click.option("--job-worker/--no-job-worker", default=True, help="Run a job worker beside the web workers.")
@with_appcontext
def serve_command(host: str, port: int, workers: int | None, threads: int | None, access_log: bool,
                  job_worker: bool) -> None:
    """Serve the museum with the production server (gunicorn, several workers)."""
    from museum.server import serve

    config = current_app.config
    get_db().dispose()  # workers open their own connections after the fork
    serve(create_app, host, port, workers or config["MUSEUM_WORKERS"], threads or config["MUSEUM_THREADS"],
          access_log, job_worker, str(Path(current_app.instance_path) / "gunicorn.ctl"))


@main.command("worker")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between polls of the database.")
@with_appcontext
def worker_command(poll: float) -> None:
    """Run the job worker (asset tiers, posters, photo composition) until interrupted."""
    from museum.jobs import work_forever

    work_forever(current_app._get_current_object(), poll)  # type: ignore[attr-defined]


@main.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def check_command(as_json: bool) -> None:
    """Verify every stored file against its hash and list missing, corrupt and orphaned files."""
    from museum.check import check_store

    with get_db().read() as session:
        report = check_store(session, current_app.extensions["museum.storage"])
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(f"{report['files']} files, {report['rows']} rows")
        for key in ("missing", "corrupt", "orphan_files", "unreferenced_rows"):
            click.echo(f"{key}: {len(report[key])}")
            for sha in report[key]:
                click.echo(f"  {sha}")
    if report["missing"] or report["corrupt"]:
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
    from museum.errors import ApiError
    from museum.ingest import ingest_path

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
@click.option("--role", type=click.Choice(["admin", "curator", "reviewer"]), default="curator", show_default=True)
@with_appcontext
def user_create(name: str, role: str) -> None:
    """Create a user; the password is asked for, or read from stdin when it is not a terminal."""
    from museum.accounts import create_user

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
@click.option("--user", "user_name", default=None, help="Owner (default: a curator account named NAME).")
@with_appcontext
def token_create(name: str, user_name: str | None) -> None:
    """Create a curator API token; prints it as the last line."""
    from museum.accounts import ensure_user
    from museum.auth import create_api_token

    with get_db().write() as session:
        user = ensure_user(session, user_name or name, "curator")
        token = create_api_token(session, user, name)
    click.echo(f"token {name!r} for {user.name} ({user.role}); keep it secret, it is shown once:")
    click.echo(token)


@token_group.command("revoke")
@click.argument("prefix")
@with_appcontext
def token_revoke(prefix: str) -> None:
    """Revoke the API tokens whose secret starts with PREFIX."""
    from museum.models import ApiToken
    from museum.models.base import utcnow

    with get_db().write() as session:
        rows = session.scalars(select(ApiToken).where(ApiToken.prefix == prefix[:10])).all()
        for row in rows:
            row.revoked_at = utcnow()
    click.echo(f"revoked {len(rows)} token(s)")
    if not rows:
        sys.exit(1)


@main.group("kiosk")
def kiosk_group() -> None:
    """Manage photo-booth kiosks."""


@kiosk_group.command("register")
@click.argument("name")
@with_appcontext
def kiosk_register(name: str) -> None:
    """Register a kiosk device; prints its device token as the last line."""
    from museum.kiosks import register_kiosk

    with get_db().write() as session:
        token = register_kiosk(session, name)
    click.echo(f"kiosk {name!r} registered; put this device token into the booth (shown once):")
    click.echo(token)


@kiosk_group.command("revoke")
@click.argument("name")
@with_appcontext
def kiosk_revoke(name: str) -> None:
    """Revoke a kiosk's device token; it is refused from its next request."""
    from museum.kiosks import revoke_kiosk

    with get_db().write() as session:
        found = revoke_kiosk(session, name)
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
    from museum.translations import untranslated

    with get_db().read() as session:
        rows = untranslated(session)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['type']}:{row['slug']} {row['field']} missing {', '.join(row['missing'])}")
    click.echo(f"{len(rows)} untranslated text(s)")
