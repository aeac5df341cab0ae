"""Every error the app raises, rendered as RFC 9457 problem+json; registered once."""

import logging
import re
import sqlite3
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.auth.dependencies import deferred_check
from app.db import DatabaseBusy, unit_of_work
from app.errors import (
    PROBLEM_JSON,
    PROBLEM_TYPE_BASE,
    Conflict,
    DatabaseBusyError,
    FieldError,
    InvalidInput,
    Problem,
    ProblemError,
    field_path,
)
from app.metrics import DATABASE_BUSY

log = logging.getLogger(__name__)


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _unavailable(exc: Exception) -> bool:
    """Whether a database error says the database can't serve now (locked, busy, unreachable),
    not that a statement is wrong."""
    if isinstance(exc, DatabaseBusy):  # no turn at the write gate in time
        return True
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.OperationalError):
        message = str(orig).lower()
        return "locked" in message or "busy" in message or "unable to open" in message
    return True


def _validation_problem(exc: RequestValidationError) -> Problem:
    errors = [
        FieldError(
            field=field_path(tuple(err.get("loc", ()))),
            message=str(err.get("msg", "invalid")).removeprefix("Value error, "),
        )
        for err in exc.errors()
    ]
    return InvalidInput.of(errors).to_problem()


def _methods_of_path(request: Request) -> list[str]:
    """Every method the OpenAPI document gives the request's path (GET brings HEAD)."""
    paths = request.app.state.__dict__.get("_path_methods")
    if paths is None:
        paths = request.app.state._path_methods = [
            (re.compile(re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path))), operations)
            for path, operations in request.app.openapi()["paths"].items()
        ]
    methods: set[str] = set()
    for pattern, operations in paths:
        if pattern.fullmatch(request.url.path):
            methods.update(method.upper() for method in operations)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def add_exception_handlers(app: FastAPI) -> None:
    """Turn every error the app raises into problem+json."""

    async def on_problem(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(exc.to_problem(), exc.headers)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        check = deferred_check(request)
        if check is not None:  # who calls comes first: 401, 403 or 404 before any 422
            try:
                await run_in_threadpool(check.check, unit_of_work(request.scope).session)
            except ProblemError as refused:
                return problem_response(refused.to_problem(), refused.headers)
        return problem_response(_validation_problem(exc))

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        phrase = HTTPStatus(exc.status_code).phrase
        detail = exc.detail if isinstance(exc.detail, str) else phrase
        problem = Problem(type="about:blank", title=phrase, status=exc.status_code, detail=detail)
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:
            # Starlette names the methods of the one route it matched; a path has a route a
            # method here, so the Allow header lists them all.
            headers["Allow"] = ", ".join(_methods_of_path(request))
        return problem_response(problem, headers or None)

    async def on_busy(request: Request, exc: Exception) -> JSONResponse:
        # A busy SQLite (its write lock not free within the busy timeout) or a lost database;
        # SQLite's driver raises a statement it cannot run as OperationalError too: a 500.
        if not _unavailable(exc):
            return await on_crash(request, exc)
        log.warning("database busy: %s", exc)
        DATABASE_BUSY.inc()
        busy = DatabaseBusyError()
        return problem_response(busy.to_problem(), busy.headers)

    async def on_stale(_: Request, exc: Exception) -> JSONResponse:
        # Another request changed the row between this one's read and its write (versioned
        # UPDATE … WHERE version = matched nothing).
        conflict = Conflict(
            "The resource was changed by another request meanwhile; fetch it again and retry"
        )
        return problem_response(conflict.to_problem())

    async def on_integrity(_: Request, exc: Exception) -> JSONResponse:
        # Checks made before the write lost a race with another request (on SQLite they read
        # before the write lock): the athlete was deleted meanwhile, say. Nothing is stored.
        log.warning("write refused by a constraint: %s", type(exc).__name__)
        conflict = Conflict(
            "The request conflicts with a change another request made at the same time; "
            "fetch the resource again and retry"
        )
        return problem_response(conflict.to_problem())

    async def on_crash(_: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error", exc_info=exc)
        problem = Problem(
            type=PROBLEM_TYPE_BASE + "internal-error",
            title="Internal server error",
            status=500,
            detail="Something went wrong on our side; the request was not completed.",
        )
        return problem_response(problem)

    app.add_exception_handler(Exception, on_crash)
    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(OperationalError, on_busy)
    app.add_exception_handler(StaleDataError, on_stale)
    app.add_exception_handler(IntegrityError, on_integrity)
