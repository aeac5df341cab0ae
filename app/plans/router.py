"""An athlete's stored plan: PUT (generate from the profile and store), GET, DELETE."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.athletes.dependencies import AthleteAccess
from app.auth.dependencies import AUTH_ERRORS
from app.clock import local_today
from app.db import SessionDep
from app.errors import problem_responses
from app.etags import NOT_MODIFIED, IfMatch, IfNoneMatch, etag_of, not_modified
from app.plans import calendar, service
from app.plans.calendar import ICS
from app.plans.schemas import NextSession, PlanRequest, StoredPlanPublic
from app.responses import JSON, json_bytes
from app.schemas import IsoDate

router = APIRouter(prefix="/v1/athletes/{athlete_id}", tags=["plans"])


@router.put(
    "/plan",
    name="put",
    response_model=StoredPlanPublic,
    responses={
        201: {"description": "Created: the athlete had no stored plan.", "model": StoredPlanPublic},
        **problem_responses(*AUTH_ERRORS, 404, 409, 412, 422),
    },
)
def put_plan(
    access: AthleteAccess,
    body: PlanRequest,
    session: SessionDep,
    if_match: IfMatch = None,
) -> Response:
    """Generate the athlete's plan and store it (replacing any before). Fields the profile holds
    may be left out; `start_date` defaults to today in the athlete's time zone. Sessions already
    done (named by a workout) keep their ids when a new plan has a session on the same day."""
    athlete = access.athlete(session)
    stored, created = service.put(session, athlete, body, if_match)
    return Response(
        stored.plan_json,
        status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        media_type=JSON,
        headers={"ETag": etag_of(stored.version)},
    )


@router.get(
    "/plan",
    name="get",
    response_model=StoredPlanPublic,
    responses={**NOT_MODIFIED, **problem_responses(*AUTH_ERRORS, 404, 422)},
)
def get_plan(
    access: AthleteAccess, session: SessionDep, if_none_match: IfNoneMatch = None
) -> Response:
    """The stored plan, each session with its `id`."""
    athlete = access.athlete(session)
    stored = service.get(session, athlete)
    return not_modified(if_none_match, stored.version) or Response(
        stored.plan_json, media_type=JSON, headers={"ETag": etag_of(stored.version)}
    )


@router.get(
    "/plan/next",
    name="next",
    response_model=NextSession,
    responses=problem_responses(*AUTH_ERRORS, 404, 422),
)
def next_planned_session(
    access: AthleteAccess,
    session: SessionDep,
    on: Annotated[
        IsoDate | None,
        Query(
            alias="date",
            description="Look from this day (default: today in the athlete's time zone).",
        ),
    ] = None,
) -> Response:
    """The next planned session on or after `date`, with `load_kg` from the athlete's logged sets
    and a `progression_note` for each prescription; 404 when none is left."""
    athlete = access.athlete(session)
    answer = service.next_session(session, athlete, on or local_today(athlete.timezone))
    return Response(json_bytes(NextSession.model_validate(answer)), media_type=JSON)


@router.get(
    "/plan.ics",
    name="calendar",
    response_class=Response,
    responses={
        200: {
            "description": "The plan as an RFC 5545 calendar: one all-day event a session.",
            "content": {ICS: {"schema": {"type": "string"}}},
        },
        **NOT_MODIFIED,
        **problem_responses(*AUTH_ERRORS, 404, 422),
    },
)
def plan_calendar(
    access: AthleteAccess, session: SessionDep, if_none_match: IfNoneMatch = None
) -> Response:
    """The stored plan for calendar apps: one all-day event a session (stable `UID`), the
    exercises, sets × reps and loads in its description."""
    athlete = access.athlete(session)
    stored = service.get(session, athlete)
    return not_modified(if_none_match, stored.version) or Response(
        calendar.plan_ics(stored, athlete.name),
        media_type=ICS,
        headers={
            "ETag": etag_of(stored.version),
            "Content-Disposition": 'attachment; filename="legwork-plan.ics"',
        },
    )


@router.delete(
    "/plan",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTH_ERRORS, 404, 409, 412, 422),
)
def delete_plan(access: AthleteAccess, session: SessionDep, if_match: IfMatch = None) -> Response:
    """Delete the stored plan; workouts keep their `planned_session` but no longer count."""
    athlete = access.athlete(session)
    service.delete(session, athlete, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
