"""Every athlete-scoped route × every kind of caller → the documented status, and not a byte of
another account's data. A route missing from ROUTES fails `test_every_athlete_route_is_listed`."""

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cli import OPENAPI_PATH
from tests.factories import Caller, make_athlete, make_workout, workout_body

MISSING = "00000000-0000-4000-8000-000000000000"
SECRET_NAME = "Victim Runner Zq7"
SECRET_NOTE = "victim-private-note-Xk9"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    body: dict[str, Any] | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def writes(self) -> bool:
        return self.method != "get"

    def url(self, athlete_id: str, workout_id: str, goal_id: str = MISSING) -> str:
        return self.path.format(
            athlete_id=athlete_id,
            workout_id=workout_id,
            slug="glute-bridge",
            link_id=MISSING,
            goal_id=goal_id,
        )


ROUTES = [
    Route("get", "/v1/athletes/{athlete_id}"),
    Route("patch", "/v1/athletes/{athlete_id}", {"name": "Renamed"}),
    Route("delete", "/v1/athletes/{athlete_id}"),
    Route("post", "/v1/athletes/{athlete_id}/workouts", workout_body()),
    Route("get", "/v1/athletes/{athlete_id}/workouts", params={"from": "2026-10-01"}),
    Route("get", "/v1/athletes/{athlete_id}/workouts/{workout_id}"),
    Route("put", "/v1/athletes/{athlete_id}/workouts/{workout_id}", workout_body()),
    Route("patch", "/v1/athletes/{athlete_id}/workouts/{workout_id}", {"notes": "mine now"}),
    Route("delete", "/v1/athletes/{athlete_id}/workouts/{workout_id}"),
    Route("put", "/v1/athletes/{athlete_id}/plan", {"event": "10k", "start_date": "2026-11-02"}),
    Route("get", "/v1/athletes/{athlete_id}/plan"),
    Route("get", "/v1/athletes/{athlete_id}/plan/next", params={"date": "2026-11-02"}),
    Route("get", "/v1/athletes/{athlete_id}/plan.ics"),
    Route("post", "/v1/athletes/{athlete_id}/links", {"resource": "plan.ics"}),
    Route("get", "/v1/athletes/{athlete_id}/links"),
    Route("delete", "/v1/athletes/{athlete_id}/links/{link_id}"),
    Route(
        "post",
        "/v1/athletes/{athlete_id}/goals",
        {"kind": "weekly_sessions", "target": 2, "target_date": "2030-01-01"},
    ),
    Route("get", "/v1/athletes/{athlete_id}/goals"),
    Route("get", "/v1/athletes/{athlete_id}/goals/{goal_id}"),
    Route("patch", "/v1/athletes/{athlete_id}/goals/{goal_id}", {"target": 3}),
    Route("delete", "/v1/athletes/{athlete_id}/goals/{goal_id}"),
    Route("delete", "/v1/athletes/{athlete_id}/plan"),
    Route(
        "get",
        "/v1/athletes/{athlete_id}/progress",
        params={"from": "2026-10-01", "to": "2026-11-28"},
    ),
    Route("get", "/v1/athletes/{athlete_id}/progress.csv"),
    Route("get", "/v1/athletes/{athlete_id}/progress/exercises/{slug}"),
    Route("get", "/v1/athletes/{athlete_id}/progress/chart.svg", params={"metric": "volume_load"}),
    Route(
        "post",
        "/v1/athletes/{athlete_id}/imports",
        {"format": "legwork-export/1", "workouts": [workout_body()]},
        params={"source": "legwork"},
    ),
    Route("get", "/v1/athletes/{athlete_id}/export"),
    Route("get", "/v1/athletes/{athlete_id}/load-series", params={"from": "2026-10-01"}),
    Route("get", "/v1/athletes/{athlete_id}/load-series.csv", params={"from": "2026-10-01"}),
]


def test_every_athlete_route_is_listed() -> None:
    document = json.loads(OPENAPI_PATH.read_text())
    documented = {
        (method, path)
        for path, operations in document["paths"].items()
        if "{athlete_id}" in path
        for method in operations
    }
    assert documented == {(r.method, r.path) for r in ROUTES}, "add the new route to ROUTES"


@dataclass
class World:
    victim: Caller
    athlete: dict[str, Any]
    workout: dict[str, Any]
    goal: dict[str, Any]


@pytest.fixture
def world(client: TestClient, bob: Caller) -> World:
    athlete = make_athlete(client, bob, name=SECRET_NAME)
    workout = make_workout(client, bob, athlete, notes=SECRET_NOTE)
    plan = client.put(
        f"/v1/athletes/{athlete['id']}/plan",
        json={"event": "10k", "start_date": "2026-11-02"},
        headers=bob.headers,
    )
    assert plan.status_code == 201, plan.text
    goal = client.post(
        f"/v1/athletes/{athlete['id']}/goals",
        json={"kind": "weekly_sessions", "target": 2, "target_date": "2030-01-01"},
        headers=bob.headers,
    )
    assert goal.status_code == 201, goal.text
    return World(bob, athlete, workout, goal.json())


