"""The plan's JSON as the router writes it (app.planning.encode) is the model's own, byte for
byte."""

import pytest

from app.catalog.service import get_catalog
from app.errors import InvalidInput
from app.planning.encode import plan_json
from app.planning.generator import generate_plan
from app.planning.schemas import GenerationRequest, Plan
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
