import os
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from tests.databases import shared_sessions
from tests.factories import Caller, athlete_body, make_caller

# Set by `.ci/run`; the shared-limit test runs only where a Redis is configured.
REDIS_URL = os.environ.get("LEGWORK_TEST_REDIS_URL")
NO_REDIS = "Redis not configured: set LEGWORK_TEST_REDIS_URL=redis://127.0.0.1:6379/15"


def _client(session: Session, **settings: object) -> TestClient:
    app = create_app(Settings(**settings))  # type: ignore[arg-type]
    app.state.sessions = shared_sessions(session)
    return TestClient(app)


def test_body_over_the_limit_is_413_and_stores_nothing(session: Session, alice: Caller) -> None:
    client = _client(session, max_body_bytes=2048)
    big = athlete_body(name="x" * 50, extra_padding="y" * 4000)
    r = client.post("/v1/athletes", json=big, headers=alice.headers)
    assert r.status_code == 413, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "2048" in r.json()["detail"]
    assert client.get("/v1/athletes", headers=alice.headers).json()["items"] == []


def test_streamed_body_over_the_limit_is_413(session: Session, alice: Caller) -> None:
    client = _client(session, max_body_bytes=1024)

    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        yield b"x" * 2000
        yield b'"}'

    r = client.post(
        "/v1/athletes",
        content=chunks(),
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 413, r.text


def test_default_limit_is_one_mebibyte() -> None:
    assert Settings().max_body_bytes == 2**20


def test_token_rate_limit_answers_429_with_retry_after(session: Session, alice: Caller) -> None:
    client = _client(session, rate_limit_token="3/hour")
    for remaining in (2, 1, 0):
        r = client.get("/v1/athletes", headers=alice.headers)
        assert r.status_code == 200, r.text
        assert r.headers["ratelimit-limit"] == "3"
        assert r.headers["ratelimit-remaining"] == str(remaining)
    r = client.get("/v1/athletes", headers=alice.headers)
    assert r.status_code == 429, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert 1 <= int(r.headers["retry-after"]) <= 3600
    other = make_caller(session, name="Other")
    assert client.get("/v1/athletes", headers=other.headers).status_code == 200


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(limit=st.integers(1, 8), calls=st.integers(0, 12))
def test_a_caller_gets_exactly_its_budget_in_a_window(
    session: Session, limit: int, calls: int
) -> None:
    # Per day: the sliding window's previous period is empty unless a run straddles midnight UTC.
    client = _client(session, rate_limit_token=f"{limit}/day")
    caller = make_caller(session, name="Budget")
    statuses = []
    for _ in range(calls):
        r = client.get("/v1/athletes", headers=caller.headers)
        statuses.append(r.status_code)
        if r.status_code == 200:
            assert r.headers["ratelimit-remaining"] == str(limit - len(statuses))
        else:
            assert r.headers["ratelimit-remaining"] == "0"
            assert 1 <= int(r.headers["retry-after"]) <= 86_400
    allowed = min(calls, limit)
    assert statuses == [200] * allowed + [429] * (calls - allowed)


def test_public_endpoints_are_limited_per_address(session: Session) -> None:
    client = _client(session, rate_limit_public="2/hour")
    assert client.get("/v1/exercises").status_code == 200
    assert client.get("/v1/exercises/glute-bridge").status_code == 200
    assert client.get("/v1/exercises").status_code == 429
    assert client.get("/healthz").status_code == 200, "probes are never limited"


@pytest.fixture
def shared_redis() -> Iterator[str]:
    if not REDIS_URL:
        pytest.skip(NO_REDIS)
    connection = redis.Redis.from_url(REDIS_URL)
    connection.ping()  # a configured Redis that does not answer fails here, never skips
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()


def test_redis_shares_the_limit_between_app_instances(
    session: Session, alice: Caller, shared_redis: str
) -> None:
    # Each client keeps one event loop (`with`), as a server worker does.
    with (
        _client(session, rate_limit_token="4/hour", redis_url=shared_redis) as one,
        _client(session, rate_limit_token="4/hour", redis_url=shared_redis) as two,
    ):
        statuses = [
            c.get("/v1/athletes", headers=alice.headers).status_code
            for c in (one, two, one, two, one)
        ]
    assert statuses == [200, 200, 200, 200, 429]


def test_unreachable_redis_fails_open(session: Session, alice: Caller) -> None:
    client = _client(session, rate_limit_token="1/minute", redis_url="redis://127.0.0.1:1/0")
    for _ in range(3):
        assert client.get("/v1/athletes", headers=alice.headers).status_code == 200
