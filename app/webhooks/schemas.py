import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class EventType(StrEnum):
    workout_created = "workout.created"
    workout_updated = "workout.updated"
    workout_deleted = "workout.deleted"
    plan_updated = "plan.updated"
    goal_reached = "goal.reached"
    import_completed = "import.completed"


Url = Field(
    min_length=8,
    max_length=2048,
    description="Where to POST: https, to a public address (http and private addresses only "
    "with LEGWORK_WEBHOOK_ALLOW_PRIVATE=true).",
    examples=["https://example.com/legwork/hooks"],
)
Events = Field(
    min_length=1,
    json_schema_extra={"uniqueItems": True},
    description="The event types to send.",
    examples=[["workout.created", "workout.updated", "workout.deleted"]],
)


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Url
    events: list[EventType] = Events
    description: str | None = Field(default=None, max_length=200, description="For you.")


class WebhookPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, min_length=8, max_length=2048, description="New URL.")
    events: list[EventType] | None = Field(
        default=None, min_length=1, description="New event types."
    )
    description: str | None = Field(default=None, max_length=200, description="New text.")
    active: bool | None = Field(default=None, description="false pauses deliveries.")


class WebhookPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID = Field(description="The webhook's id.")
    url: str = Field(description="Where events are POSTed.")
    events: list[EventType] = Field(description="The event types sent.")
    description: str | None = Field(description="For you.")
    active: bool = Field(description="false: paused.")
    created_at: datetime = Field(description="When it was made (UTC).")
    updated_at: datetime = Field(description="Last change (UTC).")


class WebhookCreated(WebhookPublic):
    secret: str = Field(
        description="The signing secret, shown this once: verify `Legwork-Signature` with it."
    )


class DeliveryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID = Field(description="The delivery's id.")
    event_id: uuid.UUID = Field(description="`Legwork-Event-Id`: the same on every attempt.")
    type: str = Field(description="The event type (or `ping`).")
    status: str = Field(description="`pending`, `delivered` or `failed`.")
    attempts: int = Field(description="POSTs made so far.")
    last_status_code: int | None = Field(description="The receiver's last HTTP status.")
    last_error: str | None = Field(description="Why the last attempt got no answer.")
    created_at: datetime = Field(description="When the event was queued (UTC).")
    updated_at: datetime = Field(description="The last attempt (UTC).")
