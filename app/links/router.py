"""Share links: create, list and revoke (the athlete's owner); read what a link shares (anyone
holding the secret, no token)."""

import json
import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.athletes.dependencies import AthleteAccess
from app.auth.dependencies import AUTH_ERRORS
from app.db import SessionDep
from app.errors import problem_responses
from app.etags import etag_of
from app.links import service
from app.links.models import ShareLink
from app.links.schemas import LinkCreate, LinkCreated, LinkPublic, SharedResource
from app.pagination import Page, PageDep
from app.plans import calendar
from app.progress.chart import SVG_TYPE

router = APIRouter(tags=["links"])


def _public(link: ShareLink) -> LinkPublic:
    return LinkPublic(
        id=link.id,
        resource=SharedResource(link.resource),
        query=json.loads(link.query_json),
        expires_at=link.expires_at,
        created_at=link.created_at,
    )


@router.post(
    "/v1/athletes/{athlete_id}/links",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTH_ERRORS, 404, 422),
)
def create_link(
    access: AthleteAccess, body: LinkCreate, session: SessionDep, response: Response
) -> LinkCreated:
    """A read-only URL for the athlete's plan calendar or a progress chart. Its secret (256
    bits) is in the answer only: it is stored hashed."""
    athlete = access.athlete(session)
    link, secret = service.create(session, athlete, body)
    response.headers["Location"] = f"/v1/athletes/{athlete.id}/links/{link.id}"
    return LinkCreated(**_public(link).model_dump(), url=f"/v1/shared/{secret}")


@router.get(
    "/v1/athletes/{athlete_id}/links",
    name="list",
    responses=problem_responses(*AUTH_ERRORS, 404, 422),
)
def list_links(access: AthleteAccess, session: SessionDep, page: PageDep) -> Page[LinkPublic]:
    """The athlete's live links, oldest first (their secrets cannot be shown again)."""
    athlete = access.athlete(session)
    links, next_cursor = service.list_page(session, athlete, page)
    return Page(items=[_public(link) for link in links], next_cursor=next_cursor)


@router.delete(
    "/v1/athletes/{athlete_id}/links/{link_id}",
    name="revoke",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTH_ERRORS, 404, 422),
)
def revoke_link(
    access: AthleteAccess,
    link_id: Annotated[uuid.UUID, Path(description="The link's id.")],
    session: SessionDep,
) -> Response:
    """Revoke at once: the URL answers 404 from now on."""
    athlete = access.athlete(session)
    service.revoke(session, athlete, link_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/v1/shared/{secret}",
    name="read",
    response_class=Response,
    responses={
        200: {
            "description": "What the link shares: the plan calendar or the progress chart.",
            "content": {
                calendar.ICS: {"schema": {"type": "string"}},
                SVG_TYPE: {"schema": {"type": "string"}},
            },
        },
        **problem_responses(404, 422),
    },
)
def read_shared(
    secret: Annotated[str, Path(min_length=16, max_length=128, description="The link's secret.")],
    session: SessionDep,
) -> Response:
    """No token: the secret is the credential. Unknown, revoked and expired links are 404."""
    content, media_type, version = service.shared(session, secret)
    headers = {"Cache-Control": "private, max-age=300", "Referrer-Policy": "no-referrer"}
    if version is not None:
        headers["ETag"] = etag_of(version)
    return Response(content, media_type=media_type, headers=headers)
