from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.workouts.models import Workout, WorkoutSet
from tests.databases import count_queries
from tests.factories import Caller, make_athlete, make_workout, set_body, workout_body


@pytest.fixture
def athlete(client: TestClient, alice: Caller) -> dict[str, Any]:
    return make_athlete(client, alice)


def _url(athlete: dict[str, Any], suffix: str = "") -> str:
    return f"/v1/athletes/{athlete['id']}/workouts{suffix}"


def _instant(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def test_six_by_three_workout_comes_back_identical(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    body = workout_body(exercise_count=6, set_count=3)
    sides = ["both", "left", "right"]
    for i, exercise in enumerate(body["exercises"]):
        exercise["notes"] = f"note {i}"
        for j, s in enumerate(exercise["sets"]):
            s.update(
                reps=8 + j,
                load_kg=12.5 * (i + 1),
                rpe=6 + j * 0.5,
                rir=3 - j,
                side=sides[j],
                warmup=j == 0,
            )
    r = client.post(_url(athlete), json=body, headers=alice.headers)
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["location"] == _url(athlete, f"/{created['id']}")

    fetched = client.get(_url(athlete, f"/{created['id']}"), headers=alice.headers).json()
    assert fetched == created
    assert fetched["exercises"] == body["exercises"]
    assert _instant(fetched["performed_at"]) == _instant(body["performed_at"])
    assert fetched["performed_at"].endswith("Z")
    for field in ("duration_min", "session_rpe", "notes", "planned_session"):
        assert fetched[field] == body[field], field


def test_hold_sets_by_duration(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    body = workout_body()
    body["exercises"][0]["sets"] = [
        set_body(reps=None, duration_s=45, load_kg=0, rpe=None, rir=None)
    ]
    r = client.post(_url(athlete), json=body, headers=alice.headers)
    assert r.status_code == 201, r.text
    assert r.json()["exercises"][0]["sets"][0]["duration_s"] == 45


BAD_SETS = [
    ({"reps": -1}, "reps"),
    ({"reps": 1001}, "reps"),
    ({"reps": 2.5}, "reps"),
    ({"load_kg": -0.5}, "load_kg"),
    ({"load_kg": 1000.5}, "load_kg"),
    ({"rpe": 7.3}, "rpe"),
    ({"rpe": 10.5}, "rpe"),
    ({"rpe": -0.5}, "rpe"),
    ({"rir": 11}, "rir"),
    ({"rir": -1}, "rir"),
    ({"duration_s": -5}, "duration_s"),
    ({"side": "middle"}, "side"),
    ({"warmup": "sometimes"}, "warmup"),
    ({"tempo": "3-1-1"}, "tempo"),
]


@pytest.mark.parametrize(("override", "field"), BAD_SETS)
def test_one_bad_set_is_422_naming_it_and_stores_nothing(
    client: TestClient,
    session: Session,
    alice: Caller,
    athlete: dict[str, Any],
    override: dict[str, Any],
    field: str,
) -> None:
    body = workout_body(exercise_count=6, set_count=3)
    body["exercises"][4]["sets"][2].update(override)
    r = client.post(_url(athlete), json=body, headers=alice.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == f"exercises[4].sets[2].{field}", r.text
    assert session.exec(select(func.count()).select_from(Workout)).one() == 0
    assert session.exec(select(func.count()).select_from(WorkoutSet)).one() == 0


def test_set_needs_reps_or_duration(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    body = workout_body()
    body["exercises"][0]["sets"][1] = set_body(reps=None, duration_s=None)
    r = client.post(_url(athlete), json=body, headers=alice.headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "exercises[0].sets[1]"


def _future(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


BAD_WORKOUTS = [
    ({"performed_at": "2026-11-20T18:30:00"}, "performed_at"),
    ({"performed_at": "yesterday"}, "performed_at"),
    ({"performed_at": _future(25)}, "performed_at"),
    ({"performed_at": "0001-01-01T00:00:00+14:00"}, "performed_at"),
    ({"duration_min": -1}, "duration_min"),
    ({"duration_min": 1441}, "duration_min"),
    ({"session_rpe": 11}, "session_rpe"),
    ({"session_rpe": 6.25}, "session_rpe"),
    ({"notes": "x" * 2001}, "notes"),
    ({"planned_session": "nope"}, "planned_session"),
    ({"exercises": []}, "exercises"),
    ({"mood": "great"}, "mood"),
]


@pytest.mark.parametrize(("override", "field"), BAD_WORKOUTS)
def test_bad_workout_field_is_422_naming_it(
    client: TestClient, alice: Caller, athlete: dict[str, Any], override: dict[str, Any], field: str
) -> None:
    r = client.post(_url(athlete), json=workout_body(**override), headers=alice.headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field, r.text
    assert client.get(_url(athlete), headers=alice.headers).json()["items"] == []


def test_workout_size_limits(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    r = client.post(
        _url(athlete), json=workout_body(exercise_count=101, set_count=1), headers=alice.headers
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "exercises"
    r = client.post(
        _url(athlete), json=workout_body(exercise_count=11, set_count=91), headers=alice.headers
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "exercises"
    assert "1000" in r.json()["errors"][0]["message"]
    r = client.post(
        _url(athlete), json=workout_body(exercise_count=10, set_count=100), headers=alice.headers
    )
    assert r.status_code == 201, r.text
    assert sum(len(e["sets"]) for e in r.json()["exercises"]) == 1000


def test_performed_at_up_to_a_day_ahead_is_fine(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    r = client.post(
        _url(athlete), json=workout_body(performed_at=_future(23)), headers=alice.headers
    )
    assert r.status_code == 201, r.text


def test_unknown_exercise_is_422_naming_it(
    client: TestClient, session: Session, alice: Caller, athlete: dict[str, Any]
) -> None:
    body = workout_body(exercise_count=3)
    body["exercises"][2]["exercise"] = "jazzercise"
    r = client.post(_url(athlete), json=body, headers=alice.headers)
    assert r.status_code == 422, r.text
    error = r.json()["errors"][0]
    assert error["field"] == "exercises[2].exercise"
    assert "jazzercise" in error["message"]
    assert session.exec(select(func.count()).select_from(Workout)).one() == 0


def test_custom_exercise_of_the_account_may_be_logged(
    client: TestClient, alice: Caller, bob: Caller, athlete: dict[str, Any]
) -> None:
    r = client.post(
        "/v1/exercises/custom",
        json={"name": "Sled push", "primary_muscles": ["quads", "glutes"]},
        headers=bob.headers,
    )
    assert r.status_code == 201, r.text
    body = workout_body()
    body["exercises"][0]["exercise"] = "sled-push"
    r = client.post(_url(athlete), json=body, headers=alice.headers)
    assert r.status_code == 422, "Bob's custom exercise is not Alice's"

    r = client.post(
        "/v1/exercises/custom",
        json={"name": "Sled push", "primary_muscles": ["quads"]},
        headers=alice.headers,
    )
    assert r.status_code == 201, r.text
    r = client.post(_url(athlete), json=body, headers=alice.headers)
    assert r.status_code == 201, r.text
    assert r.json()["exercises"][0]["exercise"] == "sled-push"


def test_list_newest_first_with_inclusive_local_date_filters(
    client: TestClient, alice: Caller
) -> None:
    athlete = make_athlete(client, alice, timezone="America/New_York")
    stamps = {
        "2026-11-01": "2026-11-01T08:00:00-05:00",
        "2026-11-02": "2026-11-02T23:30:00-05:00",  # already the 3rd in UTC
        "2026-11-03": "2026-11-03T12:00:00Z",
        "2026-11-04": "2026-11-05T03:00:00+00:00",  # 22:00 on the 4th in New York
    }
    ids = {
        day: make_workout(client, alice, athlete, performed_at=at)["id"]
        for day, at in stamps.items()
    }
    r = client.get(_url(athlete), headers=alice.headers)
    assert [w["id"] for w in r.json()["items"]] == [ids[d] for d in sorted(ids, reverse=True)]
    assert [w["local_date"] for w in r.json()["items"]] == sorted(stamps, reverse=True)

    r = client.get(
        _url(athlete), params={"from": "2026-11-02", "to": "2026-11-04"}, headers=alice.headers
    )
    assert [w["id"] for w in r.json()["items"]] == [
        ids["2026-11-04"],
        ids["2026-11-03"],
        ids["2026-11-02"],
    ]
    r = client.get(_url(athlete), params={"to": "2026-11-01"}, headers=alice.headers)
    assert [w["id"] for w in r.json()["items"]] == [ids["2026-11-01"]]

    pages, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(_url(athlete), params=params, headers=alice.headers).json()
        pages.append([w["id"] for w in page["items"]])
        if not (cursor := page["next_cursor"]):
            break
    assert [len(p) for p in pages] == [3, 1]
    assert [i for p in pages for i in p] == [ids[d] for d in sorted(ids, reverse=True)]


def test_inverted_or_malformed_range_is_422(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    r = client.get(
        _url(athlete), params={"from": "2026-11-05", "to": "2026-11-01"}, headers=alice.headers
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "from"
    r = client.get(_url(athlete), params={"from": "last week"}, headers=alice.headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "from"


def test_reads_take_a_fixed_number_of_queries(
    client: TestClient, engine: Engine, alice: Caller, athlete: dict[str, Any]
) -> None:
    small = make_workout(client, alice, athlete, exercise_count=1, set_count=1)
    large = make_workout(client, alice, athlete, exercise_count=12, set_count=5)
    counts = []
    for workout in (small, large):
        with count_queries(engine) as statements:
            assert client.get(_url(athlete, f"/{workout['id']}"), headers=alice.headers).is_success
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    with count_queries(engine) as one_page:
        assert client.get(_url(athlete), params={"limit": 1}, headers=alice.headers).is_success
    with count_queries(engine) as two_pages:
        assert client.get(_url(athlete), params={"limit": 2}, headers=alice.headers).is_success
    assert len(one_page) == len(two_pages)


def test_writes_take_a_fixed_number_of_statements(
    client: TestClient, engine: Engine, alice: Caller, athlete: dict[str, Any]
) -> None:
    make_workout(client, alice, athlete)  # the token's last_used_at stamped
    counts = []
    for n, (exercises, sets) in enumerate(((1, 1), (6, 3))):
        with count_queries(engine) as statements:
            make_workout(
                client,
                alice,
                athlete,
                exercise_count=exercises,
                set_count=sets,
                performed_at=f"2026-11-1{n}T07:00:00Z",
            )
        counts.append(len(statements))
        inserts = [s for s in statements if "INSERT INTO workout_sets" in s]
        if engine.dialect.name == "postgresql":  # the workout, its exercises and sets at once
            assert len(inserts) == 1, statements
            assert "INSERT INTO workouts" in inserts[0]
            assert "INSERT INTO workout_exercises" in inserts[0]
            # and the athlete's rollup lock, in the same statement
            assert [s for s in statements if "FOR NO KEY UPDATE" in s] == inserts, statements
    assert counts[0] == counts[1], counts


def test_put_replaces_and_patch_changes_fields(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    workout = make_workout(client, alice, athlete, exercise_count=2)
    url = _url(athlete, f"/{workout['id']}")
    etag = client.get(url, headers=alice.headers).headers["etag"]

    replacement = workout_body(
        exercise_count=1, set_count=2, notes=None, performed_at="2026-11-18T07:00:00Z"
    )
    r = client.put(url, json=replacement, headers={**alice.headers, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["exercises"] == replacement["exercises"]
    assert r.json()["notes"] is None
    assert r.json()["local_date"] == "2026-11-18"
    assert r.json()["id"] == workout["id"]

    r = client.patch(url, json={"notes": "stale"}, headers={**alice.headers, "If-Match": etag})
    assert r.status_code == 412, r.text

    r = client.patch(
        url,
        json={"session_rpe": 8.5, "performed_at": "2026-11-19T07:00:00+09:00"},
        headers=alice.headers,
    )
    assert r.status_code == 200, r.text
    patched = r.json()
    assert patched["session_rpe"] == 8.5
    assert patched["exercises"] == replacement["exercises"]
    assert patched["local_date"] == "2026-11-18"  # 07:00 in Tokyo is the 18th in Paris

    r = client.patch(
        url,
        json={"exercises": [{"exercise": "nordic-curl", "sets": [set_body()]}]},
        headers=alice.headers,
    )
    assert r.status_code == 200, r.text
    assert [e["exercise"] for e in r.json()["exercises"]] == ["nordic-curl"]
    r = client.get(url, headers=alice.headers)
    assert [e["exercise"] for e in r.json()["exercises"]] == ["nordic-curl"]


def test_failed_update_keeps_the_stored_workout(
    client: TestClient, alice: Caller, athlete: dict[str, Any]
) -> None:
    workout = make_workout(client, alice, athlete, exercise_count=2)
    url = _url(athlete, f"/{workout['id']}")
    bad = workout_body(exercise_count=3)
    bad["exercises"][2]["exercise"] = "unknown-thing"
    assert client.put(url, json=bad, headers=alice.headers).status_code == 422
    r = client.patch(url, json={"performed_at": None}, headers=alice.headers)
    assert r.status_code == 422, r.text
    assert client.get(url, headers=alice.headers).json() == workout


def test_delete_and_etags(client: TestClient, alice: Caller, athlete: dict[str, Any]) -> None:
    workout = make_workout(client, alice, athlete)
    url = _url(athlete, f"/{workout['id']}")
    etag = client.get(url, headers=alice.headers).headers["etag"]
    assert client.get(url, headers={**alice.headers, "If-None-Match": etag}).status_code == 304
    assert client.delete(url, headers={**alice.headers, "If-Match": '"v0"'}).status_code == 412
    assert client.delete(url, headers={**alice.headers, "If-Match": etag}).status_code == 204
    assert client.get(url, headers=alice.headers).status_code == 404
    assert client.delete(url, headers=alice.headers).status_code == 404
