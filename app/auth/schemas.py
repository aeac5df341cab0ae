import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.enums import Scope
from app.schemas import RequestModel, ResponseModel

# What each field means, shared by the request and response models.
TokenName = Annotated[
    str | None,
    Field(description="What the token is for; null when unnamed.", examples=["Garmin sync"]),
]
TokenScopes = Annotated[
    list[Scope],
    Field(
        description="What the token may do: `read`, `write` or both. A new token's scopes "
        "must be a subset of the calling token's.",
        examples=[["read"]],
    ),
]


class TokenCreate(RequestModel):
    name: TokenName = Field(default=None, min_length=1, max_length=100)
    scopes: TokenScopes = Field(min_length=1, max_length=2)


class TokenPublic(ResponseModel):
    id: uuid.UUID = Field(
        description="The token's id, for DELETE /v1/tokens/{token_id}; not the secret.",
        examples=["2e4c6a8b-0d1f-4e3a-9b5c-7d9f1b3d5f7a"],
    )
    name: TokenName
    scopes: TokenScopes
    created_at: datetime = Field(
        description="When the token was created, in UTC.", examples=["2026-11-20T17:30:00Z"]
    )
    last_used_at: datetime | None = Field(
        description="When the token last authenticated a call, in UTC and to the minute; null "
        "when never used.",
        examples=["2026-11-21T06:12:00Z"],
    )


class TokenCreated(TokenPublic):
    token: str = Field(
        description="The secret, shown this once: send it as `Authorization: Bearer <token>`.",
        examples=["lw_3q2-8x…"],
    )
