"""Prometheus metrics of this process, served at GET /metrics (text format)."""

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, generate_latest

DATABASE_BUSY = Counter(
    "legwork_database_busy",
    "Requests answered 503 because the database could not take their writes in time.",
)

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    name="metrics",
    response_class=Response,
    responses={200: {"description": "Prometheus text format.", "content": {"text/plain": {}}}},
)
def metrics() -> Response:
    """Counters of this server process, for Prometheus to scrape."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
