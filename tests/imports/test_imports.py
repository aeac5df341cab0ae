"""POST .../imports and GET .../export through HTTP, on SQLite and PostgreSQL."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from app.changes.models import CHANGES
from app.config import Settings
from app.main import create_app
from tests.databases import shared_sessions
from tests.factories import Caller, make_athlete, make_workout, set_body, workout_body

FIXTURES = Path(__file__).with_name("fixtures")
CSV = {"Content-Type": "text/csv"}


def post_import(
    client: TestClient,
    caller: Caller,
    athlete: dict[str, Any],
    body: bytes | str,
    **params: str,
) -> Any:
    return client.post(
        f"/v1/athletes/{athlete['id']}/imports",
        params=params,
        content=body.encode() if isinstance(body, str) else body,
        headers={**caller.headers, **CSV},
    )


def post_legwork(
    client: TestClient, caller: Caller, athlete: dict[str, Any], document: bytes | str
) -> Any:
    """POST .../imports?source=legwork with a JSON export."""
    return client.post(
        f"/v1/athletes/{athlete['id']}/imports?source=legwork",
        content=document,
        headers={**caller.headers, "Content-Type": "application/json"},
    )


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def workouts_of(client: TestClient, caller: Caller, athlete: dict[str, Any]) -> list[Any]:
    r = client.get(
        f"/v1/athletes/{athlete['id']}/workouts", params={"limit": 200}, headers=caller.headers
    )
    assert r.status_code == 200, r.text
    return list(reversed(r.json()["items"]))


def comparable(workouts: list[Any]) -> list[Any]:
    """What an import must reproduce: everything but ids and bookkeeping (in an order that
    does not depend on the ids of workouts that started at the same time)."""
    keep = ("performed_at", "local_date", "duration_min", "notes", "exercises")
    return sorted(({k: w[k] for k in keep} for w in workouts), key=lambda w: json.dumps(w))


@pytest.mark.parametrize(("name", "params", "workouts", "sets"), [
    ("strong_comma_kg.csv", {}, 2, 10),
    ("strong_comma_lb.csv", {"unit": "lb"}, 1, 4),
    ("strong_french.csv", {"source": "strong"}, 2, 5),
    ("strong_semicolon_units.csv", {}, 1, 4),
    ("strong_semicolon_duration.csv", {}, 1, 2),
    ("strong_current.csv", {"source": "strong"}, 2, 4),
    ("hevy_kg.csv", {"source": "hevy"}, 1, 7),
    ("hevy_lb.csv", {}, 1, 7),
    ("dst_paris.csv", {}, 4, 4),
])  # fmt: skip
def test_every_layout_imports_once(
    client: TestClient,
    alice: Caller,
    name: str,
    params: dict[str, str],
    workouts: int,
    sets: int,
) -> None:
    athlete = make_athlete(client, alice)
    r = post_import(client, alice, athlete, fixture(name), **params)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert (answer["workouts_created"], answer["sets_created"]) == (workouts, sets)
    assert len(workouts_of(client, alice, athlete)) == workouts
    again = post_import(client, alice, athlete, fixture(name), **params)
    assert again.status_code == 200, again.text
    assert again.json()["workouts_created"] == 0
    assert again.json()["workouts_skipped"] == workouts
    assert again.json()["custom_exercises_created"] == []
    assert len(workouts_of(client, alice, athlete)) == workouts


def test_strong_workouts_come_out_with_warmups_loads_and_local_dates(
    client: TestClient, alice: Caller
) -> None:
    athlete = make_athlete(client, alice, timezone="Europe/Paris")
    answer = post_import(client, alice, athlete, fixture("strong_comma_kg.csv")).json()
    assert answer["custom_exercises_created"] == ["bench-press-barbell", "sled-push"]
    assert any("Bench Press (Barbell), Sled Push" in w for w in answer["warnings"])
    leg, calves = workouts_of(client, alice, athlete)
    assert (leg["performed_at"], leg["local_date"]) == ("2025-03-04T17:05:12Z", "2025-03-04")
    assert [e["exercise"] for e in leg["exercises"]] == [
        "back-squat",
        "romanian-deadlift",
        "bench-press-barbell",
        "plank",
    ]
    squat = leg["exercises"][0]
    assert [(s["warmup"], s["load_kg"], s["reps"], s["rir"]) for s in squat["sets"]] == [
        (True, 40.0, 8, None),
        (False, 80.0, 5, None),
        (False, 80.0, 5, None),
        (False, 80.0, 4, 0),
    ]
    assert squat["notes"] == "Rest timer: 120 s"
    assert calves["exercises"][0]["exercise"] == "calf-raise"
    custom = client.get("/v1/exercises/custom/bench-press-barbell", headers=alice.headers).json()
    assert (custom["primary_muscles"], custom["equipment"]) == ([], ["barbell"])
    # The upper-body work is logged (and counted) with no leg muscle.
    r = client.get(
        f"/v1/athletes/{athlete['id']}/progress",
        params={"from": "2025-03-01", "to": "2025-03-31"},
        headers=alice.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["totals"]["sets"] == 9  # working sets, bench and plank included


def test_a_later_longer_export_adds_only_the_new_workouts(
    client: TestClient, alice: Caller
) -> None:
    athlete = make_athlete(client, alice)
    first = fixture("strong_comma_kg.csv").decode()
    assert post_import(client, alice, athlete, first).json()["workouts_created"] == 2
    later = first + "2025-03-08 10:00:00,Extra,20m,Glute Bridge,1,0,15,0,0,,,\n"
    answer = post_import(client, alice, athlete, later).json()
    assert (answer["workouts_created"], answer["workouts_skipped"]) == (1, 2)
    assert answer["custom_exercises_created"] == []


def test_the_same_workout_twice_in_one_file_is_made_once(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice)
    header, row = fixture("strong_semicolon_duration.csv").decode().splitlines()[:2]
    other = "2025-05-13 19:30:00;Tuesday;Squat;1;10;kg;5;;;;;;;30m"
    answer = post_import(client, alice, athlete, "\n".join([header, row, other, row])).json()
    assert (answer["workouts_created"], answer["workouts_skipped"]) == (2, 1)


@pytest.mark.parametrize(("line", "column"), [
    ("2025-03-09 10:00:00,Bad,20m,Glute Bridge,1,heavy,15,0,0,,,", "line 3, column Weight"),
    ("2025-03-09 10:00:00,Bad,20m,Glute Bridge,1,10,15,0,0,,,RPE", "line 3, column RPE"),
    ("yesterday,Bad,20m,Glute Bridge,1,10,15,0,0,,,", "line 3, column Date"),
    ("2025-03-09 10:00:00,Bad,20m,Glute Bridge,1,2000,15,0,0,,,", "line 3, column Weight"),
    ("2025-03-09 10:00:00,Bad,20m,Glute Bridge,1,10,1500,0,0,,,", "line 3, column Reps"),
    ("2099-03-09 10:00:00,Bad,20m,Glute Bridge,1,10,15,0,0,,,", "line 2, column Date"),
])  # fmt: skip
def test_a_malformed_file_is_422_naming_line_and_column_and_stores_nothing(
    client: TestClient, alice: Caller, line: str, column: str
) -> None:
    athlete = make_athlete(client, alice)
    good = (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
        "Workout Notes,RPE\n2025-03-08 10:00:00,Fine,20m,Sled Push,1,0,15,0,0,,,\n"
    )
    body = good + line + "\n"
    if line.startswith("2099"):
        body = good.splitlines()[0] + "\n" + line + "\n"
    r = post_import(client, alice, athlete, body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == column
    assert workouts_of(client, alice, athlete) == []
    custom = client.get("/v1/exercises/custom", headers=alice.headers).json()
    assert custom["items"] == []  # the custom exercise of line 2 went with the rest


def test_every_value_a_workout_refuses_is_named_with_its_line(
    client: TestClient, alice: Caller
) -> None:
    athlete = make_athlete(client, alice)
    body = (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
        "Workout Notes,RPE\n"
        "2025-03-08 10:00:00,Fine,20m,Glute Bridge,1,10,15,0,0,,,\n"
        "2025-03-09 10:00:00,Bad,20m,Glute Bridge,1,10,15,0,0,,,\n"
        "2025-03-09 10:00:00,Bad,20m,Glute Bridge,2,10,1500,0,0,,,\n"
        "2025-03-09 10:00:00,Bad,20m,Squat,1,2000,1500,0,0,,,\n"
    )
    r = post_import(client, alice, athlete, body)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [
        "line 4, column Reps",
        "line 5, column Reps",
        "line 5, column Weight",
    ]
    assert workouts_of(client, alice, athlete) == []


def test_wrong_header_and_wrong_source_are_422_on_line_1(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice)
    r = post_import(client, alice, athlete, "name,weight\nsquat,100\n")
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "line 1"
    r = post_import(client, alice, athlete, fixture("hevy_kg.csv"), source="strong")
    assert r.status_code == 422, r.text
    assert "source=hevy" in r.json()["detail"]
    r = post_import(client, alice, athlete, b"\xff\xfe\x00garbage")
    assert r.status_code == 422, r.text


def test_bad_query_parameters_are_422(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice)
    body = fixture("strong_comma_kg.csv")
    for params in ({"source": "fitbod"}, {"unit": "stone"}, {"sauce": "strong"}):
        r = post_import(client, alice, athlete, body, **params)
        assert r.status_code == 422, r.text
    r = client.get(f"/v1/athletes/{athlete['id']}/export?format=xml", headers=alice.headers)
    assert r.status_code == 422, r.text


def _client(session: Session, **settings: object) -> TestClient:
    app = create_app(Settings(**settings))  # type: ignore[arg-type]
    app.state.sessions = shared_sessions(session)
    return TestClient(app)


def test_imports_have_their_own_body_limit(session: Session, alice: Caller) -> None:
    client = _client(session, max_body_bytes=1024, import_max_bytes=64 * 1024)
    athlete = make_athlete(client, alice)
    header = fixture("strong_comma_kg.csv").decode().splitlines()[0]
    rows = [f"2025-01-{d:02d} 10:00:00,W{d},20m,Glute Bridge,1,0,15,0,0,,," for d in range(1, 29)]
    body = "\n".join([header, *rows * 4]) + "\n"
    assert 1024 < len(body) < 64 * 1024
    r = post_import(client, alice, athlete, body)
    assert r.status_code == 200, r.text
    assert r.json()["workouts_created"] == 28

    def too_big() -> Iterator[bytes]:
        yield (header + "\n").encode()
        for _ in range(2000):
            yield b"2025-01-01 10:00:00,W,20m,Glute Bridge,1,0,15,0,0,,,\n"

    r = client.post(
        f"/v1/athletes/{athlete['id']}/imports",
        content=too_big(),
        headers={**alice.headers, **CSV},
    )
    assert r.status_code == 413, r.text
    # Other routes keep the general limit.
    r = client.post("/v1/athletes", json={"name": "x" * 2000}, headers=alice.headers)
    assert r.status_code == 413, r.text


def test_default_import_limit_is_32_mebibytes() -> None:
    assert Settings().import_max_bytes == 32 * 2**20


def _logged(client: TestClient, caller: Caller, session_rpe: float | None = 7) -> dict[str, Any]:
    """An athlete with API-logged workouts: custom exercise, timed sets, warm-ups, failures."""
    r = client.post(
        "/v1/exercises/custom",
        json={"name": "Sled Push", "primary_muscles": ["quads"], "equipment": ["machine"]},
        headers=caller.headers,
    )
    assert r.status_code == 201, r.text
    athlete = make_athlete(client, caller, timezone="America/Denver")
    for day in range(1, 6):
        body = workout_body(
            performed_at=f"2026-10-{day * 3:02d}T18:30:00-06:00",
            exercise_count=3,
            set_count=3,
            session_rpe=session_rpe,
        )
        body["exercises"][0]["sets"][0] = set_body(warmup=True, reps=10, load_kg=10.0, rir=None)
        body["exercises"][1]["sets"][2] = set_body(reps=6, load_kg=42.5, rir=0, rpe=10)
        body["exercises"][2]["sets"][1] = set_body(reps=None, duration_s=40, rir=None, rpe=None)
        body["exercises"].append(
            {"exercise": "sled-push", "notes": "60 m", "sets": [set_body(reps=1, rir=None)]}
        )
        for exercise in body["exercises"]:
            for s in exercise["sets"]:
                if s["rir"] not in (0, None):
                    s["rir"] = None  # Strong's layout holds RIR 0 (F) only
        make_workout(client, caller, athlete, **body)
    return athlete


def _progress(client: TestClient, caller: Caller, athlete: dict[str, Any]) -> Any:
    r = client.get(
        f"/v1/athletes/{athlete['id']}/progress",
        params={"from": "2026-09-28", "to": "2026-11-01"},
        headers=caller.headers,
    )
    assert r.status_code == 200, r.text
    progress = r.json()
    progress.pop("athlete_id", None)
    for goal in progress.get("goals") or []:
        for own in ("id", "created_at", "updated_at"):
            goal.pop(own, None)
    return progress


def test_json_export_imports_back_into_a_new_athlete_with_identical_progress(
    client: TestClient, alice: Caller
) -> None:
    athlete = _logged(client, alice)
    twice = workouts_of(client, alice, athlete)[0]  # logged twice alike: two workouts
    make_workout(client, alice, athlete, **{k: twice[k] for k in workout_body()})
    for goal in (
        {"kind": "weekly_sessions", "target": 3, "target_date": "2030-01-01"},
        {
            "kind": "e1rm",
            "exercise": "romanian-deadlift",
            "target": 80,
            "target_date": "2030-06-01",
        },
    ):
        r = client.post(f"/v1/athletes/{athlete['id']}/goals", json=goal, headers=alice.headers)
        assert r.status_code == 201, r.text
    r = client.get(f"/v1/athletes/{athlete['id']}/export", headers=alice.headers)
    assert r.status_code == 200, r.text
    document = r.json()
    assert len(document["goals"]) == 2
    assert document["format"] == "legwork-export/1"
    assert document["athlete"]["id"] == athlete["id"]
    assert [c["slug"] for c in document["custom_exercises"]] == ["sled-push"]
    assert len(document["workouts"]) == 6
    twin = make_athlete(client, alice, timezone="America/Denver")
    r = post_legwork(client, alice, twin, r.content)
    assert r.status_code == 200, r.text
    assert r.json()["workouts_created"] == 6
    assert comparable(workouts_of(client, alice, twin)) == comparable(
        workouts_of(client, alice, athlete)
    )
    assert _progress(client, alice, twin) == _progress(client, alice, athlete)
    again = post_legwork(
        client,
        alice,
        twin,
        client.get(f"/v1/athletes/{athlete['id']}/export", headers=alice.headers).content,
    )
    assert again.json()["workouts_skipped"] == 6
    goals = client.get(f"/v1/athletes/{twin['id']}/goals", headers=alice.headers).json()
    assert len(goals["items"]) == 2  # not twice


PROFILE = {
    "event": "half_marathon",
    "level": "beginner",
    "race_date": "2027-04-11",
    "equipment": ["band", "dumbbell"],
    "long_run_day": "sunday",
    "hard_run_days": ["tuesday"],
}


def _sessions(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for week in plan["weeks"] for s in week["sessions"]]


def _without_ids(plan: dict[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = json.loads(json.dumps(plan))
    for s in _sessions(plain):
        s.pop("id")
    return plain


def test_json_export_restores_the_stored_plan_goals_and_custom_exercises_in_another_account(
    client: TestClient, alice: Caller, bob: Caller
) -> None:
    athlete = make_athlete(client, alice, timezone="America/Denver", **PROFILE)
    r = client.post(
        "/v1/exercises/custom",
        json={"name": "Sled Push", "primary_muscles": ["quads"], "equipment": ["machine"]},
        headers=alice.headers,
    )
    assert r.status_code == 201, r.text
    custom = r.json()
    r = client.put(
        f"/v1/athletes/{athlete['id']}/plan",
        json={"start_date": "2026-10-05"},
        headers=alice.headers,
    )
    assert r.status_code == 201, r.text
    plan = r.json()
    for s in _sessions(plan)[:3]:
        body = workout_body(performed_at=f"{s['date']}T18:30:00-06:00", exercise_count=2)
        body["exercises"].append(
            {"exercise": "sled-push", "notes": None, "sets": [set_body(reps=8, load_kg=60.0)]}
        )
        make_workout(client, alice, athlete, **{**body, "planned_session": s["id"]})
    make_workout(client, alice, athlete, performed_at="2026-10-10T09:00:00-06:00")  # unplanned
    goal = {"kind": "weekly_sessions", "target": 3, "target_date": "2030-01-01"}
    r = client.post(f"/v1/athletes/{athlete['id']}/goals", json=goal, headers=alice.headers)
    assert r.status_code == 201, r.text
    exported = client.get(f"/v1/athletes/{athlete['id']}/export", headers=alice.headers)
    assert exported.status_code == 200, exported.text

    twin = make_athlete(client, bob, timezone="America/Denver")
    r = post_legwork(client, bob, twin, exported.content)
    assert r.status_code == 200, r.text
    assert r.json()["workouts_created"] == 4
    assert r.json()["custom_exercises_created"] == ["sled-push"]
    assert r.json()["warnings"] == []
    restored = client.get(f"/v1/athletes/{twin['id']}/plan", headers=bob.headers)
    assert restored.status_code == 200, restored.text
    assert _without_ids(restored.json()) == _without_ids(plan)
    new_ids = [s["id"] for s in _sessions(restored.json())]
    assert not set(new_ids) & {s["id"] for s in _sessions(plan)}  # ids are the database's
    renamed = dict(zip((s["id"] for s in _sessions(plan)), new_ids, strict=True))
    originals, twins = workouts_of(client, alice, athlete), workouts_of(client, bob, twin)
    assert [w["planned_session"] for w in twins] == [
        renamed.get(w["planned_session"]) for w in originals
    ]
    assert sum(w["planned_session"] is not None for w in twins) == 3
    assert comparable(twins) == comparable(originals)
    progress = _progress(client, alice, athlete)
    assert progress["adherence"] == {"planned": 8, "completed": 3, "ratio": 0.375}
    assert _progress(client, bob, twin) == progress
    r = client.get("/v1/exercises/custom", headers=bob.headers)
    own = ("id", "created_at", "updated_at")
    assert [{k: v for k, v in e.items() if k not in own} for e in r.json()["items"]] == [
        {k: v for k, v in custom.items() if k not in own}
    ]
    r = client.get(f"/v1/athletes/{twin['id']}/goals", headers=bob.headers)
    assert [(g["kind"], g["target"], g["target_date"]) for g in r.json()["items"]] == [
        ("weekly_sessions", 3, "2030-01-01")
    ]

    # Again: nothing new, and the plan restored stays as it is.
    again = post_legwork(client, bob, twin, exported.content).json()
    assert (again["workouts_created"], again["workouts_skipped"]) == (0, 4)
    assert again["custom_exercises_created"] == []
    assert "the athlete has a stored plan already" in again["warnings"][0]
    r = client.get(f"/v1/athletes/{twin['id']}/plan", headers=bob.headers)
    assert (r.json(), r.headers["etag"]) == (restored.json(), '"v1"')


def test_a_json_export_with_a_broken_plan_is_422_naming_it_and_stores_nothing(
    client: TestClient, alice: Caller
) -> None:
    athlete = make_athlete(client, alice, **PROFILE)
    r = client.put(
        f"/v1/athletes/{athlete['id']}/plan",
        json={"start_date": "2026-10-05"},
        headers=alice.headers,
    )
    make_workout(client, alice, athlete, planned_session=_sessions(r.json())[0]["id"])
    document = client.get(f"/v1/athletes/{athlete['id']}/export", headers=alice.headers).json()
    twin = make_athlete(client, alice)
    week = document["plan"]["plan"]["weeks"][0]
    week["sessions"][1]["id"] = week["sessions"][0]["id"]
    week["sessions"][0]["date"] = None
    r = post_legwork(client, alice, twin, json.dumps(document))
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [
        "plan.plan.weeks[0].sessions[0].date",
        "plan.plan.weeks[0].sessions[1].id",
    ]
    document["plan"]["request"]["sessions_per_week"] = 9
    r = post_legwork(client, alice, twin, json.dumps(document))
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "plan.request.sessions_per_week"
    assert client.get(f"/v1/athletes/{twin['id']}/plan", headers=alice.headers).status_code == 404
    assert workouts_of(client, alice, twin) == []


def test_csv_export_is_strongs_layout_and_imports_back(client: TestClient, alice: Caller) -> None:
    athlete = _logged(client, alice, session_rpe=None)  # Strong's layout has no session RPE
    r = client.get(f"/v1/athletes/{athlete['id']}/export?format=csv", headers=alice.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines()[0] == (
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
        "Notes,Workout Notes,RPE"
    )
    twin = make_athlete(client, alice, timezone="America/Denver")
    answer = post_import(client, alice, twin, r.content, source="strong").json()
    assert answer["workouts_created"] == 5
    assert answer["custom_exercises_created"] == []  # "Sled Push" is the account's already
    assert comparable(workouts_of(client, alice, twin)) == comparable(
        workouts_of(client, alice, athlete)
    )
    assert _progress(client, alice, twin) == _progress(client, alice, athlete)


def test_an_imported_file_exports_to_csv_that_reimports_identically(
    client: TestClient, alice: Caller
) -> None:
    athlete = make_athlete(client, alice)
    post_import(client, alice, athlete, fixture("strong_comma_kg.csv"))
    exported = client.get(f"/v1/athletes/{athlete['id']}/export?format=csv", headers=alice.headers)
    assert "Leg day" in exported.text  # the title the file gave
    twin = make_athlete(client, alice)
    answer = post_import(client, alice, twin, exported.content).json()
    assert answer["workouts_created"] == 2
    assert comparable(workouts_of(client, alice, twin)) == comparable(
        workouts_of(client, alice, athlete)
    )
    # Into the athlete it came from, it is the same workouts: nothing new.
    again = post_import(client, alice, athlete, exported.content).json()
    assert (again["workouts_created"], again["workouts_skipped"]) == (0, 2)


def test_an_empty_athlete_exports_empty(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice)
    r = client.get(f"/v1/athletes/{athlete['id']}/export", headers=alice.headers)
    assert r.json()["workouts"] == []
    assert r.json()["plan"] is None
    r = client.get(f"/v1/athletes/{athlete['id']}/export?format=csv", headers=alice.headers)
    assert r.text.count("\n") == 1


def test_an_import_is_in_the_changes_feed_once_and_a_failed_one_not_at_all(
    client: TestClient, alice: Caller, session: Session
) -> None:
    athlete = make_athlete(client, alice)
    before = client.get("/v1/changes", params={"limit": 200}, headers=alice.headers).json()
    cursor = before["next_cursor"]
    bad = fixture("strong_comma_kg.csv").decode().replace(",80,5,", ",eighty,5,", 1)
    assert post_import(client, alice, athlete, bad).status_code == 422
    r = client.get("/v1/changes", params={"cursor": cursor}, headers=alice.headers)
    assert r.json()["items"] == []
    assert post_import(client, alice, athlete, fixture("strong_comma_kg.csv")).status_code == 200
    items = client.get("/v1/changes", params={"cursor": cursor}, headers=alice.headers).json()
    kinds = [(i["kind"], i["op"]) for i in items["items"]]
    assert kinds.count(("custom_exercise", "upsert")) == 2
    assert kinds.count(("workout", "upsert")) == 2
    assert kinds[-1] == ("athlete", "upsert")  # the import.completed event rides on it
    workouts = {w["id"] for w in workouts_of(client, alice, athlete)}
    assert {i["id"] for i in items["items"] if i["kind"] == "workout"} == workouts
    assert all(i["etag"] == '"v1"' for i in items["items"] if i["kind"] == "workout")
    events = session.execute(
        select(CHANGES.c.event).where(CHANGES.c.account_id == alice.account.id)
    ).scalars()
    assert list(events).count("import.completed") == 1
