"""One exception hierarchy, rendered as RFC 9457 problem+json by handlers registered once."""

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:legwork:problem:"


class FieldError(BaseModel):
    field: str = Field(description="Where the problem is, as a path.", examples=["sets[2].reps"])
    message: str = Field(
        description="What is wrong with it, in words.",
        examples=["Input should be less than or equal to 1000"],
    )


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(
        description="A URI naming the kind of problem: `urn:legwork:problem:<slug>`, or "
        "`about:blank` for a plain HTTP error such as an unknown path. Branch on this.",
        examples=["urn:legwork:problem:validation-error"],
    )
    title: str = Field(
        description="A short summary of the kind of problem, the same every time it occurs.",
        examples=["Request validation failed"],
    )
    status: int = Field(description="The HTTP status code of the response.", examples=[422])
    detail: str = Field(
        description="What went wrong this time, for a developer to read.",
        examples=["exercises[0].sets[2].reps: Input should be ≤ 1000"],
    )
    errors: list[FieldError] | None = Field(
        default=None, description="For validation failures: every field at fault."
    )


class ProblemError(Exception):
    """A domain error that knows its HTTP status and how to describe itself."""

    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers

    def to_problem(self) -> Problem:
        return Problem(
            type=PROBLEM_TYPE_BASE + self.slug,
            title=self.title,
            status=self.status,
            detail=self.detail,
            errors=self.errors,
        )


class Unauthorized(ProblemError):
    status, slug, title = 401, "unauthorized", "Missing or invalid bearer token"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="legwork"'})


class Forbidden(ProblemError):
    status, slug, title = 403, "forbidden", "The token lacks the needed scope"


class NotFound(ProblemError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(ProblemError):
    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(ProblemError):
    status, slug, title = 412, "precondition-failed", "The resource has changed (If-Match)"


class InvalidInput(ProblemError):
    """A 422 naming the field(s) at fault."""

    status, slug, title = 422, "validation-error", "Request validation failed"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", errors=[FieldError(field=field, message=message)])

    @classmethod
    def of(cls, errors: list[FieldError]) -> "InvalidInput":
        """One 422 naming several fields."""
        exc = cls(errors[0].field, errors[0].message)
        exc.errors = errors
        exc.detail = _summary(errors)
        return exc


def _summary(errors: list[FieldError]) -> str:
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
    if len(errors) > 5:
        detail += f"; and {len(errors) - 5} more"
    return detail


def field_path(loc: tuple[int | str, ...]) -> str:
    """`("body", "exercises", 0, "sets", 2, "reps")` → `exercises[0].sets[2].reps`."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or str(loc[0] if loc else "body")


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _validation_problem(exc: RequestValidationError) -> Problem:
    errors = [
        FieldError(
            field=field_path(tuple(err.get("loc", ()))),
            message=str(err.get("msg", "invalid")).removeprefix("Value error, "),
        )
        for err in exc.errors()
    ]
    return InvalidInput.of(errors).to_problem()


def add_exception_handlers(app: FastAPI) -> None:
    """Turn every error the app raises into problem+json."""

    async def on_problem(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(exc.to_problem(), exc.headers)

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(_validation_problem(exc))

    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        phrase = HTTPStatus(exc.status_code).phrase
        detail = exc.detail if isinstance(exc.detail, str) else phrase
        problem = Problem(type="about:blank", title=phrase, status=exc.status_code, detail=detail)
        return problem_response(problem, dict(exc.headers) if exc.headers else None)

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


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the listed statuses documented as problem+json."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
