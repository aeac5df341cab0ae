"""Stored plans: the PUT body (a generation request whose profile fields may be left out) and the
answer (a plan whose sessions carry ids)."""

import uuid
from typing import Any

from pydantic import Field, create_model
from pydantic.fields import FieldInfo

from app.planning.schemas import GenerationRequest, Plan, Prescription, Session, Week
from app.schemas import RequestModel


def _optional(info: FieldInfo) -> tuple[Any, FieldInfo]:
    field = FieldInfo.merge_field_infos(info, default=None)
    field.default_factory = None
    return info.annotation | None, field  # type: ignore[operator]


# Every generation field, each optional: what is left out comes from the athlete's profile
# (event, level, race date, equipment, running week), then from the generation defaults.
PlanRequest = create_model(  # type: ignore[call-overload]
    "PlanRequest",
    __base__=RequestModel,
    __doc__="A generation request; fields the athlete's profile holds may be left out, and "
    "`start_date` defaults to today in the athlete's time zone.",
    **{name: _optional(info) for name, info in GenerationRequest.model_fields.items()},
)


class StoredSession(Session):
    id: uuid.UUID = Field(
        description="Stable id: name it in a workout's `planned_session`.",
        examples=["5b0f4a8e-2c1d-4e3f-9a7b-1c2d3e4f5a6b"],
    )


class NextPrescription(Prescription):
    progression_note: str = Field(
        description="Where `load_kg` comes from and what changed, from the athlete's logs.",
        examples=[
            "From your 12 × 60 kg on 2027-01-07; you beat 10 reps by 2 or more in two "
            "sessions in a row: 2.5% more (NSCA 2-for-2)."
        ],
    )


class NextSession(StoredSession):
    exercises: list[NextPrescription] = Field(  # type: ignore[assignment]
        description="What to do, in order, with loads from the logs."
    )


class StoredWeek(Week):
    sessions: list[StoredSession] = Field(  # type: ignore[assignment]
        description="The week's strength sessions, in order; may be empty."
    )


class StoredPlanPublic(Plan):
    weeks: list[StoredWeek] = Field(  # type: ignore[assignment]
        description="The plan week by week, week 1 first."
    )
    request: GenerationRequest = Field(
        description="The generation request the plan was made from: the PUT body completed "
        "from the athlete's profile."
    )
