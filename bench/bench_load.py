"""Benchmark Legwork under load, against the stack's own ceiling measured in the same run.

Real server processes (uvicorn) on loopback, driven by bench/loadgen.py (closed loop,
keep-alive connections). Every figure with an aim is a ratio to something measured in this run,
because the machine is shared and noisy:

- writes: req/s of a 1-set and an 18-set workout POST at 32 connections vs a minimal FastAPI +
  SQLModel app inserting one row per POST (bench/minimal_app.py), SQLite, one worker each; the
  minimal app runs before and after the workouts, and the mean of its two rates is the
  yardstick (this VM's speed drifts over a minute).
  Aims: 1 set ≥ 0.5×, 18 sets ≥ 0.3× the minimal insert, 0 errors, every 201 stored; on
  PostgreSQL with 2 workers, the same figures against the minimal insert on PostgreSQL with 2
  workers (its req/s against SQLite's is shown too).
- lists: a page of 50 workouts × 18 sets on one connection: p50 ≤ 10× GET /healthz.
- event loop: /healthz p99 on one connection while 32 connections generate 24-week plans,
  ≤ 5× its idle p99.
- memory: the SQLite worker's RSS after a mix of writes, lists, plans and 5-year progress on an
  athlete with ≈ 40,000 logged sets: ≤ 150 MB.

    python bench/bench_load.py                  # everything (≈ 4 minutes)
    python bench/bench_load.py --seconds 5      # shorter trials
    python bench/bench_load.py --only writes,list
"""

import argparse
import json
import os
import random
import sys
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlalchemy import func, select
from sqlmodel import Session

from app.athletes.models import Athlete
from app.auth.service import create_account
from app.cli import migrate_to_head
from app.db import make_engine
from app.workouts.models import Workout
from bench.bench_progress import main_athlete_rows, store
from bench.loadgen import Load, Result, hammer, hammer_together, http_request
from tests.databases import TemporaryDatabase
from tests.servers import HOST, Server

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CONNECTIONS = 32
SLUGS = ["hip-thrust", "romanian-deadlift", "split-squat", "calf-raise", "step-up", "nordic-curl"]
PLAN = {
    "event": "marathon",
    "start_date": "2027-01-04",
    "race_date": "2027-06-20",
    "level": "advanced",
    "setting": "gym",
    "sessions_per_week": 3,
    "session_minutes": 60,
    "long_run_day": "sunday",
    "hard_run_days": ["tuesday", "thursday"],
    "seed": 3,
}
MB_LIMIT = 150.0


@dataclass
class Row:
    name: str
    result: Result
    ratio: float | None = None
    aim: str = ""
    ok: bool | None = None
    rss_mb: float | None = None


# --- the servers and what they are sent ------------------------------------------------------


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def new_account(url: str) -> tuple[uuid.UUID, str]:
    """A new account and its token, straight in the database."""
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        account, token = create_account(session, "Load bench")
        session.commit()
    engine.dispose()
    return account.id, token


