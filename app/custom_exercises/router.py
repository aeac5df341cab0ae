from fastapi import APIRouter, Path, Response, status

from app.auth.dependencies import AUTH_ERRORS, Reader, Writer
from app.custom_exercises import service
from app.custom_exercises.schemas import CustomExerciseCreate, CustomExercisePublic
from app.db import SessionDep
from app.errors import problem_responses
from app.pagination import Page, PageDep

router = APIRouter(prefix="/v1/exercises/custom", tags=["custom-exercises"])

SlugPath = Path(min_length=1, max_length=64, description="The custom exercise's slug.")


@router.post(
    "",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTH_ERRORS, 409, 422),
)
def create_custom_exercise(
    body: CustomExerciseCreate, principal: Writer, session: SessionDep, response: Response
) -> CustomExercisePublic:
    """Add an exercise the catalog lacks; workouts of the account may then name its slug."""
    exercise = service.create(session, principal.account_id, body)
    response.headers["Location"] = f"{router.prefix}/{exercise.slug}"
    return CustomExercisePublic.model_validate(exercise)


@router.get("", name="list", responses=problem_responses(*AUTH_ERRORS, 422))
def list_custom_exercises(
    principal: Reader, session: SessionDep, page: PageDep
) -> Page[CustomExercisePublic]:
    """The account's custom exercises, oldest first."""
    exercises, next_cursor = service.list_page(session, principal.account_id, page)
    return Page(
        items=[CustomExercisePublic.model_validate(e) for e in exercises],
        next_cursor=next_cursor,
    )


@router.get("/{slug}", name="get", responses=problem_responses(*AUTH_ERRORS, 404, 422))
def get_custom_exercise(
    principal: Reader, session: SessionDep, slug: str = SlugPath
) -> CustomExercisePublic:
    """One custom exercise of the account, by slug."""
    return CustomExercisePublic.model_validate(service.get(session, principal.account_id, slug))


@router.delete(
    "/{slug}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTH_ERRORS, 404, 409, 422),
)
def delete_custom_exercise(
    principal: Writer, session: SessionDep, slug: str = SlugPath
) -> Response:
    """Delete a custom exercise no workout names (409 otherwise)."""
    service.delete(session, principal.account_id, slug)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
