"""Webhooks through HTTP and a real receiver on both databases: subscriptions and the secret
shown once (sealed at rest), URLs refused before and at sending (SSRF), signed in-order
deliveries from the changes feed, retries with backoff then failure, filters, ping, redirects not
followed, answers read at most 64 KiB, a slow receiver not holding up another, and no double
claims between workers."""

import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import REGISTRY
from sqlalchemy import update
from sqlmodel import Session

from app import keys
from app.config import get_settings
from app.db import database_sessions, utcnow
from app.main import create_app
from app.webhooks import delivery
from app.webhooks.delivery import Worker
from app.webhooks.models import DELIVERIES, WEBHOOKS, Webhook
from app.webhooks.signing import signature
from tests.conftest import BACKENDS
from tests.databases import TemporaryDatabase, shared_sessions
from tests.factories import Caller, make_athlete, make_caller, make_workout
from tests.webhooks.receiver import Receiver, receiver

ALL = ["workout.created", "workout.updated", "workout.deleted", "plan.updated"]


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as r:
        yield r


@pytest.fixture
def private(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "webhook_allow_private", True)


def subscribe(client: TestClient, caller: Caller, url: str, events: list[str] = ALL) -> Any:
    r = client.post("/v1/webhooks", json={"url": url, "events": events}, headers=caller.headers)
    assert r.status_code == 201, r.text
    return r.json()


def worker(session: Session, allow_private: bool = True) -> Worker:
    return Worker(shared_sessions(session), allow_private=allow_private, threads=2)


def _attempts(outcome: str) -> float:
    return REGISTRY.get_sample_value("legwork_webhook_attempts_total", {"outcome": outcome}) or 0.0


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance_s: int = 300) -> bool:
    """What a receiver does, with the standard library only (docs/api.md shows the same)."""
    parts = dict(item.split("=", 1) for item in headers["legwork-signature"].split(","))
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    fresh = abs(time.time() - int(parts["t"])) <= tolerance_s
    return fresh and hmac.compare_digest(expected, parts["v1"])


def test_subscriptions_and_the_secret_shown_once(
    client: TestClient, alice: Caller, bob: Caller, session: Session, private: None
) -> None:
    made = subscribe(client, alice, "https://hooks.example.com/legwork", ["workout.created"])
    assert made["secret"].startswith("whsec_")
    url = f"/v1/webhooks/{made['id']}"
    shown = client.get(url, headers=alice.headers).json()
    assert "secret" not in shown
    assert shown["events"] == ["workout.created"]
    assert shown["active"] is True
    row = session.get(Webhook, uuid.UUID(made["id"]))
    assert row is not None
    assert made["secret"].encode() not in row.secret_sealed
    assert keys.unseal(row.secret_sealed) == made["secret"]
    assert client.get(url, headers=bob.headers).status_code == 404
    listed = client.get("/v1/webhooks", headers=alice.headers).json()["items"]
    assert [w["id"] for w in listed] == [made["id"]]
    r = client.patch(url, json={"active": False, "events": ALL}, headers=alice.headers)
    assert r.status_code == 200
    assert r.json()["active"] is False
    assert r.json()["events"] == ALL
    assert client.delete(url, headers=alice.headers).status_code == 204
    assert client.get(url, headers=alice.headers).status_code == 404


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.example.com/x", "https"),
        ("https://127.0.0.1/x", "not a public address"),
        ("https://localhost/x", "not a public address"),
        ("https://10.1.2.3/x", "not a public address"),
        ("https://169.254.169.254/latest/meta-data", "not a public address"),
        ("https://[::1]/x", "not a public address"),
        ("https://[::ffff:192.168.0.1]/x", "not a public address"),
        ("https://user:pw@hooks.example.com/x", "credentials"),
        ("ftp://hooks.example.com/x", "https"),
        ("https://no-such-host.invalid/x", "does not resolve"),
    ],
)
def test_unsafe_urls_are_422(client: TestClient, alice: Caller, url: str, why: str) -> None:
    r = client.post("/v1/webhooks", json={"url": url, "events": ALL}, headers=alice.headers)
    assert r.status_code == 422, r.text
    error = r.json()["errors"][0]
    assert error["field"] == "url"
    assert why in error["message"]


def test_bad_bodies_are_422(client: TestClient, alice: Caller) -> None:
    for body in (
        {"url": "https://a.example.com/h", "events": []},
        {"url": "https://a.example.com/h", "events": ["workout.eaten"]},
        {"url": "https://a.example.com/h"},
        {"url": "https://a.example.com/h", "events": ALL, "secret": "mine"},
    ):
        r = client.post("/v1/webhooks", json=body, headers=alice.headers)
        assert r.status_code == 422, body


