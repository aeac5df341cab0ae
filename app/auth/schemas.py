import uuid
from datetime import datetime

from pydantic import Field

from app.enums import Scope
from app.schemas import RequestModel, ResponseModel


class TokenCreate(RequestModel):
    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="What the token is for.",
        examples=["Garmin sync"],
    )
    scopes: list[Scope] = Field(
        min_length=1,
        max_length=2,
        description="A subset of the calling token's scopes.",
        examples=[["read"]],
    )


class TokenPublic(ResponseModel):
    id: uuid.UUID
    name: str | None = Field(examples=["Garmin sync"])
    scopes: list[Scope] = Field(examples=[["read", "write"]])
    created_at: datetime
    last_used_at: datetime | None = Field(
        description="When the token last authenticated a call (to the minute)."
    )


class TokenCreated(TokenPublic):
    token: str = Field(
        description="The secret, shown this once: send it as `Authorization: Bearer <token>`.",
        examples=["lw_3q2-8x…"],
    )
