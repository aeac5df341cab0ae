from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.athletes.dependencies import OwnedAthlete
from app.auth.dependencies import AUTH_ERRORS
from app.db import SessionDep
from app.errors import problem_responses
from app.etags import NOT_MODIFIED, IfMatch, IfNoneMatch, etag_of, not_modified
from app.pagination import Page, PageDep
from app.workouts import service
from app.workouts.dependencies import OwnedWorkout
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
    athlete: OwnedAthlete, body: WorkoutIn, session: SessionDep, response: Response
) -> WorkoutPublic:
    """Log a workout; all of it is stored, or nothing when any part is invalid."""
    workout = service.create(session, athlete, body)
    response.headers["Location"] = f"/v1/athletes/{athlete.id}/workouts/{workout.id}"
    return _answer(session, workout, response)


@router.get("", name="list", responses=ERRORS)
def list_workouts(
    athlete: OwnedAthlete,
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
    workouts, next_cursor = service.list_page(session, athlete, page, date_from, date_to)
    return Page(items=service.assemble(session, workouts), next_cursor=next_cursor)


@router.get(
    "/{workout_id}", name="get", response_model=WorkoutPublic, responses={**NOT_MODIFIED, **ERRORS}
)
def get_workout(
    workout: OwnedWorkout,
    session: SessionDep,
    response: Response,
    if_none_match: IfNoneMatch = None,
) -> WorkoutPublic | Response:
    return not_modified(if_none_match, workout.version) or _answer(session, workout, response)


@router.put("/{workout_id}", name="replace", responses=WRITE_ERRORS)
def replace_workout(
    athlete: OwnedAthlete,
    workout: OwnedWorkout,
    body: WorkoutIn,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> WorkoutPublic:
    """Replace the whole workout."""
    return _answer(session, service.update(session, athlete, workout, body, if_match), response)


@router.patch("/{workout_id}", name="update", responses=WRITE_ERRORS)
def update_workout(
    athlete: OwnedAthlete,
    workout: OwnedWorkout,
    body: WorkoutPatch,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> WorkoutPublic:
    """Change some fields; `exercises`, when given, replaces all of them."""
    return _answer(session, service.update(session, athlete, workout, body, if_match), response)


@router.delete(
    "/{workout_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_ERRORS,
)
def delete_workout(
    workout: OwnedWorkout, session: SessionDep, if_match: IfMatch = None
) -> Response:
    service.delete(session, workout, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
