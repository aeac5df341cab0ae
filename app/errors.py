"""One exception hierarchy for every layer: each error knows its HTTP status and its RFC 9457
problem. No web framework here, so the pure cores (planning, formulas, catalog) may raise these;
`app.exception_handlers` renders them."""

from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, Field

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

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in worker processes too (app.cpu): pickled as its state, since subclasses'
        # constructors take other arguments than the ones Exception would replay.
        return (_rebuild, (type(self), self.__dict__))

    def to_problem(self) -> Problem:
        return Problem(
            type=PROBLEM_TYPE_BASE + self.slug,
            title=self.title,
            status=self.status,
            detail=self.detail,
            errors=self.errors,
        )


def _rebuild(cls: type[ProblemError], state: dict[str, Any]) -> ProblemError:
    error = cls.__new__(cls)
    Exception.__init__(error, state["detail"])
    error.__dict__.update(state)
    return error


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


class ResyncRequired(ProblemError):
    status, slug, title = 410, "resync-required", "Gone: fetch everything again"


class DatabaseBusyError(ProblemError):
    """The database could not take the request's writes in time; nothing was stored."""

    status, slug, title = 503, "database-busy", "The database is busy"

    def __init__(self) -> None:
        super().__init__(
            "The database was too busy to store this request; nothing was stored. Retry shortly.",
            headers={"Retry-After": "1"},
        )


class PayloadTooLarge(ProblemError):
    status, slug, title = 413, "payload-too-large", "The request body is too large"


class RateLimited(ProblemError):
    status, slug, title = 429, "rate-limited", "Too many requests"


class IdempotencyKeyReused(ProblemError):
    status, slug, title = 422, "idempotency-key-reused", "Idempotency-Key reused"


class IdempotencyKeyInUse(ProblemError):
    status, slug, title = 409, "idempotency-key-in-use", "Idempotency-Key in use"


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


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the listed statuses documented as problem+json."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
