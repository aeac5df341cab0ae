import uuid
import zoneinfo
from datetime import date, datetime
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, Field

from app.enums import Equipment, Event, Level
from app.schemas import IsoDate, RequestModel, ResponseModel


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _iana_zone(value: str) -> str:
    if value not in _zones():
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/Paris, UTC)")
    return value


def _unique(values: list[Equipment]) -> list[Equipment]:
    if len(set(values)) != len(values):
        raise ValueError("lists an item twice")
    return values


TimeZone = Annotated[
    str,
    Field(max_length=64, description="IANA time zone.", examples=["Europe/Paris"]),
    AfterValidator(_iana_zone),
]
Name = Annotated[str, Field(min_length=1, max_length=100, examples=["Ada"])]
EquipmentList = Annotated[
    list[Equipment],
    Field(
        max_length=len(Equipment),
        description="Equipment the athlete has.",
        examples=[["band", "dumbbell"]],
    ),
    AfterValidator(_unique),
]
BodyMass = Annotated[
    float, Field(strict=True, ge=20, le=400, description="Kilograms.", examples=[62.5])
]
RaceDate = Annotated[IsoDate, Field(description="Goal race day.", examples=["2027-04-11"])]


class AthleteCreate(RequestModel):
    name: Name
    timezone: TimeZone = "UTC"
    level: Level = Level.beginner
    event: Event | None = None
    race_date: RaceDate | None = None
    equipment: EquipmentList = Field(default_factory=list)
    body_mass_kg: BodyMass | None = None


class AthleteUpdate(RequestModel):
    """Fields to change; omitted fields stay as they are."""

    name: Name = None  # type: ignore[assignment]
    timezone: TimeZone = None  # type: ignore[assignment]
    level: Level = None  # type: ignore[assignment]
    event: Event | None = None
    race_date: RaceDate | None = None
    equipment: EquipmentList = None  # type: ignore[assignment]
    body_mass_kg: BodyMass | None = None


class AthletePublic(ResponseModel):
    id: uuid.UUID
    name: str = Field(examples=["Ada"])
    timezone: str = Field(examples=["Europe/Paris"])
    level: Level
    event: Event | None
    race_date: date | None
    equipment: list[Equipment]
    body_mass_kg: float | None = Field(examples=[62.5])
    created_at: datetime
    updated_at: datetime
