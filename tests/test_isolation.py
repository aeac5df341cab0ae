"""An athlete of another account is a 404 on every athlete path, exactly like a missing one."""

import json
from typing import Any

from fastapi.testclient import TestClient

from app.cli import OPENAPI_PATH
from tests.factories import Caller, make_athlete, make_workout, workout_body

MISSING = "00000000-0000-4000-8000-000000000000"

# Every athlete-scoped operation, with a valid body where it takes one.
CALLS: dict[tuple[str, str], dict[str, Any] | None] = {
    ("get", "/v1/athletes/{athlete_id}"): None,
    ("patch", "/v1/athletes/{athlete_id}"): {"name": "Renamed"},
    ("delete", "/v1/athletes/{athlete_id}"): None,
    ("post", "/v1/athletes/{athlete_id}/workouts"): workout_body(),
    ("get", "/v1/athletes/{athlete_id}/workouts"): None,
    ("get", "/v1/athletes/{athlete_id}/workouts/{workout_id}"): None,
    ("put", "/v1/athletes/{athlete_id}/workouts/{workout_id}"): workout_body(),
    ("patch", "/v1/athletes/{athlete_id}/workouts/{workout_id}"): {"notes": "mine now"},
    ("delete", "/v1/athletes/{athlete_id}/workouts/{workout_id}"): None,
}


def test_every_athlete_route_is_in_the_table() -> None:
    document = json.loads(OPENAPI_PATH.read_text())
    scoped = {
        (method, path)
        for path, operations in document["paths"].items()
        if "{athlete_id}" in path
        for method in operations
    }
    assert scoped == set(CALLS), "add the new athlete route to CALLS"


def test_another_accounts_athlete_is_indistinguishable_from_a_missing_one(
    client: TestClient, alice: Caller, bob: Caller
) -> None:
    bobs_athlete = make_athlete(client, bob, name="Bob's runner")
    bobs_workout = make_workout(client, bob, bobs_athlete)
    before = client.get(f"/v1/athletes/{bobs_athlete['id']}/workouts", headers=bob.headers).json()

    for (method, template), body in CALLS.items():
        answers = []
        for athlete_id, workout_id in (
            (bobs_athlete["id"], bobs_workout["id"]),
            (MISSING, MISSING),
        ):
            path = template.format(athlete_id=athlete_id, workout_id=workout_id)
            r = client.request(method, path, json=body, headers=alice.headers)
            assert r.status_code == 404, (method, path, r.text)
            assert "Bob" not in r.text
            answers.append(r.json())
        assert answers[0]["title"] == answers[1]["title"]
        assert answers[0]["detail"].replace(bobs_athlete["id"], MISSING) == answers[1]["detail"]

    after = client.get(f"/v1/athletes/{bobs_athlete['id']}/workouts", headers=bob.headers).json()
    assert after == before
    assert (
        client.get(f"/v1/athletes/{bobs_athlete['id']}", headers=bob.headers).json() == bobs_athlete
    )


def test_read_only_token_gets_403_on_every_athlete_write(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice)
    workout = make_workout(client, alice, athlete)
    r = client.post("/v1/tokens", json={"scopes": ["read"]}, headers=alice.headers)
    reader = {"Authorization": f"Bearer {r.json()['token']}"}
    for (method, template), body in CALLS.items():
        path = template.format(athlete_id=athlete["id"], workout_id=workout["id"])
        r = client.request(method, path, json=body, headers=reader)
        assert r.status_code == (200 if method == "get" else 403), (method, path, r.text)
    assert client.get(f"/v1/athletes/{athlete['id']}", headers=alice.headers).json() == athlete
