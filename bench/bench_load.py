"""Benchmark Legwork under load, against the stack's own ceiling measured in the same run.

Real server processes (uvicorn) on loopback, driven by bench/loadgen.py (closed loop,
keep-alive connections). Every figure that has an aim is a ratio to something measured in
this run, because the machine is shared and noisy:

- writes: req/s of a 1-set and an 18-set workout POST at 32 connections vs a minimal
  FastAPI + SQLModel app inserting one row per POST (bench/minimal_app.py), on SQLite with one
  worker; and Legwork on PostgreSQL with 2 workers. Aims: 1 set ≥ 0.5×, 18 sets ≥ 0.3× the
  minimal insert; PostgreSQL ≥ the SQLite figures; 0 errors everywhere; every acknowledged
  workout stored.
- lists: a page of 50 workouts × 18 sets on one connection, p50 ≤ 10× GET /healthz.
- event loop: /healthz p99 while plans are generated at 32 connections ≤ 5× its idle p99.
- memory: the SQLite worker's RSS after a mix of writes, lists, generation and 5-year progress
  ≤ 150 MB.

    python bench/bench_load.py                 # the whole table (≈ 3 minutes)
    python bench/bench_load.py --seconds 5     # shorter trials
"""

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlalchemy import func, select
from sqlmodel import Session

from app.auth.service import create_account
from app.cli import migrate_to_head
from app.db import make_engine
from app.workouts.models import Workout
from bench.loadgen import Result, hammer, http_request
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


def workout_body(n: int, exercises: int, sets: int, base: datetime) -> dict[str, Any]:
    return {
        "performed_at": (base - timedelta(minutes=n)).isoformat(),
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


@dataclass
class Row:
    name: str
    result: Result
    ratio: float | None = None
    aim: str = ""
    rss_mb: float | None = None

    @property
    def met(self) -> str:
        return (self.aim and ("yes" if self.ok else "NO")) or ""

    ok: bool = True


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def new_token(url: str) -> str:
    engine = make_engine(url)
    with Session(engine) as session:
        _, token = create_account(session, "Load bench")
        session.commit()
    engine.dispose()
    return token


def count_workouts(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = int(session.scalar(select(func.count()).select_from(Workout)) or 0)
    engine.dispose()
    return count


@contextmanager
def legwork(url: str, log_dir: Path, workers: int, name: str) -> Iterator[Server]:
    env = {"LEGWORK_LOG_LEVEL": "warning"}
    with Server(url, log_dir, workers=workers, env=env, name=name) as server:
        yield server


def writes(server: Server, token: str, exercises: int, sets: int, seconds: float) -> Result:
    athlete = httpx.post(
        f"{server.url}/v1/athletes",
        json={"name": "Load", "timezone": "Europe/Paris", "level": "advanced"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()["id"]
    host = f"{HOST}:{server.port}"
    auth = {"Authorization": f"Bearer {token}"}
    base = datetime.now(UTC) - timedelta(hours=1)
    path = f"/v1/athletes/{athlete}/workouts"

    def make(n: int) -> bytes:
        body = json.dumps(workout_body(n, exercises, sets, base)).encode()
        return http_request("POST", path, host, body, auth)

    return hammer(HOST, server.port, make, connections=CONNECTIONS, seconds=seconds)


def minimal_inserts(url: str, log_dir: Path, seconds: float, workers: int) -> Result:
    env = {"MINIMAL_DATABASE_URL": url}
    with Server(
        url, log_dir, workers=workers, env=env, name="minimal", app="bench.minimal_app:app"
    ) as server:
        host = f"{HOST}:{server.port}"

        def make(n: int) -> bytes:
            return http_request(
                "POST", "/items", host, json.dumps({"name": f"item {n}", "quantity": n}).encode()
            )

        return hammer(HOST, server.port, make, connections=CONNECTIONS, seconds=seconds)


def fixed(
    server: Server, path: str, headers: dict[str, str] | None = None
) -> Callable[[int], bytes]:
    request = http_request("GET", path, f"{HOST}:{server.port}", headers=headers)
    return lambda _: request


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each trial")
    parser.add_argument("--pg-url", default=os.environ.get("LEGWORK_TEST_POSTGRES_URL", PG_URL))
    parser.add_argument("--only", default="", help="comma-separated: writes,pg,list,loop,memory")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if not only or "writes" in only:
            rows += sqlite_writes(tmp_path, args.seconds)
        print_table(rows)


def sqlite_writes(tmp: Path, seconds: float) -> list[Row]:
    minimal_db = TemporaryDatabase("sqlite", tmp, None, prefix="minimal")
    minimal = minimal_inserts(minimal_db.url, tmp / "logs", seconds, workers=1)
    db = TemporaryDatabase("sqlite", tmp, None, prefix="legwork")
    migrate_to_head(db.url)
    token = new_token(db.url)
    rows = [Row("minimal insert, SQLite", minimal)]
    with legwork(db.url, tmp / "logs", 1, "legwork-sqlite") as server:
        one = writes(server, token, 1, 1, seconds)
        eighteen = writes(server, token, 6, 3, seconds)
        rss = rss_mb(server.worker_pids()[0])
    stored = count_workouts(db.url)
    acknowledged = one.statuses[201] + eighteen.statuses[201]
    rows.append(
        Row(
            "1-set workout, SQLite",
            one,
            one.rate / minimal.rate,
            "≥ 0.5×",
            ok=one.rate >= 0.5 * minimal.rate and one.errors == 0,
        )
    )
    rows.append(
        Row(
            "18-set workout, SQLite",
            eighteen,
            eighteen.rate / minimal.rate,
            "≥ 0.3×",
            rss_mb=rss,
            ok=eighteen.rate >= 0.3 * minimal.rate and eighteen.errors == 0,
        )
    )
    print(
        f"SQLite: {acknowledged} workouts acknowledged, {stored} stored; statuses "
        f"{dict(one.statuses)} {dict(eighteen.statuses)} failures {dict(one.failures)} {dict(eighteen.failures)}"
    )
    return rows


def print_table(rows: list[Row]) -> None:
    print(f"{'trial':<34}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}  aim")
    for row in rows:
        r = row.result
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        print(
            f"{row.name:<34}{r.rate:>8.1f}{r.percentile(0.5):>9.1f}{r.percentile(0.99):>9.1f}{r.errors:>8}{ratio:>8}  {row.aim} {row.met}"
        )


if __name__ == "__main__":
    main()
