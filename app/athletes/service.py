"""Athletes of an account: create, read, list, update, delete."""

import uuid
from typing import Any

from sqlalchemy import and_, bindparam
from sqlmodel import Session, col, select

from app.athletes.models import Athlete
from app.athletes.schemas import AthleteCreate, AthleteUpdate
from app.auth.models import ApiToken
from app.auth.service import token_lookup
from app.changes.service import Changed, Kind, Op, record
from app.db import save_new_version
from app.errors import NotFound
from app.etags import check_if_match, etag_of
from app.pagination import PageParams, keyset_page

# The athlete of the path, read with the caller's token in one statement (OwnedAthlete).
OWNED_WITH_TOKEN = token_lookup(
    (
        Athlete,
        and_(
            col(Athlete.id) == bindparam("athlete_id"),
            col(Athlete.account_id) == col(ApiToken.account_id),
        ),
    )
)


def owned(athlete: Athlete | None) -> Athlete:
    """What OWNED_WITH_TOKEN found: the athlete if the token's account owns it; otherwise 404,
    exactly as if it did not exist."""
    if athlete is None:
        raise NotFound("No athlete with this id")
    return athlete


def create(session: Session, account_id: uuid.UUID, body: AthleteCreate) -> Athlete:
    athlete = Athlete(account_id=account_id, **body.model_dump())
    session.add(athlete)
    session.flush()
    _changed(session, athlete, Op.upsert)
    return athlete


def _changed(session: Session, athlete: Athlete, op: Op) -> None:
    etag = etag_of(athlete.version) if op is Op.upsert else None
    record(session, athlete.account_id, Changed(Kind.athlete, athlete.id, athlete.id, op, etag))


def list_page(
    session: Session, account_id: uuid.UUID, page: PageParams
) -> tuple[list[Athlete], str | None]:
    query = select(Athlete).where(Athlete.account_id == account_id)
    return keyset_page(session, query, [col(Athlete.created_at), col(Athlete.id)], page)


def update(
    session: Session, athlete: Athlete, body: AthleteUpdate, if_match: str | None
) -> Athlete:
    check_if_match(if_match, athlete.version)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    for field, value in changes.items():
        setattr(athlete, field, value)
    save_new_version(session, athlete)
    _changed(session, athlete, Op.upsert)
    return athlete


def delete(session: Session, athlete: Athlete, if_match: str | None) -> None:
    """Delete the athlete; its workouts and sets go with it (ON DELETE CASCADE)."""
    check_if_match(if_match, athlete.version)
    session.delete(athlete)
    session.flush()
    _changed(session, athlete, Op.delete)
