"""Benchmark GET /v1/athletes/{id}/progress on SQLite and PostgreSQL.

One athlete with five years of logs (≈ 750 workouts, 40,000 sets) among 1,000 athletes, in a
database migrated by alembic; p50/p99 of the progress calls and their ratio to /healthz, both
from a real server process (`uvicorn app.main:app`, tests/servers.py) over one keep-alive
connection; then 10× more data of other athletes is added and everything is measured again.
Aim: p50 ≤ 25 ms and ≤ 30× /healthz, ≤ 1.2× slower after. The write cost of keeping the rollups
(a workout posted with and without the rollup refresh, call for call) is measured in process,
where the refresh can be switched off.

    python bench/bench_progress.py            # both backends, full size (a few minutes)
    python bench/bench_progress.py --quick    # a tenth of the other athletes, fewer calls
    python bench/bench_progress.py --backends sqlite
"""

import argparse
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The benchmark calls far faster than any client may: lift the per-token limit.
os.environ.setdefault("LEGWORK_RATE_LIMIT_TOKEN", "1000000/minute")
os.environ.setdefault("LEGWORK_RATE_LIMIT_PUBLIC", "1000000/minute")
os.environ.setdefault("LEGWORK_LOG_LEVEL", "warning")  # no access log line per timed write
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

import httpx  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Engine, insert, not_, select, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.athletes.models import Athlete  # noqa: E402
from app.auth.models import Account  # noqa: E402
from app.auth.service import create_account  # noqa: E402
from app.cli import migrate_to_head  # noqa: E402
from app.db import database_sessions, make_engine  # noqa: E402
from app.main import create_app  # noqa: E402
from app.workouts import rollups  # noqa: E402
from app.workouts.models import (  # noqa: E402
    ROLLUPS,
    SETS,
    Workout,
    WorkoutExercise,
    WorkoutSet,
)
from app.workouts.service import SET_FIELDS  # noqa: E402
from tests.databases import TemporaryDatabase  # noqa: E402
from tests.servers import Server  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
EXERCISES = [
    "hip-thrust",
    "romanian-deadlift",
    "bulgarian-split-squat",
    "squat",
    "calf-raise",
    "nordic-curl",
    "lateral-band-walk",
    "single-leg-deadlift",
    "goblet-squat",
    "glute-bridge",
]
SIDES = ["left", "right"]
UNILATERAL = {"bulgarian-split-squat", "single-leg-deadlift"}
BATCH = 20_000
AUTH_BASELINE = "athlete GET (auth baseline)"


@dataclass
class Sizes:
    others: int  # other athletes in the base data
    other_workouts: int  # workouts of each of them
    other_sets: int  # sets of each of their workouts
    extra_factor: int  # then this many times their data again, as new athletes
    calls: int


FULL = Sizes(others=999, other_workouts=20, other_sets=15, extra_factor=10, calls=200)
QUICK = Sizes(others=99, other_workouts=20, other_sets=15, extra_factor=10, calls=100)


# --- databases -------------------------------------------------------------------------------


# --- data ------------------------------------------------------------------------------------


@dataclass
class Rows:
    workouts: list[dict[str, Any]]
    exercises: list[dict[str, Any]]
    sets: list[dict[str, Any]]


def _log(
    rows: Rows,
    rng: random.Random,
    athlete_id: uuid.UUID,
    day: date,
    exercises: list[str],
    sets_each: int,
    level: float,
) -> None:
    """One workout on `day`: `sets_each` sets of each exercise, one warm-up set first."""
    workout_id = uuid.uuid4()
    performed = datetime(day.year, day.month, day.day, 17, 30, tzinfo=UTC)
    first_set = len(rows.sets)
    workout: dict[str, Any] = {
        "id": workout_id,
        "athlete_id": athlete_id,
        "performed_at": performed,
        "local_date": day,
        "duration_min": rng.choice([30, 40, 45, 50, 60]),
        "session_rpe": rng.choice([5.0, 6.0, 6.5, 7.0, 7.5, 8.0, None]),
        "notes": None,
        "planned_session": None,
        "version": 1,
        "created_at": performed,
        "updated_at": performed,
    }
    for position, slug in enumerate(exercises):
        rows.exercises.append(
            {"workout_id": workout_id, "position": position, "exercise": slug, "notes": None}
        )
        bodyweight = slug in ("calf-raise", "nordic-curl", "lateral-band-walk", "glute-bridge")
        load = 0.0 if bodyweight else round(level * rng.uniform(0.8, 1.2) / 2.5) * 2.5
        for j in range(sets_each):
            rows.sets.append(
                {
                    "workout_id": workout_id,
                    "exercise_position": position,
                    "athlete_id": athlete_id,
                    "local_date": day,
                    "exercise": slug,
                    "position": j,
                    "reps": rng.randint(5, 15),
                    "load_kg": load * (0.5 if j == 0 else 1.0),
                    "rpe": rng.choice([6.5, 7.0, 7.5, 8.0, 8.5, None]),
                    "rir": rng.choice([1, 2, 3, None]),
                    "duration_s": None,
                    "side": SIDES[j % 2] if slug in UNILATERAL else "both",
                    "warmup": j == 0,
                }
            )
    # The answer's exercises, as the API stores them with the workout.
    workout["exercises_json"] = json.dumps(
        [
            {
                "exercise": slug,
                "notes": None,
                "sets": [
                    {k: s[k] for k in SET_FIELDS}
                    for s in rows.sets[first_set:]
                    if s["exercise_position"] == position
                ],
            }
            for position, slug in enumerate(exercises)
        ]
    )
    rows.workouts.append(workout)


