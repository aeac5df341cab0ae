"""ETags from a resource's version counter; If-Match (412) and If-None-Match (304)."""

import hashlib
from typing import Annotated, Any

from fastapi import Header, Response

from app.errors import PreconditionFailed

IfMatch = Annotated[
    str | None, Header(description="ETag of the copy being changed; 412 when it is stale.")
]
IfNoneMatch = Annotated[
    str | None, Header(description="ETag of the copy the client holds; 304 when current.")
]
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the client's copy (If-None-Match) is current."}
}


def etag_of(version: int) -> str:
    """The ETag of a stored resource at this version."""
    return f'"v{version}"'


def content_etag(body: bytes) -> str:
    """The ETag of a computed representation: a hash of its bytes."""
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def etag_matches(header: str, etag: str) -> bool:
    """Whether an If-Match / If-None-Match header names `etag` (or `*`)."""
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return "*" in candidates or etag in candidates


def check_if_match(if_match: str | None, version: int) -> None:
    """Refuse a write made against a stale copy (412)."""
    if if_match is not None and not etag_matches(if_match, etag_of(version)):
        raise PreconditionFailed(
            f"If-Match {if_match} does not match the current ETag {etag_of(version)}: "
            "fetch the resource again and retry"
        )


def not_modified(if_none_match: str | None, version: int) -> Response | None:
    """A 304 when the client's copy is current, else None."""
    etag = etag_of(version)
    if if_none_match is not None and etag_matches(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return None
