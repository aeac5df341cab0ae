"""An athlete's goals: create, list, read, change, delete; each answer measured from the logs."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from sqlmodel import Session

from app.athletes.dependencies import AthleteAccess
from app.athletes.models import Athlete
from app.auth.dependencies import AUTH_ERRORS
from app.db import SessionDep
from app.errors import problem_responses
from app.etags import IfMatch, etag_of
from app.goals import service
from app.goals.models import Goal
from app.goals.schemas import GoalIn, GoalPatch, GoalPublic
from app.pagination import Page, PageDep

router = APIRouter(prefix="/v1/athletes/{athlete_id}/goals", tags=["goals"])
GoalId = Annotated[uuid.UUID, Path(description="The goal's id.")]


def _answer(session: Session, athlete: Athlete, goal: Goal, response: Response) -> GoalPublic:
    response.headers["ETag"] = etag_of(goal.version)
    return GoalPublic.model_validate(service.answer(session, athlete, goal))


@router.post(
    "",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTH_ERRORS, 404, 422),
)
def create_goal(
    access: AthleteAccess, body: GoalIn, session: SessionDep, response: Response
) -> GoalPublic:
    """A goal; its baseline is measured from the logs as of today (the athlete's time zone)."""
    athlete = access.athlete(session)
    goal = service.create(session, athlete, body)
    response.headers["Location"] = f"{router.prefix.format(athlete_id=athlete.id)}/{goal.id}"
    return _answer(session, athlete, goal, response)


@router.get("", name="list", responses=problem_responses(*AUTH_ERRORS, 404, 422))
def list_goals(access: AthleteAccess, session: SessionDep, page: PageDep) -> Page[GoalPublic]:
    """The athlete's goals, oldest first, each measured now."""
    athlete = access.athlete(session)
    goals, next_cursor = service.list_page(session, athlete, page)
    return Page(
        items=[GoalPublic.model_validate(service.answer(session, athlete, g)) for g in goals],
        next_cursor=next_cursor,
    )


@router.get("/{goal_id}", name="get", responses=problem_responses(*AUTH_ERRORS, 404, 422))
def get_goal(
    access: AthleteAccess, goal_id: GoalId, session: SessionDep, response: Response
) -> GoalPublic:
    """One goal, measured from the logs now."""
    athlete = access.athlete(session)
    return _answer(session, athlete, service.get_owned(session, athlete, goal_id), response)


@router.patch(
    "/{goal_id}", name="update", responses=problem_responses(*AUTH_ERRORS, 404, 409, 412, 422)
)
def update_goal(
    access: AthleteAccess,
    goal_id: GoalId,
    body: GoalPatch,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> GoalPublic:
    """Change the target, the date or the note; the kind and exercise stay."""
    athlete = access.athlete(session)
    goal = service.update(
        session, athlete, service.get_owned(session, athlete, goal_id), body, if_match
    )
    return _answer(session, athlete, goal, response)


@router.delete(
    "/{goal_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTH_ERRORS, 404, 409, 412, 422),
)
def delete_goal(
    access: AthleteAccess, goal_id: GoalId, session: SessionDep, if_match: IfMatch = None
) -> Response:
    """Delete the goal (`If-Match` guards against a concurrent change)."""
    athlete = access.athlete(session)
    service.delete(session, athlete, service.get_owned(session, athlete, goal_id), if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
