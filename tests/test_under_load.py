"""The embedded SQLite default under concurrent writes, with real server processes.

* 48 clients write workouts for 30 s (LEGWORK_TEST_LOAD_SECONDS) to one uvicorn worker on
  SQLite: every answer is a 201, and every acknowledged workout is stored, exactly once;
* two PATCHes racing with the same If-Match never both win (no lost update), on both
  databases;
* a database whose write lock stays taken past the busy timeout answers 503 with Retry-After,
  stores nothing, and counts it in /metrics; so does a writer whose turn at the process's own
  write gate does not come within it.
"""

import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from app.cli import migrate_to_head
from app.db import make_engine
from app.workouts.models import Workout
from tests.conftest import BACKENDS, POSTGRES_URL
from tests.databases import TemporaryDatabase
from tests.factories import athlete_body, new_token, workout_body
from tests.rollup_check import stored_and_summed
from tests.servers import Server

# More writers than the thread pool has threads (40): a writer waiting at SQLite's write gate
# holds a thread, and the one holding the gate must still find a thread to commit.
WRITERS = 48
SECONDS = float(os.environ.get("LEGWORK_TEST_LOAD_SECONDS", "30"))
TIMEOUT = httpx.Timeout(60.0, connect=30.0)


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TemporaryDatabase]:
    database = TemporaryDatabase(request.param, tmp_path, POSTGRES_URL)
    migrate_to_head(database.url)
    yield database
    database.drop()


def _client(server: Server, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
    )


def _athlete(server: Server, token: str) -> str:
    with _client(server, token) as client:
        r = client.post("/v1/athletes", json=athlete_body())
        assert r.status_code == 201, r.text
        return str(r.json()["id"])


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_48_writers_on_sqlite_get_only_201s_and_every_workout_is_stored(
    database: TemporaryDatabase, tmp_path: Path
) -> None:
    token = new_token(database.url, "Writers")
    statuses: Counter[int] = Counter()
    acknowledged: list[str] = []
    lock = threading.Lock()
    base = datetime.now(UTC) - timedelta(hours=2)
    with Server(database.url, tmp_path, workers=1, name="sqlite-writers") as server:
        athlete = _athlete(server, token)
        deadline = time.monotonic() + SECONDS

        def writer(number: int) -> None:
            with _client(server, token) as client:
                n = 0
                while time.monotonic() < deadline:
                    note = f"writer {number} workout {n}"
                    body = workout_body(
                        performed_at=(base - timedelta(seconds=number * 10_000 + n)).isoformat(),
                        notes=note,
                        exercise_count=1 + n % 6,
                        set_count=1 + n % 3,
                    )
                    r = client.post(f"/v1/athletes/{athlete}/workouts", json=body)
                    with lock:
                        statuses[r.status_code] += 1
                        if r.status_code == 201:
                            acknowledged.append(note)
                    n += 1

        with ThreadPoolExecutor(WRITERS) as pool:
            list(pool.map(writer, range(WRITERS)))
        assert not server.exceptions(), server.stderr_tail()

    rate = sum(statuses.values()) / SECONDS
    print(f"\nSQLite, {WRITERS} writers, {SECONDS:.0f} s: {dict(statuses)} ({rate:.0f} req/s)")
    assert set(statuses) == {201}, statuses
    engine = make_engine(database.url)
    with Session(engine) as session:
        stored = session.exec(select(Workout.notes)).all()
    engine.dispose()
    assert sorted(n or "" for n in stored) == sorted(acknowledged), "every 201 is stored, once"
    stored_rollups, summed = stored_and_summed(database.url)
    assert stored_rollups == summed


