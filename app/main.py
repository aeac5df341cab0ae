"""create_app(): routers, exception handlers, middleware — nothing else."""

import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute

from app import health, malloc
from app.athletes.router import router as athletes_router
from app.auth.router import router as tokens_router
from app.catalog.router import router as catalog_router
from app.catalog.service import get_catalog
from app.changes.router import router as changes_router
from app.config import Settings, get_settings
from app.cpu import PLANS
from app.custom_exercises.router import router as custom_exercises_router
from app.db import TransactionMiddleware, database_sessions
from app.docs_pages import add_docs_pages
from app.exception_handlers import add_exception_handlers
from app.goals.router import router as goals_router
from app.idempotency.middleware import Idempotency
from app.imports.router import IMPORTS_PATH
from app.imports.router import router as imports_router
from app.limits import BodySizeLimit, RateLimit
from app.links.router import router as links_router
from app.logs import configure_logging
from app.metrics import router as metrics_router
from app.observability import add_request_telemetry
from app.openapi import customise_openapi
from app.openapi import router as docs_router
from app.planning.router import router as planning_router
from app.planning.router import warm_up
from app.plans.router import router as plans_router
from app.progress.router import router as progress_router
from app.progress.router import series_router
from app.query import reject_unknown_query
from app.security import add_security
from app.webhooks.delivery import Worker
from app.webhooks.router import router as webhooks_router
from app.workouts.router import router as workouts_router

DESCRIPTION = """\
Legwork coaches runners through their leg-strength work: it **generates** balanced leg
routines and plans to race day, **stores** workout logs, and **measures** progress.

Authenticate with `Authorization: Bearer <token>` (`legwork account create NAME` prints the
first one). Errors are RFC 9457 `application/problem+json`; validation errors list every
field at fault in `errors`.
"""


def operation_id(route: APIRoute) -> str:
    """Stable operation ids for generated SDKs: `<tag>-<route name>`, e.g. `workouts-create`."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    PLANS.start(warm_up)  # the first plan need not wait for its worker process to start
    settings: Settings = app.state.settings
    worker = None
    if settings.workers_embedded:  # webhooks delivered from this process (app.webhooks)
        worker = Worker(
            app.state.sessions,
            allow_private=settings.webhook_allow_private,
            first_backoff_s=settings.webhook_retry_first_s,
        )
        worker.start()
    yield
    if worker is not None:
        worker.stop.set()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format, stream=None)
    get_catalog()  # a broken catalog data file stops the app here, with the reason
    app = FastAPI(
        title="Legwork",
        version="1.0.0",
        summary="Leg-strength coaching for runners: generate, log, measure.",
        description=DESCRIPTION,
        generate_unique_id_function=operation_id,
        dependencies=[Depends(reject_unknown_query)],
        docs_url=None,  # served by add_docs_pages, from the app's own assets
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.sessions = database_sessions(settings.database_url)  # tests may swap it
    add_exception_handlers(app)
    customise_openapi(app)
    app.include_router(docs_router)
    add_docs_pages(app)
    app.include_router(health.router)
    # Generation is the busiest public route: matched before the rest (routes are tried in order).
    app.include_router(planning_router)
    app.include_router(metrics_router)
    app.include_router(tokens_router)
    app.include_router(athletes_router)
    app.include_router(workouts_router)
    app.include_router(plans_router)
    app.include_router(links_router)
    app.include_router(goals_router)
    app.include_router(imports_router)
    app.include_router(progress_router)
    app.include_router(series_router)
    app.include_router(changes_router)
    app.include_router(webhooks_router)
    app.include_router(custom_exercises_router)  # before the catalog's /v1/exercises/{slug}
    app.include_router(catalog_router)

    # Outermost last: headers on every answer, then size, then rate, then the request's one
    # transaction, then idempotency (whose stored answer rides in that transaction).
    app.add_middleware(Idempotency, ttl=timedelta(hours=settings.idempotency_ttl_hours))
    app.add_middleware(TransactionMiddleware)
    app.add_middleware(RateLimit, settings=settings)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        per_path=[(IMPORTS_PATH, settings.import_max_bytes)],
    )
    add_security(app, settings)
    # Around everything, Starlette's error middleware included: X-Request-ID, metrics, access log.
    add_request_telemetry(app)
    return app


# Before any thread of the pool allocates.
malloc.tune()
# The GIL passes between threads every 5 ms by default: a thread generating a plan would hold
# every other request up to 5 ms at each hand-over. 1 ms keeps their latency flat while plans
# are made (bench/bench_load.py, "the event loop"), for a few per cent of the plans' speed.
sys.setswitchinterval(0.001)
app = create_app()
# What exists now (modules, the app, the catalog) lives as long as the process: freeze it out
# of the collector's full passes, so the collections that a long progress call triggers scan
# only what it made. p90 of a 5-year progress call in process: ~110 → ~60 ms.
gc.collect()
gc.freeze()
