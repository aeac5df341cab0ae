"""The generator through HTTP: the seed example, byte-for-byte determinism, 422s naming fields."""

import os
import sys
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cpu import RESULT_PIPE_BYTES, widen_pipe
from app.main import create_app

SEED_EXAMPLE: dict[str, Any] = {
    "event": "half_marathon",
    "race_date": "2027-04-11",
    "start_date": "2027-01-04",
    "weeks": 14,
    "level": "beginner",
    "focus": None,
    "setting": "home",
    "equipment": ["band", "dumbbell"],
    "sessions_per_week": 2,
    "session_minutes": 40,
    "long_run_day": "sunday",
    "hard_run_days": ["tuesday"],
    "exclude_exercises": ["nordic-curl"],
    "seed": 0,
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def test_seed_example_plan(client: TestClient) -> None:
    r = client.post("/v1/plans/generate", json=SEED_EXAMPLE)
    assert r.status_code == 200, r.text
    plan = r.json()
    assert len(plan["weeks"]) == 14
    race = date(2027, 4, 11)
    sessions = [s for w in plan["weeks"] for s in w["sessions"]]
    hinges = {"dumbbell-romanian-deadlift", "single-leg-deadlift", "romanian-deadlift"}
    for session in sessions:
        primaries = {m for p in session["exercises"] for m in p["primary_muscles"]}
        assert {"glutes", "hamstrings", "quads", "calves"} <= primaries
        assert session["estimated_minutes"] <= 40
        assert session["weekday"] not in ("saturday", "sunday")
        # A hamstring hinge in every session, race week included.
        assert {p["exercise"] for p in session["exercises"]} & hinges, session["title"]
    every = [p for s in sessions for p in s["exercises"]]
    # The seed's own prescriptions: glute bridge 3×12–15, a single-leg deadlift.
    assert any(
        p["exercise"] == "glute-bridge"
        and p["sets"] == 3
        and p["reps"] == {"min": 12, "max": 15, "unit": "reps"}
        for p in every
    )
    assert any(p["exercise"] == "single-leg-deadlift" for p in every)
    # Visible progression: every base and build week after the first says what rose.
    for week in plan["weeks"][1:]:
        if week["phase"] in ("base", "build"):
            assert week["progression"], week["week"]
    assert "deload" in [w["phase"] for w in plan["weeks"]]
    walks = [p for s in sessions for p in s["exercises"] if p["exercise"] == "lateral-band-walk"]
    assert walks
    assert all(
        w["reps"] == {"min": 10, "max": 15, "unit": "steps"} and w["per_side"] for w in walks
    )
    assert any(w["sets"] == 3 for w in walks)
    # It tapers into race day: taper weeks last, one light session in the race week, ≥ 4 days out.
    assert [w["phase"] for w in plan["weeks"][-2:]] == ["taper", "taper"]
    race_week = [s for s in sessions if date.fromisoformat(s["date"]) > race - timedelta(days=7)]
    assert len(race_week) == 1
    assert date.fromisoformat(race_week[0]["date"]) <= race - timedelta(days=4)
    assert plan["weeks"][-1]["total_sets"] <= 0.5 * max(w["total_sets"] for w in plan["weeks"])
    # The race-week session is the lightest of the plan.
    light = sum(p["sets"] for p in race_week[0]["exercises"])
    assert all(light <= sum(p["sets"] for p in s["exercises"]) for s in sessions)
    assert 0.5 <= plan["summary"]["posterior_share"] <= 0.7
    assert plan["summary"]["weekly_sets_by_muscle"]["glutes"] > 0
    assert any("Taper" in line for line in plan["rationale"])


def test_seed_example_routine(client: TestClient) -> None:
    r = client.post("/v1/routines/generate", json=SEED_EXAMPLE)
    assert r.status_code == 200, r.text
    routine = r.json()
    slugs = [p["exercise"] for p in routine["exercises"]]
    assert "glute-bridge" in slugs
    assert "lateral-band-walk" in slugs
    assert routine["estimated_minutes"] <= 40
    assert all(p["why"] for p in routine["exercises"])


def test_same_body_same_bytes(client: TestClient) -> None:
    body = SEED_EXAMPLE | {"seed": 7, "sessions_per_week": 3}
    first = client.post("/v1/plans/generate", json=body)
    second = client.post("/v1/plans/generate", json=body)
    assert first.status_code == 200, first.text
    assert first.content == second.content
    routine = client.post("/v1/routines/generate", json=body)
    assert routine.content == client.post("/v1/routines/generate", json=body).content


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"race_date": "2026-12-01"}, "race_date"),
        ({"start_date": None}, "start_date"),
        ({"weeks": 9}, "weeks"),
        ({"exclude_exercises": ["nordic-curl", "no-such-exercise"]}, "exclude_exercises[1]"),
        ({"level": "elite"}, "level"),
        ({"sessions_per_week": 4}, "sessions_per_week"),
        ({"session_minutes": 10}, "session_minutes"),
        ({"colour": "red"}, "colour"),
        (
            {"exclude_exercises": ["calf-raise", "single-leg-calf-raise", "bent-knee-calf-raise"]},
            "exclude_exercises[0]",
        ),
    ],
)
def test_impossible_or_invalid_requests_are_422_naming_the_field(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    r = client.post("/v1/plans/generate", json=SEED_EXAMPLE | change)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in r.json()["errors"]], r.text
    assert r.json()["detail"]


def test_openapi_names_the_operations(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/v1/routines/generate"]["post"]["operationId"] == "routines-generate"
    assert paths["/v1/plans/generate"]["post"]["operationId"] == "plans-generate"
    assert "422" in paths["/v1/plans/generate"]["post"]["responses"]


def test_assessment_session(client: TestClient) -> None:
    r = client.post(
        "/v1/routines/generate", json={"event": "10k", "setting": "home", "kind": "assessment"}
    )
    assert r.status_code == 200, r.text
    session = r.json()
    by_slug = {p["exercise"]: p for p in session["exercises"]}
    heel = by_slug["single-leg-calf-raise"]
    assert heel["sets"] == 1
    assert heel["per_side"]
    assert "25" in heel["end_point"]  # the typical healthy-adult result (Hébert-Losier 2017)
    assert by_slug["side-plank"]["reps"]["unit"] == "seconds"
    assert "single-leg-glute-bridge" in by_slug
    # The main lifts at 8–12 reps, 2–3 in reserve: the e1RM loads and goals start from.
    lifts = [p for p in session["exercises"] if p["reps"] == {"min": 8, "max": 12, "unit": "reps"}]
    assert len(lifts) == 2
    assert all(p["effort"]["rir"] == 2 for p in lifts)
    assert all(p["end_point"] for p in session["exercises"])
    assert session["warmup"]
    bad = client.post("/v1/routines/generate", json={"event": "10k", "kind": "max-test"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "kind"


def test_the_plan_workers_answer_pipe_holds_a_whole_plan() -> None:
    """A 24-week plan's ~500 KB come back from the worker (app.cpu.PLANS) in one write, not in
    64 KB chunks: its answer pipe is widened so (`widen_pipe`), on Linux, whose default limit for
    a pipe is 1 MB."""
    if not sys.platform.startswith("linux"):
        pytest.skip("pipe sizes are Linux's")
    reader, writer = os.pipe()
    try:
        assert widen_pipe(writer) == RESULT_PIPE_BYTES
    finally:
        os.close(reader)
        os.close(writer)
