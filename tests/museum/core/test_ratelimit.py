"""The shared fixed-window counter behind the share pages' limit on unknown links."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from museum.core.ratelimit import record_attempt, seconds_blocked
from museum.models.base import utcnow

WINDOW = timedelta(minutes=1)


def test_attempts_count_up_block_at_the_limit_and_start_again_in_a_new_window(app: Flask) -> None:
    now = utcnow()
    with app.app_context():
        assert seconds_blocked("k", 3, WINDOW, now) == 0
        assert [record_attempt("k", WINDOW, now) for _ in range(3)] == [1, 2, 3]
        assert 1 <= seconds_blocked("k", 3, WINDOW, now + timedelta(seconds=10)) <= 51
        assert seconds_blocked("other", 3, WINDOW, now) == 0
        later = now + WINDOW + timedelta(seconds=1)
        assert seconds_blocked("k", 3, WINDOW, later) == 0
        assert record_attempt("k", WINDOW, later) == 1
