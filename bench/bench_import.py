"""Benchmark POST /v1/athletes/{id}/imports with a 10-year Strong export.

Generates a Strong comma-layout export of ten years of logs (≈ 60,000 rows, ≈ 8 MB: warm-ups,
failure sets, rest-timer and note rows, upper-body work), then imports it in one request into
an athlete of a migrated SQLite database (or PostgreSQL), through the in-process HTTP transport;
then imports it again (everything skipped). Prints rows/s (by the wall clock, and by the
process's CPU time, which a machine shared with other work disturbs less) and the process's
peak RSS, and as a yardstick measured in the same run, the rows/s of Python's csv.reader alone
over the same file (an import cannot beat it). Aim: ≥ 20,000 rows/s on SQLite.

The server runs without plan worker processes (LEGWORK_PLAN_PROCESSES=0 unless set): the one a
server starts would be importing the app on the other core while the import is timed (5.0 s
by the wall clock instead of 2.2 s on a 2-core machine), which a server running for a while
never does.

    python bench/bench_import.py                 # SQLite
    python bench/bench_import.py --postgres      # PostgreSQL at LEGWORK_TEST_POSTGRES_URL
    python bench/bench_import.py --rows 6000     # a smaller file
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
import warnings
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LEGWORK_RATE_LIMIT_TOKEN", "1000000/minute")
os.environ.setdefault("LEGWORK_PLAN_PROCESSES", "0")
os.environ.setdefault("LEGWORK_LOG_LEVEL", "warning")  # no access log line in the figures
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.auth.service import create_account  # noqa: E402
from app.cli import migrate_to_head  # noqa: E402
from app.db import database_sessions, make_engine  # noqa: E402
from app.imports.export import STRONG_COLUMNS as HEADER  # noqa: E402
from app.main import create_app  # noqa: E402
from tests.databases import TemporaryDatabase  # noqa: E402

DAYS = [
    ("Legs A", ["Squat (Barbell)", "Romanian Deadlift (Barbell)", "Hip Thrust (Barbell)",
                "Standing Calf Raise (Machine)", "Bulgarian Split Squat", "Plank"]),
    ("Legs B", ["Deadlift (Barbell)", "Leg Press", "Lying Leg Curl (Machine)",
                "Walking Lunge (Dumbbell)", "Seated Calf Raise (Machine)", "Copenhagen Plank"]),
    ("Upper", ["Bench Press (Barbell)", "Bent Over Row (Barbell)", "Overhead Press (Barbell)",
               "Pull Up", "Bicep Curl (Dumbbell)", "Triceps Pushdown (Cable)"]),
]  # fmt: skip
NOTES = "Felt solid today, long run yesterday so kept the top sets at RPE 8 and no grinders"


def write_export(path: Path, rows: int, seed: int = 1) -> int:
    """A Strong export of about `rows` rows, three workouts a week from ten years ago."""
    rng = random.Random(seed)
    start = datetime(2016, 1, 4, 18, 0, 0)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        day = 0
        while written < rows:
            when = start + timedelta(days=day * 7 // 3, minutes=rng.randrange(0, 120))
            name, exercises = DAYS[day % 3]
            stamp = when.strftime("%Y-%m-%d %H:%M:%S")
            duration = f"1h {rng.randrange(0, 59)}m"
            for exercise in exercises:
                base = rng.choice([20, 40, 60, 80, 100]) + day // 20
                writer.writerow([stamp, name, duration, exercise, "W", base // 2, 10, 0, 0, "",
                                 NOTES, ""])  # fmt: skip
                for number in range(1, 6):
                    marker = "F" if number == 5 and rng.random() < 0.2 else str(number)
                    rpe = rng.choice(["", "7", "7.5", "8", "8.5", "9"])
                    writer.writerow([stamp, name, duration, exercise, marker,
                                     base + 2.5 * number, rng.randrange(3, 13), 0, 0, "",
                                     NOTES, rpe])  # fmt: skip
                writer.writerow([stamp, name, duration, exercise, "Rest Timer", 0, 0, 0, 120,
                                 "", NOTES, ""])  # fmt: skip
                written += 7
            day += 1
    return written


def csv_reader_rate(path: Path) -> float:
    """Rows per second of csv.reader alone over the file (the best of three)."""
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        with path.open(newline="", encoding="utf-8") as file:
            count = sum(1 for _ in csv.reader(file))
        best = min(best, time.perf_counter() - began)
    return (count - 1) / best


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "strong.csv"
        rows = write_export(export, args.rows)
        size_mb = export.stat().st_size / 2**20
        backend = "postgresql" if args.postgres else "sqlite"
        database = TemporaryDatabase(
            backend, Path(tmp), os.environ.get("LEGWORK_TEST_POSTGRES_URL")
        )
        try:
            migrate_to_head(database.url)
            engine = make_engine(database.url)
            with Session(engine, expire_on_commit=False) as session:
                _, token = create_account(session, "bench")
                session.commit()
            app = create_app()
            app.state.sessions = database_sessions(database.url)
            headers = {"Authorization": f"Bearer {token}"}
            with TestClient(app) as client:
                r = client.post(
                    "/v1/athletes", json={"name": "Ten Years", "timezone": "Europe/Paris"},
                    headers=headers,
                )  # fmt: skip
                athlete = r.json()["id"]
                url = f"/v1/athletes/{athlete}/imports?source=strong"
                body = export.read_bytes()
                rss_before = peak_rss_mb()
                print(f"{backend}: {rows} rows, {size_mb:.1f} MB; peak RSS before: "
                      f"{rss_before:.0f} MB; csv.reader alone: "
                      f"{csv_reader_rate(export):,.0f} rows/s")  # fmt: skip
                for attempt in ("first import", "same file again"):
                    began, cpu = time.perf_counter(), time.process_time()
                    r = client.post(
                        url, content=body, headers={**headers, "Content-Type": "text/csv"}
                    )
                    took, cpu = time.perf_counter() - began, time.process_time() - cpu
                    assert r.status_code == 200, r.text[:500]
                    answer = r.json()
                    print(
                        f"  {attempt}: {took:.2f} s, {rows / took:,.0f} rows/s ({cpu:.2f} s CPU, "
                        f"{rows / cpu:,.0f} rows/CPU-s); created "
                        f"{answer['workouts_created']}, skipped {answer['workouts_skipped']}, "
                        f"sets {answer['sets_created']}; peak RSS {peak_rss_mb():.0f} MB"
                    )
                began = time.perf_counter()
                size = 0
                with client.stream("GET", f"/v1/athletes/{athlete}/export", headers=headers) as e:
                    for chunk in e.iter_bytes():
                        size += len(chunk)
                print(
                    f"  JSON export: {size / 2**20:.1f} MB in {time.perf_counter() - began:.2f} s"
                )
            engine.dispose()
        finally:
            database.drop()


if __name__ == "__main__":
    main()
