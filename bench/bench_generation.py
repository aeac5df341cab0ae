"""Benchmark: HTTP round trip of routine and plan generation vs a trivial endpoint, in one run.

The app runs as a real server process (`python -m uvicorn app.main:app`, tests/servers.py) on
127.0.0.1, and this process times requests over one keep-alive connection with the load
generator of bench/loadgen.py (prepared request bytes; an answer is read to its last byte),
as a client in another process sees them. (The server used to run in a thread of this
process, where the client's reading of a 500 KB plan took the GIL from the server.) The server
has an empty temporary SQLite file (no route timed here reads it), no embedded webhook worker
(LEGWORK_WORKERS_EMBEDDED=false), no access log, and makes plans in its usual worker process
(LEGWORK_PLAN_PROCESSES, default 1). Then, in this process, the plan's two steps alone:
`generate_plan` and its JSON (the router's encoder).

Not a test: it prints a table and the figures the issue aims at (a routine ≤ 1.5× the trivial
round trip, a 24-week 3-session plan ≤ 5 ms at the median). The machine may be shared: compare
runs made back to back.

    .venv/bin/python -m bench.bench_generation [--seconds 3] [--iterations 300]
                                              [--plan-processes N]
"""

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.catalog.service import get_catalog
from app.planning.encode import plan_json
from app.planning.generator import generate_plan
from app.planning.schemas import GenerationRequest
from bench.loadgen import RequestMaker, hammer, http_request
from tests.servers import HOST, Server

PLAN_BODY = {
    "event": "10k",
    "start_date": "2027-01-04",
    "weeks": 24,
    "level": "intermediate",
    "setting": "gym",
    "sessions_per_week": 3,
    "session_minutes": 60,
    "long_run_day": "sunday",
    "hard_run_days": ["tuesday", "thursday"],
    "seed": 1,
}
ROUTINE = {"event": "half_marathon", "level": "beginner", "setting": "home"}


def timings(call: Callable[[], object], iterations: int) -> list[float]:
    """Milliseconds of each of `iterations` calls, after a warm-up."""
    for _ in range(max(10, iterations // 10)):
        call()
    samples: list[float] = []
    for _ in range(iterations):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def over_http(port: int, seconds: float) -> dict[str, list[float]]:
    """Latencies of each request kind on one keep-alive connection, `seconds` each after a
    warm-up of a fifth of that."""

    def post(path: str, body: Mapping[str, object]) -> bytes:
        return http_request("POST", path, HOST, json.dumps(body).encode())

    kinds: dict[str, RequestMaker] = {
        "trivial GET /healthz": lambda n: http_request("GET", "/healthz", HOST),
        "routine POST /v1/routines/generate": lambda n: post("/v1/routines/generate", ROUTINE),
        "24-week 3-session plan POST /v1/plans/generate": lambda n: post(
            "/v1/plans/generate", PLAN_BODY
        ),
        # A new seed each call: no context (exercise pools, templates, words) to reuse.
        "  the same, a new seed each call (nothing reused)": lambda n: post(
            "/v1/plans/generate", {**PLAN_BODY, "seed": 1000 + n}
        ),
    }
    rows: dict[str, list[float]] = {}
    for name, make in kinds.items():
        hammer(HOST, port, make, connections=1, seconds=seconds / 5)
        result = hammer(HOST, port, make, connections=1, seconds=seconds)
        if result.errors or not result.requests:
            raise RuntimeError(f"{name}: {result.statuses} {result.failures}")
        rows[name] = result.latencies_ms
    return rows


def in_process(iterations: int) -> dict[str, list[float]]:
    """The plan's steps in this process, without HTTP: generating it, writing its JSON."""
    exercises = get_catalog().exercises
    request = GenerationRequest.model_validate(PLAN_BODY)
    seeds = itertools.count(10**6)
    plan = generate_plan(request, exercises)
    return {
        "in process: generate_plan, the same request": timings(
            lambda: generate_plan(request, exercises), iterations
        ),
        "  a new seed each call": timings(
            lambda: generate_plan(request.model_copy(update={"seed": next(seeds)}), exercises),
            iterations,
        ),
        f"in process: the plan's JSON ({len(plan_json(plan)) // 1000} KB)": timings(
            lambda: plan_json(plan), iterations
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=3.0, help="per request kind, over HTTP")
    parser.add_argument("--iterations", type=int, default=300, help="per row, in process")
    parser.add_argument(
        "--plan-processes", type=int, help="LEGWORK_PLAN_PROCESSES for the server (0: a thread)"
    )
    args = parser.parse_args()
    env = {"LEGWORK_WORKERS_EMBEDDED": "false", "LEGWORK_LOG_LEVEL": "warning"}
    if args.plan_processes is not None:
        env["LEGWORK_PLAN_PROCESSES"] = str(args.plan_processes)
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        database = f"sqlite:///{tmp / 'bench.db'}"  # never read by these routes
        with Server(database, tmp / "logs", env=env, name="bench") as server:
            rows = over_http(server.port, args.seconds)
            errors = server.exceptions()
    rows |= in_process(args.iterations)
    trivial = statistics.median(next(iter(rows.values())))
    heading = "request (HTTP: one keep-alive connection)"
    print(f"{heading:52} {'n':>6} {'median ms':>10} {'p95 ms':>8} {'× trivial':>10}")
    for name, samples in rows.items():
        median = statistics.median(samples)
        ratio = median / trivial
        print(f"{name:52} {len(samples):6} {median:10.3f} {p95(samples):8.3f} {ratio:10.2f}")
    routine_ratio = statistics.median(list(rows.values())[1]) / trivial
    plan_median = statistics.median(list(rows.values())[2])
    print(
        f"aim: routine ≤ 1.5× trivial → {routine_ratio:.2f}×; "
        f"24-week plan ≤ 5 ms → {plan_median:.2f} ms"
    )
    if errors:
        print(f"the server logged exceptions: {dict(errors)}")


if __name__ == "__main__":
    main()
