"""Liveness and readiness probes."""

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.db import SessionDep
from app.errors import ProblemError, problem_responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = Field(
        description="Always `ok`: a failing check answers 503 with a problem instead.",
        examples=["ok"],
    )


class DatabaseUnavailable(ProblemError):
    status, slug, title = 503, "database-unavailable", "The database cannot be reached"


@router.get("/healthz", name="live")
def healthz() -> Health:
    """The process is up (does not touch the database)."""
    return Health(status="ok")


@router.get("/readyz", name="ready", responses=problem_responses(503))
def readyz(session: SessionDep) -> Health:
    """The database answers."""
    try:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(type(exc).__name__) from None
    return Health(status="ok")
