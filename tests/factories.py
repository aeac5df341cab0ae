"""Request bodies and records built from keyword arguments."""

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import Caller


def athlete_body(**overrides: Any) -> dict[str, Any]:
    return {"name": "Ada", "timezone": "Europe/Paris", "level": "beginner", **overrides}


def set_body(**overrides: Any) -> dict[str, Any]:
    base = {"reps": 12, "load_kg": 20.0, "rpe": 7.5, "rir": 2, "duration_s": None,
            "side": "both", "warmup": False}
    return {**base, **overrides}


def workout_body(
    *, performed_at: str = "2026-11-20T18:30:00+01:00", exercises: int = 1, sets: int = 3,
    **overrides: Any,
) -> dict[str, Any]:
    slugs = ["glute-bridge", "romanian-deadlift", "split-squat", "calf-raise",
             "lateral-band-walk", "step-up"]
    return {
        "performed_at": performed_at,
        "duration_min": 45,
        "session_rpe": 7,
        "notes": "felt strong",
        "planned_session": None,
        "exercises": [
            {"exercise": slugs[i % len(slugs)], "notes": None,
             "sets": [set_body(reps=10 + j) for j in range(sets)]}
            for i in range(exercises)
        ],
        **overrides,
    }


def make_athlete(client: TestClient, caller: Caller, **overrides: Any) -> dict[str, Any]:
    r = client.post("/v1/athletes", json=athlete_body(**overrides), headers=caller.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def make_workout(
    client: TestClient, caller: Caller, athlete: dict[str, Any], **overrides: Any
) -> dict[str, Any]:
    r = client.post(
        f"/v1/athletes/{athlete['id']}/workouts", json=workout_body(**overrides),
        headers=caller.headers,
    )
    assert r.status_code == 201, r.text
    return dict(r.json())
