"""What an operator sees: X-Request-ID on every answer, /metrics by route template, JSON-lines
access and error logs with the request and account ids (never the token)."""

import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import text
from sqlmodel import Session

from app.cli import migrate_to_head
from app.config import Settings
from app.logs import configure_logging, log_format
from app.main import create_app
from tests.databases import TemporaryDatabase, shared_sessions
from tests.factories import Caller, athlete_body, new_token
from tests.servers import Server

UUID_TEXT = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """The `app` loggers' JSON lines, written here for the test, then to stderr again."""
    buffer = io.StringIO()
    configure_logging("info", "json", stream=buffer)
    yield buffer
    configure_logging("info", None, stream=None)


def lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def access_lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [line for line in lines(buffer) if line["logger"] == "app.access"]


def test_a_sane_request_id_is_kept_and_another_is_replaced(client: TestClient) -> None:
    kept = client.get("/healthz", headers={"X-Request-ID": "trace-4bf92f3577b34da6"})
    assert kept.headers["x-request-id"] == "trace-4bf92f3577b34da6"
    for insane in ("has spaces in it", "x" * 129, "-leading-dash", "é"):
        r = client.get("/healthz", headers={"X-Request-ID": insane.encode()})
        assert UUID_TEXT.fullmatch(r.headers["x-request-id"]), (insane, r.headers)
    fresh = {client.get("/healthz").headers["x-request-id"] for _ in range(3)}
    assert len(fresh) == 3
    assert all(UUID_TEXT.fullmatch(rid) for rid in fresh)


def test_every_answer_carries_a_request_id(client: TestClient, alice: Caller) -> None:
    answers = [
        client.get("/v1/nothing-here"),  # 404 before any route
        client.get("/v1/athletes"),  # 401
        client.put("/healthz"),  # 405
        client.post("/v1/routines/generate", json={}),  # 422
        client.post("/v1/athletes", headers=alice.headers, content=b"x" * (2**20 + 1)),  # 413
        client.get("/docs/assets/favicon.png"),  # a static asset
        client.get("/docs"),
    ]
    for r in answers:
        assert UUID_TEXT.fullmatch(r.headers.get("x-request-id", "")), (r.status_code, r.url)


def test_a_crash_is_a_500_with_a_request_id_and_a_json_error_log(
    session: Session, logs: io.StringIO
) -> None:
    app = create_app()
    app.state.sessions = shared_sessions(session)

    @app.get("/crash")
    def crash() -> None:
        raise RuntimeError("the sky fell")

    configure_logging("info", "json", stream=logs)  # create_app set stderr again
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/crash", headers={"X-Request-ID": "crash-1"})
    assert r.status_code == 500, r.text
    assert r.headers["x-request-id"] == "crash-1"
    errors = [line for line in lines(logs) if line["level"] == "error"]
    assert len(errors) == 1, logs.getvalue()
    assert errors[0]["request_id"] == "crash-1"
    assert "RuntimeError: the sky fell" in errors[0]["error"]
    (access,) = access_lines(logs)
    assert access | {"duration_ms": 0} == {
        **access,
        "request_id": "crash-1",
        "route": "/crash",
        "status": 500,
        "duration_ms": 0,
    }


def test_a_statement_the_database_cannot_run_is_a_500_not_busy(session: Session) -> None:
    """SQLite's driver raises a wrong statement as OperationalError, as it does a busy
    database: only the busy one is a 503 to retry."""
    app = create_app()
    app.state.sessions = shared_sessions(session)

    @app.get("/broken")
    def broken() -> None:
        session.execute(text("SELECT * FROM no_such_table"))

    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/broken")
    assert r.status_code == 500, r.text
    assert r.json()["type"].endswith("internal-error")
    assert "retry-after" not in r.headers


def test_access_log_names_request_account_route_status_duration_never_the_token(
    client: TestClient, alice: Caller, logs: io.StringIO
) -> None:
    created = client.post("/v1/athletes", headers=alice.headers, json=athlete_body())
    assert created.status_code == 201, created.text
    athlete = created.json()["id"]
    r = client.get(
        f"/v1/athletes/{athlete}", headers={**alice.headers, "X-Request-ID": "read-athlete"}
    )
    assert r.status_code == 200, r.text
    client.get("/v1/athletes", headers={"Authorization": "Bearer lw_not-a-real-token"})

    create, read, refused = access_lines(logs)
    assert create["route"] == "/v1/athletes"
    assert create["status"] == 201
    assert create["account_id"] == str(alice.account.id)
    assert read["request_id"] == "read-athlete"
    assert read["account_id"] == str(alice.account.id)
    assert read["method"] == "GET"
    assert read["route"] == "/v1/athletes/{athlete_id}"  # the template, never the raw path
    assert read["status"] == 200
    assert isinstance(read["duration_ms"], float)
    assert read["duration_ms"] > 0
    assert refused["status"] == 401
    assert "account_id" not in refused
    written = logs.getvalue()
    assert alice.token not in written
    assert "lw_not-a-real-token" not in written
    assert athlete not in written


