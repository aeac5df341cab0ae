"""Benchmark: HTTP round trip of routine and plan generation vs a trivial endpoint, in one run.

Runs the app under uvicorn on 127.0.0.1 (a free port) in a background thread and times requests
over one keep-alive connection. Not a test: it prints a table and the ratios the issue aims at
(a routine ≤ 1.5× the trivial round trip, a 24-week 3-session plan ≤ 5 ms at the median).

    .venv/bin/python -m bench.bench_generation [--iterations 300]
"""

import argparse
import itertools
import os
import socket
import statistics
import threading
import time
from collections.abc import Callable

import httpx
import uvicorn

# Measure the generator, not the rate limiter: a generous public limit for this process only.
os.environ.setdefault("LEGWORK_RATE_LIMIT_PUBLIC", "1000000/minute")
# No access log either, as uvicorn's is off (bench_load does the same).
os.environ.setdefault("LEGWORK_LOG_LEVEL", "warning")

from app.main import create_app

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
ROUTINE_BODY = {"event": "half_marathon", "level": "beginner", "setting": "home"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(port: int) -> uvicorn.Server:
    config = uvicorn.Config(
        create_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    return server


def timings(call: Callable[[], httpx.Response], iterations: int) -> list[float]:
    for _ in range(max(10, iterations // 10)):  # warm-up
        call().raise_for_status()
    samples: list[float] = []
    for _ in range(iterations):
        start = time.perf_counter()
        response = call()
        samples.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--iterations", type=int, default=300)
    args = parser.parse_args()
    port = free_port()
    server = serve(port)
    seeds = itertools.count(1000)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            trivial_path = "/healthz"
            if client.get(trivial_path).status_code != 200:
                trivial_path = "/v1/exercises/glute-bridge"
            rows = {
                f"trivial GET {trivial_path}": timings(
                    lambda: client.get(trivial_path), args.iterations
                ),
                "routine POST /v1/routines/generate": timings(
                    lambda: client.post("/v1/routines/generate", json=ROUTINE_BODY),
                    args.iterations,
                ),
                "24-week 3-session plan POST /v1/plans/generate": timings(
                    lambda: client.post("/v1/plans/generate", json=PLAN_BODY), args.iterations
                ),
                # A new seed each call: no context (exercise pools, templates, words) to reuse.
                "  the same, a new seed each call (nothing reused)": timings(
                    lambda: client.post(
                        "/v1/plans/generate", json={**PLAN_BODY, "seed": next(seeds)}
                    ),
                    args.iterations,
                ),
            }
    finally:
        server.should_exit = True
    trivial = statistics.median(next(iter(rows.values())))
    print(f"{args.iterations} iterations each, one keep-alive connection, uvicorn on 127.0.0.1")
    print(f"{'request':52} {'median ms':>10} {'p95 ms':>8} {'× trivial':>10}")
    for name, samples in rows.items():
        median = statistics.median(samples)
        print(f"{name:52} {median:10.3f} {p95(samples):8.3f} {median / trivial:10.2f}")
    routine_ratio = statistics.median(list(rows.values())[1]) / trivial
    plan_median = statistics.median(list(rows.values())[2])
    print(
        f"aim: routine ≤ 1.5× trivial → {routine_ratio:.2f}×; "
        f"24-week plan ≤ 5 ms → {plan_median:.2f} ms"
    )


if __name__ == "__main__":
    main()
