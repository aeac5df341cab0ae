import uuid
import zoneinfo
from datetime import datetime
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, Field

from app.enums import Equipment, Event, Level, Weekday
from app.schemas import IsoDate, RequestModel, ResponseModel


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _iana_zone(value: str) -> str:
    if value not in _zones():
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/Paris, UTC)")
    return value


def _unique_days(values: list[Weekday] | None) -> list[Weekday] | None:
    if values is not None and len(set(values)) != len(values):
        raise ValueError("lists a day twice")
    return values


def _positive_steps(steps: dict[Equipment, float] | None) -> dict[Equipment, float] | None:
    for equipment, step in (steps or {}).items():
        if not 0.1 <= step <= 25:
            raise ValueError(f"{equipment.value}: a step is 0.1–25 kg")
    return steps


def _unique(values: list[Equipment]) -> list[Equipment]:
    if len(set(values)) != len(values):
        raise ValueError("lists an item twice")
    return values


# What each field means, shared by the request and response models.
AthleteName = Annotated[
    str, Field(description="What apps call the athlete; need not be unique.", examples=["Ada"])
]
AthleteTimeZone = Annotated[
    str,
    Field(
        description="IANA time zone the athlete lives in (default `UTC`). Workout `local_date`s "
        "and the dates of progress queries are counted in it.",
        examples=["Europe/Paris"],
    ),
]
AthleteLevel = Annotated[
    Level,
    Field(
        description="Lifting experience (default `beginner` = no recent strength training).",
        examples=["intermediate"],
    ),
]
AthleteEvent = Annotated[
    Event | None,
    Field(description="The race distance trained for; null when none.", examples=["half_marathon"]),
]
RaceDate = Annotated[
    IsoDate | None,
    Field(
        description="Day of the goal race (YYYY-MM-DD); null when none is set.",
        examples=["2027-04-11"],
    ),
]
AthleteEquipment = Annotated[
    list[Equipment],
    Field(
        description="Equipment the athlete has at hand, each item once; empty when none is listed.",
        examples=[["band", "dumbbell"]],
    ),
]
AthleteBodyMass = Annotated[
    float | None,
    Field(description="Body mass in kilograms (20–400); null when unknown.", examples=[62.5]),
]
SessionsPerWeek = Annotated[
    int | None,
    Field(
        description="Strength sessions a week the athlete wants (1–3); null when unset.",
        examples=[2],
    ),
]
SessionMinutes = Annotated[
    int | None,
    Field(
        description="The longest a session may take, 15–120 minutes; null when unset.",
        examples=[45],
    ),
]
LongRunDay = Annotated[
    Weekday | None,
    Field(description="Day of the weekly long run; null when unset.", examples=["sunday"]),
]
HardRunDays = Annotated[
    list[Weekday] | None,
    Field(
        description="Days of hard runs (intervals, tempo), each once; null when unset.",
        examples=[["tuesday"]],
    ),
]
LoadSteps = Annotated[
    dict[Equipment, float] | None,
    Field(
        description="The smallest load change of the athlete's own equipment, kg by equipment "
        "(defaults: barbell 2.5, dumbbell and kettlebell 2, machine and cable 5); loads from "
        "the logs round to it. Null: the defaults.",
        examples=[{"dumbbell": 1.0}],
    ),
]
# Limits on what a client may send.
TimeZone = Annotated[AthleteTimeZone, Field(max_length=64), AfterValidator(_iana_zone)]
Name = Annotated[AthleteName, Field(min_length=1, max_length=100)]
EquipmentList = Annotated[
    AthleteEquipment,
    Field(max_length=len(Equipment), json_schema_extra={"uniqueItems": True}),
    AfterValidator(_unique),
]
BodyMass = Annotated[AthleteBodyMass, Field(strict=True, ge=20, le=400)]
SessionsIn = Annotated[SessionsPerWeek, Field(strict=True, ge=1, le=3)]
MinutesIn = Annotated[SessionMinutes, Field(strict=True, ge=15, le=120)]
HardDaysIn = Annotated[
    HardRunDays,
    Field(max_length=7, json_schema_extra={"uniqueItems": True}),
    AfterValidator(_unique_days),
]
LoadStepsIn = Annotated[LoadSteps, AfterValidator(_positive_steps)]


class AthleteCreate(RequestModel):
    name: Name
    timezone: TimeZone = "UTC"
    level: AthleteLevel = Level.beginner
    event: AthleteEvent = None
    race_date: RaceDate = None
    equipment: EquipmentList = Field(default_factory=list)
    body_mass_kg: BodyMass = None
    sessions_per_week: SessionsIn = None
    session_minutes: MinutesIn = None
    long_run_day: LongRunDay = None
    hard_run_days: HardDaysIn = None
    load_steps_kg: LoadStepsIn = None


class AthleteUpdate(RequestModel):
    """Fields to change; omitted fields stay as they are."""

    name: Name = None  # type: ignore[assignment]
    timezone: TimeZone = None  # type: ignore[assignment]
    level: AthleteLevel = None  # type: ignore[assignment]
    event: AthleteEvent = None
    race_date: RaceDate = None
    equipment: EquipmentList = None  # type: ignore[assignment]
    body_mass_kg: BodyMass = None
    sessions_per_week: SessionsIn = None
    session_minutes: MinutesIn = None
    long_run_day: LongRunDay = None
    hard_run_days: HardDaysIn = None
    load_steps_kg: LoadStepsIn = None


class AthletePublic(ResponseModel):
    id: uuid.UUID = Field(
        description="The athlete's id.", examples=["0b7e2c1a-5d4f-4e8b-9c3a-6f1d2e7a8b90"]
    )
    name: AthleteName
    timezone: AthleteTimeZone
    level: AthleteLevel
    event: AthleteEvent
    race_date: RaceDate
    equipment: AthleteEquipment
    body_mass_kg: AthleteBodyMass
    sessions_per_week: SessionsPerWeek
    session_minutes: SessionMinutes
    long_run_day: LongRunDay
    hard_run_days: HardRunDays
    load_steps_kg: LoadSteps
    created_at: datetime = Field(
        description="When the athlete was created, in UTC.", examples=["2026-11-20T17:30:00Z"]
    )
    updated_at: datetime = Field(
        description="When the athlete was created or last changed, in UTC.",
        examples=["2026-11-21T08:05:12Z"],
    )
