"""Cursor pagination shared by every list: `?limit=&cursor=` → `{"items", "next_cursor"}`."""

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, literal, tuple_
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from app.errors import InvalidInput

T = TypeVar("T")
M = TypeVar("M")


class Page(BaseModel, Generic[T]):
    items: list[T] = Field(description="This page's items, in the list's order.")
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page.",
        examples=[
            "WyIyMDI2LTExLTIwVDE3OjMwOjAwKzAwOjAwIiwiOWQyZjRiNmEtMWMzZS00YTViLThk"
            "N2YtMGUxYTJiM2M0ZDVlIl0"
        ],
    )


class PageParams(BaseModel):
    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Items per page.")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`next_cursor` of the previous page.")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


PageDep = Annotated[PageParams, Depends(page_params)]


def encode_cursor(key: list[Any]) -> str:
    """An opaque cursor holding the sort key of the last item served."""
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, length: int) -> list[Any]:
    """The sort key inside `cursor`; a 422 naming `cursor` when it was not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        key = None
    if not isinstance(key, list) or len(key) != length:
        raise InvalidInput("cursor", "Not a cursor this list returned")
    return key


def _encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID | datetime | date):
        return value.isoformat() if not isinstance(value, uuid.UUID) else str(value)
    return value


def _decode_value(raw: Any, column: Any) -> Any:
    python_type = column.type.python_type
    if python_type is uuid.UUID:
        return uuid.UUID(raw)
    if python_type is datetime:
        return datetime.fromisoformat(raw)
    if python_type is date:
        return date.fromisoformat(raw)
    if not isinstance(raw, python_type):
        raise ValueError(raw)
    return raw


def keyset_page(
    session: Session,
    query: SelectOfScalar[M] | Select[Any],
    order_by: Sequence[Any],
    page: PageParams,
    *,
    descending: bool = False,
) -> tuple[list[Any], str | None]:
    """One page of `query` (ORM objects, or rows of columns) ordered by the unique key
    `order_by`, after `page.cursor`."""
    if page.cursor:
        raw = decode_cursor(page.cursor, len(order_by))
        try:
            after = [_decode_value(v, c) for v, c in zip(raw, order_by, strict=True)]
        except (TypeError, ValueError, AttributeError) as exc:
            raise InvalidInput("cursor", "Not a cursor this list returned") from exc
        key = tuple_(*order_by)
        bound = tuple_(*(literal(v, c.type) for v, c in zip(after, order_by, strict=True)))
        query = query.where(key < bound if descending else key > bound)
    ordering = [c.desc() if descending else c.asc() for c in order_by]
    ordered = query.order_by(*ordering).limit(page.limit + 1)
    if isinstance(ordered, SelectOfScalar):
        items: list[Any] = list(session.exec(ordered).all())
    else:
        items = list(session.execute(ordered).all())
    if len(items) <= page.limit:
        return items, None
    items = items[: page.limit]
    last = items[-1]
    return items, encode_cursor([_encode_value(getattr(last, c.key)) for c in order_by])
