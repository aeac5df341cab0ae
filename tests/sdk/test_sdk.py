"""The Python SDK an integrator generates from openapi/openapi.json (openapi-python-client, the
version pinned in pyproject), driving a real server end to end on SQLite and PostgreSQL:
athlete, routine, plan, workouts with pagination, progress JSON/CSV, chart, an idempotent retry,
and typed 404/422 problems."""

import importlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID

import pytest

from app.cli import migrate_to_head
from tests.conftest import BACKENDS, POSTGRES_URL
from tests.databases import TemporaryDatabase
from tests.factories import new_token
from tests.sdk.generate import generate_sdk
from tests.servers import Server


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """`legwork_client`, generated now from the checked-in document."""
    out = generate_sdk(tmp_path_factory.mktemp("sdk") / "legwork-client")
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("legwork_client")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "legwork_client"]:
            del sys.modules[name]


def test_the_generated_sdk_passes_mypy_strict_with_named_enum_members(sdk: ModuleType) -> None:
    package = Path(str(sdk.__file__)).parent
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package.name],
        cwd=package.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    event = _load("models").Event
    assert event.FIVE_K.value == "5k"
    assert event.TEN_K.value == "10k"


@pytest.fixture(params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    database = TemporaryDatabase(request.param, tmp_path, POSTGRES_URL)
    migrate_to_head(database.url)
    token = new_token(database.url, "SDK user")
    with Server(database.url, tmp_path, name=f"sdk-{request.param}") as running:
        yield running, token
    database.drop()


def _load(module: str) -> Any:
    return importlib.import_module(f"legwork_client.{module}")


def test_the_generated_sdk_drives_a_real_server(
    sdk: ModuleType, server: tuple[Server, str]
) -> None:
    running, token = server
    api, models = "api", _load("models")
    client = sdk.AuthenticatedClient(
        base_url=running.url, token=token, raise_on_unexpected_status=True
    )
    public = sdk.Client(base_url=running.url, raise_on_unexpected_status=True)

    athlete = _load(f"{api}.athletes.athletes_create").sync(
        client=client,
        body=models.AthleteCreate(
            name="Ada",
            timezone="Europe/Paris",
            level=models.Level.INTERMEDIATE,
            event=models.Event.HALF_MARATHON,
            race_date=date(2027, 4, 11),
            equipment=[models.Equipment.DUMBBELL, models.Equipment.BAND],
        ),
    )
    assert isinstance(athlete, models.AthletePublic), athlete

    routine = _load(f"{api}.routines.routines_generate").sync(
        client=public,
        body=models.GenerationRequest(event=models.Event.FIVE_K, setting=models.Setting.HOME),
    )
    assert isinstance(routine, models.Session), routine
    assert routine.exercises

    plan = _load(f"{api}.plans.plans_put").sync(
        athlete.id, client=client, body=models.PlanRequest(start_date=date(2026, 10, 5))
    )
    assert isinstance(plan, models.StoredPlanPublic), plan
    first = plan.weeks[0].sessions[0]

    create = _load(f"{api}.workouts.workouts_create")
    body = models.WorkoutIn.from_dict(
        {
            "performed_at": f"{first.date.isoformat()}T18:30:00+02:00",
            "planned_session": str(first.id),
            "exercises": [
                {"exercise": "romanian-deadlift", "sets": [{"reps": 8, "load_kg": 50, "rir": 2}]}
            ],
        }
    )
    first_try = create.sync_detailed(athlete.id, client=client, body=body, idempotency_key="k-1")
    retry = create.sync_detailed(athlete.id, client=client, body=body, idempotency_key="k-1")
    assert first_try.status_code == retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.parsed.id == first_try.parsed.id  # the retry created nothing
    for day in ("2026-10-08", "2026-10-13", "2026-10-15"):
        later = models.WorkoutIn.from_dict(
            {
                "performed_at": f"{day}T07:00:00+02:00",
                "exercises": [{"exercise": "glute-bridge", "sets": [{"reps": 12, "load_kg": 40}]}],
            }
        )
        assert isinstance(create.sync(athlete.id, client=client, body=later), models.WorkoutPublic)

    listing = _load(f"{api}.workouts.workouts_list")
    seen: list[UUID] = []
    cursor: Any = sdk.types.UNSET
    while True:
        page = listing.sync(athlete.id, client=client, limit=3, cursor=cursor)
        assert isinstance(page, models.PageWorkoutPublic), page
        seen += [w.id for w in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 4

    window = {"from_": date(2026, 10, 1), "to": date(2026, 10, 31)}
    progress = _load(f"{api}.progress.progress_get").sync(athlete.id, client=client, **window)
    assert isinstance(progress, models.Progress), progress
    assert progress.totals.workouts == 4
    csv = _load(f"{api}.progress.progress_csv").sync(athlete.id, client=client, **window)
    assert isinstance(csv, str)
    assert csv.startswith("start,end,workouts")
    chart = _load(f"{api}.progress.progress_chart").sync(
        athlete.id, client=client, metric=models.ChartMetric.VOLUME_LOAD, **window
    )
    assert isinstance(chart, str)
    assert chart.lstrip().startswith("<svg")

    missing = _load(f"{api}.athletes.athletes_get").sync(
        UUID("6f1c2d4e-0000-4000-8000-000000000000"), client=client
    )
    assert isinstance(missing, models.Problem)
    assert missing.status == 404
    invalid = create.sync(
        athlete.id,
        client=client,
        body=models.WorkoutIn.from_dict(
            {
                "performed_at": "2026-10-20T07:00:00+02:00",
                "exercises": [{"exercise": "glute-bridge", "sets": [{"reps": 5000}]}],
            }
        ),
    )
    assert isinstance(invalid, models.Problem)
    assert invalid.status == 422
    assert invalid.errors[0].field == "exercises[0].sets[0].reps"
