"""JSON answers serialised once, straight to bytes by pydantic-core.

A route that already holds its answer as a validated model, or as plain data in a response
model's field order (rows, a request just validated), returns these instead of letting FastAPI
validate the answer again before serialising it. The route still declares `response_model=`,
so the OpenAPI document shows the shape; tests check the bytes match that model."""

from typing import Any

import pydantic_core
from fastapi import Response
from pydantic import BaseModel

JSON = "application/json"


def json_bytes(content: BaseModel | Any) -> bytes:
    """A model by its own serialiser; plain data (dicts, lists, UUIDs, datetimes, enums) as
    pydantic would serialise the model it matches."""
    if isinstance(content, BaseModel):
        return content.__pydantic_serializer__.to_json(content)
    return pydantic_core.to_json(content)


def json_response(
    content: BaseModel | Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(json_bytes(content), status_code=status_code, headers=headers, media_type=JSON)