def _accounts_and_athletes(
    count: int, per_account: int = 10
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    now = datetime.now(UTC)
    accounts, athletes = [], []
    for i in range(count):
        if i % per_account == 0:
            accounts.append({"id": uuid.uuid4(), "name": f"bench {i}", "created_at": now})
        athletes.append(
            {
                "id": uuid.uuid4(),
                "account_id": accounts[-1]["id"],
                "name": f"runner {i}",
                "timezone": "Europe/Paris",
                "level": "intermediate",
                "event": None,
                "race_date": None,
                "equipment": [],
                "body_mass_kg": None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    return accounts, athletes


def main_athlete_rows(rng: random.Random, athlete_id: uuid.UUID, today: date) -> Rows:
    """Five years to today, three workouts a week (Mon, Wed, Sat) but for one week in 25:
    ≈ 750 workouts of 7 exercises × 7–8 sets (one warm-up each) ≈ 40,000 sets."""
    rows = Rows([], [], [])
    day = today - timedelta(days=5 * 365)
    day -= timedelta(days=day.weekday())
    week = 0
    while day <= today:
        if week % 25 != 24:
            for offset in (0, 2, 5):
                when = day + timedelta(days=offset)
                if when <= today:
                    exercises = rng.sample(EXERCISES, 7)
                    _log(rows, rng, athlete_id, when, exercises, rng.choice([7, 8]), 40 + week / 5)
        day += timedelta(days=7)
        week += 1
    return rows


def other_rows(rng: random.Random, athlete_ids: list[uuid.UUID], sizes: Sizes, today: date) -> Rows:
    rows = Rows([], [], [])
    for athlete_id in athlete_ids:
        for _ in range(sizes.other_workouts):
            day = today - timedelta(days=rng.randrange(5 * 365))
            exercises = rng.sample(EXERCISES, 3)
            _log(rows, rng, athlete_id, day, exercises, sizes.other_sets // 3, 30)
    return rows


def insert_rows(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for i in range(0, len(rows), BATCH):
            conn.execute(insert(table), rows[i : i + BATCH])


def store(
    engine: Engine, accounts: list[dict[str, Any]], athletes: list[dict[str, Any]], rows: Rows
) -> None:
    """Workouts in date order, as they would arrive, so every athlete's rows interleave."""
    order = sorted(range(len(rows.workouts)), key=lambda i: rows.workouts[i]["local_date"])
    by_workout: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for s in rows.sets:
        by_workout.setdefault(s["workout_id"], []).append(s)
    workouts = [rows.workouts[i] for i in order]
    sets = [s for w in workouts for s in by_workout[w["id"]]]
    insert_rows(engine, Account.__table__, accounts)  # type: ignore[attr-defined]
    insert_rows(engine, Athlete.__table__, athletes)  # type: ignore[attr-defined]
    insert_rows(engine, Workout.__table__, workouts)  # type: ignore[attr-defined]
    insert_rows(engine, WorkoutExercise.__table__, rows.exercises)  # type: ignore[attr-defined]
    insert_rows(engine, WorkoutSet.__table__, sets)  # type: ignore[attr-defined]
    # The rollups each write keeps, summed for these athletes in one statement, in date
    # order so that (on PostgreSQL's heap) athletes' rows interleave as they would.
    athlete_ids = list({w["athlete_id"] for w in workouts})
    summed = (
        select(*rollups.SUMMED)
        .where(SETS.c.athlete_id.in_(athlete_ids), not_(SETS.c.warmup))
        .group_by(SETS.c.athlete_id, SETS.c.local_date, SETS.c.exercise, SETS.c.load_kg)
        .order_by(SETS.c.local_date)
    )
    with engine.begin() as conn:
        conn.execute(insert(ROLLUPS).from_select([c.name for c in ROLLUPS.columns], summed))
        for _, summed_from_rollups in (rollups.ALL_PERIODS, rollups.ATHLETE_RECORDS):
            # then their weeks and months, and their load records
            conn.execute(summed_from_rollups, [{"athlete_id": a} for a in athlete_ids])
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def count_sets(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM workout_sets")).scalar_one())


# --- measuring -------------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(call: Callable[[], Any], n: int) -> list[float]:
    for _ in range(min(20, n)):  # warm-up: caches, pool, plans
        call()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


@dataclass
class Figures:
    label: str
    p50: float
    p99: float
    health_p50: float

    @property
    def ratio(self) -> float:
        return self.p50 / self.health_p50


def post_workout(
    client: TestClient, headers: dict[str, str], athlete_id: uuid.UUID
) -> Callable[[], None]:
    """A call that logs a workout of 6 exercises × 3 sets, each a day before the last (an
    athlete logs a workout or two a day, not hundreds)."""
    days = itertools.count(1)
    exercises = [
        {"exercise": slug, "sets": [{"reps": 8, "load_kg": 60, "rir": 2} for _ in range(3)]}
        for slug in EXERCISES[:6]
    ]

    def call() -> None:
        performed = datetime.now(UTC) - timedelta(days=next(days))
        body = {
            "performed_at": performed.isoformat(),
            "duration_min": 45,
            "session_rpe": 7,
            "exercises": exercises,
        }
        r = client.post(f"/v1/athletes/{athlete_id}/workouts", json=body, headers=headers)
        assert r.status_code == 201, r.text

    return call


def measure(
    engine: Engine,
    token: str,
    athlete_id: uuid.UUID,
    writer_id: uuid.UUID,
    label: str,
    calls: int,
    log_dir: Path,
) -> list[Figures]:
    """The calls on `athlete_id`'s history, from a real server; workouts are posted for
    `writer_id` (another athlete of the account) so the measured history stays the same."""
    url = engine.url.render_as_string(hide_password=False)
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/v1/athletes/{athlete_id}/progress"
    samples: dict[str, list[float]] = {}
    env = {"LEGWORK_LOG_LEVEL": "warning"}
    server = Server(url, log_dir, env=env, name=label.replace(" ", "-"))
    with server, httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:

        def get(path: str, params: dict[str, str] | None = None) -> Callable[[], None]:
            def call() -> None:
                r = client.get(path, params=params)
                assert r.status_code == 200, r.text

            return call

        health = timed(get("/healthz"), calls)
        health_p50 = statistics.median(health)
        today = date.today()
        one_year = {"from": (today - timedelta(days=364)).isoformat(), "period": "month"}
        five_years = {
            "from": (today - timedelta(days=5 * 365 + 7)).isoformat(),
            "period": "week",
        }
        for name, call in (
            (AUTH_BASELINE, get(f"/v1/athletes/{athlete_id}")),
            ("progress (12 weeks)", get(base)),
            ("progress (1 year, months)", get(base, one_year)),
            ("progress (5 years, weeks)", get(base, five_years)),
            ("progress CSV (5 years, weeks)", get(base, {**five_years, "format": "csv"})),
            ("chart volume (5 years, weeks)", get(base + "/chart.svg", five_years)),
            ("exercise history (5 years)", get(base + "/exercises/hip-thrust")),
        ):
            samples[name] = timed(call, calls)
    app = create_app()
    app.state.sessions = database_sessions(url)
    with TestClient(app) as test_client:
        post = post_workout(test_client, headers, writer_id)
        with_rollups, without = write_cost(post, calls)
    samples["POST workout 6×3"] = with_rollups
    samples["POST workout 6×3, rollups off (before)"] = without
    return [
        Figures(f"{label}: {name}", statistics.median(s), percentile(s, 0.99), health_p50)
        for name, s in samples.items()
    ]


def write_cost(post: Callable[[], None], n: int) -> tuple[list[float], list[float]]:
    """A write's time with its set-rollup refresh and without it (the write as it was before
    set rollups), call for call in alternation so that the machine's drift falls on both."""

    def no_refresh(*_: Any, **__: Any) -> None:
        return None

    refresh = rollups.refresh
    with_rollups: list[float] = []
    without: list[float] = []
    try:
        for i in range(n + 20):
            for samples, replacement in ((with_rollups, refresh), (without, no_refresh)):
                rollups.refresh = replacement
                start = time.perf_counter()
                post()
                if i >= 20:  # the first calls warm up
                    samples.append((time.perf_counter() - start) * 1000)
    finally:
        rollups.refresh = refresh
    return with_rollups, without


def run_backend(backend: str, sizes: Sizes, pg_url: str) -> list[Figures]:
    rng = random.Random(42)
    today = date.today()
    with tempfile.TemporaryDirectory() as directory:
        database = TemporaryDatabase(backend, Path(directory), pg_url, prefix="legwork_bench")
        try:
            started = time.perf_counter()
            migrate_to_head(database.url)
            engine = make_engine(database.url)
            with Session(engine) as s:
                account, token = create_account(s, "bench coach")
                main = Athlete(
                    account_id=account.id,
                    name="Five Years",
                    timezone="Europe/Paris",
                    level="advanced",
                )
                writer = Athlete(
                    account_id=account.id, name="Writer", timezone="Europe/Paris", level="advanced"
                )
                s.add_all([main, writer])
                s.commit()
                main_id, writer_id = main.id, writer.id
            accounts, athletes = _accounts_and_athletes(sizes.others)
            rows = main_athlete_rows(rng, main_id, today)
            main_workouts, main_sets = len(rows.workouts), len(rows.sets)
            others = other_rows(rng, [a["id"] for a in athletes], sizes, today)
            rows = Rows(
                rows.workouts + others.workouts,
                rows.exercises + others.exercises,
                rows.sets + others.sets,
            )
            store(engine, accounts, athletes, rows)
            total = count_sets(engine)
            print(
                f"[{backend}] main athlete {main_workouts} workouts / {main_sets} sets; "
                f"{sizes.others + 1} athletes, {total} sets in all "
                f"(built in {time.perf_counter() - started:.0f} s)",
                flush=True,
            )
            figures = measure(
                engine, token, main_id, writer_id, f"{backend} base", sizes.calls, Path(directory)
            )

            started = time.perf_counter()
            for _ in range(sizes.extra_factor):
                accounts, athletes = _accounts_and_athletes(sizes.others)
                store(
                    engine,
                    accounts,
                    athletes,
                    other_rows(rng, [a["id"] for a in athletes], sizes, today),
                )
            total_after = count_sets(engine)
            print(
                f"[{backend}] + {sizes.extra_factor}× other athletes' data: "
                f"{sizes.others * (sizes.extra_factor + 1) + 1} athletes, {total_after} sets "
                f"(added in {time.perf_counter() - started:.0f} s)",
                flush=True,
            )
            figures += measure(
                engine, token, main_id, writer_id, f"{backend} 10×", sizes.calls, Path(directory)
            )
            engine.dispose()
            return figures
        finally:
            database.drop()


def report(figures: list[Figures]) -> None:
    print()
    print(f"{'call':<60} {'p50 ms':>8} {'p99 ms':>8} {'/healthz p50':>13} {'× healthz':>10}")
    for f in figures:
        print(f"{f.label:<60} {f.p50:>8.2f} {f.p99:>8.2f} {f.health_p50:>13.2f} {f.ratio:>10.1f}")
    print()
    by_label = {f.label: f for f in figures}
    for f in figures:
        if " base: " not in f.label or "rollups off" in f.label:
            continue
        after = by_label.get(f.label.replace(" base: ", " 10×: "))
        if after is None:
            continue
        # The two parts run minutes apart, and this VM changes speed: each call's growth is
        # also taken against its own part's athlete GET (one indexed read, the auth path).
        backend = f.label.split(" ")[0]
        auth_before = by_label[f"{backend} base: {AUTH_BASELINE}"].p50
        auth_after = by_label[f"{backend} 10×: {AUTH_BASELINE}"].p50
        growth = after.p50 / f.p50
        steady = growth / (auth_after / auth_before)
        verdict = "ok" if growth <= 1.2 else "over 1.2×"  # the second figure only informs
        aim = "ok" if max(f.p50, after.p50) <= 25 else "over"
        ratio = "ok" if max(f.ratio, after.ratio) <= 30 else "over"
        print(
            f"{f.label.replace(' base: ', ': '):<46} p50 {f.p50:6.2f} → {after.p50:6.2f} ms "
            f"(10× data: {growth:4.2f}×, {steady:4.2f}× against the athlete GET, {verdict}; "
            f"≤ 25 ms {aim}; ≤ 30× healthz {ratio})"
        )
    print()
    for f in figures:
        if not f.label.endswith("POST workout 6×3"):
            continue
        before = by_label[f.label + ", rollups off (before)"]
        verdict = "ok" if f.p50 <= 1.3 * before.p50 else "over 1.3×"
        print(
            f"{f.label:<46} p50 {f.p50:6.2f} ms, {before.p50:6.2f} ms without the rollup "
            f"refresh: {f.p50 / before.p50:4.2f}× ({verdict})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a tenth of the other athletes")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("LEGWORK_TEST_POSTGRES_URL", PG_URL))
    parser.add_argument("--calls", type=int, default=None, help="timed calls per measurement")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    if args.calls:
        sizes.calls = args.calls
    figures: list[Figures] = []
    for backend in args.backends.split(","):
        figures += run_backend(backend.strip(), sizes, args.pg_url)
    report(figures)


if __name__ == "__main__":
    main()