def test_signed_deliveries_in_order_exactly_as_the_feed_says(
    client: TestClient, alice: Caller, session: Session, hook: Receiver, private: None
) -> None:
    athlete = make_athlete(client, alice)
    before = make_workout(client, alice, athlete)  # before the subscription: not sent
    made = subscribe(client, alice, f"{hook.url}/hook")
    first = make_workout(client, alice, athlete)
    base = f"/v1/athletes/{athlete['id']}/workouts"
    client.patch(f"{base}/{first['id']}", json={"notes": "x"}, headers=alice.headers)
    client.delete(f"{base}/{before['id']}", headers=alice.headers)
    make_athlete(client, alice)  # athletes are not an event: skipped
    delivered_before = _attempts("delivered")
    while worker(session).run_once():
        pass
    assert _attempts("delivered") == delivered_before + 3
    metrics = client.get("/metrics").text
    assert "legwork_webhooks_due 0.0" in metrics
    sent = [json.loads(b) for b in hook.bodies()]
    assert [(e["type"], e["data"]["id"]) for e in sent] == [
        ("workout.created", first["id"]),
        ("workout.updated", first["id"]),
        ("workout.deleted", before["id"]),
    ]
    for got in hook.received:
        assert verify(made["secret"], got.headers, got.body)
        assert got.headers["legwork-event-id"] == json.loads(got.body)["id"]
        assert not verify("whsec_wrong", got.headers, got.body)
    log = client.get(f"/v1/webhooks/{made['id']}/deliveries", headers=alice.headers).json()
    assert [d["status"] for d in log["items"]] == ["delivered"] * 3
    assert worker(session).run_once() == 0  # nothing more to send


def test_failures_retry_in_order_with_the_same_event_id_then_give_up(
    client: TestClient, alice: Caller, session: Session, hook: Receiver, private: None
) -> None:
    athlete = make_athlete(client, alice)
    made = subscribe(client, alice, f"{hook.url}/hook", ["workout.created"])
    first, second = make_workout(client, alice, athlete), make_workout(client, alice, athlete)
    hook.statuses = [500, 503]

    def due_now() -> None:
        session.execute(update(WEBHOOKS).values(next_attempt_at=utcnow()))
        session.commit()

    worker(session).run_once()
    row = session.get(Webhook, uuid.UUID(made["id"]))
    assert row is not None
    session.refresh(row)
    wait = (row.next_attempt_at - utcnow()).total_seconds()
    assert 4 <= wait <= 16  # 10 s ± 50 %
    assert worker(session).run_once() == 0  # not due yet: the second workout waits too
    due_now()
    worker(session).run_once()
    due_now()
    while worker(session).run_once():
        pass
    ids = [json.loads(b)["data"]["id"] for b in hook.bodies()]
    assert ids == [first["id"], first["id"], first["id"], second["id"]]
    event_ids = {r.headers["legwork-event-id"] for r in hook.received[:3]}
    assert len(event_ids) == 1
    log = client.get(f"/v1/webhooks/{made['id']}/deliveries", headers=alice.headers).json()
    assert [(d["status"], d["attempts"]) for d in log["items"]] == [
        ("delivered", 1),
        ("delivered", 3),
    ]

    # A receiver that keeps failing for more than 25 hours: that delivery fails, the next goes.
    third, fourth = make_workout(client, alice, athlete), make_workout(client, alice, athlete)
    hook.statuses = [500]
    worker(session).run_once()
    session.execute(update(DELIVERIES).values(created_at=utcnow() - timedelta(hours=26)))
    session.commit()
    hook.statuses = [500]
    due_now()
    while worker(session).run_once():
        pass
    log = client.get(f"/v1/webhooks/{made['id']}/deliveries", headers=alice.headers).json()
    assert sorted(d["status"] for d in log["items"]) == ["delivered"] * 3 + ["failed"]
    assert log["items"][0]["status"] == "delivered"  # the fourth, after the third gave up
    assert json.loads(hook.bodies()[-1])["data"]["id"] == fourth["id"]
    assert third["id"] != fourth["id"]


def test_filters_ping_redirects_and_huge_answers(
    client: TestClient, alice: Caller, session: Session, hook: Receiver, private: None
) -> None:
    athlete = make_athlete(client, alice)
    deletes = subscribe(client, alice, f"{hook.url}/deletes", ["workout.deleted"])
    workout = make_workout(client, alice, athlete)
    client.delete(f"/v1/athletes/{athlete['id']}/workouts/{workout['id']}", headers=alice.headers)
    while worker(session).run_once():
        pass
    assert [json.loads(b)["type"] for b in hook.bodies("/deletes")] == ["workout.deleted"]

    r = client.post(f"/v1/webhooks/{deletes['id']}/ping", headers=alice.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["type"], r.json()["status"], r.json()["last_status_code"]) == (
        "ping",
        "delivered",
        200,
    )
    assert verify(deletes["secret"], hook.received[-1].headers, hook.received[-1].body)

    hook.redirect_to = f"{hook.url}/elsewhere"
    redirected = subscribe(client, alice, f"{hook.url}/hook")
    r = client.post(f"/v1/webhooks/{redirected['id']}/ping", headers=alice.headers)
    assert (r.json()["status"], r.json()["last_status_code"]) == ("failed", 302)
    assert hook.bodies("/elsewhere") == []

    hook.redirect_to = None
    hook.huge_body = True
    huge = subscribe(client, alice, f"{hook.url}/big")
    started = time.monotonic()
    r = client.post(f"/v1/webhooks/{huge['id']}/ping", headers=alice.headers)
    assert r.json()["status"] == "delivered"
    assert time.monotonic() - started < 5  # 50 MB offered, 64 KiB read


