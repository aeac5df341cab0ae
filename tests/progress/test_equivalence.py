"""Progress from the set rollups equals a plain set-by-set reference (tests/progress/reference.py)
over random logs, for every field of the answer, on SQLite and PostgreSQL.

Each example logs random workouts through HTTP for a new athlete (random time zone, days
across DST changes, warm-ups, sides, bodyweight and timed sets, a custom exercise), then
maybe moves the athlete to another zone, moves one workout to another day, replaces one
workout's sets and deletes another — each of which must leave the rollups right — and compares
GET .../progress (random range and period) and GET .../progress/exercises/{slug} (whole and
bounded), and GET .../load-series over the same range day by day, with the reference worked
out from the stored workouts.

Loads are on 0.25 kg steps, so every sum is exact in binary floating point and the two sides
may add in different orders; rounding is then the only thing both do, and both do it last."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from app.catalog.service import get_catalog
from app.config import Settings
from app.exercises import ExerciseInfo
from app.main import create_app
from app.progress.schemas import ExerciseHistory, LoadSeries, Progress
from tests.databases import shared_sessions
from tests.factories import Caller, make_athlete
from tests.progress import reference

ZONES = [
    "UTC",
    "Europe/Paris",
    "America/New_York",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "Pacific/Kiritimati",
    "America/St_Johns",
]
CUSTOM = {
    "name": "Sled Drag",
    "primary_muscles": ["quads", "calves"],
    "secondary_muscles": ["glutes"],
    "equipment": ["machine"],
    "unilateral": True,
}
SLUGS = [
    "hip-thrust",
    "romanian-deadlift",
    "bulgarian-split-squat",
    "single-leg-deadlift",
    "calf-raise",
    "glute-bridge",
    "squat",
    "sled-drag",
]
ORIGIN = datetime(2026, 2, 20, tzinfo=UTC)  # DST changes in March and April both sides
SPAN_DAYS = 120

quarter_kg = st.integers(0, 4 * 200).map(lambda q: q / 4)
sets = st.builds(
    lambda reps, load, rpe, rir, side, warmup: {
        "reps": reps,
        "load_kg": load,
        "rpe": rpe,
        "rir": rir,
        "duration_s": 30 if reps is None else None,
        "side": side,
        "warmup": warmup,
    },
    reps=st.one_of(st.none(), st.integers(0, 20)),
    load=st.one_of(st.just(0.0), st.sampled_from([20.0, 60.0, 62.5]), quarter_kg),
    rpe=st.one_of(st.none(), st.integers(0, 20).map(lambda h: h / 2)),
    rir=st.one_of(st.none(), st.integers(0, 6)),
    side=st.sampled_from(["both", "both", "left", "right"]),
    warmup=st.sampled_from([False, False, False, True]),
)
exercises = st.lists(
    st.builds(
        lambda slug, its_sets: {"exercise": slug, "sets": its_sets},
        st.sampled_from(SLUGS),
        st.lists(sets, min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=3,
)
workouts = st.lists(
    st.builds(
        lambda minutes, duration, rpe, its_exercises: {
            "performed_at": (ORIGIN + timedelta(minutes=minutes)).isoformat(),
            "duration_min": duration,
            "session_rpe": rpe,
            "exercises": its_exercises,
        },
        st.integers(0, SPAN_DAYS * 24 * 60),
        st.one_of(st.none(), st.integers(0, 120)),
        st.one_of(st.none(), st.integers(0, 20).map(lambda h: h / 2)),
        exercises,
    ),
    min_size=1,
    max_size=10,
)
first_day = ORIGIN.date() - timedelta(days=2)
days = st.integers(0, SPAN_DAYS + 4).map(lambda n: first_day + timedelta(days=n))


@st.composite
def changes(draw: st.DrawFn) -> dict[str, Any]:
    """What happens after logging: a new zone, a workout moved, one rewritten, one deleted."""
    return {
        "zone": draw(st.one_of(st.none(), st.sampled_from(ZONES))),
        "move": draw(st.one_of(st.none(), st.tuples(st.integers(0, 9), st.integers(-3, 3)))),
        "rewrite": draw(st.one_of(st.none(), st.tuples(st.integers(0, 9), exercises))),
        "delete": draw(st.one_of(st.none(), st.integers(0, 9))),
    }


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    """HTTP through the ASGI app on the test's session, without the per-token rate limit:
    an example makes dozens of calls."""
    app = create_app(
        Settings(rate_limit_token="1000000/minute", rate_limit_public="1000000/minute")
    )
    app.state.sessions = shared_sessions(session)
    with TestClient(app) as client:
        yield client


def _infos() -> dict[str, ExerciseInfo]:
    catalog = get_catalog()
    infos = {
        slug: ExerciseInfo(
            name=e.name,
            primary=tuple(e.primary_muscles),
            secondary=tuple(e.secondary_muscles),
            unilateral=e.unilateral,
        )
        for slug in SLUGS
        if (e := catalog.get(slug)) is not None
    }
    infos["sled-drag"] = ExerciseInfo(
        name=CUSTOM["name"],  # type: ignore[arg-type]
        primary=tuple(CUSTOM["primary_muscles"]),  # type: ignore[arg-type]
        secondary=tuple(CUSTOM["secondary_muscles"]),  # type: ignore[arg-type]
        unilateral=True,
    )
    return infos


def _stored_workouts(client: TestClient, caller: Caller, athlete_id: str) -> list[dict[str, Any]]:
    r = client.get(
        f"/v1/athletes/{athlete_id}/workouts", params={"limit": 200}, headers=caller.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["next_cursor"] is None
    return list(r.json()["items"])


def _apply(
    client: TestClient, caller: Caller, athlete: dict[str, Any], ids: list[str], change: Any
) -> None:
    base = f"/v1/athletes/{athlete['id']}"
    if change["move"] is not None:
        index, shift = change["move"]
        wid = ids[index % len(ids)]
        stored = client.get(f"{base}/workouts/{wid}", headers=caller.headers).json()
        moved = datetime.fromisoformat(stored["performed_at"]) + timedelta(days=shift, hours=5)
        r = client.patch(
            f"{base}/workouts/{wid}",
            json={"performed_at": moved.isoformat()},
            headers=caller.headers,
        )
        assert r.status_code == 200, r.text
    if change["rewrite"] is not None:
        index, new_exercises = change["rewrite"]
        r = client.patch(
            f"{base}/workouts/{ids[index % len(ids)]}",
            json={"exercises": new_exercises},
            headers=caller.headers,
        )
        assert r.status_code == 200, r.text
    if change["delete"] is not None and len(ids) > 1:
        r = client.delete(
            f"{base}/workouts/{ids[change['delete'] % len(ids)]}", headers=caller.headers
        )
        assert r.status_code == 204, r.text
    if change["zone"] is not None:
        r = client.patch(base, json={"timezone": change["zone"]}, headers=caller.headers)
        assert r.status_code == 200, r.text
        athlete["timezone"] = change["zone"]


def _check_whole_histories(
    client: TestClient, caller: Caller, base: str, stored: list[dict[str, Any]]
) -> None:
    """Each exercise's whole history, and progress over a range holding every workout."""
    infos = _infos()
    for slug in sorted({e["exercise"] for w in stored for e in w["exercises"]}):
        whole = client.get(f"{base}/progress/exercises/{slug}", headers=caller.headers)
        assert whole.status_code == 200, whole.text
        assert whole.json() == reference.exercise_history(stored, slug, infos[slug])
        assert ExerciseHistory.model_validate_json(whole.content).model_dump_json() == whole.text
    athlete = client.get(base, headers=caller.headers).json()
    start, end = first_day - timedelta(days=5), first_day + timedelta(days=SPAN_DAYS + 10)
    r = client.get(
        f"{base}/progress",
        params={"from": start.isoformat(), "to": end.isoformat(), "period": "month"},
        headers=caller.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json() == reference.progress(athlete, stored, infos, start, end, "month")


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    zone=st.sampled_from(ZONES),
    log=workouts,
    change=changes(),
    bounds=st.tuples(days, days),
    period=st.sampled_from(["week", "month"]),
    bounded=st.tuples(days, days),
)
def test_progress_equals_the_set_by_set_reference(
    client: TestClient,
    alice: Caller,
    zone: str,
    log: list[dict[str, Any]],
    change: dict[str, Any],
    bounds: tuple[date, date],
    period: str,
    bounded: tuple[date, date],
) -> None:
    r = client.post("/v1/exercises/custom", json=CUSTOM, headers=alice.headers)
    assert r.status_code in (201, 409), r.text  # made by the first example
    athlete = make_athlete(client, alice, timezone=zone)
    base = f"/v1/athletes/{athlete['id']}"
    ids = []
    for body in log:
        r = client.post(f"{base}/workouts", json=body, headers=alice.headers)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    infos = _infos()
    # Records over the whole history come from the load records that each new workout raised.
    _check_whole_histories(client, alice, base, _stored_workouts(client, alice, athlete["id"]))
    _apply(client, alice, athlete, ids, change)
    stored = _stored_workouts(client, alice, athlete["id"])
    _check_whole_histories(client, alice, base, stored)  # … and that an edit summed again

    start, end = sorted(bounds)
    r = client.get(
        f"{base}/progress",
        params={"from": start.isoformat(), "to": end.isoformat(), "period": period},
        headers=alice.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json() == reference.progress(athlete, stored, infos, start, end, period)
    # The answer is built as plain data: it must be exactly what its response model serialises.
    assert Progress.model_validate_json(r.content).model_dump_json(by_alias=True) == r.text
    r = client.get(
        f"{base}/load-series",
        params={"from": start.isoformat(), "to": end.isoformat()},
        headers=alice.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json() == reference.load_series(athlete, stored, infos, start, end)
    assert LoadSeries.model_validate_json(r.content).model_dump_json(by_alias=True) == r.text

    low, high = sorted(bounded)
    for slug in sorted({e["exercise"] for w in stored for e in w["exercises"]}):
        part = client.get(
            f"{base}/progress/exercises/{slug}",
            params={"from": low.isoformat(), "to": high.isoformat()},
            headers=alice.headers,
        )
        assert part.status_code == 200, part.text
        assert part.json() == reference.exercise_history(stored, slug, infos[slug], low, high)


def test_the_reference_counts_what_it_is_given() -> None:
    """The reference is not a mirror of the service: a worked example checks it by hand."""
    athlete = {"id": "a", "timezone": "UTC"}
    logged = [
        {
            "local_date": "2026-03-18",
            "duration_min": 40,
            "session_rpe": 7.0,
            "exercises": [
                {
                    "exercise": "hip-thrust",
                    "sets": [
                        {
                            "reps": 10,
                            "load_kg": 40.0,
                            "rpe": None,
                            "rir": None,
                            "side": "both",
                            "warmup": True,
                        },
                        {
                            "reps": 8,
                            "load_kg": 60.0,
                            "rpe": None,
                            "rir": 2,
                            "side": "both",
                            "warmup": False,
                        },
                        {
                            "reps": 6,
                            "load_kg": 70.0,
                            "rpe": None,
                            "rir": 1,
                            "side": "both",
                            "warmup": False,
                        },
                    ],
                }
            ],
        }
    ]
    answer = reference.progress(
        athlete, logged, _infos(), date(2026, 3, 16), date(2026, 3, 22), "week"
    )
    assert answer["totals"]["sets"] == 2
    assert answer["totals"]["volume_load_kg"] == 900.0  # 480 + 420
    assert answer["totals"]["session_load"] == 280.0
    assert answer["totals"]["sets_by_muscle"] == {
        **dict.fromkeys(reference.MUSCLES, 0.0),
        "glutes": 2.0,
        "hamstrings": 1.0,
        "quads": 1.0,
    }
    hip = answer["exercises"][0]
    assert hip["e1rm_series"] == [{"date": "2026-03-16", "e1rm_kg": 86.33}]  # 70 × 37/30
    assert hip["records"]["heaviest_load"] == {"load_kg": 70.0, "reps": 6, "date": "2026-03-18"}
