import logging

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from tests.databases import shared_sessions
from tests.factories import Caller


def test_security_headers_on_every_answer(client: TestClient, alice: Caller) -> None:
    for r in (
        client.get("/healthz"),
        client.get("/v1/athletes"),
        client.get("/v1/athletes", headers=alice.headers),
    ):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "default-src 'none'" in r.headers["content-security-policy"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "content-security-policy" not in docs.headers


def test_cors_is_closed_by_default(client: TestClient) -> None:
    r = client.options(
        "/v1/exercises",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in r.headers
    r = client.get("/v1/exercises", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_opens_to_configured_origins(session: Session) -> None:
    app = create_app(Settings(cors_origins=["https://app.example"]))
    app.state.sessions = shared_sessions(session)
    client = TestClient(app)
    r = client.options(
        "/v1/athletes",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,idempotency-key",
        },
    )
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "https://app.example"
    r = client.get("/v1/exercises", headers={"Origin": "https://other.example"})
    assert "access-control-allow-origin" not in r.headers


def test_nul_characters_are_refused_not_stored(client: TestClient, alice: Caller) -> None:
    r = client.post("/v1/athletes", json={"name": "A\x00B"}, headers=alice.headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "name"


def test_tokens_and_bodies_stay_out_of_the_logs(
    client: TestClient, alice: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    secret_note = "private-note-6b1f"
    with caplog.at_level(logging.DEBUG):
        client.post("/v1/athletes", json={"name": secret_note, "bogus": 1}, headers=alice.headers)
        client.get("/v1/athletes", headers={"Authorization": f"Bearer {alice.token}x"})
        client.get("/v1/athletes", headers=alice.headers)
    assert caplog.records, "nothing was logged at all: the check would prove nothing"
    assert any(r.name == "app.access" for r in caplog.records)  # the app's own lines too
    assert alice.token not in caplog.text
    assert secret_note not in caplog.text
