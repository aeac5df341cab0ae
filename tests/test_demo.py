"""`legwork demo`: a half-marathon runner with 16 weeks of logs that follow a stored plan, made
once; its progress, chart and adherence are not empty."""

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.demo import LOGGED_WEEKS, MISSED_WEEK, seed_demo
from app.main import create_app
from app.workouts.models import Workout
from tests.databases import shared_sessions

TODAY = date(2026, 11, 18)  # a Wednesday, in the past (logs may not be in the future)


def test_demo_logs_16_weeks_of_the_plan_with_a_missed_week_and_deloads(session: Session) -> None:
    demo = seed_demo(session, today=TODAY)
    assert demo.created
    # Two sessions a week for 16 weeks but the missed one, and this week's Tuesday session.
    assert demo.workouts == 2 * (LOGGED_WEEKS - 1) + 1
    again = seed_demo(session, today=TODAY)
    assert not again.created
    assert again.athlete.id == demo.athlete.id
    assert again.workouts == demo.workouts  # nothing added the second time
    assert again.token != demo.token  # but a new token: the old one cannot be shown again

    rows = session.exec(select(Workout).where(col(Workout.athlete_id) == demo.athlete.id)).all()
    assert all(w.planned_session is not None for w in rows)
    assert all(w.local_date < TODAY for w in rows)

    app = create_app()
    app.state.sessions = shared_sessions(session)
    auth = {"Authorization": f"Bearer {demo.token}"}
    base = f"/v1/athletes/{demo.athlete.id}"
    with TestClient(app) as client:
        r = client.get(
            f"{base}/progress", headers=auth, params={"from": "2026-07-27", "to": "2026-11-17"}
        )
        assert r.status_code == 200, r.text
        progress = r.json()
        periods = progress["periods"]
        empty = [p["start"] for p in periods if p["sets"] == 0]
        assert len(empty) == 1, empty  # the missed week
        loads = [p["volume_load_kg"] for p in periods if p["sets"]]
        assert max(loads) > 1.5 * min(loads)  # progression and deloads, not a flat line
        assert progress["adherence"]["completed"] == demo.workouts
        assert progress["adherence"]["planned"] == demo.workouts + 2  # the missed week
        assert progress["balance"]["asymmetry"], "unilateral work is logged per side"
        sets = client.get(f"{base}/workouts", headers=auth).json()["items"][0]["exercises"]
        first = sets[0]["sets"][0]
        assert first["rpe"] is not None
        assert first["rir"] is not None

        chart = client.get(f"/v1/shared/{demo.chart_secret}")
        assert chart.status_code == 200, chart.text
        assert chart.headers["content-type"].startswith("image/svg+xml")
        assert chart.text.count("<rect") > 5  # bars, not an empty frame
    assert MISSED_WEEK < LOGGED_WEEKS


def test_legwork_demo_prints_a_token_and_urls_and_is_idempotent(tmp_path: Path) -> None:
    env = {**os.environ, "LEGWORK_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}

    def legwork(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert legwork("migrate").returncode == 0
    first = legwork("demo")
    assert first.returncode == 0, first.stderr
    assert re.search(r"Created the demo athlete .*: \d+ workouts logged", first.stdout)
    assert "http://127.0.0.1:8000/docs" in first.stdout
    assert re.search(r"/v1/shared/\S+", first.stdout)
    assert re.search(r"/v1/athletes/[0-9a-f-]+/progress", first.stdout)
    token = first.stdout.strip().splitlines()[-1]
    assert token.startswith("lw_")
    second = legwork("demo")
    assert second.returncode == 0, second.stderr
    assert "Found the demo athlete" in second.stdout
    logged = re.search(r"(\d+) workouts logged", first.stdout)
    assert logged is not None
    assert f"{logged.group(1)} workouts logged" in second.stdout
