"""Routine and plan generation over HTTP: parse, call the pure generator, answer."""

from fastapi import APIRouter, Response

from app.catalog.service import get_catalog
from app.errors import problem_responses
from app.planning.generator import generate_plan, generate_routine
from app.planning.schemas import GenerationRequest, Plan, Session

router = APIRouter(prefix="/v1")

JSON = "application/json"


@router.post(
    "/routines/generate",
    tags=["routines"],
    name="generate",
    response_model=Session,
    responses=problem_responses(422),
)
def generate_routine_endpoint(request: GenerationRequest) -> Response:
    """One balanced leg session. Stateless and deterministic: same body, same bytes.

    Uses event, level, focus, setting, equipment, session_minutes, exclude_exercises and seed;
    the schedule fields are accepted (so a plan body can be sent as is) and do not change it.
    """
    session = generate_routine(request, get_catalog().exercises)
    # Serialised by pydantic-core directly: the model was built by the generator.
    return Response(session.model_dump_json(), media_type=JSON)


@router.post(
    "/plans/generate",
    tags=["plans"],
    name="generate",
    response_model=Plan,
    responses=problem_responses(422),
)
def generate_plan_endpoint(request: GenerationRequest) -> Response:
    """A multi-week plan to race day (or `weeks` long). Same body, same bytes."""
    plan = generate_plan(request, get_catalog().exercises)
    return Response(plan.model_dump_json(), media_type=JSON)
