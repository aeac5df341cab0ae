"""GET /v1/changes: what changed in the account's data, for apps that sync."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.auth.dependencies import AUTH_ERRORS, Reader
from app.changes import service
from app.changes.schemas import ChangesPage
from app.db import SessionDep
from app.errors import problem_responses
from app.responses import json_response

router = APIRouter(prefix="/v1/changes", tags=["changes"])


@router.get(
    "",
    name="list",
    response_model=ChangesPage,
    responses=problem_responses(*AUTH_ERRORS, 410, 422),
)
def list_changes(
    principal: Reader,
    session: SessionDep,
    cursor: Annotated[
        str | None,
        Query(
            max_length=512,
            description="`next_cursor` of the previous call; none: from the "
            "oldest change retained.",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Changes per page.")] = 100,
) -> Response:
    """Every change to the account's athletes, workouts, plans, goals and custom exercises,
    oldest first, each once, in the order they were committed. Follow `next_cursor`; an empty
    page means you are up to date (poll again later with the same cursor). Changes are kept
    `LEGWORK_CHANGES_RETENTION_DAYS` (≥ 30); a cursor older than that is 410
    `resync-required`: fetch everything again, then read the feed without a cursor."""
    return json_response(service.page(session, principal.account_id, cursor, limit))
