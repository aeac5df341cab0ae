"""Share links on both databases: a calendar app or an <img> reads through a secret, revoked
or expired at once, stored hashed, never reaching another athlete's data."""

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from tests.factories import Caller, make_athlete

PROFILE = {"event": "10k", "level": "beginner", "race_date": "2027-03-07"}


def _link(client: TestClient, caller: Caller, athlete: dict[str, Any], **body: Any) -> Any:
    return client.post(f"/v1/athletes/{athlete['id']}/links", json=body, headers=caller.headers)


def test_a_calendar_link_reads_without_a_token_until_revoked(
    client: TestClient, alice: Caller, session: Session
) -> None:
    athlete = make_athlete(client, alice, name="Shared Runner", **PROFILE)
    other = make_athlete(client, alice, name="Other Runner", **PROFILE)
    for a in (athlete, other):
        r = client.put(
            f"/v1/athletes/{a['id']}/plan", json={"start_date": "2026-11-02"}, headers=alice.headers
        )
        assert r.status_code == 201, r.text
    r = _link(client, alice, athlete, resource="plan.ics")
    assert r.status_code == 201, r.text
    created = r.json()
    url = created["url"]
    secret = url.rsplit("/", 1)[1]
    assert len(secret) >= 43  # 256 bits, URL-safe base64
    # No token needed; only this athlete's plan.
    shared = client.get(url)
    assert shared.status_code == 200, shared.text
    assert shared.headers["content-type"].startswith("text/calendar")
    assert b"Shared Runner" in shared.content
    assert b"Other Runner" not in shared.content
    # Stored hashed: the secret is nowhere in the table.
    values = session.execute(text("SELECT * FROM share_links")).all()
    assert values
    assert all(secret not in str(v) for row in values for v in row)
    listed = client.get(f"/v1/athletes/{athlete['id']}/links", headers=alice.headers).json()
    assert [link["id"] for link in listed["items"]] == [created["id"]]
    assert "url" not in listed["items"][0]
    # Revoked at once.
    r = client.delete(f"/v1/athletes/{athlete['id']}/links/{created['id']}", headers=alice.headers)
    assert r.status_code == 204
    gone = client.get(url)
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"
    assert client.get("/v1/shared/" + "x" * 43).status_code == 404


def test_a_chart_link_and_expiry(client: TestClient, alice: Caller, session: Session) -> None:
    athlete = make_athlete(client, alice, **PROFILE)
    r = _link(
        client,
        alice,
        athlete,
        resource="progress/chart.svg",
        query={"metric": "volume_load", "to": "2026-11-29"},
        expires_at=(datetime.now(UTC) + timedelta(days=30)).isoformat(),
    )
    assert r.status_code == 201, r.text
    assert r.json()["query"] == {"metric": "volume_load", "to": "2026-11-29"}
    chart = client.get(r.json()["url"])
    assert chart.status_code == 200, chart.text
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.content.startswith(b"<svg")
    # Once expired, a 404 like any unknown link.
    session.execute(
        text("UPDATE share_links SET expires_at = :t"),
        {"t": datetime.now(UTC) - timedelta(minutes=1)},
    )
    session.commit()
    assert client.get(r.json()["url"]).status_code == 404


def test_bad_links_are_422_naming_the_field(client: TestClient, alice: Caller) -> None:
    athlete = make_athlete(client, alice, **PROFILE)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"resource": "workouts.csv"}, "resource"),
        ({"resource": "plan.ics", "query": {"metric": "e1rm"}}, "query"),
        ({"resource": "progress/chart.svg", "query": {"metric": "fun"}}, "query.metric"),
        ({"resource": "plan.ics", "expires_at": "2020-01-01T00:00:00Z"}, "expires_at"),
    ]
    for body, field in cases:
        r = _link(client, alice, athlete, **body)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field, r.json()
