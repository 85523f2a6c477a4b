"""Early warning: a figure that leaves its normal band raises an alert; a manager acknowledges it.

The normal band of an hour's figure is robust to the odd bad hour:

    median m of the same hour of the week in the previous 8 weeks (hours before the first data are left out)
    spread s = 1.4826 x MAD (the median absolute deviation, scaled to estimate a standard deviation), but never
               below sqrt(m), the spread of a count that arrives at random, so quiet identical weeks do not make
               a band of zero width
    band = m - k x s .. m + k x s, with k = 3

- `visits_drop`: an hour's visitors (distinct, active in the hour) below the band, when the median is at least
  10 (quiet night hours never alarm). Visitors, not views: one visitor's views come in bursts, so views vary more
  than a count arriving at random and would cross a sqrt(m)-wide band by chance.
- `booth_failures`: an hour's failed photos above the band and at least 3.
- `compose_slow`: an hour's median composition time above the band of the medians of the same hour of the week
  and at least 1.5 times their median, counting only hours (the one checked and those of the band) with at least 5
  compositions. The median, not the 95th percentile the dashboard shows: with a handful of photos an
  hour, the 95th percentile is the slowest photo, and one slow photo is not a slowing booth. The 1.5 times: a
  band of a few hourly medians of a few photos each is narrow by chance now and then, and a booth a few hundred
  milliseconds slower than usual is nothing a manager needs to act on.
- `queue_stalled`: a job due for more than 10 minutes that no worker has claimed (checked now, not by hour).
- `disk_filling`: the file store's disk has less than MUSEUM_ALERT_DISK_FREE_PERCENT free (checked now).

An alert starts when its condition first holds, stays open while it holds, and ends when it no longer does.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.cockpit.payloads import CockpitAlert as AlertReply
from museum.cockpit.rollup import HOUR, watermark
from museum.cockpit.summary import percentile
from museum.core.errors import Conflict, NotFound
from museum.models import CockpitAlert, Counter, HourlyRollup, Job
from museum.models.base import utcnow

K = 3.0
MAD_SCALE = 1.4826
WEEKS = 8
MIN_BASELINE = 4
MIN_VISITORS_MEDIAN = 10
MIN_FAILURES = 3
MIN_COMPOSED = 5
MIN_SLOWDOWN = 1.5
STALL = timedelta(minutes=10)
FIRST_CHECK_BACK = timedelta(days=8)  # on the first run, look back this far (the demo's drop is inside it)
CHECKED = "cockpit.checked_until"

MESSAGES = {
    "visits_drop": "Visitors fell below their normal band for this hour of the week.",
    "booth_failures": "More booth photos failed than usual for this hour of the week.",
    "compose_slow": "Booth photos take longer than usual to compose.",
    "queue_stalled": "Jobs are waiting and no worker takes them.",
    "disk_filling": "The file store's disk is nearly full.",
}


@dataclass(frozen=True)
class Band:
    """A normal band: its median and its low and high edges."""

    median: float
    low: float
    high: float


def robust_band(values: list[float], k: float = K) -> Band | None:
    """Return the band median +- k x max(1.4826 x MAD, sqrt(median)), or None with too few values."""
    if len(values) < MIN_BASELINE:
        return None
    middle = median(values)
    spread = max(MAD_SCALE * median(abs(v - middle) for v in values), math.sqrt(max(middle, 1.0)))
    return Band(middle, middle - k * spread, middle + k * spread)


@dataclass(frozen=True)
class Finding:
    """The state of one alert's condition in one hour (or now)."""

    code: str
    firing: bool
    value: float
    band: Band | None
    at: datetime


def _series(session: Session, start: datetime, end: datetime) -> dict[tuple[datetime, str], int]:
    rows = session.execute(select(HourlyRollup.hour, HourlyRollup.metric, HourlyRollup.count).where(
        HourlyRollup.hour >= start, HourlyRollup.hour < end, HourlyRollup.key == "",
        HourlyRollup.metric.in_(("active", "photo_failed"))))
    return {(hour.astimezone(UTC), metric): count for hour, metric, count in rows}