def count_workouts(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = int(session.scalar(select(func.count()).select_from(Workout)) or 0)
    engine.dispose()
    return count


def legwork(url: str, log_dir: Path, workers: int, name: str) -> Server:
    return Server(url, log_dir, workers=workers, env={"LEGWORK_LOG_LEVEL": "warning"}, name=name)


def new_athlete(server: Server, token: str) -> str:
    r = httpx.post(
        f"{server.url}/v1/athletes",
        json={"name": "Load", "timezone": "Europe/Paris", "level": "advanced"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def workout_body(n: int, exercises: int, sets: int, performed: datetime) -> dict[str, Any]:
    return {
        "performed_at": performed.isoformat(),
        "duration_min": 45,
        "session_rpe": 7,
        "notes": f"load {n}",
        "exercises": [
            {
                "exercise": SLUGS[(n + i) % len(SLUGS)],
                "sets": [
                    {"reps": 5 + (n + j) % 8, "load_kg": 20 + (n % 30) * 2.5, "rir": 2}
                    for j in range(sets)
                ],
            }
            for i in range(exercises)
        ],
    }


def posts(server: Server, token: str, athletes: Sequence[str], exercises: int, sets: int) -> Load:
    """Workout POSTs shared out among `athletes` in turn, each athlete's a day before its last:
    as many apps logging at once, not one athlete logging a workout a minute (each write then
    re-sums a day that grows by a workout, and on PostgreSQL waits for the athlete's lock)."""
    host = f"{HOST}:{server.port}"
    auth = {"Authorization": f"Bearer {token}"}
    # Each trial its own days, so that workouts of different trials never share a time.
    base = datetime.now(UTC) - timedelta(days=random.randrange(1, 300))
    paths = [f"/v1/athletes/{athlete}/workouts" for athlete in athletes]

    def make(n: int) -> bytes:
        turn, which = divmod(n, len(paths))
        performed = base - timedelta(days=turn, minutes=which)
        body = json.dumps(workout_body(n, exercises, sets, performed)).encode()
        return http_request("POST", paths[which], host, body, auth)

    return Load(make, CONNECTIONS)


def fixed(
    server: Server, method: str, path: str, token: str | None = None, body: Any = None
) -> Callable[[int], bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    payload = json.dumps(body).encode() if body is not None else b""
    request = http_request(method, path, f"{HOST}:{server.port}", payload, headers)
    return lambda _: request


# --- the trials --------------------------------------------------------------------------------


def minimal_inserts(url: str, log_dir: Path, seconds: float, workers: int = 1) -> Result:
    env = {"MINIMAL_DATABASE_URL": url}
    app = "bench.minimal_app:app"
    name = f"minimal-{workers}"
    with Server(url, log_dir, workers=workers, env=env, name=name, app=app) as server:
        host = f"{HOST}:{server.port}"

        def make(n: int) -> bytes:
            body = json.dumps({"name": f"item {n}", "quantity": n}).encode()
            return http_request("POST", "/items", host, body)

        return hammer(HOST, server.port, make, connections=CONNECTIONS, seconds=seconds)


def write_trials(
    label: str, url: str, log_dir: Path, workers: int, seconds: float
) -> tuple[Result, Result]:
    """1-set and 18-set workout POSTs at 32 connections; every 201 must be stored."""
    _, token = new_account(url)
    with legwork(url, log_dir, workers, f"writes-{label}") as server:
        athletes = [new_athlete(server, token) for _ in range(CONNECTIONS)]
        one = hammer_together(HOST, server.port, [posts(server, token, athletes, 1, 1)], seconds)[0]
        eighteen = hammer_together(
            HOST, server.port, [posts(server, token, athletes, 6, 3)], seconds
        )[0]
    acknowledged = one.statuses[201] + eighteen.statuses[201]
    stored = count_workouts(url)
    print(f"  {label}: {acknowledged} workouts acknowledged, {stored} stored")
    assert stored == acknowledged, "an acknowledged workout is missing, or one was stored twice"
    return one, eighteen


def list_and_loop_trials(url: str, log_dir: Path, seconds: float) -> list[Row]:
    _, token = new_account(url)
    with legwork(url, log_dir, 1, "list-and-loop") as server:
        athlete = new_athlete(server, token)
        hammer(
            HOST, server.port, posts(server, token, [athlete], 6, 3).make, connections=4, seconds=3
        )
        page = fixed(server, "GET", f"/v1/athletes/{athlete}/workouts?limit=50", token)
        health = fixed(server, "GET", "/healthz")
        listed = hammer(HOST, server.port, page, connections=1, seconds=seconds)
        trivial = hammer(HOST, server.port, health, connections=1, seconds=seconds)
        assert all(b'"sets"' for b in listed.bodies)
        plans = fixed(server, "POST", "/v1/plans/generate", body=PLAN)
        busy_health, planned = hammer_together(
            HOST, server.port, [Load(health, 1), Load(plans, CONNECTIONS)], seconds
        )
    list_ratio = listed.percentile(0.5) / trivial.percentile(0.5)
    loop_ratio = busy_health.percentile(0.99) / trivial.percentile(0.99)
    return [
        Row("GET /healthz, 1 connection", trivial),
        Row(
            "page of 50 × 18 sets, 1 conn",
            listed,
            list_ratio,
            "p50 ≤ 10× healthz",
            list_ratio <= 10 and listed.errors == 0,
        ),
        Row("24-week plans, 32 connections", planned, ok=planned.errors == 0 or None),
        Row(
            "/healthz beside the plans",
            busy_health,
            loop_ratio,
            "p99 ≤ 5× idle p99",
            loop_ratio <= 5 and busy_health.errors == 0,
        ),
    ]


def memory_trial(url: str, log_dir: Path, seconds: float) -> Row:
    """A mixed load on an athlete with five years of logs; the worker's RSS afterwards."""
    account_id, token = new_account(url)
    engine = make_engine(url)
    with Session(engine) as session:
        main = Athlete(
            account_id=account_id, name="Five Years", timezone="Europe/Paris", level="advanced"
        )
        session.add(main)
        session.commit()
        main_id = main.id
    rows = main_athlete_rows(random.Random(7), main_id, date.today())
    store(engine, [], [], rows)
    engine.dispose()
    five_years = (date.today() - timedelta(days=5 * 365)).isoformat()
    with legwork(url, log_dir, 1, "memory") as server:
        pid = server.worker_pids()[0]
        started = rss_mb(pid)
        athlete = new_athlete(server, token)
        base = f"/v1/athletes/{main_id}"
        loads = [
            Load(posts(server, token, [athlete], 6, 3).make, 8),
            Load(fixed(server, "GET", f"/v1/athletes/{athlete}/workouts?limit=50", token), 8),
            Load(fixed(server, "POST", "/v1/plans/generate", body=PLAN), 8),
            Load(fixed(server, "GET", f"{base}/progress?from={five_years}&period=week", token), 4),
            Load(fixed(server, "GET", f"{base}/progress/chart.svg?from={five_years}", token), 2),
            Load(fixed(server, "GET", f"{base}/progress/exercises/hip-thrust", token), 2),
        ]
        results = hammer_together(HOST, server.port, loads, seconds)
        after = rss_mb(pid)
    mixed = Result(seconds=results[0].seconds)
    for result in results:
        mixed.latencies_ms += result.latencies_ms
        mixed.statuses.update(result.statuses)
        mixed.failures.update(result.failures)
    print(f"  memory: RSS {started:.0f} MB after start, {after:.0f} MB after the mix")
    return Row(
        f"mixed load, RSS from {started:.0f} MB",
        mixed,
        None,
        f"RSS ≤ {MB_LIMIT:.0f} MB",
        after <= MB_LIMIT and mixed.errors == 0,
        after,
    )


# --- the table -----------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    print()
    print(
        f"{'trial':<36}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}{'ratio':>7}"
        f"{'RSS MB':>8}  aim"
    )
    for row in rows:
        r = row.result
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        rss = f"{row.rss_mb:.0f}" if row.rss_mb is not None else ""
        met = "" if row.ok is None else ("met" if row.ok else "NOT MET")
        print(
            f"{row.name:<36}{r.rate:>8.1f}{r.percentile(0.5):>9.1f}{r.percentile(0.99):>9.1f}"
            f"{r.errors:>7}{ratio:>7}{rss:>8}  {row.aim} {met}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each trial")
    parser.add_argument("--pg-url", default=os.environ.get("LEGWORK_TEST_POSTGRES_URL", PG_URL))
    parser.add_argument("--only", default="", help="some of: writes,pg,list,memory")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(","))) or {"writes", "pg", "list", "memory"}
    seconds = args.seconds
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        logs = tmp / "logs"

        def sqlite_db(prefix: str) -> str:
            url = TemporaryDatabase("sqlite", tmp, None, prefix=prefix).url
            migrate_to_head(url)
            return url

        sqlite_one = sqlite_eighteen = None
        if "writes" in only or "pg" in only:
            minimal_db = TemporaryDatabase("sqlite", tmp, None, "minimal").url
            minimal_before = minimal_inserts(minimal_db, logs, seconds)
            sqlite_one, sqlite_eighteen = write_trials(
                "SQLite", sqlite_db("writes"), logs, 1, seconds
            )
            minimal_after = minimal_inserts(minimal_db, logs, seconds)
            minimal_rate = (minimal_before.rate + minimal_after.rate) / 2
            rows += [
                Row("minimal insert, SQLite, 1 worker", minimal_before),
                Row("  again, after the workouts", minimal_after),
                Row(
                    "1-set workout, SQLite",
                    sqlite_one,
                    sqlite_one.rate / minimal_rate,
                    "≥ 0.5× minimal",
                    sqlite_one.rate >= 0.5 * minimal_rate and sqlite_one.errors == 0,
                ),
                Row(
                    "18-set workout, SQLite",
                    sqlite_eighteen,
                    sqlite_eighteen.rate / minimal_rate,
                    "≥ 0.3× minimal",
                    sqlite_eighteen.rate >= 0.3 * minimal_rate and sqlite_eighteen.errors == 0,
                ),
            ]
        if "pg" in only and sqlite_one is not None and sqlite_eighteen is not None:
            pg = TemporaryDatabase("postgresql", tmp, args.pg_url, prefix="legwork_load")
            pg_minimal_db = TemporaryDatabase("postgresql", tmp, args.pg_url, "minimal_load")
            try:
                pg_minimal_before = minimal_inserts(pg_minimal_db.url, logs, seconds, workers=2)
                migrate_to_head(pg.url)
                pg_one, pg_eighteen = write_trials("PostgreSQL", pg.url, logs, 2, seconds)
                pg_minimal_after = minimal_inserts(pg_minimal_db.url, logs, seconds, workers=2)
            finally:
                pg.drop()
                pg_minimal_db.drop()
            pg_minimal_rate = (pg_minimal_before.rate + pg_minimal_after.rate) / 2
            rows += [
                Row("minimal insert, PostgreSQL, 2 workers", pg_minimal_before),
                Row("  again, after the workouts", pg_minimal_after),
            ]
            for name, result, share, on_sqlite in (
                ("1-set workout, PostgreSQL, 2 workers", pg_one, 0.5, sqlite_one),
                ("18-set workout, PostgreSQL, 2 w.", pg_eighteen, 0.3, sqlite_eighteen),
            ):
                rows += [
                    Row(
                        name,
                        result,
                        result.rate / pg_minimal_rate,
                        f"≥ {share}× minimal on PostgreSQL",
                        result.rate >= share * pg_minimal_rate and result.errors == 0,
                    ),
                    Row("  the same, vs SQLite's req/s", result, result.rate / on_sqlite.rate),
                ]
        if "list" in only:
            rows += list_and_loop_trials(sqlite_db("lists"), logs, seconds)
        if "memory" in only:
            rows.append(memory_trial(sqlite_db("memory"), logs, seconds * 2))
    print_table(rows)


if __name__ == "__main__":
    main()
