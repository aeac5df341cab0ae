"""GET /v1/changes through HTTP on both databases: every change of each kind, once, in order,
with the ETag the write answered; pages and cursors; nothing from a failed write or another
account; retention and 410 resync-required; and a property over random sequences of writes."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlmodel import Session

from app.changes import service
from app.changes.models import CHANGES
from app.changes.service import Kind, Op
from tests.factories import Caller, make_athlete, make_caller, make_workout, workout_body
from tests.plans.test_stored_plans import PROFILE


def feed(client: TestClient, caller: Caller, cursor: str | None = None, limit: int = 100) -> Any:
    params: dict[str, Any] = {"limit": limit}
    if cursor is not None:
        params["cursor"] = cursor
    r = client.get("/v1/changes", params=params, headers=caller.headers)
    assert r.status_code == 200, r.text
    return r.json()


def follow(client: TestClient, caller: Caller, cursor: str | None = None, limit: int = 7) -> Any:
    """Every change after `cursor`, page by page; (changes, the cursor to poll with)."""
    items: list[dict[str, Any]] = []
    while True:
        page = feed(client, caller, cursor, limit)
        items += page["items"]
        cursor = page["next_cursor"]
        if not page["items"]:
            return items, cursor


def summary(items: list[dict[str, Any]]) -> list[tuple[str, str, str, str | None]]:
    return [(c["kind"], c["id"], c["op"], c["etag"]) for c in items]


def test_every_kind_of_change_once_in_order(client: TestClient, alice: Caller) -> None:
    items, cursor = follow(client, alice)
    assert items == []
    athlete = make_athlete(client, alice, **PROFILE)
    aid = athlete["id"]
    base = f"/v1/athletes/{aid}"
    expected: list[tuple[str, str, str, str | None]] = [("athlete", aid, "upsert", '"v1"')]

    r = client.post(f"{base}/workouts", json=workout_body(), headers=alice.headers)
    workout = r.json()
    expected.append(("workout", workout["id"], "upsert", r.headers["ETag"]))
    r = client.patch(
        f"{base}/workouts/{workout['id']}", json={"notes": "heavier"}, headers=alice.headers
    )
    assert r.status_code == 200, r.text
    expected.append(("workout", workout["id"], "upsert", r.headers["ETag"]))

    r = client.put(f"{base}/plan", json={"start_date": "2026-11-02"}, headers=alice.headers)
    assert r.status_code in (200, 201), r.text
    expected.append(("plan", aid, "upsert", r.headers["ETag"]))

    target = (date.today() + timedelta(days=60)).isoformat()
    goal_body = {"kind": "weekly_sessions", "target": 2, "target_date": target}
    r = client.post(f"{base}/goals", json=goal_body, headers=alice.headers)
    assert r.status_code == 201, r.text
    goal = r.json()
    expected.append(("goal", goal["id"], "upsert", r.headers["ETag"]))
    r = client.patch(f"{base}/goals/{goal['id']}", json={"target": 3}, headers=alice.headers)
    expected.append(("goal", goal["id"], "upsert", r.headers["ETag"]))

    custom = {"name": "Frog pump", "primary_muscles": ["glutes"]}
    r = client.post("/v1/exercises/custom", json=custom, headers=alice.headers)
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    expected.append(("custom_exercise", slug, "upsert", None))

    # A new time zone moves the workout's local date: the athlete and the workout change.
    r = client.patch(base, json={"timezone": "Pacific/Auckland"}, headers=alice.headers)
    assert r.status_code == 200, r.text
    expected.append(("athlete", aid, "upsert", r.headers["ETag"]))
    moved = client.get(f"{base}/workouts/{workout['id']}", headers=alice.headers)
    expected.append(("workout", workout["id"], "upsert", moved.headers["ETag"]))

    assert client.delete(f"{base}/goals/{goal['id']}", headers=alice.headers).status_code == 204
    expected.append(("goal", goal["id"], "delete", None))
    assert client.delete(f"{base}/plan", headers=alice.headers).status_code == 204
    expected.append(("plan", aid, "delete", None))
    r = client.delete(f"{base}/workouts/{workout['id']}", headers=alice.headers)
    assert r.status_code == 204
    expected.append(("workout", workout["id"], "delete", None))
    assert client.delete(f"/v1/exercises/custom/{slug}", headers=alice.headers).status_code == 204
    expected.append(("custom_exercise", slug, "delete", None))
    assert client.delete(base, headers=alice.headers).status_code == 204
    expected.append(("athlete", aid, "delete", None))

    items, after = follow(client, alice, cursor)
    assert summary(items) == expected
    assert all(c["athlete_id"] == (None if c["kind"] == "custom_exercise" else aid) for c in items)
    # From the start (no cursor) the same; polling from the end finds nothing new.
    assert summary(follow(client, alice)[0]) == expected
    assert feed(client, alice, after) == {"items": [], "next_cursor": after}
    # Each item's cursor continues right after it.
    assert summary(follow(client, alice, items[3]["cursor"])[0]) == expected[4:]


def test_failed_writes_and_other_accounts_leave_no_trace(
    client: TestClient, alice: Caller, bob: Caller
) -> None:
    athlete = make_athlete(client, alice)
    _, cursor = follow(client, alice)
    bad = workout_body()
    bad["exercises"][0]["exercise"] = "no-such-lift"
    r = client.post(f"/v1/athletes/{athlete['id']}/workouts", json=bad, headers=alice.headers)
    assert r.status_code == 422
    r = client.patch(
        f"/v1/athletes/{athlete['id']}",
        json={"name": "X"},
        headers={**alice.headers, "If-Match": '"v9"'},
    )
    assert r.status_code == 412
    make_workout(client, bob, make_athlete(client, bob))
    assert feed(client, alice, cursor)["items"] == []
    workout = make_workout(client, alice, athlete)
    (change,) = feed(client, alice, cursor)["items"]
    assert (change["kind"], change["id"]) == ("workout", workout["id"])
    assert [c["kind"] for c in follow(client, bob)[0]] == ["athlete", "workout"]


def test_changes_are_written_as_the_transaction_commits_and_forgotten_on_rollback(
    session: Session,
) -> None:
    """`record` writes nothing until the commit, then each account's changes in the order they
    were recorded; a rollback forgets what was recorded before it."""
    alice, bob = make_caller(session, name="Alice"), make_caller(session, name="Bob")
    session.commit()

    def stored() -> list[tuple[object, ...]]:
        rows = session.execute(
            select(CHANGES.c.account_id, CHANGES.c.seq, CHANGES.c.entity_id).order_by(
                CHANGES.c.account_id, CHANGES.c.seq
            )
        )
        return [tuple(row) for row in rows if row[0] in (alice.account.id, bob.account.id)]

    service.record(
        session, alice.account.id, service.Changed(Kind.athlete, "lost", None, Op.upsert)
    )
    session.rollback()
    service.record(session, alice.account.id, service.Changed(Kind.athlete, "a1", None, Op.upsert))
    service.record(session, bob.account.id, service.Changed(Kind.athlete, "b1", None, Op.delete))
    service.record(session, alice.account.id, service.Changed(Kind.goal, "a2", None, Op.upsert))
    assert stored() == []
    session.commit()
    expected = [(alice.account.id, 1, "a1"), (alice.account.id, 2, "a2"), (bob.account.id, 1, "b1")]
    assert sorted(stored(), key=lambda r: (str(r[0]), r[1])) == sorted(
        expected, key=lambda r: (str(r[0]), r[1])
    )


def test_cursors_that_are_not_ours_are_422(client: TestClient, alice: Caller) -> None:
    for cursor in ("nope", "WyJ4Il0", "Wy0xXQ", "W10"):  # garbage, ["x"], [-1], []
        r = client.get("/v1/changes", params={"cursor": cursor}, headers=alice.headers)
        assert r.status_code == 422, cursor
        assert r.json()["errors"][0]["field"] == "cursor"
    r = client.get("/v1/changes", params={"limit": 0}, headers=alice.headers)
    assert r.status_code == 422
    assert client.get("/v1/changes").status_code == 401


def test_retention_drops_old_changes_and_an_old_cursor_is_410(
    client: TestClient, alice: Caller, session: Session
) -> None:
    athlete = make_athlete(client, alice)
    first, _ = follow(client, alice)
    for _ in range(3):
        make_workout(client, alice, athlete)
    everything, _ = follow(client, alice)
    # The athlete and the first workout are a year old; retention removes them.
    old = datetime.now(UTC) - timedelta(days=365)
    seqs = [1, 2]
    session.execute(
        update(CHANGES)
        .where(CHANGES.c.account_id == alice.account.id, CHANGES.c.seq.in_(seqs))
        .values(at=old)
    )
    service.prune(session, alice.account.id)
    session.commit()
    r = client.get("/v1/changes", params={"cursor": first[0]["cursor"]}, headers=alice.headers)
    assert r.status_code == 410
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "urn:legwork:problem:resync-required"
    assert follow(client, alice)[0] == everything[2:]
    assert follow(client, alice, everything[1]["cursor"])[0] == everything[2:]


OPS = st.lists(
    st.tuples(st.sampled_from(["create", "update", "delete"]), st.integers(0, 5)),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS, limit=st.integers(1, 5))
def test_following_the_feed_rebuilds_the_workouts(
    client: TestClient, session: Session, ops: list[tuple[str, int]], limit: int
) -> None:
    """An app that applies the feed (upsert: fetch and keep the ETag; delete: drop) from an
    empty start, polling between writes, holds exactly what the API holds."""
    caller = make_caller(session)
    athlete = make_athlete(client, caller)
    base = f"/v1/athletes/{athlete['id']}/workouts"
    live: list[str] = []
    held: dict[str, str] = {}  # the app's copy: workout id → ETag
    cursor: str | None = None
    for n, (op, pick) in enumerate(ops):
        if op == "create" or not live:
            at = f"2026-11-{1 + n:02d}T07:00:00+00:00"
            live.append(make_workout(client, caller, athlete, performed_at=at)["id"])
        elif op == "update":
            wid = live[pick % len(live)]
            r = client.patch(f"{base}/{wid}", json={"notes": f"n{n}"}, headers=caller.headers)
            assert r.status_code == 200
        else:
            wid = live.pop(pick % len(live))
            assert client.delete(f"{base}/{wid}", headers=caller.headers).status_code == 204
        if pick % 2:  # the app polls now and then
            items, cursor = follow(client, caller, cursor, limit)
            _apply(client, caller, base, items, held)
    items, cursor = follow(client, caller, cursor, limit)
    _apply(client, caller, base, items, held)
    listed = client.get(base, params={"limit": 200}, headers=caller.headers).json()["items"]
    assert set(held) == {w["id"] for w in listed} == set(live)
    for wid in held:
        assert held[wid] == client.get(f"{base}/{wid}", headers=caller.headers).headers["ETag"]
    seqs = [c["cursor"] for c in follow(client, caller)[0]]
    assert len(seqs) == len(set(seqs))


def _apply(
    client: TestClient, caller: Caller, base: str, items: list[dict[str, Any]], held: dict[str, str]
) -> None:
    for change in items:
        if change["kind"] != "workout":
            continue
        if change["op"] == "delete":
            held.pop(change["id"])
        else:
            held[change["id"]] = change["etag"]
