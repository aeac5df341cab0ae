"""Real server processes under concurrent writes, killed mid-write, and racing on one key.

Each test starts `uvicorn app.main:app --workers N` on a fresh database (tests/servers.py) and
talks to it over loopback HTTP from client threads:

* load: on PostgreSQL, 2 workers and 50 clients write 5,000 workouts; every one is stored once;
* crash: 20 clients write while the server is SIGKILLed; every workout answered 201 is there
  after a restart, and no stored workout is half-written;
* retry after the crash: every write that got no 201 is retried with its Idempotency-Key, as a
  phone would; no workout may end up stored twice;
* idempotency: 10 simultaneous POSTs with one Idempotency-Key store one workout, and the key
  still replays after a restart.

Figures (throughput, crash counts, race outcomes) are printed: run with `pytest -s` to see them.
"""

import itertools
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, func, select

from app.db import make_engine
from app.idempotency.models import IdempotencyRecord
from app.workouts.models import Workout, WorkoutExercise, WorkoutSet
from tests.conftest import BACKENDS, POSTGRESQL
from tests.databases import TemporaryDatabase
from tests.factories import athlete_body, new_token, set_body, workout_body
from tests.rollup_check import stored_and_summed
from tests.servers import Server

# Generous: the machine may be loaded; a slow answer is not a failure, only a lost one is.
CLIENT_TIMEOUT = httpx.Timeout(120.0, connect=30.0)
SLUGS = ["glute-bridge", "romanian-deadlift", "split-squat", "calf-raise", "step-up"]
PERFORMED_BASE = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)

LOAD_WORKOUTS = 5_000
LOAD_CLIENTS = 50
LOAD_WORKERS = 2
LOAD_ATHLETES = 5

CRASH_CLIENTS = 20
CRASH_ACKS = 300
CRASH_WINDOW_S = 3.0  # from the start of the writes
CRASH_MAX_WAIT_S = 90.0

RETRY_CRASHES = 2
RETRY_ACKS = 150
RETRY_WINDOW_S = 2.0
RETRY_MAX = 200

RACERS = 10
RACE_ROUNDS = 5

Shape = list[tuple[str | None, list[tuple[Any, ...]]]]


# --- databases, accounts, bodies ---------------------------------------------------------------


def client_for(server: Server, token: str, **kwargs: Any) -> httpx.Client:
    return httpx.Client(
        base_url=server.url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=CLIENT_TIMEOUT,
        **kwargs,
    )


def make_athletes(server: Server, token: str, count: int) -> list[str]:
    with client_for(server, token) as client:
        ids = []
        for i in range(count):
            r = client.post("/v1/athletes", json=athlete_body(name=f"Runner {i}"))
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
    return ids


def numbered_body(n: int) -> dict[str, Any]:
    """A small workout (1–2 exercises × 2–3 sets) that request number `n` alone sends."""
    return workout_body(
        performed_at=(PERFORMED_BASE - timedelta(minutes=n)).isoformat(),
        notes=f"request {n}",
        exercises=[
            {
                "exercise": SLUGS[(n + i) % len(SLUGS)],
                "notes": None,
                "sets": [
                    set_body(reps=5 + (n + j) % 20, load_kg=(n % 40) * 2.5)
                    for j in range(2 + (n + i) % 2)
                ],
            }
            for i in range(1 + n % 2)
        ],
    )


def number_of(notes: str | None) -> int:
    assert notes is not None
    assert notes.startswith("request "), notes
    return int(notes.removeprefix("request "))


def _set_tuple(s: dict[str, Any]) -> tuple[Any, ...]:
    return (s["reps"], s["load_kg"], s["rpe"], s["rir"], s["duration_s"], s["side"], s["warmup"])


def body_shape(body: dict[str, Any]) -> Shape:
    return [(e["exercise"], [_set_tuple(s) for s in e["sets"]]) for e in body["exercises"]]


@dataclass(frozen=True)
class Stored:
    athlete_id: str
    number: int
    shape: Shape


