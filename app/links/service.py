"""Share links: 256-bit secrets stored as SHA-256, revoked by deleting the row."""

import json
import secrets
import uuid
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from app.athletes.models import Athlete
from app.auth.service import hash_token
from app.errors import InvalidInput, NotFound
from app.links.models import ShareLink
from app.links.schemas import ChartQuery, LinkCreate, SharedResource
from app.pagination import PageParams, keyset_page
from app.plans import calendar
from app.plans import service as plans
from app.progress import service as progress
from app.progress.chart import SVG_TYPE


def create(session: Session, athlete: Athlete, body: LinkCreate) -> tuple[ShareLink, str]:
    """The link and its secret (shown once)."""
    query = body.query.model_dump(by_alias=True, exclude_unset=True, mode="json")
    if body.resource is SharedResource.plan_ics and query:
        raise InvalidInput("query", "plan.ics takes no query parameters")
    if body.expires_at is not None and body.expires_at <= datetime.now(UTC):
        raise InvalidInput("expires_at", "must be in the future")
    secret = secrets.token_urlsafe(32)
    link = ShareLink(
        athlete_id=athlete.id,
        secret_hash=hash_token(secret),
        resource=body.resource.value,
        query_json=json.dumps(query, sort_keys=True),
        expires_at=body.expires_at,
    )
    session.add(link)
    session.flush()
    return link, secret


def list_page(
    session: Session, athlete: Athlete, page: PageParams
) -> tuple[list[ShareLink], str | None]:
    query = select(ShareLink).where(col(ShareLink.athlete_id) == athlete.id)
    return keyset_page(session, query, [col(ShareLink.created_at), col(ShareLink.id)], page)


def revoke(session: Session, athlete: Athlete, link_id: uuid.UUID) -> None:
    link = session.get(ShareLink, link_id)
    if link is None or link.athlete_id != athlete.id:
        raise NotFound("No share link with this id for this athlete")
    session.delete(link)
    session.flush()


def resolve(session: Session, secret: str) -> tuple[ShareLink, Athlete]:
    """The link of a secret and its athlete; 404 alike for unknown, revoked and expired."""
    link = session.exec(
        select(ShareLink).where(col(ShareLink.secret_hash) == hash_token(secret))
    ).first()
    if link is None or (link.expires_at is not None and link.expires_at <= datetime.now(UTC)):
        raise NotFound("No such share link (it may have been revoked or have expired)")
    athlete = session.get(Athlete, link.athlete_id)
    if athlete is None:
        raise NotFound("No such share link (it may have been revoked or have expired)")
    return link, athlete


def shared(session: Session, secret: str) -> tuple[bytes, str, int | None]:
    """What a link shares: (the bytes, their media type, the plan's version for an ETag)."""
    link, athlete = resolve(session, secret)
    if link.resource == SharedResource.plan_ics:
        stored = plans.get(session, athlete)
        return calendar.plan_ics(stored, athlete.name), calendar.ICS, stored.version
    query = ChartQuery.model_validate(json.loads(link.query_json))
    svg = progress.progress_chart(
        session,
        athlete,
        metric=query.metric,
        exercise=query.exercise,
        date_from=query.from_,
        date_to=query.to,
        period=query.period,
    )
    return svg.encode(), SVG_TYPE, None
