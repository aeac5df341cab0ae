"""Prometheus metrics of this process, served at GET /metrics (text format): requests by route
template, method and status, their latency, the database connection pools, and 503s for a busy
database. Each worker process counts its own (scrape each, or run one worker per container)."""

import weakref
from collections.abc import Iterator

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool

DATABASE_BUSY = Counter(
    "legwork_database_busy",
    "Requests answered 503 because the database could not take their writes in time.",
)
REQUESTS = Counter(
    "legwork_http_requests",
    "HTTP requests answered, by route template (`unmatched` when no route matched), method "
    "and status.",
    ["route", "method", "status"],
)
# Most answers take a few milliseconds; plans and long progress ranges take longer.
LATENCY = Histogram(
    "legwork_http_request_duration_seconds",
    "Time from the request's arrival to the end of its answer, by route template and method.",
    ["route", "method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class PoolCollector(Collector):
    """Connections of each database engine's pool: in use (checked out) and its size, read at
    scrape time."""

    def __init__(self) -> None:
        self._engines: weakref.WeakSet[Engine] = weakref.WeakSet()

    def track(self, engine: Engine) -> None:
        self._engines.add(engine)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        in_use = GaugeMetricFamily(
            "legwork_db_pool_connections_in_use",
            "Database connections checked out of the pool (serving a request) right now.",
            labels=["database"],
        )
        size = GaugeMetricFamily(
            "legwork_db_pool_size",
            "Connections the pool keeps open (more may be opened up to its overflow).",
            labels=["database"],
        )
        totals: dict[str, tuple[int, int]] = {}
        for engine in list(self._engines):
            pool = engine.pool
            if isinstance(pool, QueuePool):
                used, kept = totals.get(engine.url.get_backend_name(), (0, 0))
                totals[engine.url.get_backend_name()] = (
                    used + pool.checkedout(),
                    kept + pool.size(),
                )
        for database, (used, kept) in sorted(totals.items()):
            in_use.add_metric([database], used)
            size.add_metric([database], kept)
        yield in_use
        yield size


POOLS = PoolCollector()
REGISTRY.register(POOLS)

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    name="metrics",
    response_class=Response,
    responses={
        200: {
            "description": "Prometheus text exposition format 0.0.4.",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    },
)
def metrics() -> Response:
    """Counters of this server process, for Prometheus to scrape."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