def stored_workouts(url: str) -> dict[str, Stored]:
    """Every workout in the database with its exercises and sets, read with SQL."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            workouts = session.exec(select(Workout)).all()
            exercises = session.exec(select(WorkoutExercise)).all()
            sets = session.exec(
                select(WorkoutSet).order_by(
                    col(WorkoutSet.workout_id),
                    col(WorkoutSet.exercise_position),
                    col(WorkoutSet.position),
                )
            ).all()
    finally:
        engine.dispose()
    slugs: dict[uuid.UUID, dict[int, str]] = defaultdict(dict)
    for e in exercises:
        slugs[e.workout_id][e.position] = e.exercise
    grouped: dict[uuid.UUID, dict[int, list[tuple[Any, ...]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    by_workout = {w.id: w for w in workouts}
    for s in sets:
        parent = by_workout.get(s.workout_id)
        assert parent is not None, f"set {s.id} of a missing workout {s.workout_id}"
        assert s.athlete_id == parent.athlete_id, s
        assert s.local_date == parent.local_date, s
        assert s.exercise == slugs[s.workout_id].get(s.exercise_position), s
        grouped[s.workout_id][s.exercise_position].append(
            (s.reps, s.load_kg, s.rpe, s.rir, s.duration_s, s.side, s.warmup)
        )
    result = {}
    for w in workouts:
        positions = sorted(set(slugs[w.id]) | set(grouped[w.id]))
        shape = [(slugs[w.id].get(p), grouped[w.id].get(p, [])) for p in positions]
        result[str(w.id)] = Stored(str(w.athlete_id), number_of(w.notes), shape)
    return result


def count_rows(url: str, model: type[Any]) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return int(session.exec(select(func.count()).select_from(model)).one())
    finally:
        engine.dispose()


# --- concurrent writers ---------------------------------------------------------------------------


@dataclass
class Attempt:
    """One POST of workout number `number`; status None means no answer reached the client."""

    number: int
    athlete_id: str
    body: dict[str, Any]
    status: int | None = None
    answer: Any = None
    error: str | None = None


class Writers:
    """Client threads, each with its own connection, posting numbered workouts until told."""

    def __init__(
        self,
        server: Server,
        token: str,
        athletes: list[str],
        limit: int | None = None,
        first_number: int = 0,
        retry_unanswered: bool = False,
    ) -> None:
        self.server = server
        # Retry, once and with the same Idempotency-Key, a POST the server closed the connection
        # on without answering (a keep-alive connection closed as the request went out, on a
        # machine stalled for seconds): what a client holding a key does; still stored once.
        self.retry_unanswered = retry_unanswered
        self.retried = 0
        self.token = token
        self.athletes = athletes
        self.limit = limit
        self.stop = threading.Event()
        self.attempts: list[Attempt] = []
        self._numbers = itertools.count(first_number)
        self._first = first_number
        self._lock = threading.Lock()
        self.acknowledged = 0

    def _next(self) -> int | None:
        with self._lock:
            n = next(self._numbers)
        return None if self.limit is not None and n >= self._first + self.limit else n

    def write(self) -> None:
        with client_for(self.server, self.token) as client:
            while not self.stop.is_set():
                n = self._next()
                if n is None:
                    return
                athlete_id = self.athletes[n % len(self.athletes)]
                attempt = Attempt(n, athlete_id, numbered_body(n))
                with self._lock:
                    self.attempts.append(attempt)
                try:
                    r = self._post(client, attempt)
                except httpx.TransportError as exc:  # unacknowledged: it may or may not exist
                    attempt.error = f"{type(exc).__name__}: {exc}"
                    continue
                attempt.status = r.status_code
                attempt.answer = r.json() if r.status_code == 201 else r.text
                if r.status_code == 201:
                    with self._lock:
                        self.acknowledged += 1

    def _post(self, client: httpx.Client, attempt: Attempt) -> httpx.Response:
        def post() -> httpx.Response:
            return client.post(
                f"/v1/athletes/{attempt.athlete_id}/workouts",
                json=attempt.body,
                headers={"Idempotency-Key": f"workout-{attempt.number}"},
            )

        try:
            return post()
        except httpx.RemoteProtocolError:
            if not self.retry_unanswered:
                raise
            with self._lock:
                self.retried += 1
            return post()

    def start(self, pool: ThreadPoolExecutor, clients: int) -> list[Future[None]]:
        return [pool.submit(self.write) for _ in range(clients)]


def unexpected(attempts: list[Attempt]) -> list[str]:
    """Answers other than 201 (a 5xx or a 4xx is a bug here, never a normal outcome)."""
    return [
        f"#{a.number}: {a.status} {str(a.answer)[:300]}"
        for a in attempts
        if a.status is not None and a.status != 201
    ]


def check_stored_match_sent(stored: dict[str, Stored], sent: dict[int, Attempt]) -> None:
    """No stored workout is half-written, unknown, in the wrong place, or there twice."""
    numbers = Counter(s.number for s in stored.values())
    doubled = sorted(n for n, times in numbers.items() if times > 1)
    assert not doubled, f"workouts stored more than once: {doubled[:20]}"
    for workout_id, s in stored.items():
        attempt = sent.get(s.number)
        assert attempt is not None, f"workout {workout_id} (request {s.number}) was never sent"
        assert s.athlete_id == attempt.athlete_id, (workout_id, s.athlete_id, attempt.athlete_id)
        assert s.shape == body_shape(attempt.body), (
            f"workout {workout_id} (request {s.number}) is not what was sent: "
            f"stored {s.shape}, sent {body_shape(attempt.body)}"
        )


# --- 1. load ----------------------------------------------------------------------------------


@pytest.mark.parametrize("database", [POSTGRESQL], indirect=True)
def test_5000_concurrent_writes_are_all_stored_once(
    database: TemporaryDatabase, tmp_path: Path
) -> None:
    token = new_token(database.url, "Load")
    server = Server(database.url, tmp_path, workers=LOAD_WORKERS, name="load")
    try:
        server.start()
        athletes = make_athletes(server, token, LOAD_ATHLETES)
        writers = Writers(server, token, athletes, limit=LOAD_WORKOUTS, retry_unanswered=True)
        started = time.monotonic()
        with ThreadPoolExecutor(LOAD_CLIENTS) as pool:
            for future in writers.start(pool, LOAD_CLIENTS):
                future.result()
        elapsed = time.monotonic() - started
    finally:
        server.kill()

    print(
        f"\nLOAD: {LOAD_WORKOUTS} workouts, {LOAD_CLIENTS} clients, {LOAD_WORKERS} workers, "
        f"{database.backend}: {elapsed:.1f} s, {LOAD_WORKOUTS / elapsed:.0f} req/s, "
        f"{writers.retried} retried"
    )
    assert writers.retried <= LOAD_WORKOUTS // 100, "connections dropped by the dozen"
    attempts = writers.attempts
    assert len(attempts) == LOAD_WORKOUTS
    lost = [f"#{a.number}: {a.error}" for a in attempts if a.status is None]
    assert not lost, f"{len(lost)} requests got no answer: {lost[:10]}"
    assert not unexpected(attempts), (
        f"{unexpected(attempts)[:10]}; the server logged {dict(server.exceptions())}"
    )
    assert Counter(a.status for a in attempts) == {201: LOAD_WORKOUTS}

    returned = [a.answer["id"] for a in attempts]
    assert len(set(returned)) == LOAD_WORKOUTS, "an id was answered twice"
    stored = stored_workouts(database.url)
    assert len(stored) == LOAD_WORKOUTS
    assert set(stored) == set(returned)
    sent = {a.number: a for a in attempts}
    check_stored_match_sent(stored, sent)
    for a in attempts:
        assert stored[a.answer["id"]].number == a.number
    exercises = sum(len(a.body["exercises"]) for a in attempts)
    sets = sum(len(e["sets"]) for a in attempts for e in a.body["exercises"])
    assert count_rows(database.url, WorkoutExercise) == exercises
    assert count_rows(database.url, WorkoutSet) == sets
    assert count_rows(database.url, IdempotencyRecord) == LOAD_WORKOUTS
    # Writers of one athlete and day raced; each refreshed the day's rollups after the other.
    stored_rollups, summed = stored_and_summed(database.url)
    assert stored_rollups == summed


# --- 2. crash -------------------------------------------------------------------------------------


@dataclass
class Crash:
    """Writers cut off by a SIGKILL of the whole server, and what they heard before it."""

    writers: Writers
    killed_after: float
    in_flight: int

    @property
    def attempts(self) -> list[Attempt]:
        return self.writers.attempts

    def acknowledged(self) -> list[Attempt]:
        return [a for a in self.attempts if a.status == 201]

    def unacknowledged(self) -> list[Attempt]:
        return [a for a in self.attempts if a.status is None]


def write_until_killed(
    server: Server,
    token: str,
    athletes: list[str],
    acks: int = CRASH_ACKS,
    window_s: float = CRASH_WINDOW_S,
    first_number: int = 0,
) -> Crash:
    """CRASH_CLIENTS write continuously; after `acks` 201s (or `window_s`, once at least one
    write was acknowledged) the server and its workers get SIGKILL while requests are in
    flight."""
    writers = Writers(server, token, athletes, first_number=first_number)
    with ThreadPoolExecutor(CRASH_CLIENTS) as pool:
        futures = writers.start(pool, CRASH_CLIENTS)
        started = time.monotonic()
        while writers.acknowledged < acks:
            elapsed = time.monotonic() - started
            if elapsed >= window_s and writers.acknowledged:
                break
            if elapsed > CRASH_MAX_WAIT_S or any(f.done() for f in futures):
                break
            time.sleep(0.005)
        # No request starts from here on; those in flight are cut off by the kill.
        writers.stop.set()
        in_flight = sum(1 for a in list(writers.attempts) if a.status is None and not a.error)
        server.kill()
        killed_after = time.monotonic() - started
        for future in futures:
            future.result()
    assert writers.acknowledged, f"no write was acknowledged: {dict(server.exceptions())}"
    return Crash(writers, killed_after, in_flight)


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_sigkill_mid_writes_loses_no_acknowledged_workout(
    database: TemporaryDatabase, tmp_path: Path
) -> None:
    workers = 2 if database.backend == "postgresql" else 1
    token = new_token(database.url, "Crash")
    server = Server(database.url, tmp_path, workers=workers, name="crash")
    try:
        server.start()
        crash = write_until_killed(server, token, make_athletes(server, token, 4))
        server.start()  # the same database, a new process
        acked = crash.acknowledged()
        with client_for(server, token, limits=httpx.Limits(max_connections=8)) as client:

            def fetch(a: Attempt) -> tuple[Attempt, httpx.Response]:
                return a, client.get(f"/v1/athletes/{a.athlete_id}/workouts/{a.answer['id']}")

            with ThreadPoolExecutor(8) as pool:
                fetched = list(pool.map(fetch, acked))
    finally:
        server.kill()

    missing = [f"#{a.number}: {r.status_code}" for a, r in fetched if r.status_code != 200]
    stored = stored_workouts(database.url)
    stored_numbers = {s.number for s in stored.values()}
    unacked = crash.unacknowledged()
    unacked_stored = [a for a in unacked if a.number in stored_numbers]
    errors = [a for a in crash.attempts if a.status not in (None, 201)]
    print(
        f"\nCRASH: {database.backend}: {len(acked)} acknowledged, {len(acked) - len(missing)} "
        f"found after restart, {len(unacked)} unacknowledged of which {len(unacked_stored)} "
        f"stored ({len(crash.attempts)} requests, {crash.in_flight} in flight at the kill, "
        f"{crash.killed_after:.1f} s after the start; {len(errors)} answered neither 201 "
        "nor cut off)"
    )
    assert not missing, f"acknowledged workouts lost in the crash: {missing[:20]}"
    for a, r in fetched:
        assert r.json()["exercises"] == a.body["exercises"], a.number
        assert r.json() == a.answer, f"#{a.number} reads back other than it was answered"
    check_stored_match_sent(stored, {a.number: a for a in crash.attempts})
    assert {a.answer["id"] for a in acked} <= set(stored)
    errors_stored = [a.number for a in errors if a.number in stored_numbers]
    assert not errors, (
        f"{len(errors)} writes answered neither 201 nor cut off by the kill, "
        f"{len(errors_stored)} of them stored all the same: {unexpected(errors)[:5]}; "
        f"the server logged {dict(server.exceptions())}"
    )
    # Stored = acknowledged + some of those cut off by the kill.
    assert len(stored) == len(acked) + len(unacked_stored)
    stored_rollups, summed = stored_and_summed(database.url)
    assert stored_rollups == summed, "a write's rollups commit with its sets, or not at all"


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_retries_after_sigkill_create_nothing_twice(
    database: TemporaryDatabase, tmp_path: Path
) -> None:
    """A phone that heard nothing retries with the same Idempotency-Key, as the contract asks:
    after a crash, that retry must not store the workout a second time. The key's answer is
    committed with the workout, so a request killed before its commit left neither behind (the
    retry runs it afresh) and one killed after left both (the retry replays)."""
    workers = 2 if database.backend == "postgresql" else 1
    token = new_token(database.url, "Retry")
    server = Server(database.url, tmp_path, workers=workers, name="retry")
    try:
        server.start()
        athletes = make_athletes(server, token, 4)
        # Several crashes, to catch requests between their commit and their key's completion.
        attempts: list[Attempt] = []
        for _ in range(RETRY_CRASHES):
            first = max((a.number for a in attempts), default=-1) + 1
            crash = write_until_killed(server, token, athletes, RETRY_ACKS, RETRY_WINDOW_S, first)
            attempts += crash.attempts
            server.start()
        # Retried, as a client would, with its own key: requests cut off (by the kill, or by
        # a connection the server closed) and requests answered with an error although
        # stored; those stored first (only they can be doubled), at most RETRY_MAX in all.
        before = Counter(s.number for s in stored_workouts(database.url).values())
        pending = sorted(
            (a for a in attempts if a.status is None or (a.status != 201 and before[a.number])),
            key=lambda a: (not before[a.number], a.number),
        )[:RETRY_MAX]
        stored_before = sorted(a.number for a in pending if before[a.number])
        outcome: Counter[str] = Counter()
        with client_for(server, token) as client:
            for a in pending:
                r = client.post(
                    f"/v1/athletes/{a.athlete_id}/workouts",
                    json=a.body,
                    headers={"Idempotency-Key": f"workout-{a.number}"},
                )
                replayed = r.headers.get("idempotent-replayed") == "true"
                outcome[f"{r.status_code}{' replayed' if replayed else ''}"] += 1
                assert r.status_code == 201, f"#{a.number}: {r.status_code} {r.text}"
                assert replayed == bool(before[a.number]), f"#{a.number}: stored {before[a.number]}"
    finally:
        server.kill()

    after = Counter(s.number for s in stored_workouts(database.url).values())
    doubled = sorted(n for n, times in after.items() if times > 1)
    print(
        f"\nRETRY: {database.backend}: {RETRY_CRASHES} crashes, "
        f"{sum(outcome.values())} writes retried "
        f"({len(stored_before)} of them already stored): {dict(outcome)}; "
        f"stored twice: {len(doubled)}"
    )
    assert not doubled, (
        f"retries stored {len(doubled)} workouts a second time: requests {doubled[:20]} "
        f"(already stored before the retries: {stored_before[:20]})"
    )


# --- 3. one Idempotency-Key, ten requests at once ----------------------------------------------


def race(
    server: Server, token: str, url: str, body: dict[str, Any], key: str
) -> list[httpx.Response]:
    """RACERS identical POSTs, released together from connections opened beforehand."""
    clients = [client_for(server, token) for _ in range(RACERS)]
    barrier = threading.Barrier(RACERS)
    try:
        for client in clients:  # connect now, so that only the POSTs remain to race
            assert client.get("/healthz").status_code == 200

        def post(client: httpx.Client) -> httpx.Response:
            barrier.wait(timeout=60)
            return client.post(url, json=body, headers={"Idempotency-Key": key})

        with ThreadPoolExecutor(RACERS) as pool:
            return list(pool.map(post, clients))
    finally:
        for client in clients:
            client.close()


def workouts_with_notes(database_url: str, notes: str) -> int:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            query = select(func.count()).select_from(Workout).where(Workout.notes == notes)
            return int(session.exec(query).one())
    finally:
        engine.dispose()


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_ten_concurrent_posts_with_one_key_create_one_workout(
    database: TemporaryDatabase, tmp_path: Path
) -> None:
    token = new_token(database.url, "Racer")
    server = Server(database.url, tmp_path, workers=2, name="race")
    firsts: dict[str, tuple[dict[str, Any], httpx.Response]] = {}
    outcomes: list[str] = []
    started = time.monotonic()
    try:
        server.start()
        (athlete_id,) = make_athletes(server, token, 1)
        url = f"/v1/athletes/{athlete_id}/workouts"
        for round_ in range(RACE_ROUNDS):
            key, body = f"race-{round_}-{uuid.uuid4().hex}", numbered_body(round_)
            answers = race(server, token, url, body, key)
            replayed = [r for r in answers if r.headers.get("idempotent-replayed") == "true"]
            fresh = [
                r
                for r in answers
                if r.status_code == 201 and r.headers.get("idempotent-replayed") != "true"
            ]
            busy = [r for r in answers if r.status_code == 409]
            outcomes.append(f"{len(fresh)}×201 + {len(replayed)}×201 replayed + {len(busy)}×409")
            print(f"\nIDEMPOTENCY: {database.backend}: key {round_ + 1}: {outcomes[-1]}")

            other = [f"{r.status_code} {r.text[:300]}" for r in answers if r.status_code != 201]
            assert len(busy) == len(other), f"{other}; server: {dict(server.exceptions())}"
            assert len(fresh) == 1, [(r.status_code, dict(r.headers)) for r in answers]
            first = fresh[0]
            for r in replayed:
                assert r.status_code == 201
                assert r.content == first.content
                assert r.headers["location"] == first.headers["location"]
            for r in busy:
                assert r.headers["content-type"] == "application/problem+json"
                assert r.json()["type"].endswith("idempotency-key-in-use")
                assert "retry-after" in r.headers
            assert workouts_with_notes(database.url, body["notes"]) == 1

            with client_for(server, token) as client:
                again = client.post(url, json=body, headers={"Idempotency-Key": key})
            assert again.status_code == 201, again.text
            assert again.headers["idempotent-replayed"] == "true"
            assert again.content == first.content
            firsts[key] = (body, first)

        # Keys live in the database: a new process still knows them.
        assert server.stop(), f"no graceful stop:\n{server.stderr_tail()}"
        server.start()
        with client_for(server, token) as client:
            for key, (body, first) in firsts.items():
                again = client.post(url, json=body, headers={"Idempotency-Key": key})
                assert again.status_code == 201, again.text
                assert again.headers["idempotent-replayed"] == "true"
                assert again.content == first.content
                assert workouts_with_notes(database.url, body["notes"]) == 1
    finally:
        server.kill()
    assert count_rows(database.url, Workout) == RACE_ROUNDS
    print(
        f"\nIDEMPOTENCY: {database.backend}: {RACERS} concurrent POSTs × {RACE_ROUNDS} keys: "
        f"one workout each; replayed after a restart: {len(firsts)}/{RACE_ROUNDS} "
        f"({time.monotonic() - started:.1f} s)"
    )
