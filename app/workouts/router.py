from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.athletes.dependencies import AthleteAccess
from app.auth.dependencies import AUTH_ERRORS
from app.db import SessionDep, UnitOfWorkDep
from app.errors import problem_responses
from app.etags import NOT_MODIFIED, IfMatch, IfNoneMatch, etag_of, not_modified
from app.pagination import Page, PageDep
from app.responses import JSON
from app.schemas import IsoDate
from app.workouts import flows, service
from app.workouts.dependencies import WorkoutAccess, WorkoutAccessWorkoutFirst
from app.workouts.models import Workout
from app.workouts.schemas import WorkoutIn, WorkoutPatch, WorkoutPublic

router = APIRouter(prefix="/v1/athletes/{athlete_id}/workouts", tags=["workouts"])

ERRORS = problem_responses(*AUTH_ERRORS, 404, 422)
CREATE_ERRORS = problem_responses(*AUTH_ERRORS, 404, 409, 422)
WRITE_ERRORS = problem_responses(*AUTH_ERRORS, 404, 409, 412, 422)


def _answer(workout: Workout, status_code: int = 200, **headers: str) -> Response:
    return Response(
        service.workout_json(workout),
        status_code,
        headers={"ETag": etag_of(workout.version), **headers},
        media_type=JSON,
    )


@router.post(
    "",
    name="create",
    status_code=status.HTTP_201_CREATED,
    response_model=WorkoutPublic,
    responses=CREATE_ERRORS,
)
def create_workout(access: AthleteAccess, body: WorkoutIn, unit: UnitOfWorkDep) -> Response:
    """Log a workout; all of it is stored, or nothing when any part is invalid."""
    athlete = access.athlete(unit.session)
    workout = flows.log_workout(unit.session, athlete, body)
    location = f"/v1/athletes/{athlete.id}/workouts/{workout.id}"
    return unit.finish_with(_answer(workout, 201, Location=location))


@router.get("", name="list", response_model=Page[WorkoutPublic], responses=ERRORS)
def list_workouts(
    access: AthleteAccess,
    session: SessionDep,
    page: PageDep,
    date_from: Annotated[
        IsoDate | None, Query(alias="from", description="First local date, inclusive.")
    ] = None,
    date_to: Annotated[
        IsoDate | None, Query(alias="to", description="Last local date, inclusive.")
    ] = None,
) -> Response:
    """The athlete's workouts, newest first, with their sets."""
    athlete = access.athlete(session)
    page_json = service.list_page(session, athlete, page, date_from, date_to)
    return Response(page_json, media_type=JSON)


@router.get(
    "/{workout_id}", name="get", response_model=WorkoutPublic, responses={**NOT_MODIFIED, **ERRORS}
)
def get_workout(
    access: WorkoutAccessWorkoutFirst, session: SessionDep, if_none_match: IfNoneMatch = None
) -> Response:
    """One workout with its sets; `If-None-Match` with its `ETag` gives a 304."""
    _, workout = access.athlete_and_workout(session)
    return not_modified(if_none_match, workout.version) or _answer(workout)


@router.put("/{workout_id}", name="replace", response_model=WorkoutPublic, responses=WRITE_ERRORS)
def replace_workout(
    access: WorkoutAccess, body: WorkoutIn, unit: UnitOfWorkDep, if_match: IfMatch = None
) -> Response:
    """Replace the whole workout."""
    athlete, workout = access.athlete_and_workout(unit.session)
    changed = flows.change_workout(unit.session, athlete, workout, body, if_match)
    return unit.finish_with(_answer(changed))


@router.patch("/{workout_id}", name="update", response_model=WorkoutPublic, responses=WRITE_ERRORS)
def update_workout(
    access: WorkoutAccess, body: WorkoutPatch, unit: UnitOfWorkDep, if_match: IfMatch = None
) -> Response:
    """Change some fields; `exercises`, when given, replaces all of them."""
    athlete, workout = access.athlete_and_workout(unit.session)
    changed = flows.change_workout(unit.session, athlete, workout, body, if_match)
    return unit.finish_with(_answer(changed))


@router.delete(
    "/{workout_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_ERRORS,
)
def delete_workout(
    access: WorkoutAccess, unit: UnitOfWorkDep, if_match: IfMatch = None
) -> Response:
    """Delete the workout and its sets (`If-Match` guards against a concurrent change)."""
    athlete, workout = access.athlete_and_workout(unit.session)
    service.delete(unit.session, athlete, workout, if_match)
    return unit.finish_with(Response(status_code=status.HTTP_204_NO_CONTENT))
