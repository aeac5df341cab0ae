"""The plan's JSON as the router writes it (app.planning.encode) is the model's own, byte for
byte."""

import itertools

import pytest

from app.catalog.service import get_catalog
from app.errors import InvalidInput
from app.planning.encode import _KEPT, ITEMS_MAX, plan_json
from app.planning.generator import generate_plan, generate_routine
from app.planning.schemas import GenerationRequest, Plan, Prescription, Session
from app.responses import json_bytes
from tests.planning.snapshots import snapshot_requests

BODIES = snapshot_requests()


@pytest.mark.parametrize("body", BODIES, ids=[str(n) for n in range(len(BODIES))])
def test_same_bytes_as_the_model_serialiser(body: dict[str, object]) -> None:
    request = GenerationRequest.model_validate(body)
    try:
        plan = generate_plan(request, get_catalog().exercises)
    except InvalidInput:
        pytest.skip("no plan for this request")
    assert plan_json(plan) == json_bytes(plan)


def test_with_loads_and_an_empty_plan() -> None:
    """Sessions whose prescriptions were copied (loads from the logs), and a plan of no weeks."""
    body: dict[str, object] = {
        "event": "10k",
        "start_date": "2027-01-04",
        "weeks": 3,
        "setting": "gym",
        "sessions_per_week": 3,
    }
    exercises = get_catalog().exercises
    first = generate_plan(GenerationRequest.model_validate(body), exercises).weeks[0]
    body["working_sets"] = [
        {"exercise": p.exercise, "date": "2027-01-01", "load_kg": 40, "reps": 10}
        for p in first.sessions[0].exercises
    ]
    plan = generate_plan(GenerationRequest.model_validate(body), exercises)
    assert any(p.load_kg for p in plan.weeks[0].sessions[0].exercises)
    assert plan_json(plan) == json_bytes(plan)
    empty = plan.model_copy(update={"weeks": []})
    assert plan_json(empty) == json_bytes(empty)
    assert isinstance(empty, Plan)


@pytest.mark.parametrize("body", BODIES, ids=[str(n) for n in range(len(BODIES))])
def test_models_made_without_validation_are_the_validated_ones(body: dict[str, object]) -> None:
    """The renderer makes sessions and prescriptions without validating them
    (app.planning.schemas.made): each is what validating its own fields makes, lists as lists,
    with every field set."""
    request = GenerationRequest.model_validate(body)
    exercises = get_catalog().exercises
    try:
        plan = generate_plan(request, exercises)
    except InvalidInput:
        pytest.skip("no plan for this request")
    routine = generate_routine(request, exercises)
    sessions = [s for w in plan.weeks for s in w.sessions] + [routine]
    made = [*sessions, *(p for s in sessions for p in s.exercises)]
    for model in made:
        assert isinstance(model, Session | Prescription)
        validated = type(model).model_validate(dict(model))
        assert model == validated
        assert model.model_fields_set == validated.model_fields_set == set(type(model).model_fields)
        assert all(type(v) is type(getattr(validated, k)) for k, v in model)


def test_plans_one_after_another_share_what_was_serialised() -> None:
    """The prescriptions and lists serialised for one plan are kept for the next (app.planning
    .encode._Lists), until there are too many of them: through that forgetting, each plan's
    JSON is still its own."""
    exercises = get_catalog().exercises
    body = {"event": "marathon", "level": "advanced", "setting": "gym", "weeks": 24}
    sizes = []
    for seed in range(40):
        for sessions in (2, 3):
            request = GenerationRequest.model_validate(
                {**body, "seed": seed, "sessions_per_week": sessions}
            )
            plan = generate_plan(request, exercises)
            assert plan_json(plan) == json_bytes(plan), (seed, sessions)
            sizes.append(len(_KEPT.items))
    assert max(sizes) <= ITEMS_MAX + 200
    assert any(later < earlier for earlier, later in itertools.pairwise(sizes))