def _racing_patches(client: httpx.Client, url: str, etag: str, round_: int) -> list[int]:
    barrier = threading.Barrier(2)

    def patch(side: str) -> int:
        barrier.wait()
        r = client.patch(url, json={"notes": f"{side} {round_}"}, headers={"If-Match": etag})
        return r.status_code

    with ThreadPoolExecutor(2) as pool:
        return sorted(pool.map(patch, ["left", "right"]))


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_racing_patches_with_one_if_match_never_both_win(
    database: TemporaryDatabase, tmp_path: Path
) -> None:
    token = new_token(database.url, "Racers")
    outcomes: Counter[tuple[int, ...]] = Counter()
    with Server(database.url, tmp_path, workers=2, name="racers") as server:
        athlete = _athlete(server, token)
        with _client(server, token) as client:
            created = client.post(f"/v1/athletes/{athlete}/workouts", json=workout_body())
            url = f"/v1/athletes/{athlete}/workouts/{created.json()['id']}"
            for round_ in range(30):
                etag = client.get(url).headers["etag"]
                outcome = _racing_patches(client, url, etag, round_)
                outcomes[tuple(outcome)] += 1
                winners = outcome.count(200)
                assert winners == 1, outcome
                assert set(outcome) - {200} <= {409, 412}, outcome
                final = client.get(url).json()
                assert final["notes"].endswith(f" {round_}")
    print(f"\nracing PATCH outcomes: {dict(outcomes)}")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_locked_sqlite_answers_503_with_retry_after_and_stores_nothing(
    database: TemporaryDatabase, tmp_path: Path
) -> None:
    token = new_token(database.url, "Busy")
    path = make_url(database.url).database
    assert path is not None
    env = {"LEGWORK_SQLITE_BUSY_TIMEOUT_MS": "200"}
    with Server(database.url, tmp_path, env=env, name="busy") as server:
        athlete = _athlete(server, token)
        with _client(server, token) as client:
            holder = sqlite3.connect(path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            try:
                r = client.post(f"/v1/athletes/{athlete}/workouts", json=workout_body())
                keyed = client.post(
                    f"/v1/athletes/{athlete}/workouts",
                    json=workout_body(),
                    headers={"Idempotency-Key": "while-locked"},
                )
                reading = client.get(f"/v1/athletes/{athlete}/workouts")
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            assert r.status_code == 503, r.text
            assert r.headers["retry-after"] == "1"
            problem: dict[str, Any] = r.json()
            assert problem["type"] == "urn:legwork:problem:database-busy"
            assert keyed.status_code == 503, keyed.text
            assert keyed.headers["retry-after"] == "1"
            assert reading.status_code == 200, "reads go on while the lock is taken"
            assert reading.json()["items"] == [], "the refused write stored nothing"
            again = client.post(f"/v1/athletes/{athlete}/workouts", json=workout_body())
            assert again.status_code == 201, again.text
            metrics = client.get("/metrics").text
        assert not server.exceptions(), server.stderr_tail()
    busy = [line for line in metrics.splitlines() if line.startswith("legwork_database_busy")]
    assert any(float(line.split()[-1]) >= 2 for line in busy), busy


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_writer_whose_turn_does_not_come_in_time_gets_503_never_500(
    database: TemporaryDatabase, tmp_path: Path
) -> None:
    token = new_token(database.url, "Impatient")
    env = {"LEGWORK_SQLITE_BUSY_TIMEOUT_MS": "1"}  # a turn at the gate within 1 ms, or none
    with Server(database.url, tmp_path, env=env, name="impatient") as server:
        athlete = _athlete(server, token)

        def write(n: int) -> httpx.Response:
            with _client(server, token) as client:
                body = workout_body(exercise_count=6, set_count=3, notes=f"impatient {n}")
                return client.post(f"/v1/athletes/{athlete}/workouts", json=body)

        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(write, range(64)))
        with _client(server, token) as client:
            stored = client.get(f"/v1/athletes/{athlete}/workouts", params={"limit": 100})
    statuses = Counter(r.status_code for r in answers)
    assert set(statuses) <= {201, 503}, statuses
    assert statuses[503] > 0, f"no writer had to wait: {statuses}"
    for refused in (r for r in answers if r.status_code == 503):
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["type"] == "urn:legwork:problem:database-busy"
    notes = sorted(w["notes"] for w in stored.json()["items"])
    created = sorted(r.json()["notes"] for r in answers if r.status_code == 201)
    assert notes == created, "a refused write stored nothing, an acknowledged one is stored"
