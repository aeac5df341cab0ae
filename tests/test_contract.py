"""The OpenAPI document against the app: the headers it declares are the ones sent, its request
examples are accepted, and what schemathesis found is fixed (integer dates, 405's Allow, the
idempotency-reuse problem)."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cli import OPENAPI_PATH
from tests.factories import Caller, athlete_body, workout_body

DOCUMENT = json.loads(OPENAPI_PATH.read_text())


def _example(path: str, method: str) -> Any:
    operation = DOCUMENT["paths"][path][method]
    return operation["requestBody"]["content"]["application/json"]["example"]


def _declared(path: str, method: str, status: int) -> set[str]:
    response = DOCUMENT["paths"][path][method]["responses"][str(status)]
    return set(response.get("headers", {}))


def _check(r: Any, path: str, method: str, expected: int) -> None:
    """The answer is `expected`, and it sends ETag and Location exactly when declared."""
    assert r.status_code == expected, (method, path, r.text)
    declared = _declared(path, method, r.status_code)
    for name in ("ETag", "Location", "X-Request-ID", "RateLimit-Remaining"):
        assert (name in declared) == (name.lower() in r.headers), (method, path, name)


def test_request_examples_are_accepted_and_headers_are_as_declared(
    client: TestClient, alice: Caller
) -> None:
    h = alice.headers
    athletes = "/v1/athletes"
    r = client.post(athletes, headers=h, json=_example(athletes, "post"))
    _check(r, athletes, "post", 201)
    athlete = r.json()["id"]
    one = "/v1/athletes/{athlete_id}"
    _check(client.get(f"{athletes}/{athlete}", headers=h), one, "get", 200)
    _check(client.get(athletes, headers=h), athletes, "get", 200)
    r = client.patch(f"{athletes}/{athlete}", headers=h, json=_example(one, "patch"))
    _check(r, one, "patch", 200)

    workouts = "/v1/athletes/{athlete_id}/workouts"
    base = f"{athletes}/{athlete}/workouts"
    r = client.post(base, headers=h, json=_example(workouts, "post"))
    _check(r, workouts, "post", 201)
    workout = r.json()["id"]
    a_workout = workouts + "/{workout_id}"
    _check(client.get(f"{base}/{workout}", headers=h), a_workout, "get", 200)
    r = client.put(f"{base}/{workout}", headers=h, json=_example(a_workout, "put"))
    _check(r, a_workout, "put", 200)
    r = client.patch(f"{base}/{workout}", headers=h, json=_example(a_workout, "patch"))
    _check(r, a_workout, "patch", 200)
    _check(client.get(base, headers=h), workouts, "get", 200)

    plan = "/v1/athletes/{athlete_id}/plan"
    r = client.put(f"{athletes}/{athlete}/plan", headers=h, json=_example(plan, "put"))
    _check(r, plan, "put", 201)
    _check(client.get(f"{athletes}/{athlete}/plan", headers=h), plan, "get", 200)
    calendar = "/v1/athletes/{athlete_id}/plan.ics"
    _check(client.get(f"{athletes}/{athlete}/plan.ics", headers=h), calendar, "get", 200)

    links = "/v1/athletes/{athlete_id}/links"
    r = client.post(f"{athletes}/{athlete}/links", headers=h, json=_example(links, "post"))
    _check(r, links, "post", 201)
    secret = r.json()["url"].rsplit("/", 1)[1]
    _check(client.get(f"/v1/shared/{secret}"), "/v1/shared/{secret}", "get", 200)

    goals = "/v1/athletes/{athlete_id}/goals"
    r = client.post(f"{athletes}/{athlete}/goals", headers=h, json=_example(goals, "post"))
    _check(r, goals, "post", 201)
    goal = f"{athletes}/{athlete}/goals/{r.json()['id']}"
    a_goal = goals + "/{goal_id}"
    _check(client.get(goal, headers=h), a_goal, "get", 200)
    _check(client.patch(goal, headers=h, json=_example(a_goal, "patch")), a_goal, "patch", 200)

    progress = "/v1/athletes/{athlete_id}/progress"
    _check(client.get(f"{athletes}/{athlete}/progress", headers=h), progress, "get", 200)
    r = client.get(f"{athletes}/{athlete}/progress.csv", headers=h)
    _check(r, progress + ".csv", "get", 200)
    assert r.headers["content-type"].startswith("text/csv")
    assert r.text.startswith("start,end,")
    series = "/v1/athletes/{athlete_id}/load-series"
    _check(client.get(f"{athletes}/{athlete}/load-series", headers=h), series, "get", 200)
    r = client.get(f"{athletes}/{athlete}/load-series.csv", headers=h)
    _check(r, series + ".csv", "get", 200)
    assert r.headers["content-type"].startswith("text/csv")
    chart = progress + "/chart.svg"
    _check(client.get(f"{athletes}/{athlete}/progress/chart.svg", headers=h), chart, "get", 200)

    custom = "/v1/exercises/custom"
    _check(client.post(custom, headers=h, json=_example(custom, "post")), custom, "post", 201)
    tokens = "/v1/tokens"
    _check(client.post(tokens, headers=h, json=_example(tokens, "post")), tokens, "post", 201)
    for generate in ("/v1/routines/generate", "/v1/plans/generate"):
        _check(client.post(generate, json=_example(generate, "post")), generate, "post", 200)
    _check(client.get("/v1/exercises/glute-bridge"), "/v1/exercises/{slug}", "get", 200)


@pytest.mark.parametrize("bad", ["0", "20261120", "-1", "2026-11-20T00:00:00", "1e3"])
def test_query_dates_are_full_dates_never_numbers(
    client: TestClient, alice: Caller, bad: str
) -> None:
    athlete = client.post("/v1/athletes", headers=alice.headers, json=athlete_body()).json()
    base = f"/v1/athletes/{athlete['id']}"
    for path in (f"{base}/workouts", f"{base}/progress", f"{base}/plan/next"):
        name = "date" if path.endswith("next") else "to"
        r = client.get(path, headers=alice.headers, params={name: bad})
        assert r.status_code == 422, (path, bad, r.text)
        assert r.json()["errors"][0]["field"] == name
    ok = client.get(f"{base}/workouts", headers=alice.headers, params={"to": "2026-11-20"})
    assert ok.status_code == 200, ok.text


def test_a_405_allows_every_method_of_the_path(client: TestClient) -> None:
    cases = {
        "/v1/athletes": "GET, HEAD, POST",
        "/v1/athletes/6f1c2d4e-0000-4000-8000-000000000000": "DELETE, GET, HEAD, PATCH",
        "/v1/athletes/6f1c2d4e-0000-4000-8000-000000000000/plan": "DELETE, GET, HEAD, PUT",
        "/healthz": "GET, HEAD",
    }
    for path, allowed in cases.items():
        r = client.request("TRACE" if path == "/healthz" else "POST", path)
        if path == "/v1/athletes":
            r = client.put(path)
        assert r.status_code == 405, (path, r.text)
        assert r.headers["allow"] == allowed, path


def test_the_idempotency_reuse_422_is_a_problem_like_every_other(
    client: TestClient, alice: Caller
) -> None:
    athlete = client.post("/v1/athletes", headers=alice.headers, json=athlete_body()).json()
    url = f"/v1/athletes/{athlete['id']}/workouts"
    keyed = {**alice.headers, "Idempotency-Key": "retry-1"}
    assert client.post(url, headers=keyed, json=workout_body()).status_code == 201
    reused = client.post(url, headers=keyed, json=workout_body(notes="another"))
    invalid = client.post(url, headers=alice.headers, json={"exercises": "no"})
    assert reused.status_code == invalid.status_code == 422
    assert reused.headers["content-type"] == invalid.headers["content-type"]
    body = reused.json()
    assert body["type"] == "urn:legwork:problem:idempotency-key-reused"
    assert body["title"] != "Unprocessable Entity"
    assert body["errors"] == [{"field": "Idempotency-Key", "message": body["errors"][0]["message"]}]
    # Laid out as the exception handlers write them: compact JSON, the same key order.
    assert reused.content == json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    assert list(body) == list(invalid.json())[: len(body)]