def _call(client: TestClient, route: Route, headers: dict[str, str], world: World) -> Any:
    return client.request(
        route.method,
        route.url(world.athlete["id"], world.workout["id"], world.goal["id"]),
        json=route.body,
        params=route.params,
        headers=headers,
    )


def _assert_nothing_leaks(response: Any, world: World) -> None:
    for secret in (SECRET_NAME, SECRET_NOTE, world.workout["id"], world.victim.token):
        assert secret not in response.text, (response.request.url, response.text)
    assert response.headers["content-type"] == "application/problem+json"


def _assert_unchanged(client: TestClient, world: World) -> None:
    base = f"/v1/athletes/{world.athlete['id']}"
    assert client.get(base, headers=world.victim.headers).json() == world.athlete
    r = client.get(f"{base}/workouts/{world.workout['id']}", headers=world.victim.headers)
    assert r.json() == world.workout


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer lw_forged-token", "Basic YWxpY2U6cGFzcw==", "lw_no_scheme"],
    ids=["no-token", "empty-bearer", "unknown-token", "basic-auth", "no-scheme"],
)
def test_missing_or_malformed_token_is_401(
    client: TestClient, world: World, route: Route, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    r = _call(client, route, headers, world)
    assert r.status_code == 401, r.text
    assert r.headers["www-authenticate"].startswith("Bearer")
    _assert_nothing_leaks(r, world)
    _assert_unchanged(client, world)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_revoked_token_is_401_at_once(client: TestClient, world: World, route: Route) -> None:
    created = client.post(
        "/v1/tokens", json={"scopes": ["read", "write"]}, headers=world.victim.headers
    ).json()
    token = {"Authorization": f"Bearer {created['token']}"}
    assert client.get("/v1/athletes", headers=token).status_code == 200
    assert (
        client.delete(f"/v1/tokens/{created['id']}", headers=world.victim.headers).status_code
        == 204
    )
    r = _call(client, route, token, world)
    assert r.status_code == 401, r.text
    _assert_unchanged(client, world)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_another_accounts_token_is_404_like_a_missing_athlete(
    client: TestClient, world: World, alice: Caller, route: Route
) -> None:
    r = _call(client, route, alice.headers, world)
    assert r.status_code == 404, r.text
    _assert_nothing_leaks(r, world)
    missing = client.request(
        route.method,
        route.url(MISSING, MISSING),
        json=route.body,
        params=route.params,
        headers=alice.headers,
    )
    assert missing.status_code == 404
    assert r.json() == missing.json(), "must not tell a foreign athlete from a missing one"
    _assert_unchanged(client, world)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_read_only_token_reads_but_cannot_write(
    client: TestClient, world: World, route: Route
) -> None:
    created = client.post("/v1/tokens", json={"scopes": ["read"]}, headers=world.victim.headers)
    reader = {"Authorization": f"Bearer {created.json()['token']}"}
    r = _call(client, route, reader, world)
    if route.writes:
        assert r.status_code == 403, r.text
        assert r.headers["content-type"] == "application/problem+json"
    else:
        assert r.status_code == 200, r.text
    _assert_unchanged(client, world)


def _invalid(route: Route) -> Route:
    """`route` with a body and parameters it refuses (422 from its own caller)."""
    body = {"notes": ["not", "a", "string"], "target": "x"} if route.body is not None else None
    return Route(route.method, route.path, body, dict.fromkeys(route.params, "garbage-value"))


WITH_INPUT = [route for route in ROUTES if route.body is not None or route.params]


@pytest.mark.parametrize("route", WITH_INPUT, ids=lambda r: f"{r.method} {r.path}")
def test_who_calls_is_answered_before_what_was_sent_is_judged(
    client: TestClient, world: World, alice: Caller, route: Route
) -> None:
    """An invalid body or parameter tells a caller who may not make the call nothing: 401, 403
    and 404 come before 422, whether a route checks the caller before it runs or in its own
    thread (app.athletes.dependencies.AthleteAccess)."""
    invalid = _invalid(route)
    reader = client.post("/v1/tokens", json={"scopes": ["read"]}, headers=world.victim.headers)
    read_only = {"Authorization": f"Bearer {reader.json()['token']}"}
    refusals = [({}, 401), (read_only, 403), (alice.headers, 404)]
    for headers, status in refusals if route.writes else [refusals[0], refusals[2]]:
        r = _call(client, invalid, headers, world)
        assert r.status_code == status, (headers, r.text)
        _assert_nothing_leaks(r, world)
    r = _call(client, invalid, world.victim.headers, world)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    _assert_unchanged(client, world)
