"""The summary folds the raw events after the watermark once per process, then only tops the fold up; its figures
stay those of a direct count when events arrive, land late inside the fold, or hours are rolled up meanwhile."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from museum.cockpit import live
from museum.cockpit.rollup import roll_up
from museum.core.db import get_db
from tests.museum.cockpit.conftest import TZ, Seeded, random_events, write_events
from tests.museum.cockpit.test_summary import check, expected, summary

Reads = list[tuple[datetime, datetime, int]]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    """Record every window of raw events the folds read, with how many events it held."""
    seen: Reads = []
    original = live.read_events

    def counted(session: Any, start: datetime, end: datetime) -> Iterable[Sequence[Any]]:
        rows = list(original(session, start, end))
        seen.append((start, end, len(rows)))
        return rows

    monkeypatch.setattr(live, "read_events", counted)
    return seen


def test_a_second_summary_reads_no_event_again(client: FlaskClient, manager: dict[str, str], seeded: Seeded,
                                               reads: Reads) -> None:
    check(summary(client, manager, seeded.first, seeded.last), expected(seeded.rows, seeded.first, seeded.last))
    assert sum(n for _, _, n in reads) == len(seeded.rows)
    reads.clear()
    check(summary(client, manager, seeded.first, seeded.last), expected(seeded.rows, seeded.first, seeded.last))
    assert sum(n for _, _, n in reads) == 0


def test_an_event_that_lands_late_inside_the_fold_is_counted(app: Flask, client: FlaskClient,
                                                             manager: dict[str, str], seeded: Seeded,
                                                             reads: Reads) -> None:
    summary(client, manager, seeded.first, seeded.last)
    late = dict(seeded.rows[len(seeded.rows) // 2], visitor="ffffffffffffffff", type="exhibit_view",
                exhibit="heart-model", duration_ms=1234)
    late["at"] += timedelta(microseconds=1)
    write_events(app, [late])
    rows = sorted([*seeded.rows, late], key=lambda r: r["at"])
    reads.clear()
    check(summary(client, manager, seeded.first, seeded.last), expected(rows, seeded.first, seeded.last))
    assert sum(n for _, _, n in reads) == len(rows)  # folded afresh


def test_events_of_the_last_seconds_and_a_roll_up_meanwhile(app: Flask, client: FlaskClient,
                                                            manager: dict[str, str], reads: Reads) -> None:
    now = datetime.now(UTC)
    today = now.astimezone(TZ).date()
    day_began = datetime.combine(today, datetime.min.time(), tzinfo=TZ).astimezone(UTC)
    if now - day_began < timedelta(hours=3):
        day_began = now - timedelta(hours=3)  # the day is young: start the events in yesterday's evening
    first = day_began.astimezone(TZ).date()
    # Events from the day's start until a few seconds ago, some of them in the last seconds (not settled yet).
    span = int((now - day_began).total_seconds()) // 86400 + 1
    rows = [r for r in random_events(5, day_began, span, 400) if r["at"] < now - timedelta(seconds=1)]
    rows += [dict(r, at=now - timedelta(seconds=1, microseconds=i)) for i, r in enumerate(rows[:7])]
    rows.sort(key=lambda r: r["at"])
    write_events(app, rows)
    check(summary(client, manager, first, today), expected(rows, first, today))
    # The worker rolls up the complete hours: the fold drops them and carries on, without reading them again.
    with app.app_context():
        assert roll_up(get_db(), TZ, now) > 0
    more = [dict(r, at=datetime.now(UTC)) for r in rows[:5]]
    write_events(app, more)
    rows += more
    reads.clear()
    check(summary(client, manager, first, today), expected(rows, first, today))
    assert all(start >= now - live.SETTLE - timedelta(seconds=1) for start, _, _ in reads), reads


def test_a_web_process_folds_at_its_start_so_its_first_summary_reads_only_new_events(
        app: Flask, client: FlaskClient, manager: dict[str, str], reads: Reads) -> None:
    now = datetime.now(UTC)
    rows = random_events(9, now - timedelta(hours=30), 2, 300)
    rows = [r for r in rows if r["at"] < now - timedelta(seconds=10)]
    write_events(app, rows)
    live.warm(app)  # nothing rolled up yet: nothing to fold
    assert not reads
    with app.app_context():
        roll_up(get_db(), TZ, now)
    assert live.warm in app.extensions["museum.at_start"]
    live.warm(app)
    assert sum(n for _, _, n in reads) > 0
    reads.clear()
    first, today = (now - timedelta(hours=30)).astimezone(TZ).date(), now.astimezone(TZ).date()
    check(summary(client, manager, first, today), expected(rows, first, today))
    assert all(start >= now - live.SETTLE - timedelta(seconds=1) for start, _, _ in reads), reads
