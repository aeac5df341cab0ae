"""Request bodies and records built from keyword arguments."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.models import Account
from app.auth.service import create_account, issue_token
from app.db import make_engine
from app.enums import Scope


class Caller:
    """An account and a token, with the header to send."""

    def __init__(self, account: Account, token: str) -> None:
        self.account = account
        self.token = token
        self.headers = {"Authorization": f"Bearer {token}"}


def make_caller(
    session: Session, *, name: str = "Coach", scopes: frozenset[Scope] = frozenset(Scope)
) -> Caller:
    account, token = create_account(session, name)
    if scopes != frozenset(Scope):
        _, token = issue_token(session, account.id, scopes)
    return Caller(account, token)


def new_token(url: str, name: str) -> str:
    """A read+write token of a new account, made straight in the database at `url` (for tests
    that talk to real server processes)."""
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            _, token = create_account(session, name)
            session.commit()
    finally:
        engine.dispose()
    return token


def athlete_body(**overrides: Any) -> dict[str, Any]:
    return {"name": "Ada", "timezone": "Europe/Paris", "level": "beginner", **overrides}


def set_body(**overrides: Any) -> dict[str, Any]:
    base = {
        "reps": 12,
        "load_kg": 20.0,
        "rpe": 7.5,
        "rir": 2,
        "duration_s": None,
        "side": "both",
        "warmup": False,
    }
    return {**base, **overrides}


def workout_body(
    *,
    performed_at: str = "2026-11-20T18:30:00+01:00",
    exercise_count: int = 1,
    set_count: int = 3,
    **overrides: Any,
) -> dict[str, Any]:
    slugs = [
        "glute-bridge",
        "romanian-deadlift",
        "split-squat",
        "calf-raise",
        "lateral-band-walk",
        "step-up",
    ]
    return {
        "performed_at": performed_at,
        "duration_min": 45,
        "session_rpe": 7,
        "notes": "felt strong",
        "planned_session": None,
        "exercises": [
            {
                "exercise": slugs[i % len(slugs)],
                "notes": None,
                "sets": [set_body(reps=10 + j) for j in range(set_count)],
            }
            for i in range(exercise_count)
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
        f"/v1/athletes/{athlete['id']}/workouts",
        json=workout_body(**overrides),
        headers=caller.headers,
    )
    assert r.status_code == 201, r.text
    return dict(r.json())
