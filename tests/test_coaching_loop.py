"""The coaching loop end to end (issue "the coaching loop"): a new athlete puts a plan from the
profile, logs the assessment and two sessions against the plan, reads the next session's
kilograms and why, sees adherence and a goal in progress, and shares the plan's calendar."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from app.planning.rules import BACKBONE, Role
from tests.factories import Caller

HINGES = BACKBONE[Role.hamstrings]


def _sets(reps: int, load: float, rir: int, n: int = 3) -> list[dict[str, Any]]:
    return [
        {
            "reps": reps,
            "load_kg": load,
            "rir": rir,
            "rpe": None,
            "duration_s": None,
            "side": "both",
            "warmup": False,
        }
        for _ in range(n)
    ]


def test_goal_plan_log_measure_next_session(client: TestClient, alice: Caller) -> None:
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    start = today - timedelta(days=today.weekday() + 14)  # the Monday two weeks ago
    h = alice.headers
    athlete = client.post(
        "/v1/athletes",
        json={
            "name": "Loop Runner",
            "timezone": "Europe/Paris",
            "level": "intermediate",
            "event": "half_marathon",
            "race_date": (start + timedelta(weeks=16)).isoformat(),
            "equipment": [],
            "sessions_per_week": 2,
            "session_minutes": 45,
            "long_run_day": "sunday",
            "hard_run_days": ["tuesday"],
        },
        headers=h,
    ).json()
    base = f"/v1/athletes/{athlete['id']}"
    # 1. The plan from the profile (gym added for this athlete's first block).
    plan = client.put(
        f"{base}/plan", json={"start_date": start.isoformat(), "setting": "gym"}, headers=h
    )
    assert plan.status_code == 201, plan.text
    sessions = [s for w in plan.json()["weeks"] for s in w["sessions"]]
    # 2. The assessment, logged as a workout: a set of the main hinge at RIR 2.
    assessment = client.post(
        "/v1/routines/generate",
        json={
            "event": "half_marathon",
            "level": "intermediate",
            "setting": "gym",
            "kind": "assessment",
        },
    ).json()
    assert any(p["reps"]["max"] == 12 for p in assessment["exercises"])  # the main lifts' set
    first, second = sessions[0], sessions[1]
    hinge = next(p["exercise"] for p in first["exercises"] if p["exercise"] in HINGES)
    planned = next(p for p in first["exercises"] if p["exercise"] == hinge)
    target, rir = planned["reps"]["max"], planned["effort"]["rir"]

    def log(day: str, session_id: str | None, sets: list[dict[str, Any]]) -> None:
        body = {
            "performed_at": f"{day}T18:00:00+01:00",
            "planned_session": session_id,
            "session_rpe": 7,
            "duration_min": 40,
            "exercises": [{"exercise": hinge, "notes": None, "sets": sets}],
        }
        r = client.post(f"{base}/workouts", json=body, headers=h)
        assert r.status_code == 201, r.text

    log((start - timedelta(days=1)).isoformat(), None, _sets(10, 50.0, 2, n=1))
    # 3. Two planned sessions, each beating the target by 2 reps at 60 kg.
    log(first["date"], first["id"], _sets(target + 2, 60.0, rir))
    log(second["date"], second["id"], _sets(target + 2, 60.0, rir))
    # 4. A goal from the logs.
    goal = client.post(
        f"{base}/goals",
        json={
            "kind": "e1rm",
            "exercise": hinge,
            "target": 120,
            "target_date": (today + timedelta(weeks=12)).isoformat(),
        },
        headers=h,
    )
    assert goal.status_code == 201, goal.text
    assert goal.json()["baseline"] is not None
    # 5. The next session: kilograms from what was logged, and why.
    nxt = client.get(
        f"{base}/plan/next",
        params={"date": (date.fromisoformat(second["date"]) + timedelta(days=1)).isoformat()},
        headers=h,
    )
    assert nxt.status_code == 200, nxt.text
    loaded = next(p for p in nxt.json()["exercises"] if p["exercise"] == hinge)
    assert loaded["load_kg"] is not None
    assert loaded["load_kg"] > 60
    assert "2-for-2" in loaded["progression_note"]
    # 6. Adherence and the goal in progress.
    progress = client.get(f"{base}/progress", params={"to": second["date"]}, headers=h).json()
    assert progress["adherence"] == {"planned": 2, "completed": 2, "ratio": 1.0}
    assert progress["goals"][0]["exercise"] == hinge
    # 7. The calendar through a share link, no token.
    link = client.post(f"{base}/links", json={"resource": "plan.ics"}, headers=h).json()
    ics = client.get(link["url"])
    assert ics.status_code == 200
    assert f"UID:{first['id']}@legwork".encode() in ics.content
