"""`/v1/exercises`: the public, read-only exercise catalog."""

from typing import Annotated, TypeAlias

from fastapi import APIRouter, Query, Response

from app.catalog.models import Exercise, Pattern
from app.catalog.service import get_catalog
from app.enums import Equipment, Level, Muscle, Setting
from app.errors import InvalidInput, problem_responses
from app.etags import NOT_MODIFIED, IfNoneMatch, content_etag, etag_matches
from app.pagination import Page, PageDep, decode_cursor, encode_cursor

ExercisePublic: TypeAlias = Exercise

router = APIRouter(prefix="/v1/exercises", tags=["exercises"])

LIST_DESCRIPTION = """\
Catalog exercises matching **every** given filter, in catalog order (grouped by main muscle),
cursor-paginated.

- `muscle`: the exercise works this muscle as a primary or secondary muscle.
- `equipment` (repeatable: `?equipment=band&equipment=dumbbell`): the equipment you have.
  Bodyweight is always assumed available; an exercise matches when **everything** it needs is
  in the list. `?equipment=bodyweight` gives bodyweight-only exercises.
- `setting`: shorthand for an equipment list (`home`: bodyweight, band, step, bench, dumbbell;
  `gym`: everything). With `equipment` too, an exercise must fit both.
- `level`: exercises that suit this level, i.e. whose `level` is this one or lower.
- `pattern`: the movement pattern.
- `q`: case-insensitive text search over slug, name and aliases (names other apps use).
"""


@router.get(
    "",
    name="list",
    summary="List catalog exercises",
    description=LIST_DESCRIPTION,
    response_model=Page[ExercisePublic],
    responses=problem_responses(422),
)
def list_exercises(
    page: PageDep,
    muscle: Annotated[
        Muscle | None, Query(description="A primary or secondary muscle.", examples=["glutes"])
    ] = None,
    equipment: Annotated[
        list[Equipment] | None,
        Query(
            description="Equipment available (repeatable); bodyweight is always assumed.",
            examples=[["band", "dumbbell"]],
        ),
    ] = None,
    setting: Annotated[
        Setting | None, Query(description="Only what this setting's equipment allows.")
    ] = None,
    level: Annotated[
        Level | None, Query(description="Exercises suited to this level or a lower one.")
    ] = None,
    pattern: Annotated[Pattern | None, Query(description="Movement pattern.")] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Case-insensitive text in the slug, name or an alias.",
            examples=["rdl"],
        ),
    ] = None,
) -> Page[ExercisePublic]:
    catalog = get_catalog()
    after: str | None = None
    if page.cursor is not None:
        (after,) = decode_cursor(page.cursor, 1)
        if not isinstance(after, str) or after not in catalog:
            raise InvalidInput("cursor", "Not a cursor this list returned")
    matches = catalog.search(
        muscle=muscle,
        equipment=equipment,
        setting=setting,
        level=level,
        pattern=pattern,
        q=q,
        after=after,
    )
    items = matches[: page.limit]
    has_more = len(matches) > page.limit
    return Page[ExercisePublic](
        items=items, next_cursor=encode_cursor([items[-1].slug]) if has_more else None
    )


@router.get(
    "/{slug}",
    name="get",
    summary="Get one catalog exercise",
    description="The exercise with this slug. Carries an `ETag`; honours `If-None-Match` (304).",
    response_model=ExercisePublic,
    responses={**NOT_MODIFIED, **problem_responses(404, 422)},
)
def get_exercise(
    slug: str, response: Response, if_none_match: IfNoneMatch = None
) -> ExercisePublic | Response:
    exercise = get_catalog().require(slug)
    etag = content_etag(exercise.model_dump_json().encode())
    if if_none_match is not None and etag_matches(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    response.headers["ETag"] = etag
    return exercise
