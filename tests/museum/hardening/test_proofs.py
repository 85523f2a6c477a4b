"""Short versions of the hardening proofs (full ones: bench/hardening/run.py): racing editors and kill -9."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.museum.hardening.proofs import crash_rounds, racing_editors


@pytest.mark.slow
def test_racing_editor_processes_lose_no_update_and_meet_no_error(app: Flask) -> None:
    tally = racing_editors(app, processes=8, updates=30)
    assert tally["saves"] == 240 and tally["errors"] == 0
    assert tally["lost_updates"] == 0 and tally["final_value"] == 240 and tally["version_moves"] == 240


@pytest.mark.slow
def test_kill_9_of_server_and_workers_loses_no_accepted_photo_or_job(app: Flask) -> None:
    result = crash_rounds(app, rounds=3, photos_per_round=4)
    assert result["photos_accepted"] > 0 and sum(result["kills"].values()) == 3
    assert result["photos_not_ready"] == 0, result
    assert result["models_accepted"] > 0 and result["models_ready"] == result["models_accepted"], result
    assert result["jobs_failed"] == [], result
    assert result["check_exit"] == 0, result["check_output"]
