"""Base classes every request and response model builds on."""

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, field_validator


def _written_as_text(value: Any) -> Any:
    # Lax parsing would read 0 as 1970-01-01; JSON dates are strings (RFC 3339).
    if isinstance(value, bool | int | float):
        raise ValueError("must be an RFC 3339 string")
    return value


FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _full_date(value: Any) -> Any:
    # Lax parsing would also read the text "0" (a query string's) as 1970-01-01.
    if isinstance(value, str) and not FULL_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return _written_as_text(value)


IsoDate = Annotated[dt.date, BeforeValidator(_full_date)]
"""A calendar date, in a body or a query string: `YYYY-MM-DD` text only."""
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_written_as_text)]


class RequestModel(BaseModel):
    """A request body: unknown fields are a 422 so typos are never silently dropped."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL text cannot hold NUL, and no name or note needs one.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