def test_urls_are_checked_again_when_sending(
    client: TestClient, alice: Caller, session: Session, hook: Receiver, private: None
) -> None:
    athlete = make_athlete(client, alice)
    made = subscribe(client, alice, f"{hook.url}/hook")
    make_workout(client, alice, athlete)
    worker(session, allow_private=False).run_once()
    assert hook.received == []
    log = client.get(f"/v1/webhooks/{made['id']}/deliveries", headers=alice.headers).json()
    assert log["items"][0]["last_error"].startswith("refused: must be https")


@given(
    secret=st.text(min_size=1, max_size=40),
    body=st.binary(max_size=200),
    t=st.integers(0, 2**33),
)
def test_the_signature_is_the_documented_hmac(secret: str, body: bytes, t: int) -> None:
    header = signature(secret, t, body)
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    assert header == f"t={t},v1={expected}"


@given(attempts=st.integers(1, 40), seed=st.integers(0, 2**32))
def test_backoff_doubles_with_jitter_and_is_capped(attempts: int, seed: int) -> None:
    import random

    wait = delivery.backoff_s(attempts, random.Random(seed))
    base = min(10.0 * 2 ** (attempts - 1), 3600.0)
    assert 0.5 * base <= wait <= 1.5 * base


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_a_slow_receiver_does_not_hold_up_another_and_workers_never_share_a_webhook(
    database: TemporaryDatabase, hook: Receiver, private: None
) -> None:
    sessions = database_sessions(database.url)
    app = create_app()
    app.state.sessions = sessions
    with sessions() as session:
        caller = make_caller(session)
        session.commit()
    with TestClient(app) as client:
        athlete = make_athlete(client, caller)
        subscribe(client, caller, f"{hook.url}/slow")
        subscribe(client, caller, f"{hook.url}/hook")
        hook.delay_s = 3.0
        make_workout(client, caller, athlete)
        workers = [Worker(sessions, allow_private=True, threads=4, poll_s=0.05) for _ in range(2)]
        threads = [threading.Thread(target=w.run) for w in workers]
        started = time.time()
        for t in threads:
            t.start()
        try:
            deadline = time.time() + 20
            while (
                len(hook.bodies("/slow")) + len(hook.bodies("/hook")) < 2 and time.time() < deadline
            ):
                time.sleep(0.02)
            fast = [r.at for r in hook.received if r.path == "/hook"]
            assert fast, "the fast receiver got nothing"
            assert fast[0] - started < 2.5, "the fast receiver waited for the slow one"
            time.sleep(4)  # the slow one answers; nobody sends anything twice meanwhile
        finally:
            for w in workers:
                w.stop.set()
            for t in threads:
                t.join()
    assert len(hook.bodies("/slow")) == 1
    assert len(hook.bodies("/hook")) == 1


def test_goal_reached_is_sent_once(
    client: TestClient, alice: Caller, session: Session, hook: Receiver, private: None
) -> None:
    athlete = make_athlete(client, alice, timezone="UTC")
    target = (utcnow() + timedelta(days=30)).date().isoformat()
    goal = client.post(
        f"/v1/athletes/{athlete['id']}/goals",
        json={"kind": "weekly_sessions", "target": 2, "target_date": target},
        headers=alice.headers,
    ).json()
    subscribe(client, alice, f"{hook.url}/hook", ["goal.reached"])
    now = utcnow()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for quarter in (1, 2, 3):  # the second workout of the week reaches 2 sessions
        # Today, since the goal started, whatever the hour: "1–3 hours ago" ran into
        # yesterday when the suite ran shortly after midnight UTC.
        at = (midnight + (now - midnight) * quarter / 4).isoformat()
        make_workout(client, alice, athlete, performed_at=at)
        while worker(session).run_once():
            pass
    sent = [json.loads(b) for b in hook.bodies()]
    assert [(e["type"], e["data"]["id"]) for e in sent] == [("goal.reached", goal["id"])]
    reached = client.get(f"/v1/athletes/{athlete['id']}/goals/{goal['id']}", headers=alice.headers)
    assert reached.json()["reached_on"] is not None
