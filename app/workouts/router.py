import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.athletes import service as athletes
from app.auth.dependencies import AUTH_ERRORS, Reader, Writer
from app.db import SessionDep
from app.errors import problem_responses
from app.etags import NOT_MODIFIED, IfMatch, IfNoneMatch, etag_of, not_modified
from app.pagination import Page, PageDep
from app.workouts import service
from app.workouts.models import Workout
from app.workouts.schemas import WorkoutIn, WorkoutPatch, WorkoutPublic

router = APIRouter(prefix="/v1/athletes/{athlete_id}/workouts", tags=["workouts"])

ERRORS = problem_responses(*AUTH_ERRORS, 404, 422)
WRITE_ERRORS = problem_responses(*AUTH_ERRORS, 404, 412, 422)


def _answer(session: SessionDep, workout: Workout, response: Response) -> WorkoutPublic:
    response.headers["ETag"] = etag_of(workout.version)
    return service.assemble(session, [workout])[0]


@router.post("", name="create", status_code=status.HTTP_201_CREATED, responses=ERRORS)
def create_workout(
    athlete_id: uuid.UUID,
    body: WorkoutIn,
    principal: Writer,
    session: SessionDep,
    response: Response,
) -> WorkoutPublic:
    """Log a workout; all of it is stored, or nothing when any part is invalid."""
    athlete = athletes.get_owned(session, principal.account, athlete_id)
    workout = service.create(session, athlete, body)
    response.headers["Location"] = f"/v1/athletes/{athlete_id}/workouts/{workout.id}"
    return _answer(session, workout, response)


@router.get("", name="list", responses=ERRORS)
def list_workouts(
    athlete_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    date_from: Annotated[
        date | None, Query(alias="from", description="First local date, inclusive.")
    ] = None,
    date_to: Annotated[
        date | None, Query(alias="to", description="Last local date, inclusive.")
    ] = None,
) -> Page[WorkoutPublic]:
    """The athlete's workouts, newest first, with their sets."""
    athlete = athletes.get_owned(session, principal.account, athlete_id)
    workouts, next_cursor = service.list_page(session, athlete, page, date_from, date_to)
    return Page(items=service.assemble(session, workouts), next_cursor=next_cursor)


@router.get(
    "/{workout_id}", name="get", response_model=WorkoutPublic, responses={**NOT_MODIFIED, **ERRORS}
)
def get_workout(
    athlete_id: uuid.UUID,
    workout_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
    response: Response,
    if_none_match: IfNoneMatch = None,
) -> WorkoutPublic | Response:
    athlete = athletes.get_owned(session, principal.account, athlete_id)
    workout = service.get_owned(session, athlete, workout_id)
    return not_modified(if_none_match, workout.version) or _answer(session, workout, response)


@router.put("/{workout_id}", name="replace", responses=WRITE_ERRORS)
def replace_workout(
    athlete_id: uuid.UUID,
    workout_id: uuid.UUID,
    body: WorkoutIn,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> WorkoutPublic:
    """Replace the whole workout."""
    athlete = athletes.get_owned(session, principal.account, athlete_id)
    workout = service.get_owned(session, athlete, workout_id)
    return _answer(session, service.update(session, athlete, workout, body, if_match), response)


@router.patch("/{workout_id}", name="update", responses=WRITE_ERRORS)
def update_workout(
    athlete_id: uuid.UUID,
    workout_id: uuid.UUID,
    body: WorkoutPatch,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> WorkoutPublic:
    """Change some fields; `exercises`, when given, replaces all of them."""
    athlete = athletes.get_owned(session, principal.account, athlete_id)
    workout = service.get_owned(session, athlete, workout_id)
    return _answer(session, service.update(session, athlete, workout, body, if_match), response)


@router.delete(
    "/{workout_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_ERRORS,
)
def delete_workout(
    athlete_id: uuid.UUID,
    workout_id: uuid.UUID,
    principal: Writer,
    session: SessionDep,
    if_match: IfMatch = None,
) -> Response:
    athlete = athletes.get_owned(session, principal.account, athlete_id)
    service.delete(session, service.get_owned(session, athlete, workout_id), if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