def _composed(session: Session, start: datetime, end: datetime) -> dict[datetime, dict[int, int]]:
    rows = session.execute(select(HourlyRollup.hour, HourlyRollup.key, HourlyRollup.count).where(
        HourlyRollup.hour >= start, HourlyRollup.hour < end, HourlyRollup.metric == "photo_composed",
        HourlyRollup.key != ""))
    out: dict[datetime, dict[int, int]] = {}
    for hour, key, count in rows:
        out.setdefault(hour.astimezone(UTC), {})[int(key)] = count
    return out


def hourly_findings(session: Session, start: datetime, end: datetime) -> list[Finding]:
    """Return the findings of every rolled-up hour in [start, end), oldest first."""
    first = session.scalar(select(HourlyRollup.hour).order_by(HourlyRollup.hour).limit(1))
    if first is None or start >= end:
        return []
    first = first.astimezone(UTC)
    series = _series(session, start - timedelta(weeks=WEEKS), end)
    composed = _composed(session, start - timedelta(weeks=WEEKS), end)
    findings = []
    hour = start
    while hour < end:
        weeks = [hour - timedelta(weeks=i) for i in range(1, WEEKS + 1)]
        known = [w for w in weeks if w >= first]
        for metric, code in (("active", "visits_drop"), ("photo_failed", "booth_failures")):
            value = series.get((hour, metric), 0)
            band = robust_band([float(series.get((w, metric), 0)) for w in known])
            if code == "visits_drop":
                firing = band is not None and band.median >= MIN_VISITORS_MEDIAN and value < band.low
            else:
                firing = band is not None and value >= MIN_FAILURES and value > band.high
            findings.append(Finding(code, firing, float(value), band, hour))
        times = composed.get(hour, {})
        middle = percentile(times, 0.5)
        history = [float(m) for w in weeks if sum((past := composed.get(w, {})).values()) >= MIN_COMPOSED
                   and (m := percentile(past, 0.5)) is not None]
        band = robust_band(history)
        firing = (band is not None and middle is not None and sum(times.values()) >= MIN_COMPOSED
                  and middle > max(band.high, MIN_SLOWDOWN * band.median))
        findings.append(Finding("compose_slow", firing, float(middle or 0), band, hour))
        hour += HOUR
    return findings


def live_findings(session: Session, storage_dir: str, free_percent: float, now: datetime) -> list[Finding]:
    """Return the findings checked now: a stalled job queue and a filling disk."""
    oldest = session.scalar(select(Job.run_after).where(Job.status == "queued").order_by(Job.run_after).limit(1))
    waiting = (now - oldest.astimezone(UTC)).total_seconds() if oldest is not None else 0.0
    stalled = Finding("queue_stalled", waiting > STALL.total_seconds(), round(waiting), None, now)
    path = Path(storage_dir)
    while not path.exists() and path != path.parent:
        path = path.parent
    usage = shutil.disk_usage(path)
    free = 100.0 * usage.free / usage.total if usage.total else 100.0
    disk = Finding("disk_filling", free < free_percent, round(free, 2), Band(free_percent, free_percent, 100.0), now)
    return [stalled, disk]


