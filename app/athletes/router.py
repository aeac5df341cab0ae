from fastapi import APIRouter, Response, status

from app.athletes import flows, service
from app.athletes.dependencies import AthleteAccess
from app.athletes.models import Athlete
from app.athletes.schemas import AthleteCreate, AthletePublic, AthleteUpdate
from app.auth.dependencies import AUTH_ERRORS, Reader, Writer
from app.db import SessionDep
from app.errors import problem_responses
from app.etags import NOT_MODIFIED, IfMatch, IfNoneMatch, etag_of, not_modified
from app.pagination import Page, PageDep

router = APIRouter(prefix="/v1/athletes", tags=["athletes"])


def _answer(athlete: Athlete, response: Response) -> AthletePublic:
    response.headers["ETag"] = etag_of(athlete.version)
    return AthletePublic.model_validate(athlete)


@router.post(
    "",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTH_ERRORS, 422),
)
def create_athlete(
    body: AthleteCreate, principal: Writer, session: SessionDep, response: Response
) -> AthletePublic:
    """Add an athlete to the account; the answer carries its `ETag` and `Location`."""
    athlete = service.create(session, principal.account_id, body)
    response.headers["Location"] = f"{router.prefix}/{athlete.id}"
    return _answer(athlete, response)


@router.get("", name="list", responses=problem_responses(*AUTH_ERRORS, 422))
def list_athletes(principal: Reader, session: SessionDep, page: PageDep) -> Page[AthletePublic]:
    """The account's athletes, oldest first."""
    athletes, next_cursor = service.list_page(session, principal.account_id, page)
    return Page(items=[AthletePublic.model_validate(a) for a in athletes], next_cursor=next_cursor)


@router.get(
    "/{athlete_id}",
    name="get",
    response_model=AthletePublic,
    responses={**NOT_MODIFIED, **problem_responses(*AUTH_ERRORS, 404, 422)},
)
def get_athlete(
    access: AthleteAccess,
    session: SessionDep,
    response: Response,
    if_none_match: IfNoneMatch = None,
) -> AthletePublic | Response:
    """One athlete; `If-None-Match` with its `ETag` gives a 304 when unchanged."""
    athlete = access.athlete(session)
    return not_modified(if_none_match, athlete.version) or _answer(athlete, response)


@router.patch(
    "/{athlete_id}", name="update", responses=problem_responses(*AUTH_ERRORS, 404, 409, 412, 422)
)
def update_athlete(
    access: AthleteAccess,
    body: AthleteUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> AthletePublic:
    """Change some fields; a new time zone moves logged workouts to their new local dates."""
    athlete = access.athlete(session)
    return _answer(flows.update_athlete(session, athlete, body, if_match), response)


@router.delete(
    "/{athlete_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTH_ERRORS, 404, 409, 412, 422),
)
def delete_athlete(
    access: AthleteAccess, session: SessionDep, if_match: IfMatch = None
) -> Response:
    """Delete the athlete and every log of theirs."""
    athlete = access.athlete(session)
    service.delete(session, athlete, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
