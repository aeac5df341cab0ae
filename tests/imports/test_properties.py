"""Hypothesis: whatever Legwork holds, its Strong-layout CSV export reads back as the same
workouts (within what the layout can hold: docs/imports.md "Exports")."""

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from app.catalog.service import get_catalog
from app.config import Settings
from app.imports.export import STRONG_COLUMNS, strong_rows
from app.imports.names import catalog_slug
from app.imports.parser import Warnings, read
from app.main import create_app
from tests.databases import shared_sessions
from tests.factories import Caller, make_athlete
from tests.imports.test_imports import comparable, workouts_of

ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe"]
SLUGS = [e.slug for e in get_catalog()]
NAMES = {e.slug: e.name for e in get_catalog()}
TEXT = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def a_set(draw: st.DrawFn) -> dict[str, Any]:
    timed = draw(st.booleans())
    reps = draw(st.none() if timed else st.integers(1, 100))
    duration = draw(st.integers(1, 600)) if timed else draw(st.none() | st.integers(1, 600))
    warmup = draw(st.booleans())
    return {
        "reps": reps,
        "load_kg": draw(st.integers(0, 100_000)) / 100,
        "rpe": draw(st.none() | st.integers(0, 20).map(lambda n: n / 2)),
        # Strong marks a set W or F, not both: a warm-up's RIR is not in the layout.
        "rir": None if warmup else draw(st.sampled_from([None, 0])),
        "duration_s": duration,
        "side": "both",
        "warmup": warmup,
    }


@st.composite
def a_workout(draw: st.DrawFn, zone: str) -> dict[str, Any]:
    local = draw(st.datetimes(datetime(2000, 1, 1), datetime(2025, 12, 1))).replace(microsecond=0)
    performed_at = local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    slugs = draw(st.lists(st.sampled_from(SLUGS), min_size=1, max_size=4))
    # Two blocks of one exercise in a row read back as one: the layout cannot tell them apart.
    slugs = [s for i, s in enumerate(slugs) if i == 0 or slugs[i - 1] != s]
    return {
        "performed_at": performed_at,
        "duration_min": draw(st.none() | st.integers(1, 1440)),
        "notes": draw(st.none() | TEXT),
        "exercises": [
            {
                "exercise": slug,
                "notes": draw(st.none() | TEXT),
                "sets": draw(st.lists(a_set(), min_size=1, max_size=6)),
            }
            for slug in slugs
        ],
    }


def _unambiguous(workout: dict[str, Any], zone: str) -> bool:
    """Local times without a zone cannot name the second 02:30 of a night clocks fall back."""
    moment: datetime = workout["performed_at"]
    local = moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC) == moment


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_csv_export_reads_back_as_the_same_workouts(data: st.DataObject) -> None:
    zone = data.draw(st.sampled_from(ZONES))
    workouts = data.draw(st.lists(a_workout(zone), min_size=1, max_size=4))
    workouts = [w for w in workouts if _unambiguous(w, zone)]
    # One workout a start time: two at the same second under one title would read as one.
    workouts = list({w["performed_at"]: w for w in reversed(workouts)}.values())[::-1]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STRONG_COLUMNS)
    for workout in workouts:
        writer.writerows(strong_rows(workout, "Title", ZoneInfo(zone), NAMES))
    out.seek(0)
    _, parsed = read(out, source="strong", unit=None, timezone=zone, warnings=Warnings())
    back = [
        {
            "performed_at": p.performed_at,
            "duration_min": p.duration_min,
            "notes": p.notes,
            "exercises": [
                {
                    "exercise": catalog_slug(e.name),
                    "notes": e.notes_text(),
                    "sets": [{**s.values(), "side": "both"} for s in e.sets],
                }
                for e in p.exercises
            ],
        }
        for p in parsed
    ]
    assert back == workouts


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    """HTTP through the ASGI app on the test's session, without the per-token rate limit:
    the examples make hundreds of calls."""
    app = create_app(
        Settings(rate_limit_token="1000000/minute", rate_limit_public="1000000/minute")
    )
    app.state.sessions = shared_sessions(session)
    with TestClient(app) as client:
        yield client


@settings(max_examples=15, suppress_health_check=list(HealthCheck), deadline=None)
@given(data=st.data())
def test_a_json_export_imports_back_into_a_new_athlete_as_the_same_workouts(
    client: TestClient, alice: Caller, data: st.DataObject
) -> None:
    zone = data.draw(st.sampled_from(ZONES))
    athlete = make_athlete(client, alice, timezone=zone)
    for workout in data.draw(st.lists(a_workout(zone), min_size=1, max_size=3)):
        body = {**workout, "performed_at": workout["performed_at"].isoformat()}
        r = client.post(f"/v1/athletes/{athlete['id']}/workouts", json=body, headers=alice.headers)
        assert r.status_code == 201, r.text
    exported = client.get(f"/v1/athletes/{athlete['id']}/export", headers=alice.headers)
    twin = make_athlete(client, alice, timezone=zone)
    r = client.post(
        f"/v1/athletes/{twin['id']}/imports?source=legwork",
        content=exported.content,
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 200, r.text
    assert comparable(workouts_of(client, alice, twin)) == comparable(
        workouts_of(client, alice, athlete)
    )