def apply(session: Session, findings: list[Finding]) -> list[CockpitAlert]:
    """Open, extend or end alerts from findings (in time order); return the alerts opened."""
    opened = []
    open_alerts = {a.code: a for a in session.scalars(select(CockpitAlert).where(CockpitAlert.ended_at.is_(None)))}
    for finding in findings:
        alert = open_alerts.get(finding.code)
        if finding.firing and alert is None:
            alert = CockpitAlert(code=finding.code, message=MESSAGES[finding.code], started_at=finding.at,
                                 last_seen_at=finding.at, value=finding.value, detail={})
            session.add(alert)
            open_alerts[finding.code] = alert
            opened.append(alert)
        if finding.firing and alert is not None:
            alert.last_seen_at, alert.value = finding.at, finding.value
            if finding.band is not None:
                alert.low, alert.high = round(finding.band.low, 3), round(finding.band.high, 3)
                alert.detail = {"median": round(finding.band.median, 3)}
        elif not finding.firing and alert is not None:
            alert.ended_at = finding.at
            del open_alerts[finding.code]
    session.flush()
    return opened


def check(database: Any, storage_dir: str, free_percent: float, now: datetime | None = None) -> int:
    """Check every rolled-up hour not checked yet and the live conditions; return how many alerts opened."""
    now = now or utcnow()
    with database.write() as session:
        rolled = watermark(session)
        row = session.get(Counter, CHECKED, with_for_update=True)
        opened = []
        if rolled is not None:
            since = datetime.fromtimestamp(row.value, UTC) if row is not None and row.value else rolled - \
                FIRST_CHECK_BACK
            opened += apply(session, hourly_findings(session, since, rolled))
            if row is None:
                session.add(Counter(name=CHECKED, value=int(rolled.timestamp())))
            else:
                row.value = int(rolled.timestamp())
        opened += apply(session, live_findings(session, storage_dir, free_percent, now))
        return len(opened)


def reply(alert: CockpitAlert) -> AlertReply:
    """Describe a stored alert for the API."""
    return AlertReply(id=alert.id, code=alert.code, message=alert.message, started_at=alert.started_at.isoformat(),
                      last_seen_at=alert.last_seen_at.isoformat(),
                      ended_at=alert.ended_at.isoformat() if alert.ended_at else None, value=alert.value,
                      low=alert.low, high=alert.high, median=(alert.detail or {}).get("median"),
                      acknowledged_at=alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
                      acknowledged_by=alert.acknowledged_by)


def listed(session: Session, start: datetime, end: datetime) -> list[AlertReply]:
    """Return alerts still open or unacknowledged, and those that started in [start, end), newest first."""
    stmt = select(CockpitAlert).where(
        (CockpitAlert.ended_at.is_(None)) | (CockpitAlert.acknowledged_at.is_(None))
        | ((CockpitAlert.started_at >= start) & (CockpitAlert.started_at < end))
    ).order_by(CockpitAlert.started_at.desc(), CockpitAlert.id.desc()).limit(50)
    return [reply(a) for a in session.scalars(stmt)]


def shown(session: Session, start: datetime, end: datetime, storage_dir: str, free_percent: float,
          now: datetime) -> list[AlertReply]:
    """Return the alerts `listed`, after each condition checked now that fires with no alert open for it yet (its
    alert is stored at the next check: until then it has no id)."""
    found = listed(session, start, end)
    open_codes = {a.code for a in found if a.ended_at is None}
    for finding in live_findings(session, storage_dir, free_percent, now):
        if finding.firing and finding.code not in open_codes:
            at = finding.at.isoformat()
            found.insert(0, AlertReply(id=None, code=finding.code, message=MESSAGES[finding.code], started_at=at,
                                       last_seen_at=at, ended_at=None, value=finding.value, low=None, high=None,
                                       median=None, acknowledged_at=None, acknowledged_by=None))
    return found


def acknowledge(session: Session, alert_id: int, user_id: int) -> CockpitAlert:
    """Mark an alert acknowledged by a manager; acknowledging twice is a conflict."""
    alert = session.get(CockpitAlert, alert_id)
    if alert is None:
        raise NotFound(f"No alert {alert_id}.", code="alert_not_found")
    if alert.acknowledged_at is not None:
        raise Conflict("This alert is acknowledged already.", code="alert_acknowledged")
    alert.acknowledged_at, alert.acknowledged_by = utcnow(), user_id
    return alert
