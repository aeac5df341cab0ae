from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.enums import Scope
from tests.databases import count_queries
from tests.factories import Caller, athlete_body, make_athlete, make_caller, make_workout


def test_create_then_get(client: TestClient, alice: Caller) -> None:
    body = athlete_body(
        event="half_marathon",
        race_date="2027-04-11",
        equipment=["band", "dumbbell"],
        body_mass_kg=61.5,
        level="intermediate",
        sessions_per_week=3,
        session_minutes=40,
        long_run_day="sunday",
        hard_run_days=["tuesday", "thursday"],
    )
    r = client.post("/v1/athletes", json=body, headers=alice.headers)
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["location"] == f"/v1/athletes/{created['id']}"
    assert r.headers["etag"]
    for field, value in body.items():
        assert created[field] == value, field
    assert created["created_at"].endswith("Z")

    r = client.get(f"/v1/athletes/{created['id']}", headers=alice.headers)
    assert r.status_code == 200, r.text
    assert r.json() == created


def test_defaults(client: TestClient, alice: Caller) -> None:
    r = client.post("/v1/athletes", json={"name": "Kip"}, headers=alice.headers)
    assert r.status_code == 201, r.text
    athlete = r.json()
    assert athlete["timezone"] == "UTC"
    assert athlete["level"] == "beginner"
    assert athlete["equipment"] == []
    assert athlete["event"] is None
    # The running week is unset until the athlete says.
    for field in ("sessions_per_week", "session_minutes", "long_run_day", "hard_run_days"):
        assert athlete[field] is None, field


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"level": "elite"}, "level"),
        ({"event": "parkrun"}, "event"),
        ({"race_date": "11/04/2027"}, "race_date"),
        ({"equipment": ["sled"]}, "equipment[0]"),
        ({"equipment": ["band", "band"]}, "equipment"),
        ({"body_mass_kg": 5}, "body_mass_kg"),
        ({"body_mass_kg": 401}, "body_mass_kg"),
        ({"nickname": "Ace"}, "nickname"),
        ({"sessions_per_week": 4}, "sessions_per_week"),
        ({"sessions_per_week": "2"}, "sessions_per_week"),
        ({"session_minutes": 14}, "session_minutes"),
        ({"session_minutes": 121}, "session_minutes"),
        ({"long_run_day": "someday"}, "long_run_day"),
        ({"hard_run_days": ["tuesday", "tuesday"]}, "hard_run_days"),
        ({"hard_run_days": ["funday"]}, "hard_run_days[0]"),
        ({"load_steps_kg": {"dumbbell": 0}}, "load_steps_kg"),
        ({"load_steps_kg": {"sled": 1}}, "load_steps_kg.sled.[key]"),
    ],
)
def test_invalid_athlete_is_422_naming_the_field(
    client: TestClient, alice: Caller, overrides: dict[str, Any], field: str
) -> None:
    r = client.post("/v1/athletes", json=athlete_body(**overrides), headers=alice.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["status"] == 422
    assert problem["errors"][0]["field"] == field, problem
    assert client.get("/v1/athletes", headers=alice.headers).json()["items"] == []


def test_malformed_json_is_422(client: TestClient, alice: Caller) -> None:
    r = client.post(
        "/v1/athletes",
        content=b'{"name": ',
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"


def test_list_paginates_oldest_first(client: TestClient, alice: Caller, bob: Caller) -> None:
    ids = [make_athlete(client, alice, name=f"A{i}")["id"] for i in range(5)]
    make_athlete(client, bob, name="Bob's")
    r = client.get("/v1/athletes", params={"limit": 2}, headers=alice.headers)
    page = r.json()
    assert [a["id"] for a in page["items"]] == ids[:2]
    collected = [a["id"] for a in page["items"]]
    while page["next_cursor"]:
        page = client.get(
            "/v1/athletes",
            params={"limit": 2, "cursor": page["next_cursor"]},
            headers=alice.headers,
        ).json()
        collected += [a["id"] for a in page["items"]]
    assert collected == ids


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"cursor": "garbage!"}, "cursor"),
        ({"cursor": "WyJ4Il0"}, "cursor"),
    ],
)
def test_bad_paging_is_422(
    client: TestClient, alice: Caller, params: dict[str, Any], field: str
) -> None:
    r = client.get("/v1/athletes", params=params, headers=alice.headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field


def test_patch_changes_only_given_fields_and_honours_etags(
    client: TestClient, alice: Caller
) -> None:
    athlete = make_athlete(client, alice, event="marathon")
    url = f"/v1/athletes/{athlete['id']}"
    etag = client.get(url, headers=alice.headers).headers["etag"]

    r = client.get(url, headers={**alice.headers, "If-None-Match": etag})
    assert r.status_code == 304

    r = client.patch(url, json={"level": "advanced"}, headers={**alice.headers, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["level"] == "advanced"
    assert r.json()["event"] == "marathon"
    new_etag = r.headers["etag"]
    assert new_etag != etag

    r = client.patch(url, json={"level": "beginner"}, headers={**alice.headers, "If-Match": etag})
    assert r.status_code == 412, r.text
    assert client.get(url, headers=alice.headers).json()["level"] == "advanced"

    r = client.get(url, headers={**alice.headers, "If-None-Match": etag})
    assert r.status_code == 200

    r = client.patch(url, json={"event": None}, headers=alice.headers)
    assert r.status_code == 200, r.text
    assert r.json()["event"] is None


def test_patch_sets_and_clears_the_running_week(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice)
    url = f"/v1/athletes/{athlete['id']}"
    week = {"sessions_per_week": 2, "long_run_day": "saturday", "hard_run_days": ["wednesday"]}
    r = client.patch(url, json=week, headers=alice.headers)
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in week} == week
    assert r.json()["session_minutes"] is None  # untouched
    r = client.patch(url, json={"hard_run_days": None}, headers=alice.headers)
    assert r.json()["hard_run_days"] is None
    assert client.get(url, headers=alice.headers).json()["long_run_day"] == "saturday"


def test_patch_rejects_null_for_required_fields(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice)
    r = client.patch(f"/v1/athletes/{athlete['id']}", json={"name": None}, headers=alice.headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "name"


def test_timezone_change_moves_workouts_to_new_local_dates(
    client: TestClient, alice: Caller
) -> None:
    athlete = make_athlete(client, alice, timezone="Europe/Paris")
    # 23:30 in Paris on 20 Nov is 22:30 UTC: the 20th in Paris, still the 20th in UTC,
    # but the 21st in Tokyo.
    workout = make_workout(client, alice, athlete, performed_at="2026-11-20T23:30:00+01:00")
    assert workout["local_date"] == "2026-11-20"
    url = f"/v1/athletes/{athlete['id']}"
    assert client.patch(url, json={"timezone": "Asia/Tokyo"}, headers=alice.headers).is_success
    moved = client.get(f"{url}/workouts/{workout['id']}", headers=alice.headers).json()
    assert moved["local_date"] == "2026-11-21"
    r = client.get(
        f"{url}/workouts", params={"from": "2026-11-21", "to": "2026-11-21"}, headers=alice.headers
    )
    assert [w["id"] for w in r.json()["items"]] == [workout["id"]]


def test_delete_removes_the_athlete_and_its_logs(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice)
    workout = make_workout(client, alice, athlete)
    url = f"/v1/athletes/{athlete['id']}"
    r = client.delete(url, headers={**alice.headers, "If-Match": '"v999"'})
    assert r.status_code == 412, r.text
    assert client.delete(url, headers=alice.headers).status_code == 204
    assert client.get(url, headers=alice.headers).status_code == 404
    assert client.get(f"{url}/workouts/{workout['id']}", headers=alice.headers).status_code == 404


def test_unknown_athlete_is_404_problem(client: TestClient, alice: Caller) -> None:
    r = client.get("/v1/athletes/6f1c2a38-0000-4000-8000-000000000000", headers=alice.headers)
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == "application/problem+json"
    r = client.get("/v1/athletes/not-a-uuid", headers=alice.headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "athlete_id"


def test_the_token_and_the_athlete_are_read_in_one_statement(
    client: TestClient, engine: Engine, session: Session, alice: Caller, bob: Caller
) -> None:
    athlete = make_athlete(client, alice)
    reader = make_caller(session, name="Reader", scopes=frozenset({Scope.read}))
    url = f"/v1/athletes/{athlete['id']}"
    assert client.get(url, headers=alice.headers).status_code == 200  # last_used_at stamped
    with count_queries(engine) as statements:
        assert client.get(url, headers=alice.headers).status_code == 200
    # (the test's shared session wraps each request in a savepoint)
    reads = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))]
    assert len(reads) == 1, statements
    # and what that one read finds still answers as before: 404 for another account's athlete
    # (as for none), 401 for an unknown token, 403 for a token without the scope
    assert client.get(url, headers=bob.headers).status_code == 404
    assert client.get(url, headers={"Authorization": "Bearer lw_nope"}).status_code == 401
    assert client.get(url, headers=reader.headers).status_code == 404  # reader's own account
    assert client.patch(url, json={"name": "X"}, headers=reader.headers).status_code == 403