def test_metrics_count_requests_by_route_template_method_status_with_latency_and_pool(
    client: TestClient, alice: Caller, session: Session
) -> None:
    created = client.post("/v1/athletes", headers=alice.headers, json=athlete_body())
    athlete = created.json()["id"]
    before = _sample(client, "legwork_http_requests_total", route="/v1/athletes/{athlete_id}")
    for _ in range(3):
        assert client.get(f"/v1/athletes/{athlete}", headers=alice.headers).status_code == 200
    client.get("/v1/athletes/00000000-0000-4000-8000-000000000000", headers=alice.headers)

    text = client.get("/metrics").text
    route = 'route="/v1/athletes/{athlete_id}"'
    ok = f'legwork_http_requests_total{{method="GET",{route},status="200"}}'
    assert _value(text, ok) - before == 3
    missing = f'legwork_http_requests_total{{method="GET",{route},status="404"}}'
    assert _value(text, missing) >= 1
    count = f'legwork_http_request_duration_seconds_count{{method="GET",{route}}}'
    assert _value(text, count) >= 4
    assert f'legwork_http_request_duration_seconds_bucket{{le="0.005",method="GET",{route}}}' in (
        text
    )
    assert athlete not in text  # no raw paths
    # The test's session holds a connection of its engine's pool.
    database = session.get_bind().dialect.name
    assert _value(text, f'legwork_db_pool_connections_in_use{{database="{database}"}}') >= 1
    assert _value(text, f'legwork_db_pool_size{{database="{database}"}}') >= 1


def _value(text: str, sample: str) -> float:
    for line in text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{sample} not in /metrics")


def _sample(client: TestClient, name: str, *, route: str) -> float:
    sample = f'{name}{{method="GET",route="{route}",status="200"}}'
    text = client.get("/metrics").text
    return _value(text, sample) if sample + " " in text else 0.0


def test_log_format_is_text_at_a_terminal_and_json_elsewhere(tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert log_format(None, Terminal()) == "text"
    assert log_format(None, io.StringIO()) == "json"
    assert log_format("json", Terminal()) == "json"
    assert Settings(log_format="text").log_format == "text"
    with pytest.raises(ValidationError):
        Settings(log_format="xml")

    terminal = Terminal()
    configure_logging("info", None, stream=terminal)
    try:
        import logging

        logging.getLogger("app.access").info("GET /healthz 200", extra={"status": 200})
    finally:
        configure_logging("info", None, stream=sys.stderr)
    line = terminal.getvalue()
    assert " INFO app.access: GET /healthz 200 status=200" in line, line


@pytest.mark.parametrize("log_format_env", [None, "text"])
def test_a_real_server_writes_json_lines_by_default_and_text_when_asked(
    tmp_path: Path, log_format_env: str | None
) -> None:
    database = TemporaryDatabase("sqlite", tmp_path, None)
    migrate_to_head(database.url)
    token = new_token(database.url, "Operator")
    env = {"LEGWORK_LOG_FORMAT": log_format_env} if log_format_env else {}
    with Server(database.url, tmp_path, env=env, name="logs") as server:
        r = httpx.get(
            f"{server.url}/v1/athletes",
            headers={"Authorization": f"Bearer {token}", "X-Request-ID": "from-the-proxy"},
        )
        assert r.status_code == 200, r.text
        assert r.headers["x-request-id"] == "from-the-proxy"
        metrics = httpx.get(f"{server.url}/metrics").text
    assert 'legwork_http_requests_total{method="GET",route="/v1/athletes",status="200"}' in metrics
    stderr = server.stderr_path.read_text()
    assert token not in stderr
    if log_format_env == "text":
        assert "app.access: GET /v1/athletes 200 request_id=from-the-proxy account_id=" in stderr
        return
    access = [
        json.loads(line)
        for line in stderr.splitlines()
        if line.startswith("{") and '"from-the-proxy"' in line
    ]
    assert len(access) == 1, stderr
    assert access[0]["logger"] == "app.access"
    assert access[0]["route"] == "/v1/athletes"
    assert access[0]["status"] == 200
    assert UUID_TEXT.fullmatch(access[0]["account_id"])
