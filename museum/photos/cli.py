"""`museum photos purge`: erase expired photos now (the job worker also does it every hour)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from museum.core.db import get_db
from museum.photos.service import purge_expired
from museum.photos.store import photo_store


@click.group("photos")
def photos_group() -> None:
    """Manage guests' booth photos."""


@photos_group.command("purge")
@with_appcontext
def purge_command() -> None:
    """Erase the files of expired photos and mark them expired."""
    with get_db().write() as session:
        count = purge_expired(session, photo_store())
    click.echo(f"purged {count} expired photo(s)")
