"""The feed under concurrent writers, with real server processes (2 workers): a reader that
polls while workouts are written, changed and deleted sees every change exactly once and skips
none — its collection equals a full read afterwards, item for item."""

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BACKENDS
from tests.databases import TemporaryDatabase
from tests.factories import athlete_body, new_token, workout_body
from tests.servers import Server

WRITERS = 8
WRITES_EACH = 25
ATHLETES = 3


def _follow(client: httpx.Client, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items: list[dict[str, Any]] = []
    while True:
        params = {"limit": 50} | ({"cursor": cursor} if cursor else {})
        r = client.get("/v1/changes", params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not page["items"]:
            return items, cursor


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_a_polling_reader_misses_nothing_and_sees_nothing_twice(
    database: TemporaryDatabase, tmp_path: Path
) -> None:
    token = new_token(database.url, "Feed")
    headers = {"Authorization": f"Bearer {token}"}
    with Server(database.url, tmp_path, workers=2, name="feed") as server:
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
            athletes = []
            for i in range(ATHLETES):
                r = client.post("/v1/athletes", json=athlete_body(name=f"R{i}"))
                athletes.append(r.json()["id"])
        acknowledged: Counter[tuple[str, str]] = Counter()  # (workout id, op)
        lock = threading.Lock()
        done = threading.Event()
        failures: list[str] = []

        def writer(w: int) -> None:
            start = datetime(2026, 6, 1, tzinfo=UTC) + timedelta(days=w)
            with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
                for n in range(WRITES_EACH):
                    base = f"/v1/athletes/{athletes[(w + n) % ATHLETES]}/workouts"
                    at = (start + timedelta(minutes=n)).isoformat()
                    r = client.post(base, json=workout_body(performed_at=at, set_count=1))
                    if r.status_code != 201:
                        failures.append(r.text)
                        continue
                    wid = r.json()["id"]
                    with lock:
                        acknowledged[(wid, "upsert")] += 1
                    if n % 3 == 0:
                        r = client.patch(f"{base}/{wid}", json={"notes": "again"})
                        if r.status_code == 200:
                            with lock:
                                acknowledged[(wid, "upsert")] += 1
                    if n % 5 == 0 and client.delete(f"{base}/{wid}").status_code == 204:
                        with lock:
                            acknowledged[(wid, "delete")] += 1

        collected: list[dict[str, Any]] = []

        def reader() -> None:
            cursor = None
            with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
                while not done.is_set():
                    items, cursor = _follow(client, cursor)
                    collected.extend(items)
                    time.sleep(0.005)
                items, cursor = _follow(client, cursor)
                collected.extend(items)

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
        polling = threading.Thread(target=reader)
        polling.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done.set()
        polling.join()
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
            everything, _ = _follow(client, None)

    assert failures == []
    assert collected == everything, "the polling reader skipped or repeated a change"
    workouts = Counter((c["id"], c["op"]) for c in everything if c["kind"] == "workout")
    assert workouts == acknowledged
    cursors = [c["cursor"] for c in everything]
    assert len(set(cursors)) == len(cursors) == ATHLETES + sum(acknowledged.values())
