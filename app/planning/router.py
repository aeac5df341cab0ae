"""Routine and plan generation over HTTP: parse, call the pure generator, answer."""

import gc

from fastapi import APIRouter, Response

from app.catalog.service import get_catalog
from app.cpu import PLANS
from app.errors import problem_responses
from app.planning.encode import plan_json
from app.planning.generator import generate_plan, generate_routine
from app.planning.schemas import GenerationRequest, Plan, Session
from app.responses import JSON, json_response

router = APIRouter(prefix="/v1")


@router.post(
    "/routines/generate",
    tags=["routines"],
    name="generate",
    response_model=Session,
    responses=problem_responses(422),
)
async def generate_routine_endpoint(request: GenerationRequest) -> Response:
    """One balanced leg session. Stateless and deterministic: same body, same bytes.

    Uses event, level, focus, setting, equipment, session_minutes, exclude_exercises and seed;
    the schedule fields are accepted (so a plan body can be sent as is) and do not change it.
    """
    # A fraction of a millisecond of pure computation: run on the event loop, as handing it to
    # the thread pool would cost about as much again.
    session = generate_routine(request, get_catalog().exercises)
    return json_response(session)  # built by the generator: nothing to validate again


@router.post(
    "/plans/generate",
    tags=["plans"],
    name="generate",
    response_model=Plan,
    responses=problem_responses(422),
)
async def generate_plan_endpoint(request: GenerationRequest) -> Response:
    """A multi-week plan to race day (or `weeks` long). Same body, same bytes."""
    # Milliseconds of pure Python and C for a long plan: in a worker process (app.cpu).
    plan = await PLANS.run(_plan_json, request)
    return Response(plan, media_type=JSON)


def _plan_json(request: GenerationRequest) -> bytes:
    return plan_json(generate_plan(request, get_catalog().exercises))


def warm_up() -> None:
    """What a plan worker process (app.cpu) does first: load the catalog. Then everything
    loaded so far (modules, the catalog) is left out of the garbage collector's full
    collections (`gc.freeze`): it lives as long as the worker, and each full collection would
    walk all of it again (~3% of a plan's instructions)."""
    get_catalog()
    gc.freeze()
