from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.workouts.models import Workout
from tests.factories import Caller, athlete_body, make_athlete, workout_body


def _post(client: TestClient, caller: Caller, url: str, body: Any, key: str) -> Any:
    return client.post(url, json=body, headers={**caller.headers, "Idempotency-Key": key})


def _workouts(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Workout)).one()


def test_retry_replays_the_first_answer_and_creates_nothing(
    client: TestClient, session: Session, alice: Caller
) -> None:
    athlete = make_athlete(client, alice)
    url = f"/v1/athletes/{athlete['id']}/workouts"
    first = _post(client, alice, url, workout_body(), "retry-1")
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers

    again = _post(client, alice, url, workout_body(), "retry-1")
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"]
    assert _workouts(session) == 1


def test_same_key_with_another_body_is_422(
    client: TestClient, session: Session, alice: Caller
) -> None:
    athlete = make_athlete(client, alice)
    url = f"/v1/athletes/{athlete['id']}/workouts"
    assert _post(client, alice, url, workout_body(), "k").status_code == 201
    r = _post(client, alice, url, workout_body(notes="different"), "k")
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == "Idempotency-Key"
    assert _workouts(session) == 1


def test_keys_are_per_account(client: TestClient, alice: Caller, bob: Caller) -> None:
    a = _post(client, alice, "/v1/athletes", athlete_body(name="A"), "shared")
    b = _post(client, bob, "/v1/athletes", athlete_body(name="A"), "shared")
    assert a.status_code == b.status_code == 201
    assert "idempotent-replayed" not in b.headers
    assert a.json()["id"] != b.json()["id"]


def test_validation_failures_are_replayed_too(client: TestClient, alice: Caller) -> None:
    first = _post(client, alice, "/v1/athletes", {"name": ""}, "bad")
    again = _post(client, alice, "/v1/athletes", {"name": ""}, "bad")
    assert first.status_code == again.status_code == 422
    assert again.headers["idempotent-replayed"] == "true"


def test_every_creating_post_takes_a_key(client: TestClient, alice: Caller) -> None:
    for url, body in (
        ("/v1/athletes", athlete_body()),
        ("/v1/tokens", {"scopes": ["read"]}),
        ("/v1/exercises/custom", {"name": "Frog pump", "primary_muscles": ["glutes"]}),
    ):
        first = _post(client, alice, url, body, f"key-{url}")
        again = _post(client, alice, url, body, f"key-{url}")
        assert first.status_code == 201, (url, first.text)
        assert again.headers.get("idempotent-replayed") == "true", url
        assert again.json() == first.json()


@pytest.mark.parametrize("key", [b"", b"x" * 256, b"tab\there", "ünïcode".encode()])
def test_malformed_key_is_422(client: TestClient, alice: Caller, key: bytes) -> None:
    r = client.post(
        "/v1/athletes",
        json=athlete_body(),
        headers=[*alice.headers.items(), ("Idempotency-Key", key)],
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "Idempotency-Key"


def test_without_a_valid_token_the_key_changes_nothing(client: TestClient) -> None:
    r = client.post(
        "/v1/athletes",
        json=athlete_body(),
        headers={"Authorization": "Bearer nope", "Idempotency-Key": "k"},
    )
    assert r.status_code == 401
